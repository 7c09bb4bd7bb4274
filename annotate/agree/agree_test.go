package agree_test

import (
	"math"
	"testing"

	"evident/annotate"
	"evident/annotate/agree"
)

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// The figures below were computed by hand (see the comments) for ten one-letter tokens.
func TestHandComputedCase(t *testing.T) {
	text := "a b c d e f g h i j"
	doc := agree.Doc{ID: "d", Tokens: annotate.Tokens(text), Spans: map[string][]agree.Span{
		"ann": {{0, 3, "LOC"}, {6, 7, "ACT"}, {10, 11, "LOC"}},
		"bob": {{0, 3, "LOC"}, {6, 9, "ACT"}, {14, 15, "LOC"}},
	}}
	rep := agree.Compute([]agree.Doc{doc})
	if len(rep.Pairs) != 1 {
		t.Fatalf("%d pairs", len(rep.Pairs))
	}
	p := rep.Pairs[0]
	if p.A != "ann" || p.B != "bob" || p.Documents != 1 || p.Tokens != 10 {
		t.Fatalf("pair %+v", p)
	}
	near(t, "exact F1", p.Exact.F1, 2.0/6)     // one exact match of 3 + 3 spans
	near(t, "overlap F1", p.Overlap.F1, 4.0/6) // LOC exact, ACT overlapping
	// Tokens: ann L L O A O L O O O O, bob L L O A A O O L O O: po = 0.7;
	// marginals ann L3 A1 O6, bob L3 A2 O5: pe = (9+2+30)/100 = 0.41.
	near(t, "kappa", p.Kappa, (0.7-0.41)/(1-0.41))
	// Coincidences: LL 4, OO 8, AA 2, OA+AO 2, LO+OL 4; n_L 6, n_O 11, n_A 3, n 20;
	// alpha = 1 - 19*6 / (2*(66+18+33)).
	near(t, "alpha", rep.Alpha, 1-19.0*6/234)
	var loc agree.LabelResult
	for _, l := range p.Labels {
		if l.Label == "LOC" {
			loc = l
		}
	}
	near(t, "LOC exact F1", loc.Exact.F1, 2.0/4)
}

func TestPerfectAgreement(t *testing.T) {
	spans := []agree.Span{{0, 1, "X"}, {4, 5, "Y"}}
	doc := agree.Doc{Tokens: annotate.Tokens("a b c d"), Spans: map[string][]agree.Span{"a": spans, "b": spans, "c": spans}}
	rep := agree.Compute([]agree.Doc{doc})
	if len(rep.Pairs) != 3 {
		t.Fatalf("%d pairs for 3 annotators", len(rep.Pairs))
	}
	for _, p := range rep.Pairs {
		near(t, "F1", p.Exact.F1, 1)
		near(t, "kappa", p.Kappa, 1)
	}
	near(t, "alpha", rep.Alpha, 1)
}

func TestDocumentsOnlyOneAnnotatorSawAreNotCompared(t *testing.T) {
	toks := annotate.Tokens("a b")
	docs := []agree.Doc{
		{Tokens: toks, Spans: map[string][]agree.Span{"a": {{0, 1, "X"}}, "b": {{0, 1, "X"}}}},
		{Tokens: toks, Spans: map[string][]agree.Span{"a": {{2, 3, "X"}}}},
	}
	rep := agree.Compute(docs)
	if rep.Pairs[0].Documents != 1 || rep.AlphaDocs != 1 {
		t.Fatalf("compared %d docs, alpha over %d; want 1 and 1", rep.Pairs[0].Documents, rep.AlphaDocs)
	}
	near(t, "F1", rep.Pairs[0].Exact.F1, 1)
}
