package learn

// irrealisCues are words that, a few words before an event word, say the event may not
// have happened: a modal ("could attack"), an intention or threat ("threatened to
// attack", "plotted to bomb"), its prevention ("foiled an attack") or a negation ("no
// one was hurt"). Written from ordinary English grammar, not from any corpus.
var irrealisCues = map[string]string{
	"will": "modal", "would": "modal", "could": "modal", "might": "modal", "may": "modal",
	"can": "modal", "should": "modal", "must": "modal", "'ll": "modal",
	"threaten": "intent", "threatens": "intent", "threatened": "intent", "threatening": "intent",
	"threat": "intent", "threats": "intent", "plan": "intent", "plans": "intent",
	"planned": "intent", "planning": "intent", "plot": "intent", "plots": "intent",
	"plotted": "intent", "plotting": "intent", "vow": "intent", "vowed": "intent",
	"vows": "intent", "warn": "intent", "warned": "intent", "warns": "intent",
	"warning": "intent", "attempt": "intent", "attempted": "intent", "attempts": "intent",
	"try": "intent", "tried": "intent", "trying": "intent", "intend": "intent",
	"intended": "intent", "prepare": "intent", "prepared": "intent", "preparing": "intent",
	"prevent": "prevent", "prevented": "prevent", "foil": "prevent", "foiled": "prevent",
	"thwart": "prevent", "thwarted": "prevent", "avert": "prevent", "averted": "prevent",
	"stop": "prevent", "stopped": "prevent", "avoid": "prevent", "avoided": "prevent",
	"deter": "prevent",
	"no":    "neg", "not": "neg", "never": "neg", "without": "neg", "n't": "neg",
	"nobody": "neg", "none": "neg",
}

// irrealisFeatures adds, for each cue in the four words before token i in its sentence,
// its class, and the class crossed with the label of a rules' trigger over the token.
func (p *prepared) irrealisFeatures(i int, dst []uint64) []uint64 {
	toks := p.toks
	for k := i - 1; k >= 0 && k >= i-4 && toks[k].sent == toks[i].sent; k-- {
		c, ok := irrealisCues[toks[k].lower]
		if !ok {
			continue
		}
		dst = append(dst, feat("irr", c))
		for _, m := range p.marks[i] {
			if isTrigger(m.label) {
				dst = append(dst, feat2("irrl", c, m.label))
			}
		}
	}
	return dst
}
