package learn

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"unicode/utf8"

	"evident/annotate"
)

// argTagger finds event arguments from their triggers: for each trigger (the rules' and
// the tagger's) and each word of its sentence, one averaged perceptron per argument label
// scores "this word is the trigger's ACTOR (TARGET, ...)" from the word, its shape and
// neighbours, the rules' labels on it, and its relation to the trigger (side, distance,
// the words between, the trigger's word and label). A word's score for a label is its
// best over the triggers; words at or above the label's threshold become spans (adjacent
// ones joined).
//
// Why: the BIO tagger sees two words either side and rarely makes an argument its best
// tag after a few documents; an argument is known by its event, so it is scored against
// each trigger. The thresholds and the scores' calibration are learned by an inner
// cross-validation over the training documents only (trainArgTagger), never on the text
// it is later scored on.
type argTagger struct {
	labels []string
	feats  map[uint64]int32 // feature hash -> row of w
	ft     featTable        // feats for inference, made on first use
	w      []float32        // rows × len(labels)
	// thr is each label's decision threshold on the raw score; a, b calibrate a score s
	// into a probability 1/(1+exp(-(a*s+b))).
	thr, a, b []float64
}

// maxArgDist is how many words from its trigger an argument is looked for.
const maxArgDist = 20

// argPair is one (trigger, word) pair of a document.
type argPair struct {
	tok int // the word
	f   []uint64
	y   uint32 // bit l: the word is in an accepted span of label l linked to the trigger (labels with a role: at most 8)
}

// argExample is a training pair: its features as rows of the shared table.
type argExample struct {
	rows []int32
	y    uint32
	wt   float32 // the example's weight
}

// triggerRanges are the token ranges of the triggers to score arguments against: the
// given spans' triggers, without duplicates.
func triggerRanges(p *prepared, spans []annotate.Span) [][3]int {
	seen := map[[2]int]bool{}
	var out [][3]int // a, b, index into spans
	for i, sp := range spans {
		if !isTrigger(normLabel(sp.Label)) {
			continue
		}
		a, b := tokenRange(p.toks, sp.Start, sp.End)
		if a >= b || seen[[2]int{a, b}] {
			continue
		}
		seen[[2]int{a, b}] = true
		out = append(out, [3]int{a, b, i})
	}
	return out
}

// isWordTok says whether a token can head an argument (not punctuation).
func isWordTok(t token) bool { return t.e-t.s > 1 || shape(t.raw) != t.raw }

// argFeatures describes word i as an argument of the trigger over tokens [ta, tb) whose
// label is tlab.
func argFeatures(p *prepared, i, ta, tb int, tlab string, dst []uint64) []uint64 {
	toks := p.toks
	t := toks[i]
	side := "R"
	lo, hi := tb, i
	if i < ta {
		side, lo, hi = "L", i+1, ta
	}
	dist := hi - lo
	db := distBucket(dist)
	word := func(k int) string {
		if k < 0 || k >= len(toks) || toks[k].sent != t.sent {
			return "<s>"
		}
		return toks[k].lower
	}
	sh := p.shapeAt(i)
	trw := toks[ta].lower
	dst = append(dst, feat("bias", ""), feat("w", t.lower), feat("sh", sh), feat2("side", side, db),
		feat2("tl", tlab, side+db), feat2("tw", trw, side), feat2("tww", trw, t.lower), feat2("shs", sh, side+db),
		feat2("ws", t.lower, side), feat("w-1", word(i-1)), feat("w+1", word(i+1)),
		feat2("w-1s", word(i-1), side), feat2("w+1s", word(i+1), side))
	if n := utf8.RuneCountInString(t.lower); n > 3 {
		dst = append(dst, feat("s3", tailRunes(t.lower, 3)), feat("p3", headRunes(t.lower, 3)))
	}
	if p.numAt(i) || sh == "d" {
		dst = append(dst, feat("num", ""))
	}
	if i > 0 && (p.numAt(i-1) || p.shapeAt(i-1) == "d") {
		dst = append(dst, feat("num-1", ""))
	}
	if isCap(t.raw) {
		a, b := capRun(toks, i)
		pos := "B"
		if a < i {
			pos = "I"
		}
		if b == i+1 {
			pos += "E"
		}
		first := a == 0 || toks[a-1].sent != t.sent
		dst = append(dst, feat2("cap", pos, side), feat2("capfirst", strconv.FormatBool(first), side))
	}
	for _, m := range p.marks[i] {
		dst = append(dst, feat2("r", m.label, side), feat2("rt", m.label, tlab))
	}
	if len(p.marks[i]) == 0 {
		dst = append(dst, feat("r", "none"))
	}
	// the words between, and what lies between: commas, other triggers, sentence ends
	commas, others := 0, 0
	for k := lo; k < hi; k++ {
		if k-lo < 4 || hi-k <= 3 {
			dst = append(dst, feat2("bw", side, toks[k].lower))
		}
		switch toks[k].lower {
		case ",", ";", "(", ")":
			commas++
		}
		for _, m := range p.marks[k] {
			if isTrigger(m.label) && m.begin {
				others++
			}
		}
	}
	if dist <= 2 && dist > 0 {
		dst = append(dst, feat2("bg", side, toks[lo].lower+" "+toks[hi-1].lower))
	}
	if dist == 0 {
		dst = append(dst, feat2("adj", side, tlab))
	}
	dst = append(dst, feat2("cm", side, distBucket(commas)), feat2("oth", side, distBucket(others)))
	return dst
}

