package learn

import (
	"context"
	"math"
	"testing"
)

// TestCRFLearnsNewLabel: the tagger trained as a CRF learns a label the rules never make
// and finds it on unseen text, with confidences that are probabilities.
func TestCRFLearnsNewLabel(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	m, err := Train(ctx, r, corpus(1, 30), Options{CRF: true})
	if err != nil {
		t.Fatal(err)
	}
	test := buildDoc("t", [][]piece{{{"The Ostrel fighters", "ACTOR"}, {" ", ""}, {"shelled", "ATTACK"}, {" the ", ""}, {"rail yard", "FACILITY"}, {" near ", ""}, {"Zelmot", "LOCATION"}, {".", ""}}}, true)
	d, err := r.Suggest(ctx, test.Text, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := prepare(test.Text, d)
	found, probs := m.tg.tag(p)
	T := m.tg.nTags()
	for i := 0; i < len(p.toks); i++ {
		s := 0.0
		for _, v := range probs[i*T : (i+1)*T] {
			s += v
		}
		if math.Abs(s-1) > 1e-9 {
			t.Fatalf("token %d: tag probabilities sum to %v", i, s)
		}
	}
	for _, f := range found {
		if f.label == "FACILITY" && p.textOf(test.Text, f.start, f.end) == "rail yard" && f.conf > 0.5 {
			return
		}
	}
	t.Fatalf("the CRF did not tag the rail yard as FACILITY: %+v", found)
}

// TestForwardBackward: the scaled forward-backward gives the exact marginals of a small
// chain, computed here by summing over every tag sequence.
func TestForwardBackward(t *testing.T) {
	const n, T = 3, 2
	trp := []float64{1, 2, 0.5, 1, 3, 1} // (T+1) × T, the last row the start
	em := []float64{1, 2, 3, 1, 0.5, 2}
	alpha, beta := make([]float64, n*T), make([]float64, n*T)
	forwardBackward(n, T, trp, em, alpha, beta)
	want := make([]float64, n*T)
	z := 0.0
	for y0 := 0; y0 < T; y0++ {
		for y1 := 0; y1 < T; y1++ {
			for y2 := 0; y2 < T; y2++ {
				p := trp[T*T+y0] * em[y0] * trp[y0*T+y1] * em[T+y1] * trp[y1*T+y2] * em[2*T+y2]
				z += p
				want[y0] += p
				want[T+y1] += p
				want[2*T+y2] += p
			}
		}
	}
	for i := 0; i < n; i++ {
		got := make([]float64, T)
		for k := range got {
			got[k] = alpha[i*T+k] * beta[i*T+k]
		}
		normalize(got)
		for k := range got {
			if math.Abs(got[k]-want[i*T+k]/z) > 1e-12 {
				t.Fatalf("position %d tag %d: %v, want %v", i, k, got[k], want[i*T+k]/z)
			}
		}
	}
}
