// Package learn is Evident's learned tagger: a linear-chain averaged perceptron over
// BIO tags that reads the text, the rules' own suggestions and their context, trained on
// an annotator's decisions. It combines with the rules into one ranked set of
// suggestions, each with a confidence and its origin (a rule's name, or
// "model:tagger@N" for spans only the model found), and scores event arguments.
//
// Why a perceptron and not a CRF: with these features both are linear-chain models decoded
// by Viterbi. Options.CRF trains the same tagger as a CRF (crf.go); on real news it scored
// within 0.01 of the perceptron and trained as fast (docs/learned-figures.md), so the
// perceptron, with no learning rate or regularisation to tune, is the default.
// Confidences come from forward-backward over the same scores. Event arguments are found
// by a second model scored against each trigger (argtag.go).
package learn

import (
	"context"
	"fmt"
	"math"
	"sort"

	"evident/annotate"
)

// Rules is what the model combines with: annotate/suggest's *Suggester satisfies it.
type Rules interface {
	Suggest(ctx context.Context, text, published string, learned []annotate.PhraseStat) (annotate.Draft, error)
}

// Model is a trained tagger with what it learned about the rules.
type Model struct {
	// Version numbers the models of one database (1, 2, ...); the origin of a span only
	// the model found is "model:tagger@<Version>".
	Version int
	// Docs and Decisions count what it was trained on.
	Docs, Decisions int
	tg              *tagger
	args            *argScorer
	// ruleRate is the share of each rule's suggestions the annotators accepted (with one
	// accepted and one rejected added): the confidence of a rule's span the tagger has no
	// label for.
	ruleRate map[string]float64
	// prior is the weight of a rule's acceptance rate in the confidence of its spans.
	prior float64
	rr    *reranker  // nil: the confidences are the tagger's and rules' combined
	at    *argTagger // nil: arguments are the rules' and the BIO tagger's only
	// labelMap relabels the rules' spans of a label the annotator does not use as the
	// label the annotator marks the same words with (labelmap.go)
	labelMap map[string]string
	// trigCal calibrates each trigger label's confidences (trigcal.go): a, b of
	// 1/(1+exp(-(a*logit(conf)+b))); nil in models trained before it
	trigCal map[string][2]float64
}

// Origin is the origin of the spans only this model found.
func (m *Model) Origin() string { return fmt.Sprintf("model:tagger@%d", m.Version) }

// Labels are the labels the model tags.
func (m *Model) Labels() []string { return append([]string(nil), m.tg.labels...) }

// Options tune Train; the zero value is the default.
type Options struct {
	Epochs int    // passes over the data; 0 = 4 (more overfit 20 documents: see BENCHMARKS.md)
	Seed   uint64 // order of the passes
	// Temperature scales the scores into confidences; 0 = the default.
	Temperature float64
	// RulePrior weighs a rule's acceptance rate against the tagger's probability in the
	// confidence of the rule's spans; 0 = the default, negative = none.
	RulePrior float64
	// Rerank adds a logistic reranker stacked on the tagger (rerank.go). On the 20 real
	// documents it measured no better than the tagger's and rules' confidences combined
	// (micro F1 0.57 against 0.59, 5-fold CV) and costs three more trainings, so it is
	// off by default.
	Rerank bool
	// NoArgTagger leaves out the argument tagger (argtag.go), for comparison.
	NoArgTagger bool
	// NoLabelMap leaves the rules' labels as they are (labelmap.go), for comparison.
	NoLabelMap bool
	// NoTriggerCal leaves the triggers' confidences uncalibrated (trigcal.go), for
	// comparison; it saves three inner trainings.
	NoTriggerCal bool
	// CRF trains the tagger as a linear-chain CRF (crf.go) instead of an averaged
	// perceptron, for comparison (docs/learned-figures.md).
	CRF bool
	// Base is a corpus trained on beside the examples (basecorpus.go): done documents
	// annotated to other conventions, each update weighted BaseWeight. Of its spans only
	// the labels the examples use are kept, so the model suggests no label the annotator
	// does not use.
	Base       []Example
	BaseWeight float64 // 0 = DefaultBaseWeight
}

// DefaultRulePrior was chosen by cross-validation (see BENCHMARKS.md).
const DefaultRulePrior = 0.5

// DefaultTemperature was chosen by cross-validation (see BENCHMARKS.md).
const DefaultTemperature = 8

