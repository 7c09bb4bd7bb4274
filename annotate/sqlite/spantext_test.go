package sqlite

import (
	"testing"
	"unicode/utf8"

	"evident/annotate"
)

// FuzzSpanCuts: the one-pass cuts agree with annotate.Offsets for every offset in range,
// on any text (ASCII, multi-byte, invalid UTF-8) and any order of offsets.
func FuzzSpanCuts(f *testing.F) {
	f.Add("Gunmen attacked Kato", 0, 6, 16, 20)
	f.Add("Café 💥 in Köln, 港口", 3, 5, 7, 19)
	f.Add("\xff\xfeab", 1, 0, 3, 4)
	f.Add("", 0, 0, 1, -1)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		o := annotate.NewOffsets(text)
		var cuts spanCuts
		cps := []int{a, b, c, d, a}
		out := []int{-7, -7, -7, -7, -7}
		n := cuts.bytes(text, cps, out)
		if n != o.Len() || (utf8.ValidString(text) && n != utf8.RuneCountInString(text)) {
			t.Fatalf("length %d, Offsets says %d", n, o.Len())
		}
		for i, cp := range cps {
			if cp < 0 || cp > n {
				if out[i] != -7 {
					t.Fatalf("offset %d outside [0, %d] was set to %d", cp, n, out[i])
				}
				continue
			}
			if out[i] != o.Byte(cp) {
				t.Fatalf("code point %d at byte %d, Offsets says %d", cp, out[i], o.Byte(cp))
			}
		}
	})
}
