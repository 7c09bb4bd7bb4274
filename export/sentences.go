package export

import (
	"strings"
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
			// The line break itself is left out: nothing breaks before it or inside CR LF
			// (SB3, SB9, SB10), where uniseg would split "end.\r" from "\n".
			body := strings.TrimRight(para, "\r\n")
			dst = mixedSentences(dst, body, cp)
			cp += utf8.RuneCountInString(body) + len(para) - len(body)
		}
		if dst[len(dst)-1] != cp {
			dst = append(dst, cp)
		}
		start = end
	}
	return dst
}

// mixedSentences appends the sentence ends inside a paragraph with non-ASCII text (not
// its final end). News in English is mostly ASCII with the odd curly quote or accented
// name, so the paragraph is cut into chunks at "x y" (ASCII letter, space, ASCII letter):
// no sentence ends there (the left side is not a terminator followed by closers and
// spaces) and no rule looks across it (SB8's lookahead stops at the letter before).
// ASCII chunks take the ASCII rules, the others uniseg.
func mixedSentences(dst []int, p string, base int) []int {
	cp := base
	for start := 0; start < len(p); {
		end, ascii := start, true
		for end < len(p) {
			if p[end] >= utf8.RuneSelf {
				ascii = false
			}
			end++
			if end-2 >= start && end < len(p) && p[end-1] == ' ' && isASCIILetter(p[end-2]) && isASCIILetter(p[end]) {
				break
			}
		}
		chunk := p[start:end]
		if ascii {
			dst = asciiSentences(dst, chunk, cp)
			cp += len(chunk)
		} else {
			state, rest := -1, chunk
			for len(rest) > 0 {
				var sent string
				sent, rest, state = uniseg.FirstSentenceInString(rest, state)
				cp += utf8.RuneCountInString(sent)
				if len(rest) > 0 {
					dst = append(dst, cp)
				}
			}
		}
		start = end
	}
	return dst
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

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
// final end) at code point offset base, applying rules SB3 to SB11 in one pass: the left
// context (SATerm Close* Sp*) is carried along, and SB8's look-ahead is remembered, so a
// long run of spaces or quotes after a full stop costs linear, not quadratic, time.
func asciiSentences(dst []int, s string, base int) []int {
	term, termPos, sp, cl := -1, -1, 0, 0 // left context: SATerm at termPos, then cl closers, then sp spaces
	sig := -1                             // SB8: index of the first letter, line break or terminator at or after i
	for i := 1; i < len(s); i++ {
		a, b := sbClass(s[i-1]), sbClass(s[i])
		switch {
		case a == sbATerm || a == sbSTerm:
			term, termPos, sp, cl = a, i-1, 0, 0
		case a == sbClose && term >= 0 && sp == 0:
			cl++
		case a == sbSp && term >= 0:
			sp++
		default:
			term = -1
		}
		if a == sbCR && b == sbLF {
			continue // SB3
		}
		if a == sbCR || a == sbLF {
			dst = append(dst, base+i) // SB4
			continue
		}
		if term < 0 {
			continue // SB998
		}
		if term == sbATerm && sp == 0 && cl == 0 {
			if b == sbNumeric {
				continue // SB6
			}
			if b == sbUpper && termPos > 0 {
				if c := sbClass(s[termPos-1]); c == sbUpper || c == sbLower {
					continue // SB7
				}
			}
		}
		if term == sbATerm {
			if sig < i {
				for sig = i; sig < len(s); sig++ {
					c := sbClass(s[sig])
					if c == sbUpper || c == sbLower || c == sbCR || c == sbLF || c == sbATerm || c == sbSTerm {
						break
					}
				}
			}
			if sig < len(s) && sbClass(s[sig]) == sbLower {
				continue // SB8
			}
		}
		if b == sbSContinue || b == sbATerm || b == sbSTerm {
			continue // SB8a
		}
		if sp == 0 && (b == sbClose || b == sbSp || b == sbCR || b == sbLF) {
			continue // SB9
		}
		if b == sbSp || b == sbCR || b == sbLF {
			continue // SB10
		}
		dst = append(dst, base+i) // SB11
	}
	return dst
}
