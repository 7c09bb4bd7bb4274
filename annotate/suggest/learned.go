package suggest

import (
	"strings"

	"evident/annotate"
)

// findLearned suggests phrases the annotators accepted more often than they rejected
// (and at least once), as whole-word matches anywhere in the text. A phrase's case rules
// are those of its accepted text: "Kataib Hezbollah" needs its capitals.
func (d *doc) findLearned(learned []annotate.PhraseStat) {
	if len(learned) == 0 {
		return
	}
	x := newIndex()
	n := 0
	for _, p := range learned {
		if p.Accepted >= 1 && p.Accepted > p.Rejected && strings.TrimSpace(p.Text) != "" && p.Label != "" {
			if x.add(p.Text, p.Label, p.Text) {
				n++
			}
		}
	}
	if n == 0 {
		return
	}
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		list := x.first[d.lw(i)]
		if len(list) == 0 {
			continue
		}
		// several labels may share a phrase: add each longest match
		best := -1
		for _, e := range list {
			end := d.matchEntry(i, e)
			if end < 0 || !d.wholeWord(i, end) {
				continue
			}
			if end > best {
				best = end
			}
			d.add(cand{a: i, b: end, label: e.label, origin: "learned:phrase"})
		}
		if best > 0 {
			i = best - 1
		}
	}
}

// wholeWord reports whether tokens [a, b) are not glued to a letter on either side (the
// tokenizer already splits words, so only a tight hyphen joins one to its neighbour).
func (d *doc) wholeWord(a, b int) bool {
	toks := d.toks
	if a > 0 && d.lw(a-1) == "-" && !toks[a].space && !toks[a-1].space {
		return false
	}
	if b < len(toks) && d.lw(b) == "-" && !toks[b].space && b+1 < len(toks) && !toks[b+1].space {
		return false
	}
	return true
}
