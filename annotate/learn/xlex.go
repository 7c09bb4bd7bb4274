package learn

import (
	"os"

	"evident/annotate"
)

// Experiment (temporary): a trigger lexicon learned from the annotator's documents.
var xLEX = os.Getenv("X_LEX") != ""

// lexCounts counts, per lower-cased word, its uses and its uses inside an accepted
// trigger span of each trigger label.
type lexCounts map[string]*[4]float64 // uses, ATTACK, DEATH, INJURY

var lexLabels = [3]string{"ATTACK", "DEATH", "INJURY"}

func docLex(p *prepared, acc []annotate.Span) lexCounts {
	out := lexCounts{}
	lab := make([]int, len(p.toks))
	for _, sp := range acc {
		l := normLabel(sp.Label)
		for k, ll := range lexLabels {
			if ll == l {
				a, b := tokenRange(p.toks, sp.Start, sp.End)
				for t := a; t < b; t++ {
					lab[t] = k + 1
				}
			}
		}
	}
	for i, t := range p.toks {
		c := out[t.lower]
		if c == nil {
			c = &[4]float64{}
			out[t.lower] = c
		}
		c[0]++
		if lab[i] > 0 {
			c[lab[i]]++
		}
	}
	return out
}

func (l lexCounts) add(o lexCounts, sign float64) {
	for w, c := range o {
		d := l[w]
		if d == nil {
			d = &[4]float64{}
			l[w] = d
		}
		for k := range d {
			d[k] += sign * c[k]
		}
	}
}

// lexFeats sets p.lex: per token, the features of its word in the lexicon.
func (p *prepared) setLex(l lexCounts) {
	p.lex = make([][]uint64, len(p.toks))
	for i, t := range p.toks {
		c := l[t.lower]
		if c == nil || c[0] < 0.5 {
			p.lex[i] = []uint64{feat("lex", "unseen")}
			continue
		}
		var f []uint64
		any := false
		for k := 1; k < 4; k++ {
			if c[k] > 0.5 {
				any = true
				r := c[k] / c[0]
				b := "lo"
				switch {
				case r >= 0.5:
					b = "hi"
				case r >= 0.2:
					b = "mid"
				}
				f = append(f, feat2("lex", lexLabels[k-1], b), feat2("lexn", lexLabels[k-1], distBucket(int(c[k]+0.5))))
			}
		}
		if !any {
			f = append(f, feat2("lex0", "", distBucket(int(c[0]+0.5))))
		}
		p.lex[i] = f
	}
}