// Train fits a model to the examples: their accepted spans are the gold, the rules'
// suggestions are features. It never changes the examples.
func Train(ctx context.Context, rules Rules, exs []Example, opt Options) (*Model, error) {
	if len(exs)+len(opt.Base) == 0 {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: nothing to train on: no document has decisions")
	}
	own := len(exs)
	exs = withBase(exs, opt.Base, opt.BaseWeight)
	preps := make([]*prepared, len(exs))
	drafts := make([]annotate.Draft, len(exs))
	for i := range exs {
		d, err := rules.Suggest(ctx, exs[i].Text, exs[i].Published, nil)
		if err != nil {
			return nil, fmt.Errorf("learn: rules on %s: %w", exs[i].ID, err)
		}
		drafts[i] = d
	}
	var labelMap map[string]string
	if !opt.NoLabelMap {
		labelMap = learnLabelMap(exs, drafts)
	}
	for i, d := range drafts {
		relabel(d, labelMap)
		preps[i] = prepare(exs[i].Text, d)
	}
	m, err := trainBase(ctx, exs, preps, opt)
	if err != nil {
		return nil, err
	}
	m.labelMap = labelMap
	if !opt.NoTriggerCal {
		if m.trigCal, err = fitTriggerCal(ctx, exs, preps, opt); err != nil {
			return nil, err
		}
	}
	// Stacking: the reranker learns from the tagger's predictions on documents it did
	// not train on (3 inner folds), then the final tagger trains on everything.
	if len(exs) >= 3 && opt.Rerank {
		const inner = 3
		var data []rrExample
		for f := 0; f < inner; f++ {
			var trE []Example
			var trP []*prepared
			for i := range exs {
				if i%inner != f {
					trE, trP = append(trE, exs[i]), append(trP, preps[i])
				}
			}
			mf, err := trainBase(ctx, trE, trP, opt)
			if err != nil {
				return nil, err
			}
			for i := range exs {
				if i%inner == f {
					data = mf.rerankData(preps[i], exs[i].Text, &exs[i], data)
				}
			}
		}
		m.rr = trainReranker(data, opt.Seed)
	}
	m.Docs = own
	for _, ex := range exs[:own] {
		m.Decisions += len(ex.Accepted.Spans) + len(ex.Rejected)
	}
	return m, nil
}

// trainBase trains the tagger and the argument scorer and counts the rules' record.
func trainBase(ctx context.Context, exs []Example, preps []*prepared, opt Options) (*Model, error) {
	tg, err := trainTagger(ctx, exs, preps, trainOptions{epochs: opt.Epochs, seed: opt.Seed, crf: opt.CRF})
	if err != nil {
		return nil, err
	}
	tg.temp = opt.Temperature
	if tg.temp == 0 {
		tg.temp = DefaultTemperature
		if opt.CRF {
			tg.temp = 1 // a CRF's scores are log-potentials already
		}
	}
	m := &Model{tg: tg, ruleRate: ruleRates(exs, preps), args: trainArgs(exs, preps)}
	if !opt.NoArgTagger {
		m.at = trainArgTagger(exs, preps, opt.Seed)
	}
	m.prior = opt.RulePrior
	if m.prior == 0 {
		m.prior = DefaultRulePrior
	} else if m.prior < 0 {
		m.prior = 0
	}
	return m, nil
}

// ruleRates counts, per rule origin, the suggestions an annotator accepted (an accepted
// span of the label overlaps it) and rejected (explicitly, or left out of a done document).
func ruleRates(exs []Example, preps []*prepared) map[string]float64 {
	acc, all := map[string]float64{}, map[string]float64{}
	for i, ex := range exs {
		if ex.Base { // the rules' record is the annotator's to set
			continue
		}
		wt := float64(ex.weight())
		for _, sp := range preps[i].rules.Spans {
			hit := overlapsAny(sp, ex.Accepted.Spans)
			if hit {
				acc[sp.Origin] += wt
				all[sp.Origin] += wt
			} else if ex.Complete || overlapsAny(sp, ex.Rejected) {
				all[sp.Origin] += wt
			}
		}
	}
	out := map[string]float64{}
	for o, n := range all {
		out[o] = (acc[o] + 1) / (n + 2)
	}
	return out
}

func overlapsAny(sp annotate.Span, list []annotate.Span) bool {
	for _, o := range list {
		if normLabel(o.Label) == normLabel(sp.Label) && o.Start < sp.End && sp.Start < o.End {
			return true
		}
	}
	return false
}

