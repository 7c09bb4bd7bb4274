package query

import "strings"

// Loose returns the loose folding of the text last given to Tokens, as Loose(text) does: a
// store that keeps both (PostgreSQL's search_text) calls it after Tokens. Tokens folds
// only the pieces of a text that are not plain ASCII words, so this folds the text again,
// character by character, keeping the one unit of context folding looks at (a combining
// mark after a Latin letter is dropped), with no copy of the whole text in units.
func (ix *Indexer) Loose() string {
	var b strings.Builder
	b.Grow(len(ix.text))
	prev := ix.us[:0]
	for _, r := range ix.text {
		n := len(prev)
		prev = appendFolded(prev, r, 0)
		for _, u := range prev[n:] {
			b.WriteRune(u.loose)
		}
		if len(prev) > 1 {
			prev = append(prev[:0], prev[len(prev)-1])
		}
	}
	ix.us = prev
	return b.String()
}
