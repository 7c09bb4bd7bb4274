package learn

import (
	"testing"

	"evident/annotate"
	"unicode/utf8"
)

// checkRuneCuts: for every token of text, headRunes and tailRunes cut its lower case
// where []rune did, and shapeAt is shape of its raw text.
func checkRuneCuts(t *testing.T, text string) {
	p := prepare(text, annotate.Draft{})
	for i, tk := range p.toks {
		if got, want := p.shapeAt(i), shape(tk.raw); got != want {
			t.Fatalf("token %q: shapeAt %q, shape %q", tk.raw, got, want)
		}
		r := []rune(tk.lower)
		n := len(r)
		if n != utf8.RuneCountInString(tk.lower) {
			t.Fatalf("token %q: rune count", tk.lower)
		}
		for k := 1; k <= min(n, 4); k++ {
			if got, want := headRunes(tk.lower, k), string(r[:k]); got != want {
				t.Fatalf("headRunes(%q, %d) = %q, want %q", tk.lower, k, got, want)
			}
			if got, want := tailRunes(tk.lower, k), string(r[n-k:]); got != want {
				t.Fatalf("tailRunes(%q, %d) = %q, want %q", tk.lower, k, got, want)
			}
		}
	}
}

func TestRuneCuts(t *testing.T) {
	checkRuneCuts(t, "Ünïcödé wörds: 北京市政府 said مرحبابكم 🙂🙂🙂🙂 e\u0301cole, and bad \xff\xfe bytes\xffin\xc3 ẞtraße.")
}

func FuzzRuneCuts(f *testing.F) {
	f.Add("Gunmen attacked Kharkiv on Tuesday, killing 12.")
	f.Add("北京市政府 مرحبابكم 🙂🙂🙂🙂 \xff\xfeabc\xc3")
	f.Fuzz(checkRuneCuts)
}