// argPairs lists the pairs of word and trigger of one example: triggers from trig,
// words of their sentences up to maxArgDist away, not inside a trigger. With gold, y
// is set from its accepted spans and events; known (nil = all) limits the words.
func argPairs(p *prepared, trig [][3]int, labelIdx map[string]int, gold *Example, known []bool) []argPair {
	var inArg [][]struct {
		label int
		span  int
	}
	linked := map[[2]int]bool{} // (trigger span, arg span) of the gold events
	anyLink := map[int]bool{}
	if gold != nil {
		inArg = make([][]struct {
			label int
			span  int
		}, len(p.toks))
		for si, sp := range gold.Accepted.Spans {
			k, ok := labelIdx[normLabel(sp.Label)]
			if !ok {
				continue
			}
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			for t := a; t < b; t++ {
				inArg[t] = append(inArg[t], struct{ label, span int }{k, si})
			}
		}
		for _, ev := range gold.Accepted.Events {
			for _, a := range ev.Args {
				linked[[2]int{ev.Trigger, a.Span}] = true
				anyLink[a.Span] = true
			}
		}
	}
	// gold trigger spans over each token, to link a trigger range to the gold events
	var goldTrig map[int][]int
	if gold != nil {
		goldTrig = map[int][]int{}
		for si, sp := range gold.Accepted.Spans {
			if isTrigger(normLabel(sp.Label)) {
				a, b := tokenRange(p.toks, sp.Start, sp.End)
				for t := a; t < b; t++ {
					goldTrig[t] = append(goldTrig[t], si)
				}
			}
		}
	}
	var out []argPair
	for _, tr := range trig {
		ta, tb := tr[0], tr[1]
		tlab := ""
		for _, m := range p.marks[ta] {
			if isTrigger(m.label) {
				tlab = m.label
			}
		}
		var gts []int // the gold triggers this range overlaps
		if gold != nil {
			for t := ta; t < tb; t++ {
				gts = append(gts, goldTrig[t]...)
			}
			if tlab == "" && len(gts) > 0 {
				tlab = normLabel(gold.Accepted.Spans[gts[0]].Label)
			}
		}
		sent := p.toks[ta].sent
		lo, hi := max(0, ta-maxArgDist), min(len(p.toks), tb+maxArgDist)
		for i := lo; i < hi; i++ {
			if i >= ta && i < tb || p.toks[i].sent != sent || !isWordTok(p.toks[i]) || known != nil && !known[i] {
				continue
			}
			ap := argPair{tok: i, f: argFeatures(p, i, ta, tb, tlab, nil)}
			if gold != nil {
				for _, in := range inArg[i] {
					ok := !anyLink[in.span] // an argument in no event counts for any trigger
					for _, g := range gts {
						if linked[[2]int{g, in.span}] {
							ok = true
						}
					}
					if ok {
						ap.y |= 1 << in.label
					}
				}
			}
			out = append(out, ap)
		}
	}
	return out
}