// Combined suggests with the rules and a model together. It satisfies evaluate.Suggester.
type Combined struct {
	Rules Rules
	Model *Model // nil: the rules alone, each span with its rule's confidence of none
	// MinConfidence hides suggestions the model gives less.
	MinConfidence float64
	// Schema gives the event types and their roles (nil: the default schema's).
	Schema *annotate.Schema
}

// Suggest runs the rules, then the model: a rule's span keeps its origin and gets the
// model's probability of its label on its words (or, for a label the model never saw,
// the rule's acceptance rate); a span only the model found gets origin Model.Origin().
// Spans under MinConfidence are dropped; events are rebuilt over what is kept, with
// arguments the model scored.
func (c Combined) Suggest(ctx context.Context, text, published string, learned []annotate.PhraseStat) (annotate.Draft, error) {
	if c.Model == nil {
		return c.Rules.Suggest(ctx, text, published, learned)
	}
	// With a model the rules run without the learned phrases: copying accepted strings
	// anywhere they occur made suggestions worse on real news, and the model has learned
	// from the same decisions in their context (it was trained on the rules without them).
	d, err := c.Rules.Suggest(ctx, text, published, nil)
	if err != nil {
		return d, err
	}
	m := c.Model
	relabel(d, m.labelMap)
	p := prepare(text, d)
	out := m.candidates(p, text)
	m.calibrateTriggers(out)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].sp, out[j].sp
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End > b.End
	})
	res := annotate.Draft{Spans: make([]annotate.Span, len(out))}
	pos := map[int]int{} // rules' span index -> new index
	for i, s := range out {
		res.Spans[i] = s.sp
		if s.from >= 0 {
			pos[s.from] = i
		}
	}
	for ci, si := range d.Claimants {
		a, ok1 := pos[ci]
		b, ok2 := pos[si]
		if ok1 && ok2 {
			if res.Claimants == nil {
				res.Claimants = map[int]int{}
			}
			res.Claimants[a] = b
		}
	}
	res.Events = m.events(p, res.Spans, c.Schema)
	if m.rr != nil {
		m.rerank(p, res.Spans, out)
	}
	// A span the rule and the tagger both found names both, each with its own score (the
	// rule's acceptance rate, the tagger's probability); its confidence stays the
	// reranked combination of the two.
	for i, s := range out {
		if s.both {
			rate, tp := s.rate, s.tp
			res.Spans[i].Proposers = []annotate.Proposer{{Origin: s.sp.Origin, Confidence: &rate}, {Origin: m.Origin(), Confidence: &tp}}
		}
	}
	return FilterDraft(res, c.MinConfidence), nil
}

// scored is a candidate suggestion: a rule's span (from its index in the rules' draft)
// or the tagger's (from -1), with what the reranker reads.
type scored struct {
	sp    annotate.Span
	from  int
	tp    float64 // the tagger's probability of the label on the span's words
	rate  float64 // the rule's acceptance rate (0.5 when unknown or the model's)
	both  bool    // the rule and the tagger both found it
	known bool    // the tagger has the label
}

// candidates are the rules' spans with the tagger's view of each, then the tagger's own
// spans that no rule span of the label overlaps; Confidence is set (the tagger's
// probability and the rule's rate, combined geometrically), to be refined by rerank.
func (m *Model) candidates(p *prepared, text string) []scored {
	found, probs := m.tg.tag(p)
	T := m.tg.nTags()
	labelIdx := map[string]int{}
	for k, l := range m.tg.labels {
		labelIdx[l] = k
	}
	var out []scored
	for i, sp := range p.rules.Spans {
		s := scored{from: i, rate: 0.5}
		if r, ok := m.ruleRate[sp.Origin]; ok {
			s.rate = r
		}
		var conf float64
		if k, ok := labelIdx[normLabel(sp.Label)]; ok {
			s.known = true
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			if a < b {
				s.tp = spanProb(probs[a*T:b*T], T, 0, b-a, 2*k+1)
			}
			// geometric: a model sure of "no" still hides a usually good rule's span
			conf = math.Pow(s.tp, 1-m.prior) * math.Pow(s.rate, m.prior)
		} else {
			conf = s.rate
		}
		sp.Confidence = &conf
		s.sp = sp
		out = append(out, s)
	}
	// the rule spans over each token, to find those a tagger span overlaps
	over := make([][]int32, len(p.toks))
	for i := range out {
		a, b := tokenRange(p.toks, out[i].sp.Start, out[i].sp.End)
		for t := a; t < b; t++ {
			over[t] = append(over[t], int32(i))
		}
	}
	seen := make([]int, len(out)) // 1 + the index in found of the last span that looked at it
	for fi, f := range found {
		dup := false
		a, b := tokenRange(p.toks, f.start, f.end)
		for t := a; t < b; t++ {
			for _, i := range over[t] {
				if seen[i] == fi+1 {
					continue
				}
				seen[i] = fi + 1
				o := &out[i]
				if normLabel(o.sp.Label) != f.label {
					continue
				}
				dup, o.both = true, true
				o.raise(f.conf)
			}
		}
		if !dup {
			out = append(out, m.modelCandidate(p, text, f))
		}
	}
	if m.at != nil {
		out = m.addArgs(p, text, found, out)
	}
	return out
}

