package export

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// appendSentences appends the code point offsets at which UAX #29 sentences start and
// then the text length. Sentence segmentation was half the cost of a CoNLL export, spent
// in uniseg's Unicode property lookups, so the rules for ASCII are written out here.
// Within a line they agree with uniseg (FuzzSentences); at line ends they follow the
// standard where uniseg does not: uniseg splits "end.\r" from "\n" and "end! " from
// "\n", while SB3 and SB10 keep them together.
//
// Paragraphs (text up to and including LF, or a CR not followed by LF) segment
// independently: UAX #29 always breaks after a paragraph separator (SB4) and no rule
// looks back or ahead across one. An all-ASCII paragraph takes the ASCII rules below; any
// other goes through uniseg.
func appendSentences(dst []int, text string) []int {
	dst = append(dst, 0)
	cp := 0
	for start := 0; start < len(text); {
		end, ascii := start, true
		for end < len(text) {
			c := text[end]
			end++
			if c >= utf8.RuneSelf {
				ascii = false
			}
			if c == '\n' || c == '\r' && (end == len(text) || text[end] != '\n') {
				break
			}
		}
		para := text[start:end]
		if ascii {
			dst = asciiSentences(dst, para, cp)
			cp += len(para)
		} else {
			state, rest := -1, para
			for len(rest) > 0 {
				var sent string
				sent, rest, state = uniseg.FirstSentenceInString(rest, state)
				cp += utf8.RuneCountInString(sent)
				dst = append(dst, cp)
			}
		}
		if dst[len(dst)-1] != cp {
			dst = append(dst, cp)
		}
		start = end
	}
	return dst
}

// ASCII sentence-break classes of UAX #29.
const (
	sbOther = iota
	sbCR
	sbLF
	sbSp
	sbLower
	sbUpper
	sbNumeric
	sbATerm     // .
	sbSTerm     // ! ?
	sbClose     // " ' ( ) [ ] { }
	sbSContinue // , - :
)

func sbClass(c byte) int {
	switch {
	case c >= 'a' && c <= 'z':
		return sbLower
	case c >= 'A' && c <= 'Z':
		return sbUpper
	case c >= '0' && c <= '9':
		return sbNumeric
	}
	switch c {
	case '\r':
		return sbCR
	case '\n':
		return sbLF
	case ' ', '\t', '\v', '\f':
		return sbSp
	case '.':
		return sbATerm
	case '!', '?':
		return sbSTerm
	case '"', '\'', '(', ')', '[', ']', '{', '}':
		return sbClose
	case ',', '-', ':': // not ';', which is Other for sentences
		return sbSContinue
	}
	return sbOther
}

// asciiSentences appends the sentence ends inside an all-ASCII paragraph (not its
// final end) at code point offset base.
func asciiSentences(dst []int, s string, base int) []int {
	for i := 1; i < len(s); i++ {
		if asciiSentenceBreak(s, i) {
			dst = append(dst, base+i)
		}
	}
	return dst
}

// asciiSentenceBreak applies rules SB3 to SB11 at the boundary before s[i].
func asciiSentenceBreak(s string, i int) bool {
	a, b := sbClass(s[i-1]), sbClass(s[i])
	if a == sbCR && b == sbLF {
		return false // SB3
	}
	if a == sbCR || a == sbLF {
		return true // SB4
	}
	// Left context SATerm Close* Sp*, else nothing breaks (SB998).
	p, sp, cl := i-1, 0, 0
	for p >= 0 && sbClass(s[p]) == sbSp {
		p--
		sp++
	}
	for p >= 0 && sbClass(s[p]) == sbClose {
		p--
		cl++
	}
	if p < 0 {
		return false
	}
	term := sbClass(s[p])
	if term != sbATerm && term != sbSTerm {
		return false
	}
	if term == sbATerm && sp == 0 && cl == 0 {
		if b == sbNumeric {
			return false // SB6
		}
		if b == sbUpper && p > 0 {
			if c := sbClass(s[p-1]); c == sbUpper || c == sbLower {
				return false // SB7
			}
		}
	}
	if term == sbATerm { // SB8
		m := i
		for m < len(s) {
			c := sbClass(s[m])
			if c == sbUpper || c == sbLower || c == sbCR || c == sbLF || c == sbATerm || c == sbSTerm {
				break
			}
			m++
		}
		if m < len(s) && sbClass(s[m]) == sbLower {
			return false
		}
	}
	if b == sbSContinue || b == sbATerm || b == sbSTerm {
		return false // SB8a
	}
	if sp == 0 && (b == sbClose || b == sbSp || b == sbCR || b == sbLF) {
		return false // SB9
	}
	if b == sbSp || b == sbCR || b == sbLF {
		return false // SB10
	}
	return true // SB11
}
