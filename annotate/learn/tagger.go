package learn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	"evident/annotate"
)

// Example is one document to train on or score: its text, the spans an annotator accepted
// (the gold) with their events, and the suggestions rejected or not yet decided.
// Complete says the document is done: text outside accepted spans is "outside". Of an
// unfinished document only the sentences where every suggestion is decided teach.
type Example struct {
	ID        string
	Text      string
	Published string
	Accepted  annotate.Draft // spans with events and claimants by index
	Rejected  []annotate.Span
	Pending   []annotate.Span // suggestions not yet decided
	Complete  bool
	// Weight scales the example's updates in training (0 = 1): a base corpus written to
	// other conventions than the annotator's counts for less than the annotator's work.
	Weight float64
	// Base marks a document of a base corpus (not the annotator's): it trains, but is
	// never held out to choose thresholds or calibrate confidences, which must fit the
	// annotator's own decisions.
	Base bool
}

// weight is the example's training weight (Weight, or 1).
func (ex *Example) weight() float32 {
	if ex.Weight <= 0 {
		return 1
	}
	return float32(ex.Weight)
}

// tagger is a linear-chain averaged perceptron over BIO tags. Tag 0 is O; label k has
// B = 2k+1 and I = 2k+2.
type tagger struct {
	// temp divides the scores before forward-backward: the perceptron's scores are not
	// log-probabilities, and unscaled they make every confidence 0 or 1.
	temp   float64
	labels []string
	feats  map[uint64]int32 // feature hash -> row of w
	ft     featTable        // feats for inference, made on first use
	pred   predTable        // each tag's allowed predecessors, made on first use
	w      []float32        // rows × nTags
	trans  []float32        // (nTags+1) × nTags; the last row is the sentence start
}

func (tg *tagger) nTags() int { return 2*len(tg.labels) + 1 }

func tagLabel(labels []string, tag int) string {
	if tag == 0 {
		return ""
	}
	return labels[(tag-1)/2]
}

func isInside(tag int) bool { return tag > 0 && tag%2 == 0 }

// allowed says whether tag may follow prev (-1 = sentence start): I-L only after B-L or I-L.
func allowed(prev, tag int) bool {
	if !isInside(tag) {
		return true
	}
	return prev == tag || prev == tag-1
}

// seq is one sentence: each token's feature rows (in the tagger's table; unknown
// features dropped) and its gold tags.
type seq struct {
	rows [][]int32
	gold []int
	wt   float32 // the example's weight
}

// emissions fills e (len(rows) × nTags) with each token's tag scores.
func (tg *tagger) emissions(rows [][]int32, w []float32, e []float64) {
	T := tg.nTags()
	for i, rs := range rows {
		out := e[i*T : (i+1)*T]
		clear(out)
		for _, r := range rs {
			ws := w[int(r)*T : (int(r)+1)*T]
			for k, v := range ws {
				out[k] += float64(v)
			}
		}
	}
}

// viterbi returns the best allowed tag sequence under emissions e and transitions trans.
func (tg *tagger) viterbi(n int, e []float64, trans []float32) []int {
	return tg.viterbiBuf(n, e, trans, nil)
}

// tr is the transition score from j (T = start) to k, scaled by the temperature.
func (tg *tagger) tr(j, k int) float64 {
	v := float64(tg.trans[j*tg.nTags()+k])
	if tg.temp > 0 {
		v /= tg.temp
	}
	return v
}

// trainOptions tune training; the zero value uses the defaults.
type trainOptions struct {
	epochs int
	seed   uint64
	crf    bool // train as a CRF (crf.go) rather than a perceptron
}

// goldTags gives each token of p the tag of the accepted span over it (the first span
// wins where they overlap) and says which tokens are known: all of a complete document;
// of an unfinished one, the sentences with a decision and no pending suggestion.
func goldTags(p *prepared, ex *Example, labelIdx map[string]int) (tags []int, known []bool) {
	tags = make([]int, len(p.toks))
	known = make([]bool, len(p.toks))
	spans := append([]annotate.Span(nil), ex.Accepted.Spans...)
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	for _, sp := range spans {
		k, ok := labelIdx[normLabel(sp.Label)]
		if !ok {
			continue
		}
		a, b := tokenRange(p.toks, sp.Start, sp.End)
		free := a < b
		for t := a; t < b; t++ {
			if tags[t] != 0 {
				free = false
			}
		}
		if !free {
			continue
		}
		tags[a] = 2*k + 1
		for t := a + 1; t < b; t++ {
			tags[t] = 2*k + 2
		}
	}
	if ex.Complete {
		for i := range known {
			known[i] = true
		}
		return tags, known
	}
	nSent := 0
	if len(p.toks) > 0 {
		nSent = p.toks[len(p.toks)-1].sent + 1
	}
	decided := make([]int8, nSent) // 1 decided, -1 pending
	mark := func(spans []annotate.Span, v int8) {
		for _, sp := range spans {
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			if a < b && decided[p.toks[a].sent] >= 0 {
				decided[p.toks[a].sent] = v
			}
		}
	}
	mark(ex.Accepted.Spans, 1)
	mark(ex.Rejected, 1)
	mark(ex.Pending, -1)
	for i, t := range p.toks {
		known[i] = decided[t.sent] == 1
	}
	return tags, known
}

