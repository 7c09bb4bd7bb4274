package learn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or a punctuation mark: code point offsets [s, e) over the text (the
// offsets spans use), its lower-cased form and its sentence number.
type token struct {
	s, e  int
	bs    int // byte offset of the start in the text
	raw   string
	lower string
	sent  int
}

// tokenize splits text into words (runs of letters, digits and marks, with an apostrophe
// or a dot between letters kept inside: "don't", "U.S") and single punctuation marks. A
// sentence ends at a line break, or at . ! ? followed by a space and not by a lower-case
// word.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+1)
	sent := 0
	cp := 0      // code point index of byte i
	brk := false // a sentence end was seen before the next token
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) }
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			brk = true
			i += n
			cp++
		case unicode.IsSpace(r):
			i += n
			cp++
		case isWord(r):
			j, c := i+n, cp+1
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if isWord(r2) {
					j, c = j+n2, c+1
					continue
				}
				if r2 == '\'' || r2 == '’' || r2 == '.' {
					if r3, n3 := utf8.DecodeRuneInString(text[j+n2:]); j+n2 < len(text) && unicode.IsLetter(r3) && (r2 != '.' || c-cp == 1) {
						j, c = j+n2+n3, c+2
						continue
					}
				}
				break
			}
			if brk && len(toks) > 0 {
				sent++
			}
			brk = false
			w := text[i:j]
			toks = append(toks, token{s: cp, e: c, bs: i, raw: w, lower: strings.ToLower(w), sent: sent})
			i, cp = j, c
		default:
			if brk && len(toks) > 0 {
				sent++
			}
			brk = false
			w := text[i : i+n]
			toks = append(toks, token{s: cp, e: cp + 1, bs: i, raw: w, lower: w, sent: sent})
			if r == '.' || r == '!' || r == '?' {
				// the next word starts a sentence unless it is lower case
				k := i + n
				for k < len(text) && (text[k] == ' ' || text[k] == '"' || text[k] == ')') {
					k++
				}
				if k > i+n || k >= len(text) {
					if r2, _ := utf8.DecodeRuneInString(text[k:]); k >= len(text) || !unicode.IsLower(r2) {
						brk = true
					}
				}
			}
			i += n
			cp++
		}
	}
	return toks
}

// shape maps a word to its character classes with runs collapsed: "Kyiv" Xx, "2024" d,
// "AK-47" X, "U.S" X.X. It is asked for every token, so it writes into a buffer on the
// stack and returns a common shape as the constant, allocating for the rare others.
func shape(w string) string {
	var arr [32]byte
	b := arr[:0]
	var last rune
	for _, r := range w {
		c := r
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLower(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		case unicode.IsLetter(r):
			c = 'l' // letters without case (Arabic, CJK)
		}
		if c != last {
			b = utf8.AppendRune(b, c)
			last = c
		}
	}
	for _, s := range commonShapes {
		if string(b) == s {
			return s
		}
	}
	return string(b)
}

// commonShapes are the shapes of most words and marks.
var commonShapes = [...]string{"Xx", "x", "X", "d", ",", ".", "Xx.", "XxXx", "d.d", "d,d", "x-x", "Xx-Xx", "l", "x'x"}

func isCap(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
