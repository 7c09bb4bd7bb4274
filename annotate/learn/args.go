package learn

import (
	"strconv"

	"evident/annotate"
)

// argScorer decides which trigger each argument span belongs to: a binary averaged
// perceptron over (trigger, argument) pairs within one sentence of each other, with
// features of their distance, order, the words between, sentence boundaries and the
// labels. The role follows from the argument's label (ACTOR attacker, ...).
type argScorer struct {
	w map[uint64]float32
}

// roleOf maps an argument label to its event role.
func roleOf(label string) string {
	switch label {
	case "ACTOR":
		return "attacker"
	case "TARGET":
		return "target"
	case "VICTIM":
		return "victim"
	case "LOCATION":
		return "place"
	case "TIME":
		return "time"
	case "WEAPON":
		return "instrument"
	case "CASUALTY":
		return "casualties"
	case "SOURCE":
		return "source"
	}
	return ""
}

// pairFeatures describes a trigger over tokens [ta, tb) and an argument over [aa, ab).
func pairFeatures(p *prepared, tlab string, ta, tb int, alab string, aa, ab int, dst []uint64) []uint64 {
	before := aa < ta
	lo, hi := ab, ta // the tokens between
	order := "before"
	if !before {
		lo, hi, order = tb, aa, "after"
	}
	dist := hi - lo
	if dist < 0 {
		dist = 0
	}
	sents := p.toks[aa].sent - p.toks[ta].sent
	if sents < 0 {
		sents = -sents
	}
	// pair is tlab+">"+alab and po pair+order, hashed without building the strings (FNV
	// reads a string's bytes in order: hashing the parts one after the other is the same)
	pair := func(kind string) uint64 { return hashStr(hashStr(hashStr(hashStr(fnvOffset, kind), tlab), ">"), alab) }
	pf := func(kind, b string) uint64 { return hashStr(hashStr(pair(kind), "\x00"), b) }
	po := func(kind string) uint64 { return hashStr(hashStr(pair(kind), order), "\x00") }
	dst = append(dst, pair("pair"), pf("pd", distBucket(dist)), pf("po", order),
		hashStr(po("pod"), distBucket(dist)), pf("ps", strconv.Itoa(sents)),
		feat2("tw", p.toks[ta].lower, alab), feat2("aw", p.toks[ab-1].lower, tlab),
		feat2("twaw", p.toks[ta].lower, p.toks[ab-1].lower))
	others, commas := 0, 0
	for t := lo; t < hi && t < len(p.toks); t++ {
		if t-lo < 6 || hi-t <= 3 {
			dst = append(dst, hashStr(po("bw"), p.toks[t].lower))
		}
		if p.toks[t].lower == "," || p.toks[t].lower == ";" {
			commas++
		}
		for _, m := range p.marks[t] {
			if isTrigger(m.label) && m.begin {
				others++
			}
		}
	}
	if hi-lo == 0 {
		dst = append(dst, pf("adj", order))
	}
	if hi-lo > 0 && hi-lo <= 2 {
		dst = append(dst, hashStr(hashStr(hashStr(po("bg"), p.toks[lo].lower), " "), p.toks[hi-1].lower))
	}
	dst = append(dst, pf("oth", distBucket(others)), pf("cm", distBucket(commas)))
	return dst
}

type pairExample struct {
	f    []uint64
	gold bool
}

// candidatePairs calls fn for each trigger and argument span pair at most one sentence
// apart, with their token ranges. Spans are bucketed by sentence, so a long text costs
// the pairs near each trigger, not every pair.
func candidatePairs(p *prepared, spans []annotate.Span, fn func(ti, ai, ta, tb, aa, ab int)) {
	type rng struct{ a, b int }
	r := make([]rng, len(spans))
	bySent := map[int][]int{}
	isArg := make([]bool, len(spans))
	for i, sp := range spans {
		r[i].a, r[i].b = tokenRange(p.toks, sp.Start, sp.End)
		if r[i].a < r[i].b && roleOf(normLabel(sp.Label)) != "" {
			isArg[i] = true
			s := p.toks[r[i].a].sent
			bySent[s] = append(bySent[s], i)
		}
	}
	for ti, t := range spans {
		if r[ti].a >= r[ti].b || !isTrigger(normLabel(t.Label)) {
			continue
		}
		s := p.toks[r[ti].a].sent
		for d := -1; d <= 1; d++ {
			for _, ai := range bySent[s+d] {
				fn(ti, ai, r[ti].a, r[ti].b, r[ai].a, r[ai].b)
			}
		}
	}
}

