package learn

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"evident/annotate"
)

// Features are hashed strings ("w=kyiv", "r=ATTACK:B"): a model keeps the hashes it saw
// in training, not the strings, so it is small and a lookup allocates nothing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStr(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// feat hashes a feature of a kind and one or two values.
func feat(kind, a string) uint64 { return hashStr(hashStr(fnvOffset, kind), a) }

func feat2(kind, a, b string) uint64 {
	return hashStr(hashStr(hashStr(hashStr(fnvOffset, kind), a), "\x00"), b)
}

// ruleMark is one rule suggestion over a token: its label, whether the token begins it,
// and the rule that made it.
type ruleMark struct {
	label  string
	begin  bool
	origin string
	span   int // index into the rules' draft spans
}

// prepared is a tokenised text with the rules' suggestions laid over its tokens: what
// the tagger and the argument scorer read.
type prepared struct {
	toks  []token
	marks [][]ruleMark // by token
	rules annotate.Draft
	// trigger tokens of the rules, in text order: the features of event context
	trig []int
	// sentStart[k] is the first token of sentence k
	sentStart []int
	// count of each lower-cased word in the text, and the sentence of its first use:
	// an event is named in full once and referred to after
	count     map[string]int
	firstSent map[string]int
	// sentLabels[k] are the labels of the rules' spans in sentence k
	sentLabels []map[string]bool
	shapes     []string // each token's shape, made on first use (shapeAt)
	nums       []bool   // whether each token is a number word, made with shapes (numAt)
}

// prepare tokenises text and lays the rules' spans over the tokens.
func prepare(text string, rules annotate.Draft) *prepared {
	p := &prepared{toks: tokenize(text), rules: rules}
	p.marks = make([][]ruleMark, len(p.toks))
	for si, sp := range rules.Spans {
		a, b := tokenRange(p.toks, sp.Start, sp.End)
		for t := a; t < b; t++ {
			p.marks[t] = append(p.marks[t], ruleMark{label: sp.Label, begin: t == a, origin: sp.Origin, span: si})
		}
		if isTrigger(sp.Label) && a < b {
			p.trig = append(p.trig, a)
		}
	}
	sortInts(p.trig)
	p.count, p.firstSent = map[string]int{}, map[string]int{}
	for i, t := range p.toks {
		if i == 0 || t.sent != p.toks[i-1].sent {
			p.sentStart = append(p.sentStart, i)
			p.sentLabels = append(p.sentLabels, map[string]bool{})
		}
		p.count[t.lower]++
		if _, ok := p.firstSent[t.lower]; !ok {
			p.firstSent[t.lower] = t.sent
		}
		for _, m := range p.marks[i] {
			p.sentLabels[len(p.sentLabels)-1][m.label] = true
		}
	}
	return p
}

// tokenRange returns the tokens [a, b) that overlap code points [start, end).
func tokenRange(toks []token, start, end int) (int, int) {
	lo, hi := 0, len(toks)
	for lo < hi { // first token ending after start
		m := (lo + hi) / 2
		if toks[m].e <= start {
			lo = m + 1
		} else {
			hi = m
		}
	}
	a := lo
	b := a
	for b < len(toks) && toks[b].s < end {
		b++
	}
	return a, b
}

func isTrigger(l string) bool { return l == "ATTACK" || l == "DEATH" || l == "INJURY" }

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// numberWords are the English words for counts, which the rules read as figures.
var numberWords = map[string]bool{
	"one": true, "two": true, "three": true, "four": true, "five": true, "six": true, "seven": true,
	"eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true, "twenty": true,
	"thirty": true, "forty": true, "fifty": true, "hundred": true, "hundreds": true,
	"thousand": true, "thousands": true, "dozen": true, "dozens": true, "scores": true, "million": true,
}

func distBucket(d int) string {
	switch {
	case d <= 3:
		return strconv.Itoa(d)
	case d <= 6:
		return "4-6"
	case d <= 10:
		return "7-10"
	}
	return "far"
}

