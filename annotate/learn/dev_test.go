package learn_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"

	"evident/annotate"
	"evident/annotate/evaluate"
	"evident/annotate/learn"
	"evident/annotate/suggest"
)

// casualtyAsVictim relabels the rules' CASUALTY spans VICTIM, for gold that counts a
// counted victim ("12 people") as VICTIM and has no CASUALTY label.
type casualtyAsVictim struct{ r learn.Rules }

func (c casualtyAsVictim) Suggest(ctx context.Context, text, pub string, l []annotate.PhraseStat) (annotate.Draft, error) {
	d, err := c.r.Suggest(ctx, text, pub, l)
	for i := range d.Spans {
		if d.Spans[i].Label == "CASUALTY" {
			d.Spans[i].Label = "VICTIM"
		}
	}
	return d, err
}

// TestPrintCV cross-validates on the gold file in EVAL_GOLD (a development aid; `evident
// eval --cv K` is the user's way). EVAL_K sets K (default 5), EVAL_MIN the threshold.
func TestPrintCV(t *testing.T) {
	path := os.Getenv("EVAL_GOLD")
	if path == "" {
		t.Skip("set EVAL_GOLD=file.jsonl to print a cross-validation")
	}
	golds, err := evaluate.ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cfg suggest.Config
	if dir := os.Getenv("EVAL_LEXDIR"); dir != "" { // the rules' lexicons from a directory, to compare variants of them
		cfg.Data = os.DirFS(dir)
	}
	s, err := suggest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := strconv.Atoi(os.Getenv("EVAL_K"))
	if k == 0 {
		k = 5
	}
	minc, _ := strconv.ParseFloat(os.Getenv("EVAL_MIN"), 64)
	temp, _ := strconv.ParseFloat(os.Getenv("EVAL_TEMP"), 64)
	epochs, _ := strconv.Atoi(os.Getenv("EVAL_EPOCHS"))
	prior, _ := strconv.ParseFloat(os.Getenv("EVAL_PRIOR"), 64)
	var exs []learn.Example
	for _, g := range golds {
		exs = append(exs, learn.Example{ID: g.ID, Text: g.Text, Published: g.Published, Accepted: g.Draft, Complete: true})
	}
	var base []learn.Example
	if bp := os.Getenv("EVAL_BASE"); bp != "" { // a base corpus trained on in every fold
		bg, err := evaluate.ReadGoldFile(bp)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range bg {
			if os.Getenv("EVAL_BASE_CASVIC") != "" {
				for i := range g.Draft.Spans {
					if g.Draft.Spans[i].Label == "CASUALTY" {
						g.Draft.Spans[i].Label = "VICTIM"
					}
				}
			}
			base = append(base, learn.Example{ID: g.ID, Text: g.Text, Published: g.Published, Accepted: g.Draft, Complete: true})
		}
	}
	basew, _ := strconv.ParseFloat(os.Getenv("EVAL_BASEW"), 64)
	var rules learn.Rules = casualtyAsVictim{s}
	if os.Getenv("EVAL_DB") != "" { // as in a database: CASUALTY spans are not VICTIM
		rules = s
	}
	if os.Getenv("EVAL_BASEONLY") != "" { // a model from the base corpus alone, scored on every document
		m, err := learn.Train(context.Background(), rules, nil, learn.Options{Base: base, BaseWeight: basew})
		if err != nil {
			t.Fatal(err)
		}
		var golds2 []evaluate.Gold
		var labels []string
		seen := map[string]bool{}
		for _, g := range golds {
			golds2 = append(golds2, g)
			for _, sp := range g.Draft.Spans {
				if !seen[sp.Label] {
					seen[sp.Label] = true
					labels = append(labels, sp.Label)
				}
			}
		}
		for _, mc := range []float64{0, 0.1, 0.2, 0.3, 0.5} {
			r := evaluate.Evaluate(context.Background(), learn.Combined{Rules: rules, Model: m, MinConfidence: mc}, golds2)
			fmt.Printf("base only, min %.1f: %+v\n", mc, learn.Summarize(r, labels))
		}
		r := evaluate.Evaluate(context.Background(), rules, golds2)
		fmt.Printf("rules alone: %+v\n", learn.Summarize(r, labels))
		return
	}
	opt := learn.CVOptions{K: k, Curve: os.Getenv("EVAL_CURVE") != "", MinConfidence: minc,
		Train: learn.Options{Temperature: temp, Epochs: epochs, RulePrior: prior, Rerank: os.Getenv("EVAL_RERANK") != "", NoArgTagger: os.Getenv("EVAL_NOAT") != "", NoLabelMap: os.Getenv("EVAL_NOMAP") != "", NoTriggerCal: os.Getenv("EVAL_NOTCAL") != "", CRF: os.Getenv("EVAL_CRF") != "", Base: base, BaseWeight: basew}}
	if r, _ := strconv.Atoi(os.Getenv("EVAL_REPEAT")); r > 0 {
		// Repeated cross-validation: the documents shuffled with seeds 1..r, so the folds
		// differ from split to split but are the same for every run with the same seeds.
		// Two systems compared split by split (paired) differ with less noise than one
		// split's ±0.02.
		printRepeatedCV(t, rules, exs, opt, r)
		return
	}
	rep, err := learn.CrossValidate(context.Background(), rules, exs, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep.Print(os.Stdout)
}

// printRepeatedCV prints one line per split (seed, trigger F1, argument recall,
// precision, micro F1, suggested) and the means.
func printRepeatedCV(t *testing.T, rules learn.Rules, exs []learn.Example, opt learn.CVOptions, repeats int) {
	var sum, rsum [4]float64
	curve := map[int][4]float64{} // documents trained on -> summed micro F1, trigger F1, argument recall, precision
	// Overlap counts per label summed over the splits, rules alone and rules + model, so
	// a change to the rules' lexicons can be read label by label.
	perLabel := map[string]*[2]evaluate.Score{}
	var sizes []int
	for seed := 1; seed <= repeats; seed++ {
		shuf := append([]learn.Example(nil), exs...)
		rand.New(rand.NewPCG(uint64(seed), 5)).Shuffle(len(shuf), func(i, j int) { shuf[i], shuf[j] = shuf[j], shuf[i] })
		rep, err := learn.CrossValidate(context.Background(), rules, shuf, opt)
		if err != nil {
			t.Fatal(err)
		}
		s, rs := rep.CombinedSum, rep.RulesSum
		fmt.Printf("split %d  %.4f %.4f %.4f %.4f %d\n", seed, s.TriggerF1, s.ArgRecall, s.Precision, s.MicroF1, s.Suggested)
		fmt.Printf("rules %d  %.4f %.4f %.4f %.4f %d\n", seed, rs.TriggerF1, rs.ArgRecall, rs.Precision, rs.MicroF1, rs.Suggested)
		for i, v := range []float64{s.TriggerF1, s.ArgRecall, s.Precision, s.MicroF1} {
			sum[i] += v
		}
		for i, v := range []float64{rs.TriggerF1, rs.ArgRecall, rs.Precision, rs.MicroF1} {
			rsum[i] += v
		}
		for _, l := range rep.GoldLabels {
			if perLabel[l] == nil {
				perLabel[l] = &[2]evaluate.Score{}
			}
			for i, r := range []evaluate.Report{rep.Rules, rep.Combined} {
				c := &perLabel[l][i]
				x := r.Label(l).Overlap
				c.TP, c.FP, c.FN = c.TP+x.TP, c.FP+x.FP, c.FN+x.FN
			}
		}
		for _, c := range rep.Curve {
			if _, ok := curve[c.Docs]; !ok {
				sizes = append(sizes, c.Docs)
			}
			v := curve[c.Docs]
			curve[c.Docs] = [4]float64{v[0] + c.MicroF1, v[1] + c.TriggerF1, v[2] + c.ArgRecall, v[3] + c.Precision}
		}
	}
	n := float64(repeats)
	fmt.Printf("mean of %d splits: trigger F1 %.3f  argument recall %.3f  precision %.3f  micro F1 %.3f\n", repeats, sum[0]/n, sum[1]/n, sum[2]/n, sum[3]/n)
	fmt.Printf("rules alone, mean: trigger F1 %.3f  argument recall %.3f  precision %.3f  micro F1 %.3f\n", rsum[0]/n, rsum[1]/n, rsum[2]/n, rsum[3]/n)
	labels := make([]string, 0, len(perLabel))
	for l := range perLabel {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		pl := perLabel[l]
		fmt.Printf("label %-8s", l)
		for i, name := range []string{"rules", "rules+model"} {
			p, r, f := learn.PRF(pl[i])
			fmt.Printf("  %s %.3f / %.3f / %.3f", name, p, r, f)
		}
		fmt.Println()
	}
	for _, d := range sizes {
		v := curve[d]
		fmt.Printf("curve %d docs: micro F1 %.3f  trigger F1 %.3f  argument recall %.3f  precision %.3f\n", d, v[0]/n, v[1]/n, v[2]/n, v[3]/n)
	}
}