// trainArgs learns links from the accepted events of the examples.
func trainArgs(exs []Example, preps []*prepared) *argScorer {
	var data []pairExample
	for i, ex := range exs {
		linked := map[[2]int]bool{}
		for _, ev := range ex.Accepted.Events {
			for _, a := range ev.Args {
				linked[[2]int{ev.Trigger, a.Span}] = true
			}
		}
		if len(ex.Accepted.Events) == 0 {
			continue
		}
		spans := ex.Accepted.Spans
		candidatePairs(preps[i], spans, func(ti, ai, ta, tb, aa, ab int) {
			f := pairFeatures(preps[i], normLabel(spans[ti].Label), ta, tb, normLabel(spans[ai].Label), aa, ab, nil)
			data = append(data, pairExample{f: f, gold: linked[[2]int{ti, ai}]})
		})
	}
	w, u := map[uint64]float32{}, map[uint64]float32{}
	step := float32(1)
	for ep := 0; ep < 10; ep++ {
		for _, d := range data {
			s := float32(0)
			for _, f := range d.f {
				s += w[f]
			}
			if (s > 0) != d.gold {
				y := float32(-1)
				if d.gold {
					y = 1
				}
				for _, f := range d.f {
					w[f] += y
					u[f] += y * step
				}
			}
			step++
		}
	}
	for f := range w {
		w[f] -= u[f] / step
		if w[f] == 0 {
			delete(w, f)
		}
	}
	return &argScorer{w: w}
}

func (a *argScorer) score(f []uint64) float32 {
	s := float32(0)
	for _, x := range f {
		s += a.w[x]
	}
	return s
}

// events builds one event per trigger span and gives it the arguments the scorer links
// to it; an argument no trigger scores above zero goes to the nearest trigger of its
// sentence that scores highest, so the rules' frames are not lost.
//
// schema, if not nil, says which event types there are and which roles each allows; without
// it the default schema's rule holds (a target only for an ATTACK).
func (m *Model) events(p *prepared, spans []annotate.Span, schema *annotate.Schema) []annotate.DraftEvent {
	allowed := func(typ, role string) bool { return role != "target" || typ == "ATTACK" }
	typeOf := func(trigger string) (string, bool) { return trigger, true }
	if schema != nil {
		roles := map[string]map[string]bool{}
		types := map[string]string{}
		for _, et := range schema.EventTypes {
			roles[et.Name] = map[string]bool{}
			for _, r := range et.Roles {
				roles[et.Name][r] = true
			}
			types[normLabel(et.Trigger)] = et.Name
		}
		allowed = func(typ, role string) bool { return roles[typ][role] }
		typeOf = func(trigger string) (string, bool) { t, ok := types[trigger]; return t, ok }
	}
	var evs []annotate.DraftEvent
	evOf := map[int]int{}
	for i, sp := range spans {
		if !isTrigger(normLabel(sp.Label)) {
			continue
		}
		if typ, ok := typeOf(normLabel(sp.Label)); ok {
			evOf[i] = len(evs)
			evs = append(evs, annotate.DraftEvent{Type: typ, Trigger: i, Origin: m.Origin()})
		}
	}
	if len(evs) == 0 {
		return nil
	}
	var buf []uint64
	type best struct {
		ti int
		s  float32
	}
	bestOf := map[int]best{}
	candidatePairs(p, spans, func(ti, ai, ta, tb, aa, ab int) {
		buf = pairFeatures(p, normLabel(spans[ti].Label), ta, tb, normLabel(spans[ai].Label), aa, ab, buf[:0])
		s := m.args.score(buf)
		role := roleOf(normLabel(spans[ai].Label))
		ei, ok := evOf[ti]
		if !ok || !allowed(evs[ei].Type, role) {
			return
		}
		if s > 0 {
			evs[ei].Args = append(evs[ei].Args, annotate.DraftArg{Role: role, Span: ai})
		}
		if b, ok := bestOf[ai]; !ok || s > b.s {
			bestOf[ai] = best{ti, s}
		}
	})
	for ai := range spans {
		b, ok := bestOf[ai]
		if !ok || b.s > 0 {
			continue
		}
		if p.toks[tokIndex(p, spans[ai].Start)].sent != p.toks[tokIndex(p, spans[b.ti].Start)].sent {
			continue
		}
		e := &evs[evOf[b.ti]]
		e.Args = append(e.Args, annotate.DraftArg{Role: roleOf(normLabel(spans[ai].Label)), Span: ai})
	}
	return evs
}

func tokIndex(p *prepared, cp int) int {
	a, _ := tokenRange(p.toks, cp, cp+1)
	if a >= len(p.toks) {
		a = len(p.toks) - 1
	}
	return a
}
