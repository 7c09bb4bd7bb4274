package learn

import (
	"math"
	"math/rand/v2"
	"strconv"

	"evident/annotate"
)

// The reranker gives each candidate its confidence: a logistic regression over what the
// tagger, the rules' track record and the argument scorer say about it. It is trained on
// the tagger's predictions for documents the tagger did not see (an inner
// cross-validation in Train), so it learns how far to trust the tagger on new text; its
// outputs are probabilities, which is what a threshold needs.
type reranker struct {
	w map[uint64]float64
}

// fv is a feature with a value.
type fv struct {
	h uint64
	v float64
}

func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-4), 1-1e-4)
	return math.Log(p / (1 - p))
}

func bucket(x float64) string { return strconv.Itoa(int(math.Min(math.Max(x, 0), 0.999) * 5)) }

// links scores every trigger-argument pair of spans: each argument's best link score and
// each trigger's number of positive links.
func (m *Model) links(p *prepared, spans []annotate.Span) (best []float64, linked []int) {
	best = make([]float64, len(spans))
	linked = make([]int, len(spans))
	for i := range best {
		best[i] = math.Inf(-1)
	}
	var buf []uint64
	candidatePairs(p, spans, func(ti, ai, ta, tb, aa, ab int) {
		buf = pairFeatures(p, normLabel(spans[ti].Label), ta, tb, normLabel(spans[ai].Label), aa, ab, buf[:0])
		s := float64(m.args.score(buf))
		if s > best[ai] {
			best[ai] = s
		}
		if s > 0 {
			linked[ti]++
		}
	})
	return best, linked
}

// rerankFeatures describes candidate s (spans[i]).
func (m *Model) rerankFeatures(p *prepared, spans []annotate.Span, i int, s scored, best []float64, linked []int, dst []fv) []fv {
	L := normLabel(s.sp.Label)
	one := func(k, v string) fv { return fv{feat2(k, L, v), 1} }
	dst = append(dst, one("bias", ""), one("o", s.sp.Origin),
		fv{feat2("ltp", L, ""), logit(s.tp)}, fv{feat2("lrate", L, ""), logit(s.rate)},
		one("tpb", bucket(s.tp)), one("rb", bucket(s.rate)))
	if s.both {
		dst = append(dst, one("both", ""))
	}
	if s.from < 0 {
		dst = append(dst, one("modelonly", ""))
	}
	if !s.known {
		dst = append(dst, one("unknown", ""))
	}
	a, b := tokenRange(p.toks, s.sp.Start, s.sp.End)
	if a < b {
		dst = append(dst, one("head", p.toks[b-1].lower), one("len", distBucket(b-a)))
	}
	if isTrigger(L) {
		dst = append(dst, one("nlinked", distBucket(linked[i])))
	} else if roleOf(L) != "" {
		if math.IsInf(best[i], -1) {
			dst = append(dst, one("notrigger", ""))
		} else {
			dst = append(dst, fv{feat2("link", L, ""), math.Tanh(best[i] / 10)}, one("linkpos", strconv.FormatBool(best[i] > 0)))
		}
	}
	return dst
}

func (r *reranker) prob(x []fv) float64 {
	z := 0.0
	for _, f := range x {
		z += r.w[f.h] * f.v
	}
	return 1 / (1 + math.Exp(-z))
}

type rrExample struct {
	x []fv
	y float64
}

// trainReranker fits the logistic regression by stochastic gradient descent with a
// little L2 regularisation.
func trainReranker(data []rrExample, seed uint64) *reranker {
	r := &reranker{w: map[uint64]float64{}}
	rng := rand.New(rand.NewPCG(seed, 11))
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	const epochs, l2 = 15, 1e-4
	step := 0
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			d := data[k]
			lr := 0.2 / (1 + float64(step)/float64(len(data)+1))
			step++
			g := d.y - r.prob(d.x)
			for _, f := range d.x {
				w := r.w[f.h]
				r.w[f.h] = w + lr*(g*f.v-l2*w)
			}
		}
	}
	return r
}

// rerank sets the confidence of each span (spans[i] is out[i]).
func (m *Model) rerank(p *prepared, spans []annotate.Span, out []scored) {
	best, linked := m.links(p, spans)
	var x []fv
	for i := range spans {
		x = m.rerankFeatures(p, spans, i, out[i], best, linked, x[:0])
		c := m.rr.prob(x)
		spans[i].Confidence = &c
	}
}

// rerankData labels the candidates of one example: 1 when an accepted span of the label
// overlaps it, 0 when none does in a done document or a rejected one does; candidates of
// an unfinished document that no decision covers teach nothing.
func (m *Model) rerankData(p *prepared, text string, ex *Example, dst []rrExample) []rrExample {
	out := m.candidates(p, text)
	spans := make([]annotate.Span, len(out))
	for i := range out {
		spans[i] = out[i].sp
	}
	best, linked := m.links(p, spans)
	for i, s := range out {
		var y float64
		switch {
		case overlapsAny(s.sp, ex.Accepted.Spans):
			y = 1
		case ex.Complete || overlapsAny(s.sp, ex.Rejected):
		default:
			continue
		}
		dst = append(dst, rrExample{x: m.rerankFeatures(p, spans, i, s, best, linked, nil), y: y})
	}
	return dst
}
