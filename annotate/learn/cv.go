package learn

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"evident/annotate"
	"evident/annotate/evaluate"
)

// Summary condenses a report to the figures the issue sets targets for, over the labels
// the gold uses (suggestions of other labels are not counted: the gold has no say on
// them). Matching is by overlap.
type Summary struct {
	TriggerF1     float64 `json:"trigger_f1"`      // micro over ATTACK, DEATH, INJURY
	ArgRecall     float64 `json:"argument_recall"` // micro over ACTOR, TARGET, VICTIM, LOCATION
	Precision     float64 `json:"precision"`       // over all gold labels
	Recall        float64 `json:"recall"`
	MicroF1       float64 `json:"micro_f1"`
	Suggested     int     `json:"suggested"`
	TriggerPrecis float64 `json:"trigger_precision"`
}

// Summarize computes the Summary of r over the labels in gold.
func Summarize(r evaluate.Report, gold []string) Summary {
	var all, trig, arg evaluate.Score
	for _, l := range gold {
		ls := r.Label(l)
		o := ls.Overlap
		all.TP, all.FP, all.FN = all.TP+o.TP, all.FP+o.FP, all.FN+o.FN
		if isTrigger(l) {
			trig.TP, trig.FP, trig.FN = trig.TP+o.TP, trig.FP+o.FP, trig.FN+o.FN
		}
		switch l {
		case "ACTOR", "TARGET", "VICTIM", "LOCATION":
			arg.TP, arg.FN = arg.TP+o.TP, arg.FN+o.FN
		}
	}
	s := Summary{Suggested: all.TP + all.FP}
	p, rc, f := prf(all)
	s.Precision, s.Recall, s.MicroF1 = p, rc, f
	s.TriggerPrecis, _, s.TriggerF1 = prf(trig)
	_, s.ArgRecall, _ = prf(arg)
	return s
}

