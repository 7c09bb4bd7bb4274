// Package learn is Evident's learned tagger: a linear-chain averaged perceptron over
// BIO tags that reads the text, the rules' own suggestions and their context, trained on
// an annotator's decisions. It combines with the rules into one ranked set of
// suggestions, each with a confidence and its origin (a rule's name, or
// "model:tagger@N" for spans only the model found), and scores event arguments.
//
// Why a perceptron and not a CRF: with these features both are linear-chain models decoded
// by Viterbi; the perceptron trains in a few passes without gradients or regularisation
// to tune and reaches the speed the window needs (it retrains while the annotator works).
// Confidences come from forward-backward over the same scores.
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
}

// DefaultRulePrior was chosen by cross-validation (see BENCHMARKS.md).
const DefaultRulePrior = 0.5

// DefaultTemperature was chosen by cross-validation (see BENCHMARKS.md).
const DefaultTemperature = 8

// Train fits a model to the examples: their accepted spans are the gold, the rules'
// suggestions are features. It never changes the examples.
func Train(ctx context.Context, rules Rules, exs []Example, opt Options) (*Model, error) {
	if len(exs) == 0 {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: nothing to train on: no document has decisions")
	}
	preps := make([]*prepared, len(exs))
	for i := range exs {
		d, err := rules.Suggest(ctx, exs[i].Text, exs[i].Published, nil)
		if err != nil {
			return nil, fmt.Errorf("learn: rules on %s: %w", exs[i].ID, err)
		}
		preps[i] = prepare(exs[i].Text, d)
	}
	tg, err := trainTagger(ctx, exs, preps, trainOptions{epochs: opt.Epochs, seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	tg.temp = opt.Temperature
	if tg.temp == 0 {
		tg.temp = DefaultTemperature
	}
	m := &Model{tg: tg, ruleRate: ruleRates(exs, preps), Docs: len(exs)}
	m.prior = opt.RulePrior
	if m.prior == 0 {
		m.prior = DefaultRulePrior
	} else if m.prior < 0 {
		m.prior = 0
	}
	for _, ex := range exs {
		m.Decisions += len(ex.Accepted.Spans) + len(ex.Rejected)
	}
	m.args = trainArgs(exs, preps)
	return m, nil
}

// ruleRates counts, per rule origin, the suggestions an annotator accepted (an accepted
// span of the label overlaps it) and rejected (explicitly, or left out of a done document).
func ruleRates(exs []Example, preps []*prepared) map[string]float64 {
	acc, all := map[string]float64{}, map[string]float64{}
	for i, ex := range exs {
		for _, sp := range preps[i].rules.Spans {
			hit := overlapsAny(sp, ex.Accepted.Spans)
			if hit {
				acc[sp.Origin]++
				all[sp.Origin]++
			} else if ex.Complete || overlapsAny(sp, ex.Rejected) {
				all[sp.Origin]++
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
}

// Suggest runs the rules, then the model: a rule's span keeps its origin and gets the
// model's probability of its label on its words (or, for a label the model never saw,
// the rule's acceptance rate); a span only the model found gets origin Model.Origin().
// Spans under MinConfidence are dropped; events are rebuilt over what is kept, with
// arguments the model scored.
func (c Combined) Suggest(ctx context.Context, text, published string, learned []annotate.PhraseStat) (annotate.Draft, error) {
	d, err := c.Rules.Suggest(ctx, text, published, learned)
	if err != nil || c.Model == nil {
		return d, err
	}
	m := c.Model
	p := prepare(text, d)
	found, probs := m.tg.tag(p)
	T := m.tg.nTags()
	labelIdx := map[string]int{}
	for k, l := range m.tg.labels {
		labelIdx[l] = k
	}
	type scored struct {
		sp   annotate.Span
		from int // index in the rules' draft, -1 for the model's
	}
	var out []scored
	for i, sp := range d.Spans {
		var conf float64
		if k, ok := labelIdx[normLabel(sp.Label)]; ok {
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			if a < b {
				conf = spanProb(probs[a*T:b*T], T, 0, b-a, 2*k+1)
			}
			if r, ok := m.ruleRate[sp.Origin]; ok && m.prior > 0 {
				conf = math.Pow(conf, 1-m.prior) * math.Pow(r, m.prior) // geometric: a model sure of "no" still hides it
			}
		} else if r, ok := m.ruleRate[sp.Origin]; ok {
			conf = r
		} else {
			conf = 0.5 // a rule and label never decided on: no evidence either way
		}
		sp.Confidence = &conf
		out = append(out, scored{sp, i})
	}
	for _, f := range found {
		dup := false
		for i := range out {
			o := &out[i].sp
			if normLabel(o.Label) == f.label && o.Start < f.end && f.start < o.End {
				dup = true
				if *o.Confidence < f.conf {
					v := f.conf
					o.Confidence = &v
				}
			}
		}
		if dup {
			continue
		}
		conf := f.conf
		sp := annotate.Span{Start: f.start, End: f.end, Label: f.label, Status: annotate.StatusSuggested,
			Origin: m.Origin(), Confidence: &conf, Text: substr(text, f.start, f.end)}
		out = append(out, scored{sp, -1})
	}
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
	res.Events = m.events(p, res.Spans)
	return FilterDraft(res, c.MinConfidence), nil
}

// FilterDraft keeps the spans with no confidence or at least min, and the events and
// claimants among them, renumbered.
func FilterDraft(d annotate.Draft, min float64) annotate.Draft {
	if min <= 0 {
		return d
	}
	pos := make([]int, len(d.Spans))
	out := annotate.Draft{}
	for i, sp := range d.Spans {
		pos[i] = -1
		if sp.Confidence == nil || *sp.Confidence >= min {
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

// substr returns code points [a, b) of s.
func substr(s string, a, b int) string {
	i, cp, start := 0, 0, -1
	for i = range s {
		if cp == a {
			start = i
		}
		if cp == b {
			return s[start:i]
		}
		cp++
	}
	if start < 0 {
		return ""
	}
	return s[start:]
}
