package suggest_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"evident/annotate"
)

// fuzzSeeds are the fuzz corpus seeds; the behaviour snapshot runs them too.
var fuzzSeeds = []string{
	"",
	"The US carried out strikes on Tuesday, killing at least 12 civilians, officials said.",
	"Between 20 and 30 fighters died; 20-30 soldiers; twenty-five people were killed.",
	"Iraq's Ain al-Asad base was hit at 6.30 p.m. local time, CENTCOM (CENTCOM) said.",
	"Ça va — «Bombardement» 🚀 in Ségou: 12 tués, ISWAP's fighters.",
	"'s 's ' - -- . . U.S. Oct. 7, 2023 at least at least dozens of of",
	"\u2019s\u2019\u2019s killed\n\n\n\ufeff 1,2,3 99999999999 10.5.6 p.m.",
	"a hundred and fifty two dozen scores of hundreds of thousands of",
	"قتل ١٬٢٠٠ شخصا و٬٤٥ بحسب ،على الأقل. П'ять п'’ 1 000 000 000 1 2 3 погибли до",
	"Plus de 1 500 personnes, des centaines de milliers de, quatre-vingt-dix-neuf - tués. 1.2.3 दो सौ मारे गए ",
}

// FuzzSuggest: for any valid UTF-8 text the suggester must not panic and every span must
// lie inside the text on code point bounds with start < end (checkDraft).
func FuzzSuggest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "2024-01-23")
	}
	s := mustNew(f)
	f.Fuzz(func(t *testing.T, text, pub string) {
		if !utf8.ValidString(text) {
			t.Skip()
		}
		learned := []annotate.PhraseStat{{Text: "al-Asad", Label: "TARGET", Accepted: 2}, {Text: "strikes", Label: "ATTACK", Rejected: 3}}
		d, err := s.Suggest(context.Background(), text, pub, learned)
		if err != nil {
			t.Fatal(err)
		}
		checkDraft(t, text, d)
	})
}
