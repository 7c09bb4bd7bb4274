package learn

import "strconv"

// WordClasser is implemented by rules whose lexicons can say what a word can be
// ("motorists": a victim noun; "rampage": an attack word), whether or not a rule fires
// on it in a text. With Options.WordClasses the model reads these classes as features,
// so a word no training document used still gets what its class taught
// (suggest.Suggester implements it).
type WordClasser interface {
	WordClasses(word string) []string
}

// setClasses looks up each token's lexicon classes; without a WordClasser it does
// nothing and the features are absent.
func (p *prepared) setClasses(rules Rules) {
	wc, ok := rules.(WordClasser)
	if !ok {
		return
	}
	p.lex = make([][]string, len(p.toks))
	for i, t := range p.toks {
		p.lex[i] = wc.WordClasses(t.lower)
	}
}

// classesAt returns token i's lexicon classes (none when not looked up).
func (p *prepared) classesAt(i int) []string {
	if p.lex == nil || i < 0 || i >= len(p.lex) {
		return nil
	}
	return p.lex[i]
}

// classFeatures adds the lexicon classes of token i and its neighbours, for the tagger.
func (p *prepared) classFeatures(i int, dst []uint64) []uint64 {
	for _, c := range p.classesAt(i) {
		dst = append(dst, feat("lx", c))
	}
	for _, k := range []int{i - 1, i + 1} {
		if k >= 0 && k < len(p.toks) && p.toks[k].sent == p.toks[i].sent {
			for _, c := range p.classesAt(k) {
				dst = append(dst, feat2("lxn", strconv.Itoa(k-i), c))
			}
		}
	}
	return dst
}