// argLabels are the argument labels of the examples' accepted spans.
func argLabels(exs []Example) []string {
	set := map[string]bool{}
	for _, ex := range exs {
		for _, sp := range ex.Accepted.Spans {
			if l := normLabel(sp.Label); !isTrigger(l) && roleOf(l) != "" {
				set[l] = true
			}
		}
	}
	var out []string
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// argTrainData builds the pairs of the examples: triggers are the gold's and the rules'
// (an event the annotator did not mark teaches that its words are no arguments). The
// features become rows of one table, feats, which every model trained on them shares.
func argTrainData(exs []Example, preps []*prepared, labelIdx map[string]int) (data [][]argExample, feats map[uint64]int32) {
	data = make([][]argExample, len(exs))
	feats = map[uint64]int32{}
	for n := range exs {
		p := preps[n]
		spans := append(append([]annotate.Span(nil), exs[n].Accepted.Spans...), p.rules.Spans...)
		var known []bool
		if !exs[n].Complete {
			_, known = goldTags(p, &exs[n], map[string]int{})
		}
		pairs := argPairs(p, triggerRanges(p, spans), labelIdx, &exs[n], known)
		out := make([]argExample, len(pairs))
		for k, ap := range pairs {
			rows := make([]int32, len(ap.f))
			for j, f := range ap.f {
				r, ok := feats[f]
				if !ok {
					r = int32(len(feats))
					feats[f] = r
				}
				rows[j] = r
			}
			out[k] = argExample{rows, ap.y, exs[n].weight()}
		}
		data[n] = out
	}
	return data, feats
}

const argEpochs = 6

// manyDocs is the number of done documents from which the thresholds come from one
// held-out third rather than three folds.
const manyDocs = 60

// fitArgTagger trains the perceptrons on the pairs of the documents docs; feats is the
// table of data's rows.
func fitArgTagger(labels []string, feats map[uint64]int32, data [][]argExample, docs []int, seed uint64) *argTagger {
	L := len(labels)
	at := &argTagger{labels: labels, feats: feats}
	var xs [][2]int32 // document, pair
	for _, d := range docs {
		for k := range data[d] {
			xs = append(xs, [2]int32{int32(d), int32(k)})
		}
	}
	w := make([]float32, len(at.feats)*L)
	u := make([]float32, len(w))
	rng := rand.New(rand.NewPCG(seed, 13))
	order := rng.Perm(len(xs))
	step := float32(1)
	for ep := 0; ep < argEpochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			x := &data[xs[k][0]][xs[k][1]]
			for l := 0; l < L; l++ {
				pos := x.y&(1<<l) != 0
				s := float32(0)
				for _, r := range x.rows {
					s += w[int(r)*L+l]
				}
				if (s > 0) == pos {
					continue
				}
				y := -x.wt
				if pos {
					y = x.wt
				}
				for _, r := range x.rows {
					w[int(r)*L+l] += y
					u[int(r)*L+l] += y * step
				}
			}
			step++
		}
	}
	for i := range w {
		w[i] -= u[i] / step
	}
	at.w = w
	at.thr = make([]float64, L)
	at.a = make([]float64, L)
	at.b = make([]float64, L)
	for l := range at.a {
		at.a[l] = 1
	}
	return at
}

// scores returns each token's best score for each label over the pairs (−Inf where no
// pair has the token), len(toks) × len(labels).
func (at *argTagger) scores(n int, pairs []argPair) []float64 {
	L := len(at.labels)
	out := make([]float64, n*L)
	for i := range out {
		out[i] = math.Inf(-1)
	}
	s := make([]float64, L)
	for _, ap := range pairs {
		at.scorePair(ap.tok, ap.f, s, out)
	}
	return out
}

// scorePair sums the label scores of one pair's features into s and keeps each label's
// best for word tok in out.
func (at *argTagger) scorePair(tok int, f []uint64, s, out []float64) {
	L := len(at.labels)
	clear(s)
	for _, h := range f {
		r, ok := at.ft.get(at.feats, h)
		if !ok {
			continue
		}
		for l, v := range at.w[int(r)*L : (int(r)+1)*L] {
			s[l] += float64(v)
		}
	}
	for l, v := range s {
		if v > out[tok*L+l] {
			out[tok*L+l] = v
		}
	}
}

// argSpan is a span the argument tagger found.
type argSpan struct {
	a, b  int // tokens
	label int
	score float64 // the best raw score of its words
}

// spansAt joins the words whose best label scores at least thr[label] (each word takes
// its label of highest score over threshold) into spans.
func (at *argTagger) spansAt(p *prepared, sc []float64, thr []float64) []argSpan {
	L := len(at.labels)
	best := make([]int, len(p.toks))
	for i := range best {
		best[i] = -1
		bv := math.Inf(-1)
		for l := 0; l < L; l++ {
			v := sc[i*L+l]
			if v >= thr[l] && v-thr[l] > bv {
				best[i], bv = l, v-thr[l]
			}
		}
	}
	var out []argSpan
	for i := 0; i < len(best); {
		l := best[i]
		if l < 0 {
			i++
			continue
		}
		j := i + 1
		s := sc[i*L+l]
		for j < len(best) && best[j] == l && p.toks[j].sent == p.toks[i].sent {
			s = math.Max(s, sc[j*L+l])
			j++
		}
		out = append(out, argSpan{a: i, b: j, label: l, score: s})
		i = j
	}
	return out
}

