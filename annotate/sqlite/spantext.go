package sqlite

import (
	"slices"
	"unicode/utf8"
)

// spanCuts finds the byte offsets of a few code point offsets of a text in one pass,
// without indexing every code point as annotate.Offsets does: an import slices ten spans
// out of each document, and building a full index per document cost more than storing it.
type spanCuts struct {
	pos []cutPos // reused between documents
}

type cutPos struct{ cp, idx int }

// bytes sets out[i] to the byte offset of code point offset cps[i], for every
// 0 ≤ cps[i] ≤ n, where n, the text's length in code points, is returned. Offsets past
// the text are left as they are; callers check spans against n first.
func (c *spanCuts) bytes(text string, cps []int, out []int) (n int) {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i, cp := range cps {
			if cp >= 0 && cp <= len(text) {
				out[i] = cp
			}
		}
		return len(text)
	}
	c.pos = c.pos[:0]
	for i, cp := range cps {
		c.pos = append(c.pos, cutPos{cp, i})
	}
	slices.SortFunc(c.pos, func(a, b cutPos) int { return a.cp - b.cp })
	k := 0
	for k < len(c.pos) && c.pos[k].cp < 0 {
		k++
	}
	b, cp := 0, 0
	for {
		for k < len(c.pos) && c.pos[k].cp == cp {
			out[c.pos[k].idx] = b
			k++
		}
		if b >= len(text) || k == len(c.pos) {
			break
		}
		_, size := utf8.DecodeRuneInString(text[b:])
		b += size
		cp++
	}
	return cp + utf8.RuneCountInString(text[b:])
}
