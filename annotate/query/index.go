package query

import (
	"unicode"
	"unicode/utf8"
)

// The full-text index of a backend holds words, not every three characters of the text:
// a term matches only where a word starts (see find), so an index of words answers "which
// documents hold a word starting with this" with a prefix lookup, at a sixth of the
// entries a trigram index makes for the same text (about 170 words against 1,000
// trigrams in a 1 KB article); the entries are what indexing costs. Scripts whose terms
// match inside words (see anywhere: CJK, Thai, Arabic, …) keep their trigrams.
//
// Text is cut into segments: runs of word characters of one kind, where the kind is
// whether the character's script matches inside words; a combining mark belongs to the
// segment of the character before it. The two sides of the index cut the same way:
//   - IndexTokens lists a document's segments: a segment of a word-start script as one
//     token (its first maxToken characters), a segment of the other scripts as its
//     trigrams, and every one- and two-character run of CJK as a ShortKey.
//   - Lookups lists what a document must hold for a term to have a hit: each word-start
//     segment of three or more characters as a prefix of a token, each other segment as
//     its trigrams (or ShortKey when it is one or two CJK characters).
//
// Every hit of a term starts a segment of the document where the term's first segment
// starts (a word start, or inside a segment of a script matched anywhere), and the term's
// later segments start where the document's do, since the characters before them are the
// term's own; so every lookup holds for every document with a hit. The index only
// narrows: Eval decides.

// maxToken bounds a token, in characters: a longer word is indexed by its start and
// looked up by the same start, so a run of letters with no space in it stays one entry.
const maxToken = 24

// Lookup is one thing a document's index tokens must hold for a term to have a hit: the
// token itself, or (Prefix) a token starting with it.
type Lookup struct {
	Token  string
	Prefix bool
}

// IndexTokens returns the index tokens of text, separated by spaces. Tokens hold only
// word characters (letters, digits, marks) and the ShortKey marker, so any tokenizer
// that splits at ASCII spaces and punctuation and keeps every other character (SQLite
// FTS5's ascii tokenizer) reads them back as they are.
func IndexTokens(text string) string {
	var ix Indexer
	return ix.Tokens(text)
}

// Indexer makes index tokens (IndexTokens), reusing its buffers from one text to the
// next: an import indexes every document it reads. Not for concurrent use.
type Indexer struct {
	us []unit
	b  []byte
}

// Tokens returns the index tokens of text, as IndexTokens does.
func (ix *Indexer) Tokens(text string) string {
	us := ix.us[:0]
	var at int32
	hasCJK := false
	for _, r := range text {
		us = appendFolded(us, r, at)
		at++
		hasCJK = hasCJK || r >= 0x2E80
	}
	ix.us = us
	b := ix.b[:0]
	put := func(seg []unit) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		for _, u := range seg {
			if u.loose < utf8.RuneSelf {
				b = append(b, byte(u.loose))
			} else {
				b = utf8.AppendRune(b, u.loose)
			}
		}
	}
	segments(us, func(seg []unit, inWord bool) {
		if !inWord {
			put(seg[:min(len(seg), maxToken)])
			return
		}
		for i := 0; i+MinIndexed <= len(seg); i++ {
			put(seg[i : i+MinIndexed])
		}
	})
	// One- and two-character CJK runs, once each, for the queries a trigram cannot hold.
	if hasCJK {
		seen := map[string]bool{}
		for i, u := range us {
			if !cjk(u.loose) {
				continue
			}
			keys := [2]string{string(u.loose)}
			if i+1 < len(us) && cjk(us[i+1].loose) {
				keys[1] = string([]rune{u.loose, us[i+1].loose})
			}
			for _, k := range keys {
				if k != "" && !seen[k] {
					seen[k] = true
					b = append(b, ' ')
					b = append(b, ShortKey(k)...)
				}
			}
		}
	}
	ix.b = b
	return string(b)
}

// Lookups returns what a document's index tokens must hold for q to have a hit in it,
// each once; none when no term can be looked up (then every document is a candidate).
func (q *Query) Lookups() []Lookup {
	var out []Lookup
	seen := map[Lookup]bool{}
	add := func(l Lookup) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	for _, t := range q.Terms {
		if t.Negated || len(t.key) == 0 || unicode.Is(unicode.M, t.key[0].strict) {
			// A term starting with a combining mark may start inside a document's
			// segment of either kind: it narrows nothing.
			continue
		}
		segments(t.key, func(seg []unit, inWord bool) {
			switch {
			case !inWord && len(seg) >= MinIndexed:
				add(Lookup{Token: looseString(seg[:min(len(seg), maxToken)]), Prefix: true})
			case inWord && len(seg) >= MinIndexed:
				for i := 0; i+MinIndexed <= len(seg); i++ {
					add(Lookup{Token: looseString(seg[i : i+MinIndexed])})
				}
			case inWord && allCJK(seg):
				add(Lookup{Token: ShortKey(looseString(seg))})
			}
		})
	}
	return out
}

// segments calls fn with each segment of us (see above) and whether its script matches
// inside words.
func segments(us []unit, fn func(seg []unit, inWord bool)) {
	start, kind := -1, false
	for i, u := range us {
		word, mark, k := kindOf(u.strict)
		if !word {
			if start >= 0 {
				fn(us[start:i], kind)
				start = -1
			}
			continue
		}
		if start >= 0 && (mark || k == kind) {
			continue // a mark stays with the character before it
		}
		if start >= 0 {
			fn(us[start:i], kind)
		}
		start, kind = i, k
	}
	if start >= 0 {
		fn(us[start:], kind)
	}
}

// kindOf says whether r is a word character, a combining mark, and of a script matched
// inside words; ASCII, most of any text here, without the Unicode tables.
func kindOf(r rune) (word, mark, inWord bool) {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9', false, false
	}
	if !wordChar(r) {
		return false, false, false
	}
	return true, unicode.Is(unicode.M, r), anywhere(r)
}

func allCJK(seg []unit) bool {
	for _, u := range seg {
		if !cjk(u.loose) {
			return false
		}
	}
	return len(seg) > 0
}
