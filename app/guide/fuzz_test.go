package guide_test

import (
	"strings"
	"testing"
	"unicode"

	"evident/app/guide"
)

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// FuzzSplit: splitting keeps every non-blank character in order, and every section but
// the first starts with its own heading.
func FuzzSplit(f *testing.F) {
	f.Add(small)
	f.Add("## A\n```\n## B\n```\n## C\r\nx")
	f.Add("no heading at all")
	f.Add("# T\n## \n##x\n")
	f.Fuzz(func(t *testing.T, md string) {
		secs := guide.Split(md)
		var all strings.Builder
		for i, s := range secs {
			all.WriteString(s.Body)
			if i > 0 && !strings.HasPrefix(s.Body, "## ") {
				t.Fatalf("section %d body starts %.20q", i, s.Body)
			}
		}
		if squeeze(all.String()) != squeeze(md) {
			t.Fatalf("split lost or added text:\n%q\n%q", md, all.String())
		}
	})
}

// FuzzMatches: matches are in order, do not overlap, sit on rune boundaries and equal the
// query up to case.
func FuzzMatches(f *testing.F) {
	f.Add("Dozen dozens DOZEN", "dozen")
	f.Add("ǅungla ǆ ǄA", "ǆ")
	f.Add("aaa", "aa")
	f.Add("\xff\xfeab", "AB")
	f.Fuzz(func(t *testing.T, s, q string) {
		last := 0
		for _, m := range guide.Matches(s, q) {
			if m[0] < last || m[1] <= m[0] || m[1] > len(s) {
				t.Fatalf("bad range %v after %d in %q", m, last, s)
			}
			if !strings.EqualFold(s[m[0]:m[1]], q) {
				t.Fatalf("%q does not fold to %q", s[m[0]:m[1]], q)
			}
			last = m[1]
		}
	})
}
