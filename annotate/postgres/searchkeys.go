package postgres

import (
	"slices"
	"strings"
	"unicode/utf8"

	"evident/annotate/query"
)

// The search index of PostgreSQL is a GIN index over an int4[] of keys that Go computes
// from a document's index tokens (query.Indexer, the same tokens SQLite's FTS5 table
// holds): for every token, a hash of its first 3 characters, and of its first 5 when it
// has 5. A query's lookups (query.Lookups: tokens, or prefixes of tokens, of three or
// more characters) give keys the same way, and every document holding a lookup holds its
// keys, so `keys @> lookup keys` narrows without losing a hit; a hash collision only adds
// a candidate, which the LIKE over search_text.body and then query.Eval drop.
//
// Keys instead of pg_trgm: the extension computes the trigrams of every text on the
// server, which was most of an import's time (20,000 documents: a GIN trigram index
// built in 10.4 s, the same number of int4 keys in 1.6 s), and needs an extension a user
// may not be allowed to install. Prefixes of tokens are also fewer entries than
// trigrams of the text.

// keyPrefixes are the token prefix lengths, in characters, that get a key.
var keyPrefixes = [...]int{3, 5}

// searchKeys returns the keys of a document's index tokens (query.Indexer.Tokens), each
// once, in no particular order (GIN sorts them); set's buffer is reused from one call to
// the next.
func searchKeys(tokens string, set *keySet) []int32 {
	var keys []int32
	for len(tokens) > 0 {
		tok := tokens
		if i := strings.IndexByte(tokens, ' '); i >= 0 {
			tok, tokens = tokens[:i], tokens[i+1:]
		} else {
			tokens = ""
		}
		keys = appendKeys(keys, tok)
	}
	if keys == nil {
		// A text with no index token (empty, or only words shorter than any lookup) has
		// no keys: an empty array, since the column is NOT NULL and nil binds as NULL.
		return []int32{}
	}
	return set.dedup(keys)
}

// textKeyer makes the keys of texts, reusing its buffers from one to the next. Not for
// concurrent use.
type textKeyer struct {
	ix  query.Indexer
	set keySet
}

// fold returns text's loose folding (query.Loose) and the keys of its index tokens
// (searchKeys), folding the text once.
func (t *textKeyer) fold(text string) (loose string, keys []int32) {
	keys = searchKeys(t.ix.Tokens(text), &t.set)
	return t.ix.Loose(), keys
}

// keySet removes repeated keys: a text repeats most of its words, and sorting every
// document's keys to drop them cost more than making them.
type keySet struct {
	slots []uint64 // gen<<32 | key; a slot of another gen is empty
	gen   uint32
}

// dedup keeps the first of each key of keys, in place.
func (s *keySet) dedup(keys []int32) []int32 {
	size := 64
	for size < 2*len(keys) {
		size *= 2
	}
	s.gen++
	if len(s.slots) < size || s.gen == 0 {
		s.slots, s.gen = make([]uint64, max(size, len(s.slots))), 1
	}
	slots := s.slots[:size]
	mask := uint32(size - 1)
	out := keys[:0]
	for _, k := range keys {
		for i := (uint32(k) * 0x9E3779B1) & mask; ; i = (i + 1) & mask {
			v := slots[i]
			if uint32(v>>32) != s.gen {
				slots[i] = uint64(s.gen)<<32 | uint64(uint32(k))
				out = append(out, k)
				break
			}
			if int32(uint32(v)) == k {
				break
			}
		}
	}
	return out
}

// lookupKeys returns the keys every document with a hit of q holds: those of its
// lookups, sorted and each once; none when q has no lookup.
func lookupKeys(q *query.Query) []int32 {
	var keys []int32
	for _, l := range q.Lookups() {
		keys = appendKeys(keys, l.Token)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// appendKeys appends the keys of one token: a hash of each of its keyPrefixes it is
// long enough for.
func appendKeys(keys []int32, tok string) []int32 {
	n, end := 0, 0
	p := 0
	for end < len(tok) && p < len(keyPrefixes) {
		_, size := utf8.DecodeRuneInString(tok[end:])
		end += size
		n++
		if n == keyPrefixes[p] {
			keys = append(keys, keyHash(byte(n), tok[:end]))
			p++
		}
	}
	return keys
}

// keyHash is 32-bit FNV-1a over the prefix length and the prefix's bytes.
func keyHash(n byte, s string) int32 {
	h := uint32(2166136261)
	h = (h ^ uint32(n)) * 16777619
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return int32(h)
}
