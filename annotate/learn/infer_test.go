package learn

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"evident/annotate"
	"unicode/utf8"
)

// checkRuneCuts: for every token of text, headRunes and tailRunes cut its lower case
// where []rune did, and shapeAt is what shape was before it was made allocation-free
// (shapeRef), long shapes too.
func checkRuneCuts(t *testing.T, text string) {
	p := prepare(text, annotate.Draft{})
	for i, tk := range p.toks {
		if got, want := p.shapeAt(i), shapeRef(tk.raw); got != want {
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
	checkRuneCuts(t, "Ünïcödé wörds: 北京市政府 said مرحبابكم 🙂🙂🙂🙂 e\u0301cole, and bad \xff\xfe bytes\xffin\xc3 ẞtraße. aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStT1a2b3c ÀéÎõÜñ北a北B")
}

func FuzzRuneCuts(f *testing.F) {
	f.Add("Gunmen attacked Kharkiv on Tuesday, killing 12.")
	f.Add("北京市政府 مرحبابكم 🙂🙂🙂🙂 \xff\xfeabc\xc3")
	f.Fuzz(checkRuneCuts)
}

// TestFeatTable: the open-addressed table answers as the map it was built from, for
// present and absent keys, clustered keys and key 0 included.
func TestFeatTable(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 50000} {
		m := map[uint64]int32{}
		r := rand.New(rand.NewPCG(uint64(n), 3))
		for i := 0; i < n; i++ {
			k := r.Uint64()
			if i%3 == 0 {
				k = uint64(i) << 40 // same low bits: collisions
			}
			if _, ok := m[k]; !ok {
				m[k] = int32(len(m))
			}
		}
		var ft featTable
		for k, v := range m {
			if got, ok := ft.get(m, k); !ok || got != v {
				t.Fatalf("n=%d: get(%x) = %d, %v; want %d", n, k, got, ok, v)
			}
		}
		for i := 0; i < 2000; i++ {
			k := r.Uint64()
			want, wok := m[k]
			if got, ok := ft.get(m, k); ok != wok || got != want {
				t.Fatalf("n=%d: get(%x) = %d, %v; want %d, %v", n, k, got, ok, want, wok)
			}
		}
	}
}

// shapeRef is shape as it was written first (a strings.Builder per call): the reference
// the faster shape must equal.
func shapeRef(w string) string {
	var b strings.Builder
	var last rune
	for _, r := range w {
		c := r
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLower(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		case unicode.IsLetter(r):
			c = 'l'
		}
		if c != last {
			b.WriteRune(c)
			last = c
		}
	}
	return b.String()
}
