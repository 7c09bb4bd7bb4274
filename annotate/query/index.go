package query

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// The full-text index of a backend holds words, not every three characters of the text:
// a term matches only where a word starts (see find), so an index of words answers "which
// documents hold a word starting with this" with a prefix lookup, at a sixth of the
// entries a trigram index makes for the same text (about 170 words against 1,000
// trigrams in a 1 KB article); the entries are what indexing costs. Scripts whose terms
// match inside words (see anywhere: CJK, Thai, Arabic, …) are indexed by n-grams.
//
// Text is cut into segments: runs of word characters of one kind, where the kind is
// whether the character's script matches inside words; a combining mark belongs to the
// segment of the character before it. The two sides of the index cut the same way:
//   - IndexTokens lists a document's segments, each token once: a segment of a
//     word-start script as one token (its first maxToken characters; none when it is
//     shorter than MinIndexed, as no lookup asks for it), and in a segment of the other
//     scripts, at each character, the bigram starting there if the character is Chinese
//     or Japanese (the character alone at the segment's end), else the trigram starting
//     there.
//   - Lookups lists what a document must hold for a term to have a hit: each word-start
//     segment of three or more characters as a prefix of a token; in each other segment,
//     the same bigrams and trigrams, all within the term, and a single CJK character not
//     covered by a bigram (a one-character query, say) as a prefix of a token: in the
//     document that character starts a bigram or ends a segment.
//
// Every hit of a term starts a segment of the document where the term's first segment
// starts (a word start, or inside a segment of a script matched anywhere), and the term's
// later segments start where the document's do, since the characters before them are the
// term's own; so every lookup holds for every document with a hit. The index only
// narrows: Eval decides.
//
// Bigrams rather than trigrams for CJK: a Chinese article of 500 characters gave about
// 430 entries with trigrams and the one- and two-character keys that short queries
// needed, and gives about 170 with bigrams, which answer one- and two-character queries
// themselves (the first as a prefix).

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
// word characters (letters, digits, marks), so any tokenizer that splits at ASCII spaces
// and punctuation and keeps every other character (SQLite FTS5's ascii tokenizer) reads
// them back as they are.
func IndexTokens(text string) string {
	var ix Indexer
	return ix.Tokens(text)
}

// Indexer makes index tokens (IndexTokens), reusing its buffers from one text to the
// next: an import indexes every document it reads. Not for concurrent use.
type Indexer struct {
	us   []unit
	b    []byte
	seen tokenSet
	text string // the text last given to Tokens, for Loose
}

// Tokens returns the index tokens of text, as IndexTokens does.
//
// Every token is written after a space, and taken back if the text had it already: an
// index entry says only that a document holds a token, and each token costs the index
// (its tokenizer and its in-memory table) whether or not it is new.
//
// The text is read in pieces between ASCII characters that are not letters or digits,
// which end every segment: a piece of ASCII letters and digits is a word, lower-cased
// as it is; only a piece with other characters is folded and cut into segments. Folding
// the whole text made tokens cost a tenth of an import; TestTokensByPieces holds the
// pieces to the whole.
func (ix *Indexer) Tokens(text string) string {
	ix.text = text
	ix.b = ix.b[:0]
	ix.seen.reset()
	for i := 0; i < len(text); {
		for i < len(text) && text[i] < utf8.RuneSelf && !asciiWord(text[i]) {
			i++
		}
		start, ascii := i, true
		for i < len(text) && (text[i] >= utf8.RuneSelf || asciiWord(text[i])) {
			ascii = ascii && text[i] < utf8.RuneSelf
			i++
		}
		switch {
		case ascii && i-start >= MinIndexed:
			ix.putASCII(text[start:min(i, start+maxToken)])
		case !ascii:
			ix.putFolded(text[start:i])
		}
	}
	if len(ix.b) == 0 {
		return ""
	}
	return string(ix.b[1:])
}

// putFolded writes the tokens of a piece of text that holds other than ASCII letters and
// digits.
func (ix *Indexer) putFolded(piece string) {
	us := ix.us[:0]
	for _, r := range piece {
		us = appendFolded(us, r, 0)
	}
	ix.us = us
	segments(us, func(seg []unit, inWord bool) {
		if !inWord {
			if len(seg) >= MinIndexed {
				ix.putUnits(seg[:min(len(seg), maxToken)])
			}
			return
		}
		for i := range seg {
			switch {
			case cjk(seg[i].loose):
				ix.putUnits(seg[i:min(i+2, len(seg))])
			case i+MinIndexed <= len(seg):
				ix.putUnits(seg[i : i+MinIndexed])
			}
		}
	})
}

// putUnits writes one token, the loose form of us, unless the text had it already.
func (ix *Indexer) putUnits(us []unit) {
	b := append(ix.b, ' ')
	start := len(b)
	for _, u := range us {
		if u.loose < utf8.RuneSelf {
			b = append(b, byte(u.loose))
		} else {
			b = utf8.AppendRune(b, u.loose)
		}
	}
	ix.b = ix.keep(b, start)
}

// putASCII writes one token, word lower-cased, unless the text had it already.
func (ix *Indexer) putASCII(word string) {
	b := append(ix.b, ' ')
	start := len(b)
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	ix.b = ix.keep(b, start)
}

// keep returns b with the token b[start:] kept if new, or taken back with its space.
func (ix *Indexer) keep(b []byte, start int) []byte {
	if ix.seen.add(b, start, len(b)) {
		return b
	}
	return b[:start-1]
}

func asciiWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// tokenSet is the set of tokens written so far for one text, as byte ranges of the
// Indexer's buffer: open addressing, no allocation per token.
type tokenSet struct {
	slots []uint64 // (start+1)<<32 | end; 0 is empty
	n     int
}

func (s *tokenSet) reset() {
	clear(s.slots)
	s.n = 0
}

// add records b[start:end] and reports whether it was new.
func (s *tokenSet) add(b []byte, start, end int) bool {
	if 2*(s.n+1) > len(s.slots) {
		s.grow(b)
	}
	tok := b[start:end]
	mask := uint64(len(s.slots) - 1)
	for i := hashBytes(tok) & mask; ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			s.slots[i] = uint64(start+1)<<32 | uint64(end)
			s.n++
			return true
		}
		if bytes.Equal(b[v>>32-1:v&0xFFFFFFFF], tok) {
			return false
		}
	}
}

func (s *tokenSet) grow(b []byte) {
	old := s.slots
	s.slots = make([]uint64, max(256, 2*len(old)))
	mask := uint64(len(s.slots) - 1)
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := hashBytes(b[v>>32-1:v&0xFFFFFFFF]) & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = v
	}
}

// hashBytes is FNV-1a.
func hashBytes(p []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range p {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
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
			if !inWord {
				if len(seg) >= MinIndexed {
					add(Lookup{Token: looseString(seg[:min(len(seg), maxToken)]), Prefix: true})
				}
				return
			}
			for j := range seg {
				switch {
				case cjk(seg[j].loose) && j+1 < len(seg):
					add(Lookup{Token: looseString(seg[j : j+2])})
				case cjk(seg[j].loose) && (j == 0 || !cjk(seg[j-1].loose)):
					// The segment's last character, not in a bigram of the term.
					add(Lookup{Token: looseString(seg[j : j+1]), Prefix: true})
				case !cjk(seg[j].loose) && j+MinIndexed <= len(seg):
					add(Lookup{Token: looseString(seg[j : j+MinIndexed])})
				}
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
