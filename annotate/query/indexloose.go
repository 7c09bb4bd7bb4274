package query

import (
	"strings"
	"unicode/utf8"
)

// Loose returns the loose folding of the text last given to Tokens, as Loose(text) does,
// from the characters Tokens already folded: a store that keeps both (PostgreSQL's
// search_text) folds each imported text once instead of twice.
func (ix *Indexer) Loose() string {
	n := 0
	for _, u := range ix.us {
		if l := utf8.RuneLen(u.loose); l > 0 {
			n += l
		} else {
			n += 3 // written as U+FFFD
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, u := range ix.us {
		if u.loose < utf8.RuneSelf {
			b.WriteByte(byte(u.loose))
		} else {
			b.WriteRune(u.loose)
		}
	}
	return b.String()
}
