package export

import (
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"evident/annotate"
)

// appendTokens appends the UAX #29 word tokens of text, exactly as annotate.Tokens finds
// them, but without running the full Unicode segmenter over plain ASCII: export
// tokenises every document, and UAX #29 table lookups were the largest cost of a JSONL
// export. FuzzTokens checks the two agree.
//
// Why it is exact: text is cut into chunks at each point where ASCII white space is
// followed by an ASCII non-space character. UAX #29 always breaks there (no rule joins
// anything to the left of such a character), and no rule looks back past white space, so
// each chunk segments alone as it would in the whole text. A chunk that is all ASCII is
// segmented by the ASCII subset of the rules below; any other chunk by uniseg.
func appendTokens(dst []annotate.Token, text string) []annotate.Token {
	cp := 0 // code point offset of chunk start
	for start := 0; start < len(text); {
		end, ascii := start, true
		for end < len(text) {
			c := text[end]
			if c >= utf8.RuneSelf {
				ascii = false
			}
			end++
			if isASCIISpace(c) && end < len(text) && text[end] < utf8.RuneSelf && !isASCIISpace(text[end]) {
				break
			}
		}
		chunk := text[start:end]
		if ascii {
			dst = asciiTokens(dst, chunk, cp)
			cp += len(chunk)
		} else {
			state, rest, at := -1, chunk, cp
			for len(rest) > 0 {
				var word string
				word, rest, state = uniseg.FirstWordInString(rest, state)
				n := utf8.RuneCountInString(word)
				if !allSpace(word) {
					dst = append(dst, annotate.Token{Start: at, End: at + n})
				}
				at += n
			}
			cp = at
		}
		start = end
	}
	return dst
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// allSpace mirrors annotate's test for a white-space segment.
func allSpace(s string) bool {
	for _, r := range s {
		if !isSpaceRune(r) {
			return false
		}
	}
	return true
}

// ASCII word-break classes of UAX #29.
const (
	wbOther = iota
	wbSpace
	wbALetter
	wbNumeric
	wbExtendNumLet // _
	wbMidLetter    // :
	wbMidNumLet    // . and ' (MidNumLetQ)
	wbMidNum       // , ;
)

func wbClass(c byte) int {
	switch {
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		return wbALetter
	case c >= '0' && c <= '9':
		return wbNumeric
	case c == '_':
		return wbExtendNumLet
	case c == ':':
		return wbMidLetter
	case c == '.' || c == '\'':
		return wbMidNumLet
	case c == ',' || c == ';':
		return wbMidNum
	case isASCIISpace(c):
		return wbSpace
	}
	return wbOther
}

// asciiTokens segments an all-ASCII chunk starting at code point offset base.
func asciiTokens(dst []annotate.Token, s string, base int) []annotate.Token {
	for i := 0; i < len(s); {
		cl := wbClass(s[i])
		if cl == wbSpace {
			i++
			continue
		}
		if cl != wbALetter && cl != wbNumeric && cl != wbExtendNumLet {
			dst = append(dst, annotate.Token{Start: base + i, End: base + i + 1})
			i++
			continue
		}
		j := i + 1
		prev := cl
		for j < len(s) {
			c := wbClass(s[j])
			switch {
			case c == wbALetter && (prev == wbALetter || prev == wbNumeric || prev == wbExtendNumLet),
				c == wbNumeric && (prev == wbALetter || prev == wbNumeric || prev == wbExtendNumLet),
				c == wbExtendNumLet: // WB5, WB8-10, WB13a, WB13b
				prev = c
				j++
				continue
			case j+1 < len(s):
				next := wbClass(s[j+1])
				if prev == wbALetter && next == wbALetter && (c == wbMidLetter || c == wbMidNumLet) || // WB6, WB7
					prev == wbNumeric && next == wbNumeric && (c == wbMidNum || c == wbMidNumLet) { // WB11, WB12
					prev = next
					j += 2
					continue
				}
			}
			break
		}
		dst = append(dst, annotate.Token{Start: base + i, End: base + j})
		i = j
	}
	return dst
}

func isSpaceRune(r rune) bool { return unicode.IsSpace(r) }