// addArgs adds the argument tagger's spans against the rules' and the tagger's triggers:
// one overlapping a candidate of its label raises that candidate's confidence to its own,
// the others are new candidates of the model's origin.
func (m *Model) addArgs(p *prepared, text string, found []tagged, out []scored) []scored {
	// the triggers only: find reads no other span (a copy of every rule span was most of
	// what suggesting allocated)
	var trig []annotate.Span
	for _, sp := range p.rules.Spans {
		if isTrigger(normLabel(sp.Label)) {
			trig = append(trig, sp)
		}
	}
	for _, f := range found {
		if isTrigger(f.label) {
			trig = append(trig, annotate.Span{Start: f.start, End: f.end, Label: f.label})
		}
	}
	// only the candidates before the argument tagger's own (the first len(out))
	li := newLabelIndex(out)
	for _, f := range m.at.find(p, trig) {
		dup := li.overlapping(out, f.label, f.start, f.end, func(o *scored) { o.raise(f.conf) })
		if !dup {
			out = append(out, m.modelCandidate(p, text, f))
		}
	}
	return out
}

// raise sets the candidate's confidence to conf when that is higher.
func (s *scored) raise(conf float64) {
	if *s.sp.Confidence < conf {
		s.sp.Confidence = &conf
	}
}

// modelCandidate is a span only the model found.
func (m *Model) modelCandidate(p *prepared, text string, f tagged) scored {
	conf := f.conf
	sp := annotate.Span{Start: f.start, End: f.end, Label: f.label, Status: annotate.StatusSuggested,
		Origin: m.Origin(), Confidence: &conf, Text: p.textOf(text, f.start, f.end)}
	return scored{sp: sp, from: -1, tp: f.conf, rate: 0.5, known: true}
}

// FilterDraft keeps the spans with no confidence or at least min, and the events and
// claimants among them, renumbered.
func FilterDraft(d annotate.Draft, min float64) annotate.Draft {
	if min <= 0 {
		return d
	}
	return keepSpans(d, func(sp annotate.Span) bool { return sp.Confidence == nil || *sp.Confidence >= min })
}

// keepSpans keeps the spans keep says yes to, and the events and claimants among them,
// renumbered.
func keepSpans(d annotate.Draft, keep func(annotate.Span) bool) annotate.Draft {
	pos := make([]int, len(d.Spans))
	out := annotate.Draft{}
	for i, sp := range d.Spans {
		pos[i] = -1
		if keep(sp) {
			pos[i] = len(out.Spans)
			out.Spans = append(out.Spans, sp)
		}
	}
	for a, b := range d.Claimants {
		if pos[a] >= 0 && pos[b] >= 0 {
			if out.Claimants == nil {
				out.Claimants = map[int]int{}
			}
			out.Claimants[pos[a]] = pos[b]
		}
	}
	for _, ev := range d.Events {
		if pos[ev.Trigger] < 0 {
			continue
		}
		e := annotate.DraftEvent{Type: ev.Type, Trigger: pos[ev.Trigger], Origin: ev.Origin}
		for _, a := range ev.Args {
			if pos[a.Span] >= 0 {
				e.Args = append(e.Args, annotate.DraftArg{Role: a.Role, Span: pos[a.Span]})
			}
		}
		out.Events = append(out.Events, e)
	}
	return out
}

// textOf returns the text of the tokens [start, end) (code points) spans.
func (p *prepared) textOf(text string, start, end int) string {
	a, b := tokenRange(p.toks, start, end)
	if a >= b {
		return ""
	}
	last := p.toks[b-1]
	return text[p.toks[a].bs : last.bs+len(last.raw)]
}
