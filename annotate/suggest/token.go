package suggest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	kWord  = iota // letters (and digits mixed in, "F16", "12th")
	kNum          // digits with inner separators: "25,500", "6.30", "1.5"
	kPunct        // any other single character
)

// token is one word, number or punctuation mark. Offsets are code points (s, e) and bytes
// (bs, be); lows[lo:lo+ln] is the lower-cased text with curly apostrophes made straight,
// which is what every lexicon is keyed by. A token holds no pointers, so the garbage
// collector never scans the (large) token slice of a long text.
type token struct {
	lo, ln int32  // the lower-cased form: bytes of the lows string tokenize returns
	s, e   int32  // code points
	bs, be int32  // bytes
	sent   int32  // sentence number
	kind   uint8  // kWord, kNum, kPunct
	cap    bool   // first letter upper case
	upper  bool   // two or more letters, all upper case (an abbreviation)
	space  bool   // white space (or text start) before it
	nl     bool   // a line break before it
	known  bool   // the word starts some lexicon phrase or is a number word (set in Suggest)
	cls    uint8  // word classes (clsPlaceStart, ...; set in Suggest)
	idx    uint32 // bits of the lexicons that have a phrase starting with this word
	wid    int32  // the word's number in the vocabulary, valid when idx != 0
}

// tokenize splits text once into tokens. It is written for speed on ASCII text, the bulk
// of news, and decodes runes only where a byte is not ASCII; invalid UTF-8 bytes count as
// one code point each, as Go's range loop and annotate.Offsets count them. It returns
// the tokens and the string their lower-cased forms index (token.lo, token.ln).
func tokenize(text string) ([]token, string) {
	toks, _, lows := tokenizeInto(text, nil, nil)
	return toks, lows
}

// tokenizeInto is tokenize appending to toks[:0] and using lowered[:0] as its buffer
// (both may be nil); it also returns the buffer for reuse.
func tokenizeInto(text string, toks []token, lowered []byte) ([]token, []byte, string) {
	if n := len(text)/4 + 8; cap(toks) < n {
		toks = make([]token, 0, n)
	}
	tz := tokenizer{text: text, toks: toks[:0]}
	// For ASCII text (most news) lower-case everything once into one buffer that lines up
	// with the text byte for byte; tokens then point into it. Other text gets its
	// lower-case forms appended one token at a time.
	if isASCII(text) {
		b := append(lowered[:0], text...)
		for i, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		tz.lowered, tz.aligned = b, true
	} else {
		if n := len(text) + len(text)/8; cap(lowered) < n {
			lowered = make([]byte, 0, n)
		}
		tz.lowered = lowered[:0]
	}
	cp := 0
	i := 0
	space, nl := true, false
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				space = true
				i++
				cp++
				continue
			case c == '\n':
				space, nl = true, true
				i++
				cp++
				continue
			case isASCIIAlnum(c):
				// the token is written in place: it is copied nowhere
				tz.toks = append(tz.toks, token{})
				t := &tz.toks[len(tz.toks)-1]
				tz.scanWord(t, i, cp)
				t.space, t.nl = space, nl
				space, nl = false, false
				i, cp = int(t.be), int(t.e)
				continue
			}
			// ASCII punctuation: one token; "'s" after a word is kept whole.
			t := token{s: int32(cp), e: int32(cp + 1), bs: int32(i), be: int32(i + 1), kind: kPunct, space: space, nl: nl}
			if c == '\'' && i+1 < len(text) && (text[i+1] == 's' || text[i+1] == 'S') && (i+2 >= len(text) || !isWordByte(text, i+2)) && len(tz.toks) > 0 && !space {
				t.e, t.be, t.kind = int32(cp+2), int32(i+2), kWord
				tz.setLow(&t, "'s")
			} else {
				tz.setLow(&t, text[i:i+1])
			}
			space, nl = false, false
			tz.toks = append(tz.toks, t)
			i, cp = int(t.be), int(t.e)
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// invalid byte: punctuation of its own
			t := token{s: int32(cp), e: int32(cp + 1), bs: int32(i), be: int32(i + 1), kind: kPunct, space: space, nl: nl}
			tz.setLow(&t, "\ufffd")
			tz.toks = append(tz.toks, t)
			space, nl = false, false
		case unicode.IsSpace(r):
			space = true
			if r == '\u2028' || r == '\u2029' || r == '\u0085' {
				nl = true
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			tz.toks = append(tz.toks, token{})
			t := &tz.toks[len(tz.toks)-1]
			tz.scanWord(t, i, cp)
			t.space, t.nl = space, nl
			space, nl = false, false
			i, cp = int(t.be), int(t.e)
			continue
		case r == '\u2019' && len(tz.toks) > 0 && !space && i+size < len(text) && (text[i+size] == 's' || text[i+size] == 'S') && (i+size+1 >= len(text) || !isWordByte(text, i+size+1)):
			t := token{s: int32(cp), e: int32(cp + 2), bs: int32(i), be: int32(i + size + 1), kind: kWord}
			tz.setLow(&t, "'s")
			tz.toks = append(tz.toks, t)
			space, nl = false, false
			i += size + 1
			cp += 2
			continue
		default:
			low := text[i : i+size]
			switch r {
			case '\u2018', '\u2019':
				low = "'"
			case '\u201c', '\u201d':
				low = "\""
			case '\u2013', '\u2010', '\u2011', '\u2212':
				low = "-"
			}
			t := token{s: int32(cp), e: int32(cp + 1), bs: int32(i), be: int32(i + size), kind: kPunct, space: space, nl: nl}
			tz.setLow(&t, low)
			tz.toks = append(tz.toks, t)
			space, nl = false, false
		}
		i += size
		cp++
	}
	lows := string(tz.lowered)
	markSentences(tz.toks, lows)
	return tz.toks, tz.lowered, lows
}

