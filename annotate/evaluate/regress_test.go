package evaluate_test

import (
	"context"
	"testing"

	"evident/annotate/evaluate"
	"evident/annotate/suggest"
)

// TestDevGoldRegression keeps the suggester at or above the scores it reached on the
// development gold set in testdata/gold (thresholds a little below the measured values,
// so a change that loses quality fails here).
func TestDevGoldRegression(t *testing.T) {
	golds := devGold(t)
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := evaluate.Evaluate(context.Background(), s, golds)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	check := func(name string, got, min float64) {
		t.Helper()
		if got < min {
			t.Errorf("%s = %.3f, below %.2f", name, got, min)
		}
	}
	check("CASUALTY overlap F1", r.Label("CASUALTY").Overlap.F1, 0.88)
	check("CASUALTY exact F1", r.Label("CASUALTY").Exact.F1, 0.80)
	check("casualty numbers", r.Casualty.Numbers.Rate, 0.95)
	check("casualty kind", r.Casualty.Kind.Rate, 0.93)
	check("casualty qualifier", r.Casualty.Qualifier.Rate, 0.95)
	check("casualty claimant", r.Casualty.Claimant.Rate, 0.58)
	check("trigger overlap F1", r.Triggers.Overlap.F1, 0.85)
	check("ACTOR overlap F1", r.Label("ACTOR").Overlap.F1, 0.58)
	check("SOURCE overlap F1", r.Label("SOURCE").Overlap.F1, 0.80)
	check("TIME overlap F1", r.Label("TIME").Overlap.F1, 0.70)
	check("WEAPON overlap F1", r.Label("WEAPON").Overlap.F1, 0.70)
	check("attacker recall", r.Role("attacker").Recall, 0.65)
	check("target recall", r.Role("target").Recall, 0.42)
	check("place recall", r.Role("place").Recall, 0.70)
	check("all overlap F1", r.All.Overlap.F1, 0.72)
	if t.Failed() {
		t.Log("\n" + r.String())
	}
}
