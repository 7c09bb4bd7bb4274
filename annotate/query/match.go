package query

import "unicode"

// find returns the occurrences of key in f as code point ranges of the original text,
// leftmost first, not overlapping; a range covers the whole word a key begins (kill
// gives KILLED). A key matches where a word starts (kill finds killed,
// not skill) unless it begins with a character of a script that may match inside words
// (see anywhere). A letter of the key with a diacritic must match it exactly; one
// without matches with or without (Sao finds São; São does not find Sao).
func find(f folded, key []unit, limit int) [][2]int {
	m := len(key)
	if m == 0 || m > len(f.u) {
		return nil
	}
	inWord := anywhere(key[0].strict)
	var out [][2]int
	for i := 0; i+m <= len(f.u); i++ {
		if !same(key[0], f.u[i]) {
			continue
		}
		if !inWord && i > 0 && wordChar(f.u[i-1].strict) && f.u[i-1].at != f.u[i].at {
			continue
		}
		if i > 0 && f.u[i-1].at == f.u[i].at {
			continue // the second half of one character (ß = ss): not a place to start
		}
		k := 1
		for k < m && same(key[k], f.u[i+k]) {
			k++
		}
		if k < m {
			continue
		}
		// The hit runs on to the end of the word (kill marks all of KILLED), or in
		// scripts matched inside words to the end of the character (its vowel signs).
		j := i + m - 1
		for j+1 < len(f.u) && (unicode.Is(unicode.M, f.u[j+1].strict) || (!inWord && wordChar(f.u[j+1].strict) && wordChar(f.u[j].strict))) {
			j++
		}
		out = append(out, [2]int{int(f.u[i].at), f.end(j)})
		if limit > 0 && len(out) >= limit {
			break
		}
		i = j
	}
	return out
}

// end returns the end offset of the match whose last unit is j: past the character it
// came from and any ignored marks (vowel signs, tatweel) that follow it.
func (f folded) end(j int) int {
	if j+1 < len(f.u) {
		if f.u[j+1].at == f.u[j].at { // a match ending inside ß ends after it
			return int(f.u[j].at) + 1
		}
		return int(f.u[j+1].at)
	}
	return f.n
}

func same(q, t unit) bool {
	if q.strict != q.loose {
		return q.strict == t.strict
	}
	return q.loose == t.loose
}
