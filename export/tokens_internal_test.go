package export

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"evident/annotate"
)

var tokenSeeds = []string{
	"", " ", "a", "Drone strike 💥 hit Port Halden\r\nlate on Tuesday; at least 12 civilians were killed,\tthe health ministry said.",
	"U.S. forces' 1,200.5 troops: a:b a.1 1.a _x_ x__1 can't ''a 1;2 1;;2 a..b 3.",
	"e.g.\v\fx  \u0301y \t\u200dz a\u00a0b", "周二清晨，导弹袭击了北港", "قال مسؤولون", "Cafe\u0301 🇺🇦🇺🇦🇺 👨‍👩‍👧 x",
	"a\x00b\x1cc \"q\" (x) [y] a-b a/b a@b.c #1 $2 100% a&b", "  \u0301", "a  \u0301b", "1,000,000 a1b2 2a 3_4",
	"\r\n\n\r a", "...", "a'", "'a", "1.", ".1", "a:", ":a", "a::b",
}

func FuzzTokens(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := annotate.Tokens(s)
		got := appendTokens(nil, s)
		if !slices.Equal(got, want) {
			t.Fatalf("appendTokens(%q) = %v, annotate.Tokens = %v", s, got, want)
		}
	})
}

// TestTokensASCIIExhaustive compares every 1-, 2- and 3-character string over a set of
// ASCII characters of each word-break class.
func TestTokensASCIIExhaustive(t *testing.T) {
	alphabet := "aZ09_:.',;\" \t\n\r\v!-"
	var rec func(prefix string, n int)
	rec = func(prefix string, n int) {
		if n == 0 {
			if got, want := appendTokens(nil, prefix), annotate.Tokens(prefix); !slices.Equal(got, want) {
				t.Fatalf("appendTokens(%q) = %v, want %v", prefix, got, want)
			}
			return
		}
		for i := 0; i < len(alphabet); i++ {
			rec(prefix+alphabet[i:i+1], n-1)
		}
	}
	for n := 1; n <= 4; n++ {
		rec("", n)
	}
}

// unisegSentences is the reference: sentence starts by uniseg over the whole text.
func unisegSentences(text string) []int {
	dst := []int{0}
	cp, state, rest := 0, -1, text
	for len(rest) > 0 {
		var sent string
		sent, rest, state = uniseg.FirstSentenceInString(rest, state)
		cp += utf8.RuneCountInString(sent)
		dst = append(dst, cp)
	}
	return dst
}

func FuzzSentences(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add(s)
	}
	f.Add("Mr. Smith arrived. He said: \"No!\" (Really?) Then... 3.5 e.g. next. U.S. Army.\r\nNew para.\rOld Mac.  \"Quote.\" lower")
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s) // line ends: see TestSentencesLineEnds
		if got, want := appendSentences(nil, s), unisegSentences(s); !slices.Equal(got, want) {
			t.Fatalf("appendSentences(%q) = %v, uniseg = %v", s, got, want)
		}
	})
}

func TestSentencesASCIIExhaustive(t *testing.T) {
	alphabet := "aA1.!\"(,- \t$;"
	var rec func(prefix string, n int)
	rec = func(prefix string, n int) {
		if n == 0 {
			if got, want := appendSentences(nil, prefix), unisegSentences(prefix); !slices.Equal(got, want) {
				t.Fatalf("appendSentences(%q) = %v, want %v", prefix, got, want)
			}
			return
		}
		for i := 0; i < len(alphabet); i++ {
			rec(prefix+alphabet[i:i+1], n-1)
		}
	}
	for n := 1; n <= 5; n++ {
		rec("", n)
	}
}

// TestSentencesLineEnds pins the standard's behaviour at paragraph separators, where
// uniseg differs.
func TestSentencesLineEnds(t *testing.T) {
	for in, want := range map[string][]int{
		"a.\r\nb":         {0, 4, 5},
		"a! \nb":          {0, 4, 5},
		"one\ntwo":        {0, 4, 7},
		"one\rtwo":        {0, 4, 7},
		"one\r\n\ntwo":    {0, 5, 6, 9},
		"Mr. Smith.\nÖl.": {0, 4, 11, 14},
		"é. B\nC. D":      {0, 3, 5, 8, 9},
		"é! \nx":          {0, 4, 5},
		"é.\r\nx":         {0, 4, 5},
		"":                {0},
		"\n":              {0, 1},
	} {
		if got := appendSentences(nil, in); !slices.Equal(got, want) {
			t.Errorf("appendSentences(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestSentencesLinear guards against quadratic time on long runs after a full stop.
func TestSentencesLinear(t *testing.T) {
	for _, run := range []string{" ", "'", "1", "\"", "$"} {
		s := "a." + strings.Repeat(run, 1<<20) + "b"
		if got := appendSentences(nil, s); got[0] != 0 || got[len(got)-1] != len(s) {
			t.Fatalf("%q run: %v", run, got)
		}
	}
}

func TestBratFileNames(t *testing.T) {
	e := NewBratEncoder(nil, Config{})
	var got []string
	for _, ext := range []string{"Wire 1", "wire_1", "WIRE_1", "../etc/passwd", ".hidden", "", "wire_1-2"} {
		d := &annotate.Document{ID: 7, ExternalID: ext}
		got = append(got, e.fileName(d))
	}
	want := []string{"Wire_1", "wire_1-2", "WIRE_1-3", "_etc_passwd", "hidden", "7", "wire_1-2-2"}
	if !slices.Equal(got, want) {
		t.Errorf("file names %q, want %q", got, want)
	}
}
