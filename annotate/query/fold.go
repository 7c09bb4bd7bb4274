package query

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// unit is one character of folded text: its case-folded form (strict), the same without
// Latin diacritics (loose), and the code point offset of the character it came from in
// the original text. One original character may give several units (ß gives s, s) or
// none (Arabic short vowels and tatweel, which search ignores).
type unit struct {
	strict, loose rune
	at            int32
}

// folded is a text folded for matching.
type folded struct {
	u []unit
	n int // code points in the original text
}

// fold folds text: case folded the Unicode way, Arabic short vowels, other Arabic marks
// and tatweel dropped, fullwidth forms made plain, and Latin diacritics kept in strict
// and removed in loose (a query typed without them matches either).
func fold(text string) folded {
	f := folded{u: make([]unit, 0, len(text))}
	i := int32(0)
	for _, r := range text {
		f.u = appendFolded(f.u, r, i)
		i++
	}
	f.n = int(i)
	return f
}

// foldQuery folds a query term: the same folding after NFC, so a term typed with a
// combining accent compares as the precomposed letter the text holds.
func foldQuery(s string) []unit {
	return fold(norm.NFC.String(s)).u
}

// Loose returns the loose folding of text as a string: what the full-text index holds
// and what its queries are made of.
func Loose(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, u := range fold(text).u {
		b.WriteRune(u.loose)
	}
	return b.String()
}

func cjk(r rune) bool {
	return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func looseString(us []unit) string {
	var b strings.Builder
	for _, u := range us {
		b.WriteRune(u.loose)
	}
	return b.String()
}

func appendFolded(dst []unit, r rune, at int32) []unit {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, unit{r, r, at})
	}
	if ignored(r) {
		return dst
	}
	// A combining mark after a Latin letter (text in decomposed form) is a diacritic:
	// dropped, as the loose form drops precomposed ones.
	if unicode.Is(unicode.Mn, r) && len(dst) > 0 && unicode.Is(unicode.Latin, dst[len(dst)-1].strict) {
		return dst
	}
	if 0xFF01 <= r && r <= 0xFF5E { // fullwidth ASCII
		return appendFolded(dst, r-0xFEE0, at)
	}
	switch r {
	case 'ß', 'ẞ':
		return append(dst, unit{'s', 's', at}, unit{'s', 's', at})
	}
	low := unicode.ToLower(unicode.ToUpper(r)) // ς→σ, ſ→s, K (Kelvin)→k
	return append(dst, unit{low, looseLatin(low), at})
}

// ignored: characters search skips in text and queries alike.
func ignored(r rune) bool {
	switch {
	case r == 0x0640: // tatweel
		return true
	case 0x064B <= r && r <= 0x065F, r == 0x0670: // harakat, shadda, sukun, superscript alef
		return true
	case 0x06D6 <= r && r <= 0x06ED && r != 0x06E5 && r != 0x06E6 && r != 0x06E9: // Quranic marks
		return true
	case r == 0x00AD, r == 0x200B, r == 0x200C, r == 0x200D, r == 0x2060, r == 0xFEFF: // soft hyphen, zero widths
		return true
	}
	return false
}

// latinBase maps Latin letters with diacritics (U+00C0–U+024F, U+1E00–U+1EFF) to their
// base letter; 0 where there is none.
var latinBase = sync.OnceValue(func() map[rune]rune {
	m := map[rune]rune{'ø': 'o', 'đ': 'd', 'ł': 'l', 'ħ': 'h', 'ŧ': 't', 'ı': 'i', 'ŀ': 'l', 'ƀ': 'b', 'ɨ': 'i'}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if !unicode.IsLower(r) {
				continue
			}
			d := []rune(norm.NFD.String(string(r)))
			if len(d) > 1 && d[0] < 0x80 && unicode.IsLetter(d[0]) {
				m[r] = d[0]
			}
		}
	}
	add(0x00C0, 0x024F)
	add(0x1E00, 0x1EFF)
	return m
})

func looseLatin(r rune) rune {
	if r < 0xC0 || (r > 0x24F && (r < 0x1E00 || r > 0x1EFF)) {
		return r
	}
	if b, ok := latinBase()[r]; ok {
		return b
	}
	return r
}

// anywhere reports whether a term starting with r may match inside a word: scripts
// written without spaces between words, and Arabic, whose prepositions, conjunctions
// and article are written joined to the word (قصف finds والقصف).
func anywhere(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao,
		unicode.Khmer, unicode.Myanmar, unicode.Tibetan, unicode.Arabic)
}

func wordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}
