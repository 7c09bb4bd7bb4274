package annotate

import (
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Offsets converts between the three offset conventions of a text: Unicode code points
// (Evident's own), UTF-16 code units (JavaScript, Java) and UTF-8 bytes (C, Rust, Go).
// Building it is O(n); each conversion is O(1). Pure ASCII texts need no tables at all.
type Offsets struct {
	n      int     // code points
	bytes  int     // UTF-8 length
	ascii  bool    // every offset convention coincides
	byteAt []int32 // byteAt[i] = byte offset of code point i; len n+1
	u16At  []int32 // u16At[i] = UTF-16 offset of code point i; len n+1
}

// NewOffsets indexes text. Invalid UTF-8 bytes count as one code point each (U+FFFD),
// as Go's range loop does; importers refuse such text before it gets here.
func NewOffsets(text string) *Offsets {
	o := &Offsets{bytes: len(text), ascii: true}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			o.ascii = false
			break
		}
	}
	if o.ascii {
		o.n = len(text)
		return o
	}
	n := utf8.RuneCountInString(text)
	o.n = n
	o.byteAt = make([]int32, 0, n+1)
	o.u16At = make([]int32, 0, n+1)
	u := int32(0)
	for b, r := range text {
		o.byteAt = append(o.byteAt, int32(b))
		o.u16At = append(o.u16At, u)
		if r >= 0x10000 {
			u += 2
		} else {
			u++
		}
	}
	o.byteAt = append(o.byteAt, int32(len(text)))
	o.u16At = append(o.u16At, u)
	return o
}

// Len is the text's length in code points.
func (o *Offsets) Len() int { return o.n }

// Byte returns the UTF-8 byte offset of code point offset cp (0 ≤ cp ≤ Len()).
func (o *Offsets) Byte(cp int) int {
	if o.ascii {
		return cp
	}
	return int(o.byteAt[cp])
}

// UTF16 returns the UTF-16 code unit offset of code point offset cp.
func (o *Offsets) UTF16(cp int) int {
	if o.ascii {
		return cp
	}
	return int(o.u16At[cp])
}

// FromByte returns the code point offset at byte offset b, and false when b is out of
// range or inside a multi-byte character.
func (o *Offsets) FromByte(b int) (int, bool) {
	if b < 0 || b > o.bytes {
		return 0, false
	}
	if o.ascii {
		return b, true
	}
	return search(o.byteAt, b)
}

// FromUTF16 returns the code point offset at UTF-16 offset u, and false when u is out of
// range or between the two halves of a surrogate pair.
func (o *Offsets) FromUTF16(u int) (int, bool) {
	if o.ascii {
		return u, u >= 0 && u <= o.n
	}
	if u < 0 || u > int(o.u16At[o.n]) {
		return 0, false
	}
	return search(o.u16At, u)
}

// search finds v in the ascending table t.
func search(t []int32, v int) (int, bool) {
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(t[m]) < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(t) && int(t[lo]) == v
}

// Slice returns text[start:end] in code points; ok is false if the range is invalid.
func (o *Offsets) Slice(text string, start, end int) (string, bool) {
	if start < 0 || end > o.n || start > end {
		return "", false
	}
	return text[o.Byte(start):o.Byte(end)], true
}

// CheckSpan reports why [start, end) cannot be a span over a text of n code points.
func CheckSpan(n, start, end int) error {
	switch {
	case start < 0:
		return Errorf(EInvalid, "span start %d is negative", start)
	case start >= end:
		return Errorf(EInvalid, "span [%d, %d) is empty or reversed (start must be < end)", start, end)
	case end > n:
		return Errorf(EInvalid, "span [%d, %d) ends past the text (%d code points)", start, end, n)
	}
	return nil
}

// RuneLen is the length of s in code points.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// Token is a word or punctuation mark, in code points, as UAX #29 segments it.
// Whitespace is not a token.
type Token struct {
	Start, End int
}

// Tokens segments text into word tokens by Unicode word boundaries (UAX #29), so an
// emoji sequence, a word with combining marks or a CJK ideograph is never split.
func Tokens(text string) []Token {
	var toks []Token
	cp := 0
	state := -1
	rest := text
	for len(rest) > 0 {
		var word string
		word, rest, state = uniseg.FirstWordInString(rest, state)
		n := utf8.RuneCountInString(word)
		if !isSpace(word) {
			toks = append(toks, Token{cp, cp + n})
		}
		cp += n
	}
	return toks
}

func isSpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// SnapToTokens widens [start, end) to whole tokens: the start moves back to the start of
// the token it falls in, the end forward to the end of its token. toks must be sorted, as
// Tokens returns them. A range touching no token is returned unchanged.
func SnapToTokens(toks []Token, start, end int) (int, int) {
	s, e := start, end
	for _, t := range toks {
		if t.End > start && t.Start < end {
			if t.Start < s {
				s = t.Start
			}
			if t.End > e {
				e = t.End
			}
		}
	}
	return s, e
}

// TrimSpace narrows [start, end) of text so it neither begins nor ends with white space.
// It returns ok=false when nothing but white space is left.
func TrimSpace(text string, o *Offsets, start, end int) (int, int, bool) {
	sub, ok := o.Slice(text, start, end)
	if !ok {
		return start, end, false
	}
	runes := []rune(sub)
	i, j := 0, len(runes)
	for i < j && unicode.IsSpace(runes[i]) {
		i++
	}
	for j > i && unicode.IsSpace(runes[j-1]) {
		j--
	}
	return start + i, start + j, i < j
}

// GraphemeBounds returns the code point offsets at which grapheme clusters start, plus the
// text length: selection and cursor movement stop only there, so a flag, a family emoji
// or a letter with its combining marks is never cut.
func GraphemeBounds(text string) []int {
	bounds := []int{0}
	cp := 0
	state := -1
	rest := text
	for len(rest) > 0 {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		cp += utf8.RuneCountInString(cluster)
		bounds = append(bounds, cp)
	}
	return bounds
}