func (at *argTagger) prob(l int, s float64) float64 {
	return 1 / (1 + math.Exp(-(at.a[l]*s + at.b[l])))
}

// find returns the argument spans of a prepared text against the triggers of spans.
func (at *argTagger) find(p *prepared, spans []annotate.Span) []tagged {
	sc := at.scoresOf(p, triggerRanges(p, spans))
	var out []tagged
	for _, s := range at.spansAt(p, sc, at.thr) {
		out = append(out, tagged{start: p.toks[s.a].s, end: p.toks[s.b-1].e, label: at.labels[s.label], conf: at.prob(s.label, s.score)})

	}
	return out
}

// trainArgTagger trains the argument tagger on the examples and sets its thresholds and
// calibration from an inner cross-validation over them (calFolds folds): each label's
// threshold is the one with the best F1 (overlap, as the evaluation counts) on documents
// the inner model did not see. It returns nil when the examples have no argument labels.
func trainArgTagger(exs []Example, preps []*prepared, seed uint64) *argTagger {
	labels := argLabels(exs)
	if len(labels) == 0 {
		return nil
	}
	labelIdx := map[string]int{}
	for k, l := range labels {
		labelIdx[l] = k
	}
	data, feats := argTrainData(exs, preps, labelIdx)
	all := make([]int, len(exs))
	for i := range all {
		all[i] = i
	}
	at := fitArgTagger(labels, feats, data, all, seed)
	test := heldOutDocs(exs)
	if len(test) < calFolds {
		for l := range at.thr { // no held-out figures: a cautious default
			at.thr[l], at.a[l], at.b[l] = 0, 0.5, -1
		}
		return at
	}
	type held struct {
		doc int
		sc  []float64
	}
	foldOf, runs := innerFolds(len(exs), test, calFolds)
	var heldOut []held
	for f := 0; f < runs; f++ {
		var tr []int
		for i := range exs {
			if foldOf[i] != f {
				tr = append(tr, i)
			}
		}
		inner := fitArgTagger(labels, feats, data, tr, seed+uint64(f)+1)
		for _, i := range test {
			if foldOf[i] != f {
				continue
			}
			p := preps[i]
			// the triggers a new document has: the rules'
			pairs := argPairs(p, triggerRanges(p, p.rules.Spans), nil, nil, nil)
			heldOut = append(heldOut, held{i, inner.scores(len(p.toks), pairs)})
		}
	}
	for l := range labels {
		// candidate thresholds: the held-out scores of the label's words
		var cands []float64
		for _, h := range heldOut {
			for i := l; i < len(h.sc); i += len(labels) {
				if !math.IsInf(h.sc[i], -1) && h.sc[i] > -50 {
					cands = append(cands, h.sc[i])
				}
			}
		}
		sort.Float64s(cands)
		cands = quantiles(cands, 40)
		thr := make([]float64, len(labels))
		bestF, bestT := -1.0, math.Inf(1)
		for _, c := range cands {
			for k := range thr {
				thr[k] = math.Inf(1)
			}
			thr[l] = c
			tp, fp, fn := 0, 0, 0
			for _, h := range heldOut {
				p := preps[h.doc]
				sp := at.spansAt(p, h.sc, thr)
				t1, f1, n1 := overlapCounts(p, sp, exs[h.doc].Accepted.Spans, labels[l])
				tp, fp, fn = tp+t1, fp+f1, fn+n1
			}
			if tp+fp+fn == 0 {
				continue
			}
			f := 2 * float64(tp) / float64(2*tp+fp+fn)
			if f > bestF {
				bestF, bestT = f, c
			}
		}
		at.thr[l] = bestT
		// calibration: every held-out span of the label (lowest threshold), right or not
		var pts []calPoint
		if len(cands) > 0 {
			for k := range thr {
				thr[k] = math.Inf(1)
			}
			thr[l] = cands[0]
			for _, h := range heldOut {
				p := preps[h.doc]
				sp := at.spansAt(p, h.sc, thr)
				for k, hit := range overlapHits(p, sp, exs[h.doc].Accepted.Spans, labels[l]) {
					pts = append(pts, calPoint{sp[k].score, hit})
				}
			}
		}
		at.a[l], at.b[l] = fitCalibration(pts)
	}
	return at
}

// calFolds is how many inner folds thresholds and calibrations are fitted over.
const calFolds = 3

