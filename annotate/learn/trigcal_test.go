package learn

import (
	"context"
	"fmt"
	"math"
	"testing"

	"evident/annotate"
)

// TestTriggerCalibration: a model trained on enough done documents calibrates its trigger
// labels from held-out documents (not its argument labels), keeps the calibration through
// its stored form, and the calibrated confidences of held-out triggers are nearer their
// share right (Brier score) than the uncalibrated ones.
func TestTriggerCalibration(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	train := corpus(6, 30)
	// The annotator leaves a third of the attacks unmarked (real gold is not exhaustive
	// either), so a trigger's confidence has a share right to match.
	for i := range train {
		if i%3 == 0 {
			train[i].Accepted = keepSpans(train[i].Accepted, func(sp annotate.Span) bool { return !isTrigger(normLabel(sp.Label)) })
		}
	}
	m, err := Train(ctx, r, train, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ab, ok := m.trigCal["ATTACK"]
	if !ok || ab[0] <= 0 {
		t.Fatalf("ATTACK not calibrated: %v", m.trigCal)
	}
	for l := range m.trigCal {
		if !isTrigger(l) {
			t.Errorf("argument label %s calibrated", l)
		}
	}
	if m2 := storedCopy(t, m); fmt.Sprint(m2.trigCal) != fmt.Sprint(m.trigCal) {
		t.Fatalf("calibration not stored: %v -> %v", m.trigCal, m2.trigCal)
	}
	plain, err := Train(ctx, r, train, Options{NoTriggerCal: true})
	if err != nil {
		t.Fatal(err)
	}
	if plain.trigCal != nil {
		t.Fatalf("NoTriggerCal: %v", plain.trigCal)
	}
	held := corpus(7, 12)
	for i := range held {
		if i%3 == 0 {
			held[i].Accepted = keepSpans(held[i].Accepted, func(sp annotate.Span) bool { return !isTrigger(normLabel(sp.Label)) })
		}
	}
	brier := func(m *Model) (float64, int) {
		s, n := 0.0, 0
		for _, ex := range held {
			d, err := Combined{Rules: r, Model: m}.Suggest(ctx, ex.Text, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range d.Spans {
				if !isTrigger(normLabel(sp.Label)) {
					continue
				}
				y := 0.0
				if overlapsAny(sp, ex.Accepted.Spans) {
					y = 1
				}
				s += (*sp.Confidence - y) * (*sp.Confidence - y)
				n++
			}
		}
		return s / float64(n), n
	}
	bc, n := brier(m)
	bp, _ := brier(plain)
	if n == 0 || bc >= bp {
		t.Fatalf("Brier score of %d held-out triggers: calibrated %.4f, uncalibrated %.4f: want lower calibrated", n, bc, bp)
	}
	t.Logf("Brier score of %d held-out triggers: calibrated %.4f, uncalibrated %.4f", n, bc, bp)
}

// TestCalibrateTriggers: a calibrated label's confidences follow the fitted curve and keep
// their order; other labels are left alone.
func TestCalibrateTriggers(t *testing.T) {
	m := &Model{trigCal: map[string][2]float64{"ATTACK": {1, 1}}}
	c := func(v float64) *float64 { return &v }
	out := []scored{
		{sp: annotate.Span{Label: "ATTACK", Confidence: c(0.2)}},
		{sp: annotate.Span{Label: "ATTACK", Confidence: c(0.5)}},
		{sp: annotate.Span{Label: "VICTIM", Confidence: c(0.2)}},
	}
	m.calibrateTriggers(out)
	want := 1 / (1 + math.Exp(-(math.Log(0.2/0.8) + 1)))
	if got := *out[0].sp.Confidence; math.Abs(got-want) > 1e-12 {
		t.Errorf("ATTACK 0.2 -> %v, want %v", got, want)
	}
	if *out[1].sp.Confidence <= *out[0].sp.Confidence {
		t.Errorf("order lost: %v, %v", *out[0].sp.Confidence, *out[1].sp.Confidence)
	}
	if *out[2].sp.Confidence != 0.2 {
		t.Errorf("VICTIM changed to %v", *out[2].sp.Confidence)
	}
}
