package learn

import (
	"context"
	"math"
)

// Trigger calibration: a trigger's confidence (the tagger's probability and the rule's
// acceptance rate combined geometrically, candidates) is not the share of such spans an
// annotator accepts. On real news the triggers scored 0.15–0.3 were right about half the
// time, so one threshold hid good triggers to keep weak arguments out
// (docs/learned-figures.md, fourth pass). Each trigger label gets a Platt scaling of the
// logit of its confidence, fitted on documents the model scoring them did not train on
// (3 inner folds of the annotator's done documents, one held-out third from manyDocs on),
// so after it a trigger's confidence means what an argument's does and one threshold
// serves both. Arguments keep their own calibration (argtag.go); calibrating them here
// too lost argument recall (fourth pass).

// minCalSpans is the fewest held-out spans of a label to calibrate it from.
const minCalSpans = 10

// fitTriggerCal fits, per trigger label, p = 1/(1+exp(-(a*logit(conf)+b))) to the
// candidates inner models give the annotator's held-out done documents; a span is right
// when an accepted span of its label overlaps it. Labels with fewer than minCalSpans
// held-out spans are left as they are; nil when there are too few done documents.
func fitTriggerCal(ctx context.Context, exs []Example, preps []*prepared, opt Options) (map[string][2]float64, error) {
	test := heldOutDocs(exs)
	if len(test) < calFolds {
		return nil, nil
	}
	foldOf, runs := innerFolds(len(exs), test, calFolds)
	// A trigger's confidence is the tagger's and its rule's: the argument tagger never
	// changes it, so the inner models go without one (it is most of their training).
	opt.NoArgTagger = true
	pts := map[string][]calPoint{}
	for f := 0; f < runs; f++ {
		var trE []Example
		var trP []*prepared
		for i := range exs {
			if foldOf[i] != f {
				trE, trP = append(trE, exs[i]), append(trP, preps[i])
			}
		}
		inner, err := trainBase(ctx, trE, trP, opt)
		if err != nil {
			return nil, err
		}
		for _, i := range test {
			if foldOf[i] != f {
				continue
			}
			for _, o := range inner.candidates(preps[i], exs[i].Text) {
				l := normLabel(o.sp.Label)
				if !isTrigger(l) {
					continue
				}
				pts[l] = append(pts[l], calPoint{logitOf(*o.sp.Confidence), overlapsAny(o.sp, exs[i].Accepted.Spans)})
			}
		}
	}
	var cal map[string][2]float64
	for l, ps := range pts {
		if len(ps) < minCalSpans {
			continue
		}
		if cal == nil {
			cal = map[string][2]float64{}
		}
		a, b := fitCalibration(ps)
		cal[l] = [2]float64{a, b}
	}
	return cal, nil
}

// logitOf is log(p/(1-p)) with p kept off 0 and 1.
func logitOf(p float64) float64 {
	p = math.Min(math.Max(p, 1e-4), 1-1e-4)
	return math.Log(p / (1 - p))
}

// calibrateTriggers replaces the confidence of each candidate of a calibrated label by
// its calibrated one.
func (m *Model) calibrateTriggers(out []scored) {
	for i := range out {
		o := &out[i]
		ab, ok := m.trigCal[normLabel(o.sp.Label)]
		if !ok {
			continue
		}
		c := 1 / (1 + math.Exp(-(ab[0]*logitOf(*o.sp.Confidence) + ab[1])))
		o.sp.Confidence = &c
	}
}