func prf(s evaluate.Score) (p, r, f float64) {
	if s.TP+s.FP > 0 {
		p = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		r = float64(s.TP) / float64(s.TP+s.FN)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// CurvePoint is one point of a learning curve: documents trained on and the
// cross-validated micro F1 of rules + model.
type CurvePoint struct {
	Docs      int     `json:"docs"`
	MicroF1   float64 `json:"micro_f1"`
	TriggerF1 float64 `json:"trigger_f1"`
	ArgRecall float64 `json:"argument_recall"`
	Precision float64 `json:"precision"`
}

// ThresholdPoint is the cross-validated precision and recall of rules + model when
// suggestions under a confidence are hidden.
type ThresholdPoint struct {
	MinConfidence float64 `json:"min_confidence"`
	Summary
}

// CVReport is a K-fold cross-validation of rules alone against rules + model.
type CVReport struct {
	K             int              `json:"k"`
	Docs          int              `json:"docs"`
	GoldLabels    []string         `json:"gold_labels"`
	Rules         evaluate.Report  `json:"rules"`
	Combined      evaluate.Report  `json:"combined"`
	RulesSum      Summary          `json:"rules_summary"`
	CombinedSum   Summary          `json:"combined_summary"`
	Curve         []CurvePoint     `json:"learning_curve"`
	Thresholds    []ThresholdPoint `json:"thresholds"`
	MinConfidence float64          `json:"min_confidence"`
}

// CVOptions tune CrossValidate.
type CVOptions struct {
	K             int
	MinConfidence float64 // applied to the Combined figures
	Curve         bool    // also compute the learning curve (more training runs)
	Train         Options
	// Progress, if set, is told each training run done and how many there are.
	Progress func(done, total int)
}

// foldSuggester answers each test text with the suggestions made for it beforehand.
type foldSuggester map[string]annotate.Draft

func (f foldSuggester) Suggest(_ context.Context, text, _ string, _ []annotate.PhraseStat) (annotate.Draft, error) {
	d, ok := f[text]
	if !ok {
		return annotate.Draft{}, fmt.Errorf("learn: no fold predicted this text")
	}
	return d, nil
}

type filtered struct {
	f   foldSuggester
	min float64
}

func (f filtered) Suggest(ctx context.Context, text, pub string, l []annotate.PhraseStat) (annotate.Draft, error) {
	d, err := f.f.Suggest(ctx, text, pub, l)
	return FilterDraft(d, f.min), err
}

// CrossValidate splits the complete examples into K folds; each fold is scored by a model
// trained on every other example (unfinished documents train but are never scored).
// Training never sees the text it is scored on.
func CrossValidate(ctx context.Context, rules Rules, exs []Example, opt CVOptions) (*CVReport, error) {
	var test []int
	for i, ex := range exs {
		if ex.Complete {
			test = append(test, i)
		}
	}
	k := opt.K
	if k < 2 {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: cross-validation needs at least 2 folds, not %d", k)
	}
	if len(test) < k {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: %d-fold cross-validation needs at least %d done documents; there are %d", k, k, len(test))
	}
	fold := make([]int, len(exs))
	for i := range fold {
		fold[i] = -1
	}
	for n, i := range test {
		fold[i] = n % k
	}
	curveSizes := []int{}
	if opt.Curve {
		maxTrain := len(exs) - (len(test)+k-1)/k
		for n := 1; n < maxTrain; n *= 2 {
			curveSizes = append(curveSizes, n)
		}
		curveSizes = append(curveSizes, maxTrain)
	}
	runs, done := k*(1+len(curveSizes)), 0
	step := func() {
		done++
		if opt.Progress != nil {
			opt.Progress(done, runs)
		}
	}
	golds := make([]evaluate.Gold, 0, len(test))
	labelSet := map[string]bool{}
	for _, i := range test {
		golds = append(golds, evaluate.Gold{ID: exs[i].ID, Text: exs[i].Text, Published: exs[i].Published, Draft: exs[i].Accepted})
		for _, sp := range exs[i].Accepted.Spans {
			labelSet[normLabel(sp.Label)] = true
		}
	}
	rep := &CVReport{K: k, Docs: len(test), MinConfidence: opt.MinConfidence}
	for l := range labelSet {
		rep.GoldLabels = append(rep.GoldLabels, l)
	}
	sort.Strings(rep.GoldLabels)
	full := foldSuggester{}
	curve := make([]foldSuggester, len(curveSizes))
	for c := range curve {
		curve[c] = foldSuggester{}
	}
	for f := 0; f < k; f++ {
		var train []Example
		for i, ex := range exs {
			if fold[i] != f {
				train = append(train, ex)
			}
		}
		predict := func(train []Example, into foldSuggester) error {
			m, err := Train(ctx, rules, train, opt.Train)
			if err != nil {
				return err
			}
			c := Combined{Rules: rules, Model: m}
			for i, ex := range exs {
				if fold[i] != f {
					continue
				}
				d, err := c.Suggest(ctx, ex.Text, ex.Published, nil)
				if err != nil {
					return fmt.Errorf("learn: fold %d, %s: %w", f+1, ex.ID, err)
				}
				into[ex.Text] = d
			}
			step()
			return nil
		}
		if err := predict(train, full); err != nil {
			return nil, err
		}
		for c, n := range curveSizes {
			if err := predict(train[:min(n, len(train))], curve[c]); err != nil {
				return nil, err
			}
		}
	}
	rep.Rules = evaluate.Evaluate(ctx, rules, golds)
	rep.Combined = evaluate.Evaluate(ctx, filtered{full, opt.MinConfidence}, golds)
	rep.RulesSum = Summarize(rep.Rules, rep.GoldLabels)
	rep.CombinedSum = Summarize(rep.Combined, rep.GoldLabels)
	for c, n := range curveSizes {
		r := evaluate.Evaluate(ctx, filtered{curve[c], opt.MinConfidence}, golds)
		cs := Summarize(r, rep.GoldLabels)
		rep.Curve = append(rep.Curve, CurvePoint{Docs: n, MicroF1: cs.MicroF1, TriggerF1: cs.TriggerF1, ArgRecall: cs.ArgRecall, Precision: cs.Precision})
	}
	for t := 0.0; t < 0.95; t += 0.1 {
		r := evaluate.Evaluate(ctx, filtered{full, t}, golds)
		rep.Thresholds = append(rep.Thresholds, ThresholdPoint{MinConfidence: t, Summary: Summarize(r, rep.GoldLabels)})
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("learn: cross-validation: %w", err)
	}
	return rep, nil
}

// Print writes the report as tables: per label, the summary, thresholds and the curve.
func (r *CVReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%d-fold cross-validation over %d done documents (overlap matching; min confidence %.2f)\n\n", r.K, r.Docs, r.MinConfidence)
	fmt.Fprintf(w, "%-10s %5s | %-22s | %-22s\n", "label", "gold", "rules alone P/R/F1", "rules+model P/R/F1")
	for _, l := range r.GoldLabels {
		a, b := r.Rules.Label(l).Overlap, r.Combined.Label(l).Overlap
		fmt.Fprintf(w, "%-10s %5d | %.2f  %.2f  %.2f       | %.2f  %.2f  %.2f\n", l, r.Rules.Label(l).Gold, a.Precision, a.Recall, a.F1, b.Precision, b.Recall, b.F1)
	}
	line := func(name string, s Summary) {
		fmt.Fprintf(w, "%-12s trigger F1 %.2f  argument recall %.2f  precision %.2f  recall %.2f  micro F1 %.2f  (%d suggested)\n",
			name, s.TriggerF1, s.ArgRecall, s.Precision, s.Recall, s.MicroF1, s.Suggested)
	}
	fmt.Fprintln(w)
	line("rules alone", r.RulesSum)
	line("rules+model", r.CombinedSum)
	fmt.Fprintf(w, "difference   micro F1 %+.2f\n", r.CombinedSum.MicroF1-r.RulesSum.MicroF1)
	if len(r.Thresholds) > 0 {
		fmt.Fprintln(w, "\nconfidence threshold (rules+model): min  precision  recall  micro F1  trigger F1  argument recall  suggested")
		for _, t := range r.Thresholds {
			fmt.Fprintf(w, "  %.1f  %.2f  %.2f  %.2f  %.2f  %.2f  %d\n", t.MinConfidence, t.Precision, t.Recall, t.MicroF1, t.TriggerF1, t.ArgRecall, t.Suggested)
		}
	}
	if len(r.Curve) > 0 {
		fmt.Fprintln(w, "\nlearning curve (documents trained on -> micro F1 of rules+model)")
		for _, c := range r.Curve {
			fmt.Fprintf(w, "  %4d  %.2f  %s\n", c.Docs, c.MicroF1, strings.Repeat("#", int(c.MicroF1*50+0.5)))
		}
	}
}