// tokenFeatures appends the feature hashes of token i to dst.
func (p *prepared) tokenFeatures(i int, dst []uint64) []uint64 {
	toks := p.toks
	t := toks[i]
	word := func(k int) string {
		if k < 0 || k >= len(toks) || toks[k].sent != t.sent {
			return "<s>"
		}
		return toks[k].lower
	}
	dst = append(dst, feat("bias", ""), feat("w", t.lower), feat("sh", p.shapeAt(i)))
	if n := utf8.RuneCountInString(t.lower); n > 3 {
		dst = append(dst, feat("p3", headRunes(t.lower, 3)), feat("s3", tailRunes(t.lower, 3)), feat("s2", tailRunes(t.lower, 2)))
		if n > 5 {
			dst = append(dst, feat("s4", tailRunes(t.lower, 4)))
		}
	}
	dst = append(dst,
		feat("w-1", word(i-1)), feat("w+1", word(i+1)), feat("w-2", word(i-2)), feat("w+2", word(i+2)),
		feat2("w-1w", word(i-1), t.lower), feat2("ww+1", t.lower, word(i+1)))
	if p.numAt(i) {
		dst = append(dst, feat("num", "word"))
	}
	if i > 0 && p.numAt(i-1) || i > 0 && p.shapeAt(i-1) == "d" {
		dst = append(dst, feat("num-1", ""))
	}
	// capitalisation runs: a name's position in its run of capitalised words
	if isCap(t.raw) {
		first := i == 0 || toks[i-1].sent != t.sent
		a, b := capRun(toks, i)
		pos := "I"
		if a == i {
			pos = "B"
		}
		dst = append(dst, feat2("cap", pos, distBucket(b-a)))
		if first {
			dst = append(dst, feat("capfirst", ""))
		}
	}
	if i > 0 && toks[i-1].sent != t.sent || i == 0 {
		dst = append(dst, feat("first", ""))
	}
	// the rules' own outputs over this token and its neighbours
	for _, m := range p.marks[i] {
		bi := "I"
		if m.begin {
			bi = "B"
		}
		dst = append(dst, feat2("r", m.label, bi), feat("ro", m.origin), feat2("rw", m.label, t.lower))
	}
	for _, k := range []int{i - 1, i + 1} {
		if k >= 0 && k < len(toks) {
			for _, m := range p.marks[k] {
				dst = append(dst, feat2("rn", strconv.Itoa(k-i), m.label))
			}
		}
	}
	if len(p.marks[i]) == 0 {
		dst = append(dst, feat("r", "none"))
	} else {
		// where a rule fired: is this the word's first sentence, how often the text uses
		// it, and what else the rules found in the sentence
		first := p.firstSent[t.lower] == t.sent
		for _, m := range p.marks[i] {
			dst = append(dst, feat2("rfirst", m.label, strconv.FormatBool(first)), feat2("rcnt", m.label, distBucket(p.count[t.lower])))
			for l := range p.sentLabels[t.sent] {
				if l != m.label {
					dst = append(dst, feat2("rsent", m.label, l))
				}
			}
		}
	}
	// event context: the nearest rule trigger before and after in the sentence
	dst = p.triggerContext(i, dst)
	return dst
}

// triggerContext adds the nearest trigger words of the rules on each side of token i in
// its sentence, with their label and distance: an argument is known by its event.
func (p *prepared) triggerContext(i int, dst []uint64) []uint64 {
	// binary search for the first trigger at or after i
	lo, hi := 0, len(p.trig)
	for lo < hi {
		m := (lo + hi) / 2
		if p.trig[m] < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	sent := p.toks[i].sent
	found := false
	left := lo - 1
	for lo < len(p.trig) && p.trig[lo] == i {
		if lo == left+1 {
			dst = append(dst, feat("ontrig", ""))
		}
		lo++
	}
	if lo < len(p.trig) && p.toks[p.trig[lo]].sent == sent {
		tt := p.trig[lo]
		lab := p.marks[tt][0].label
		for _, m := range p.marks[tt] {
			if isTrigger(m.label) {
				lab = m.label
			}
		}
		d := distBucket(tt - i)
		dst = append(dst, feat2("tr", lab, d), feat2("trw", p.toks[tt].lower, d), feat("trl", lab))
		found = true
	}
	// lo-1 is the last trigger before i (lo was the first at or after i)
	if k := left; k >= 0 {
		if tt := p.trig[k]; p.toks[tt].sent == sent {
			lab := ""
			for _, m := range p.marks[tt] {
				if isTrigger(m.label) {
					lab = m.label
				}
			}
			d := distBucket(i - tt)
			dst = append(dst, feat2("tl", lab, d), feat2("tlw", p.toks[tt].lower, d), feat("tll", lab))
			found = true
		}
	}
	if !found {
		dst = append(dst, feat("notrig", ""))
	}
	return dst
}

// normLabel maps a label to the tagger's: the model learns the labels of its training
// data as they are.
func normLabel(l string) string {
	for i := 0; i < len(l); i++ {
		if c := l[i]; c >= 'a' && c <= 'z' || c == ' ' || c >= 0x80 {
			return strings.ToUpper(strings.TrimSpace(l))
		}
	}
	return l // already upper case: the common case, without allocating
}

// capRun is the run [a, b) of capitalised words of token i's sentence around it.
func capRun(toks []token, i int) (a, b int) {
	a, b = i, i+1
	for a > 0 && toks[a-1].sent == toks[i].sent && isCap(toks[a-1].raw) {
		a--
	}
	for b < len(toks) && toks[b].sent == toks[i].sent && isCap(toks[b].raw) {
		b++
	}
	return a, b
}
