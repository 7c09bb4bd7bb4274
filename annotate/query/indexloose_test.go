package query

import "testing"

// FuzzIndexerLoose: the loose folding an Indexer keeps from Tokens is Loose's, for any
// text, one text after another on the same Indexer.
func FuzzIndexerLoose(f *testing.F) {
	for _, s := range []string{"Straße in Köln", "قَتَلَ ثلاثة", "北京 爆炸", "naïve 🙂 ＡＢＣ", "", "\xff\xfe"} {
		f.Add(s, "second text")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var ix Indexer
		for _, text := range []string{a, b} {
			ix.Tokens(text)
			if got, want := ix.Loose(), Loose(text); got != want {
				t.Fatalf("Indexer.Loose after Tokens(%q) = %q, Loose = %q", text, got, want)
			}
		}
	})
}