// tokenizer is the state of one tokenize call.
type tokenizer struct {
	text string
	toks []token
	// lowered holds the lower-cased forms. aligned: it is the whole text lower-cased
	// (ASCII text), so a token's form sits at its own byte offsets.
	lowered []byte
	aligned bool
}

// setLow records low as t's lower-cased form. For aligned (ASCII) text low is always
// the lower-cased text under the token, already in place.
func (tz *tokenizer) setLow(t *token, low string) {
	if tz.aligned {
		t.lo, t.ln = t.bs, t.be-t.bs
		return
	}
	t.lo, t.ln = int32(len(tz.lowered)), int32(len(low))
	tz.lowered = append(tz.lowered, low...)
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isWordByte reports whether the character at byte i of text is a letter or digit.
func isWordByte(text string, i int) bool {
	c := text[i]
	if c < utf8.RuneSelf {
		return isASCIIAlnum(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scanWord reads a word or number starting at byte i (code point cp) into t, a zero token.
func (tz *tokenizer) scanWord(t *token, i, cp int) {
	text := tz.text
	t.s, t.bs, t.kind = int32(cp), int32(i), kNum
	ascii, hasUpper, hasLower, letters := true, false, false, 0
	first := true
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z':
				hasLower = true
				letters++
				t.kind = kWord
			case c >= 'A' && c <= 'Z':
				hasUpper = true
				if first {
					t.cap = true
				}
				letters++
				t.kind = kWord
			case (c == ',' || c == '.') && t.kind == kNum && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9' && i > int(t.bs):
				// a separator inside a number: "25,500", "6.30"
			default:
				goto done
			}
			first = false
			i++
			cp++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		switch {
		case unicode.IsLetter(r):
			if unicode.IsUpper(r) {
				hasUpper = true
				if first {
					t.cap = true
				}
			} else {
				hasLower = true
			}
			letters++
			t.kind = kWord
		case unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
		default:
			goto done
		}
		ascii = false
		first = false
		i += size
		cp++
	}
done:
	t.be, t.e = int32(i), int32(cp)
	t.upper = hasUpper && !hasLower && letters >= 2
	switch {
	case tz.aligned:
		tz.setLow(t, "")
	case !hasUpper:
		tz.setLow(t, text[t.bs:t.be])
	case ascii:
		t.lo, t.ln = int32(len(tz.lowered)), t.be-t.bs
		for _, c := range []byte(text[t.bs:t.be]) {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			tz.lowered = append(tz.lowered, c)
		}
	default:
		tz.setLow(t, strings.ToLower(text[t.bs:t.be]))
	}
}

// abbreviations whose final period does not end a sentence.
var abbrevs = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "gen": true, "lt": true, "col": true,
	"maj": true, "capt": true, "sgt": true, "adm": true, "brig": true, "cmdr": true, "gov": true,
	"sen": true, "rep": true, "st": true, "no": true, "jan": true, "feb": true, "mar": true,
	"apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true,
	"nov": true, "dec": true, "vs": true, "inc": true, "corp": true, "co": true, "jr": true,
	"sr": true, "prof": true, "rev": true, "approx": true, "est": true, "mt": true, "ft": true,
}

// markSentences numbers sentences: a sentence ends at a line break, or after ".", "!", "?"
// (and any closing quotes or brackets) followed by a space and a capital, digit or quote,
// unless the period closes an abbreviation ("Oct.", "Gen.", "U.S.").
//
// A run-on "sentence" (a table, a list without stops, garbage) is cut after 120 tokens at
// a comma, semicolon or colon, and after 250 in any case: every per-sentence rule then
// costs a bounded amount, whatever the input.
func markSentences(toks []token, lows string) {
	sent := int32(0)
	start := 0
	for i := range toks {
		n := i - start
		if i > 0 && (toks[i].nl || endsSentence(toks, lows, i) || n >= 250 || n >= 120 && in(low(toks, lows, i-1), ",", ";", ":")) {
			sent++
			start = i
		}
		toks[i].sent = sent
	}
}

// endsSentence reports whether a sentence boundary falls just before toks[i].
func endsSentence(toks []token, lows string, i int) bool {
	if !toks[i].space {
		return false
	}
	j := i - 1
	for j >= 0 && toks[j].kind == kPunct && isCloser(low(toks, lows, j)) && !toks[j].space {
		j--
	}
	if j < 0 || toks[j].kind != kPunct {
		return false
	}
	switch low(toks, lows, j) {
	case "!", "?", "…":
	case ".":
		if j > 0 && !toks[j].space {
			p := toks[j-1]
			if pl := low(toks, lows, j-1); p.kind == kWord && (abbrevs[pl] || utf8.RuneCountInString(pl) == 1) {
				return false
			}
		}
	default:
		return false
	}
	n := toks[i]
	nl := low(toks, lows, i)
	return n.cap || n.upper || n.kind == kNum || nl == "\"" || nl == "'" || nl == "(" || n.kind == kWord && !isLowerStart(nl)
}

func isCloser(s string) bool {
	return s == "\"" || s == "'" || s == ")" || s == "]" || s == "»"
}

func isLowerStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// low returns the lower-cased form of toks[i].
func low(toks []token, lows string, i int) string {
	t := &toks[i]
	return lows[t.lo : t.lo+t.ln]
}

// lw returns the lower-cased form of token i.
func (d *doc) lw(i int) string {
	t := &d.toks[i]
	return d.lows[t.lo : t.lo+t.ln]
}

// tl returns the lower-cased form of t, a token of d.
func (d *doc) tl(t *token) string { return d.lows[t.lo : t.lo+t.ln] }