// trainTagger fits a tagger to the examples, each prepared with its rules' suggestions.
func trainTagger(ctx context.Context, exs []Example, preps []*prepared, opt trainOptions) (*tagger, error) {
	if opt.epochs == 0 {
		opt.epochs = 4
	}
	labelSet := map[string]bool{}
	for _, ex := range exs {
		for _, sp := range ex.Accepted.Spans {
			labelSet[normLabel(sp.Label)] = true
		}
	}
	tg := &tagger{feats: map[uint64]int32{}}
	for l := range labelSet {
		tg.labels = append(tg.labels, l)
	}
	sort.Strings(tg.labels)
	labelIdx := map[string]int{}
	for k, l := range tg.labels {
		labelIdx[l] = k
	}
	T := tg.nTags()
	var seqs []seq
	var fbuf []uint64
	for n, ex := range exs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("learn: training: %w", err)
		}
		p := preps[n]
		tags, known := goldTags(p, &exs[n], labelIdx)
		_ = ex
		for si, a := range p.sentStart {
			b := len(p.toks)
			if si+1 < len(p.sentStart) {
				b = p.sentStart[si+1]
			}
			if !known[a] {
				continue
			}
			s := seq{gold: tags[a:b], rows: make([][]int32, b-a), wt: exs[n].weight()}
			for i := a; i < b; i++ {
				fbuf = p.tokenFeatures(i, fbuf[:0])
				rs := make([]int32, 0, len(fbuf))
				for _, f := range fbuf {
					r, ok := tg.feats[f]
					if !ok {
						r = int32(len(tg.feats))
						tg.feats[f] = r
					}
					rs = append(rs, r)
				}
				s.rows[i-a] = rs
			}
			seqs = append(seqs, s)
		}
	}
	if opt.crf {
		tg.trainCRF(seqs, opt.epochs, opt.seed)
		return tg, nil
	}
	nw := len(tg.feats) * T
	w := make([]float32, nw)
	u := make([]float32, nw) // step-weighted updates, for averaging
	tr := make([]float32, (T+1)*T)
	tu := make([]float32, (T+1)*T)
	step := float32(1)
	rng := rand.New(rand.NewPCG(opt.seed, 7))
	order := make([]int, len(seqs))
	for i := range order {
		order[i] = i
	}
	var e []float64
	for ep := 0; ep < opt.epochs; ep++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("learn: training: %w", err)
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, si := range order {
			s := &seqs[si]
			n := len(s.gold)
			if cap(e) < n*T {
				e = make([]float64, n*T)
			}
			e = e[:n*T]
			tg.emissions(s.rows, w, e)
			tg.trans = tr
			pred := tg.viterbi(n, e, tr)
			wt, ws := s.wt, s.wt*step
			for i := 0; i < n; i++ {
				g, p := s.gold[i], pred[i]
				if g != p {
					for _, r := range s.rows[i] {
						w[int(r)*T+g] += wt
						u[int(r)*T+g] += ws
						w[int(r)*T+p] -= wt
						u[int(r)*T+p] -= ws
					}
				}
				gp, pp := T, T // the start row
				if i > 0 {
					gp, pp = s.gold[i-1], pred[i-1]
				}
				if gp != pp || g != p {
					tr[gp*T+g] += wt
					tu[gp*T+g] += ws
					tr[pp*T+p] -= wt
					tu[pp*T+p] -= ws
				}
			}
			step++
		}
	}
	for i := range w {
		w[i] -= u[i] / step
	}
	for i := range tr {
		tr[i] -= tu[i] / step
	}
	tg.w, tg.trans = w, tr
	return tg, nil
}

// tagged is a span the tagger found, with its mean marginal probability.
type tagged struct {
	start, end int // code points
	label      string
	conf       float64
}

// spanProb is the mean probability that tokens [i, j) carry the label of tag B (B then I).
func spanProb(m []float64, T, i, j, b int) float64 {
	s := 0.0
	for k := i; k < j; k++ {
		s += m[k*T+b] + m[k*T+b+1]
	}
	return s / float64(j-i)
}
