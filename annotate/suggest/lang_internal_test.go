package suggest

import "testing"

func TestSentenceLanguages(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	text := "Islamic State militants opened fire on a camp in Borno state, the army said.\n" +
		"Al menos 12 civiles murieron en el bombardeo del mercado, según el Ministerio de Salud.\n" +
		"Au moins 15 personnes ont été tuées dans l'attaque du village.\n" +
		"Bei dem Angriff wurden mindestens 23 Menschen getötet.\n" +
		"Quattro militari sono morti e undici sono rimasti feriti.\n" +
		"Pelo menos 25 pessoas morreram no ataque, segundo a polícia.\n" +
		"Пять военнослужащих погибли, ещё семеро были ранены.\n" +
		"Десятки людей отримали поранення.\n" +
		"قتل خمسة جنود في الهجوم.\n" +
		"विस्फोट में २३ लोग घायल हो गए।\n" +
		"The die was cast as the state per se had no plan.\n" +
		"Der Angreifer tötete 7 Menschen.\n" +
		"The Müller family said 3 people were killed in München."
	toks, lows := tokenize(text)
	d := &doc{s: s, text: text, toks: toks, lows: lows}
	for i := range d.toks { // the word classes Suggest sets
		v := s.vocab[d.tl(&d.toks[i])]
		d.toks[i].idx, d.toks[i].wid, d.toks[i].cls = v.bits, v.id, v.cls
	}
	want := []string{"en", "es", "fr", "de", "it", "pt", "ru", "uk", "ar", "hi", "en", "de", "en"}
	got := d.sentenceLangs()
	if len(got) != len(want) {
		t.Fatalf("%d sentences, want %d", len(got), len(want))
	}
	for i, l := range got {
		if langNames[l] != want[i] {
			t.Errorf("sentence %d: %s, want %s", i, langNames[l], want[i])
		}
	}
}

func TestForeignDigits(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		want int
		ok   bool
	}{
		{"1.200 heridos", 1200, true},
		{"1,200 heridos", 1200, true},
		{"2 300 morts", 2300, true},
		{"2\u00a0300 morts", 2300, true},
		{"1 250 человек", 1250, true},
		{"٤٥ شخصا", 45, true},
		{"١٬٢٠٠ شخص", 1200, true},
		{"२३ लोग", 23, true},
		{"1,5 millones", 0, false},
		{"12 300 450", 12300450, true},
	} {
		toks, lows := tokenize(c.text)
		d := &doc{s: s, text: c.text, toks: toks, lows: lows}
		v, _, ok := d.foreignDigits(0)
		if ok != c.ok || ok && v != c.want {
			t.Errorf("%q: %d %v, want %d %v", c.text, v, ok, c.want, c.ok)
		}
	}
}
