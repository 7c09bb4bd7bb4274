package suggest_test

import (
	"encoding/json"
	"testing"

	"evident/annotate"
)

// TestClaimantForms: each figure gets the source that states it, in the attribution
// forms of news: a role with its place, "X denied that", a source in the sentence before
// or after, a pronoun whose antecedent is the previous sentence's subject; and none for
// a background sentence.
func TestClaimantForms(t *testing.T) {
	s := mustNew(t)
	for _, c := range []struct{ name, text, figure, claimant string }{
		{"RoleAtPlace", "The blast killed 9 people, a nurse at the district hospital said.", "9 people", "nurse at the district hospital"},
		{"Denied", "The militia denied that it had killed 30 villagers in the raid.", "30 villagers", "militia"},
		{"CouncilMember", "Eight fighters died in the clashes, a local council member said.", "Eight fighters", "local council member"},
		{"Staff", "Hospital staff said 26 wounded people had arrived since the morning.", "26 wounded people", "Hospital staff"},
		{"NextSentence", "The blast killed at least 21 people. A nurse at the clinic said many of the victims were children.", "at least 21 people", "nurse at the clinic"},
		{"PreviousSentence", "The interior ministry said that the toll had climbed overnight. Some 63 people are now confirmed dead.", "Some 63 people", "interior ministry"},
		{"Pronoun", "A spokesman for the provincial police gave new figures on Friday. He said 41 people had died.", "41 people", "spokesman"},
		{"Background", "The ministry said the talks would resume. A similar attack in 2019 killed more than 70 people.", "more than 70 people", ""},
		{"NewParagraph", "The ministry said the talks would resume.\n\nA bomb killed 12 people near the port.", "12 people", ""},
		{"Spanish", "Al menos 30 personas murieron en el ataque, dijo el gobernador.", "Al menos 30 personas", "gobernador"},
		{"Russian", "По данным минздрава, ранения получили 1 250 человек.", "1 250 человек", "минздрава"},
		{"Arabic", "قتل 12 شخصا على الأقل في غارة جوية، بحسب وزارة الصحة.", "12 شخصا على الأقل", "وزارة الصحة"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := run(t, s, c.text, "")
			i := figureAt(t, d, c.figure)
			got := ""
			if j, ok := d.Claimants[i]; ok {
				got = d.Spans[j].Text
			}
			if got != c.claimant {
				t.Errorf("claimant of %q = %q, want %q", c.figure, got, c.claimant)
			}
		})
	}
}

// TestForeignFigures: figures in other languages with their kind, numbers and qualifier.
func TestForeignFigures(t *testing.T) {
	s := mustNew(t)
	for _, c := range []struct {
		name, text, figure, kind string
		low, high                *int
		qual                     string
	}{
		{"SpanishDots", "El ataque dejó 1.200 heridos, informó la Cruz Roja.", "1.200 heridos", "injured", ip(1200), ip(1200), "exact"},
		{"SpanishWords", "Cuarenta y dos soldados fueron secuestrados.", "Cuarenta y dos soldados", "missing", ip(42), ip(42), "exact"},
		{"FrenchSpace", "Le bilan s'élève à 2 300 morts.", "2 300 morts", "killed", ip(2300), ip(2300), "exact"},
		{"FrenchRound", "Une trentaine de civils sont morts dans les frappes.", "Une trentaine de civils", "killed", ip(30), ip(30), "approx"},
		{"FrenchHyphen", "Dix-huit personnes ont péri dans l'incendie.", "Dix-huit personnes", "killed", ip(18), ip(18), "exact"},
		{"GermanVague", "Dutzende Zivilisten starben bei dem Luftangriff.", "Dutzende Zivilisten", "killed", ip(12), ip(12), "vague"},
		{"GermanMoreThan", "Mehr als 300 Menschen wurden festgenommen.", "Mehr als 300 Menschen", "detained", ip(301), nil, "more_than"},
		{"ItalianDecine", "Decine di persone sono state arrestate dopo le proteste.", "Decine di persone", "detained", ip(10), ip(10), "vague"},
		{"PortugueseWords", "Vinte e três soldados foram capturados pelos rebeldes.", "Vinte e três soldados", "detained", ip(23), ip(23), "exact"},
		{"RussianGenitive", "Более двадцати мирных жителей были убиты при обстреле.", "Более двадцати мирных жителей", "killed", ip(21), nil, "more_than"},
		{"RussianCollective", "Пять военнослужащих погибли, ещё семеро были ранены.", "семеро", "injured", ip(7), ip(7), "exact"},
		{"UkrainianApostrophe", "П'ятеро військових загинули.", "П'ятеро військових", "killed", ip(5), ip(5), "exact"},
		{"ArabicIndicDigits", "أصيب ٤٥ شخصا في الانفجار.", "٤٥ شخصا", "injured", ip(45), ip(45), "exact"},
		{"ArabicVerbFirst", "قتل 15 شخصا وأصيب 40 آخرون في تفجير.", "15 شخصا", "killed", ip(15), ip(15), "exact"},
		{"ArabicHundredsOfThousands", "نزح مئات الآلاف من منازلهم.", "مئات الآلاف", "displaced", ip(100000), ip(100000), "vague"},
		{"Hindi", "हमले में कम से कम 11 लोग मारे गए।", "कम से कम 11 लोग", "killed", ip(11), nil, "at_least"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := run(t, s, c.text, "")
			sp := d.Spans[figureAt(t, d, c.figure)]
			var got annotate.Casualty
			if err := json.Unmarshal(sp.Attrs, &got); err != nil {
				t.Fatal(err)
			}
			if got.Kind != c.kind || !eqp(got.Low, c.low) || !eqp(got.High, c.high) || got.Qualifier != c.qual {
				t.Errorf("%q: %s", c.figure, sp.Attrs)
			}
		})
	}
	// no figure without a casualty word, and no year
	for _, text := range []string{"El partido ganó 12 escaños en las elecciones.", "В 2022 году в городе погибли 5 человек.", "Le match a attiré 40 000 spectateurs."} {
		d := run(t, s, text, "")
		for _, sp := range d.Spans {
			if sp.Label == "CASUALTY" && (sp.Text == "2022" || sp.Text == "12 escaños" || sp.Text == "40 000") {
				t.Errorf("%q: unexpected CASUALTY %q", text, sp.Text)
			}
		}
	}
}

// figureAt is the index of the CASUALTY span with the given text; the test stops when
// there is none.
func figureAt(t *testing.T, d annotate.Draft, text string) int {
	t.Helper()
	for i, sp := range d.Spans {
		if sp.Label == "CASUALTY" && sp.Text == text {
			return i
		}
	}
	t.Fatalf("no CASUALTY %q in %v", text, spansOf(d, "CASUALTY"))
	return -1
}