// heldOutDocs are the indices of the examples calibration may hold out: the annotator's
// complete documents (elsewhere a missing span is not a miss; base documents never set
// thresholds or calibration).
func heldOutDocs(exs []Example) []int {
	var test []int
	for i, ex := range exs {
		if ex.Complete && !ex.Base {
			test = append(test, i)
		}
	}
	return test
}

// innerFolds deals the held-out documents test (indices into n examples) into folds:
// foldOf[i] is example i's fold, -1 for one never held out. runs is how many folds to
// hold out in turn: all of them, or one (a third held out) from manyDocs documents on,
// which gives enough held-out spans at a third of the training: 1,000 documents train in
// 60 s (BENCHMARKS.md).
func innerFolds(n int, test []int, folds int) (foldOf []int, runs int) {
	foldOf = make([]int, n)
	for i := range foldOf {
		foldOf[i] = -1
	}
	for k, i := range test {
		foldOf[i] = k % folds
	}
	runs = folds
	if len(test) >= manyDocs {
		runs = 1
	}
	return foldOf, runs
}

// calPoint is a held-out span's score and whether a gold span of its label overlaps it.
type calPoint struct {
	s   float64
	hit bool
}

// fitCalibration fits p = 1/(1+exp(-(a*s+b))) to the held-out spans by logistic
// regression (Platt scaling; Newton's method with a little ridge, a ≥ 0): a span's
// confidence is about the share of spans scoring like it that were right.
func fitCalibration(pts []calPoint) (a, b float64) {
	if len(pts) < 2 {
		return 0, logit(0.3)
	}
	// scores are scaled to unit spread for the fit, then a is scaled back
	mean, sd := 0.0, 0.0
	for _, c := range pts {
		mean += c.s
	}
	mean /= float64(len(pts))
	for _, c := range pts {
		sd += (c.s - mean) * (c.s - mean)
	}
	sd = math.Sqrt(sd / float64(len(pts)))
	if sd == 0 {
		sd = 1
	}
	const ridge = 1.0
	var wa, wb float64
	for it := 0; it < 50; it++ {
		var ga, gb, haa, hab, hbb float64
		for _, c := range pts {
			x := (c.s - mean) / sd
			p := 1 / (1 + math.Exp(-(wa*x + wb)))
			y := 0.0
			if c.hit {
				y = 1
			}
			ga += (y - p) * x
			gb += y - p
			v := p * (1 - p)
			haa += v * x * x
			hab += v * x
			hbb += v
		}
		ga -= ridge * wa
		gb -= ridge * wb
		haa += ridge
		hbb += ridge
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da, db := (hbb*ga-hab*gb)/det, (haa*gb-hab*ga)/det
		wa, wb = wa+da, wb+db
		if math.Abs(da)+math.Abs(db) < 1e-9 {
			break
		}
	}
	if wa < 0 {
		wa = 0
	}
	a = wa / sd
	return a, wb - a*mean
}

// quantiles picks at most n values spread over the sorted xs.
func quantiles(xs []float64, n int) []float64 {
	if len(xs) <= n {
		return xs
	}
	out := make([]float64, 0, n)
	for k := 0; k < n; k++ {
		out = append(out, xs[k*(len(xs)-1)/(n-1)])
	}
	return out
}

// overlapCounts matches the spans of one label one to one by overlap, as the evaluation
// does: true positives, false positives, misses.
func overlapCounts(p *prepared, found []argSpan, gold []annotate.Span, label string) (tp, fp, fn int) {
	hits := overlapHits(p, found, gold, label)
	for _, h := range hits {
		if h {
			tp++
		} else {
			fp++
		}
	}
	return tp, fp, countLabel(gold, label) - tp
}

func countLabel(spans []annotate.Span, label string) int {
	n := 0
	for _, sp := range spans {
		if normLabel(sp.Label) == label {
			n++
		}
	}
	return n
}

// overlapHits says of each found span whether it matched a gold span of the label.
func overlapHits(p *prepared, found []argSpan, gold []annotate.Span, label string) []bool {
	var g []annotate.Span
	for _, sp := range gold {
		if normLabel(sp.Label) == label {
			g = append(g, sp)
		}
	}
	used := make([]bool, len(g))
	hits := make([]bool, len(found))
	for i, s := range found {
		start, end := p.toks[s.a].s, p.toks[s.b-1].e
		for k, sp := range g {
			if !used[k] && sp.Start < end && start < sp.End {
				used[k], hits[i] = true, true
				break
			}
		}
	}
	return hits
}
