package learn_test

import (
	"context"
	"os"
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
	s, err := suggest.New(suggest.Config{})
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
	var rules learn.Rules = casualtyAsVictim{s}
	if os.Getenv("EVAL_DB") != "" { // as in a database: CASUALTY spans are not VICTIM
		rules = s
	}
	rep, err := learn.CrossValidate(context.Background(), rules, exs, learn.CVOptions{K: k, Curve: os.Getenv("EVAL_CURVE") != "", MinConfidence: minc,
		Train: learn.Options{Temperature: temp, Epochs: epochs, RulePrior: prior, Rerank: os.Getenv("EVAL_RERANK") != "", NoArgTagger: os.Getenv("EVAL_NOAT") != "", CRF: os.Getenv("EVAL_CRF") != ""}})
	if err != nil {
		t.Fatal(err)
	}
	rep.Print(os.Stdout)
}
