package storetest

import (
	"context"
	"math"
	"testing"

	"evident/annotate"
)

// testSuggestionConfidence: a suggestion's confidence is stored, read back, kept when it
// is accepted, and restored by undo; a NaN or missing score is "none", never certainty.
func testSuggestionConfidence(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "c1", Text: sampleText}, annotate.Draft{})
	score := func(f float64) *float64 { return &f }
	a := span(sampleText, "attacked", "ATTACK")
	a.Confidence = score(0.8125)
	b := span(sampleText, "Kato", "LOCATION")
	b.Confidence = score(math.NaN())
	c := span(sampleText, "Gunmen", "ACTOR") // no score
	d := span(sampleText, "market", "TARGET")
	d.Confidence = score(7) // out of range: clamped
	if _, err := s.AddSuggestions(ctx, doc, annotate.Draft{Spans: []annotate.Span{a, b, c, d}}, "rules"); err != nil {
		t.Fatal(err)
	}
	got := map[string]*float64{}
	var attackID int64
	spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range spans {
		got[sp.Label] = sp.Confidence
		if sp.Label == "ATTACK" {
			attackID = sp.ID
		}
	}
	if got["ATTACK"] == nil || *got["ATTACK"] != 0.8125 {
		t.Errorf("ATTACK confidence = %v, want 0.8125", got["ATTACK"])
	}
	if got["LOCATION"] != nil || got["ACTOR"] != nil {
		t.Errorf("NaN and missing scores must read back as none, got %v and %v", got["LOCATION"], got["ACTOR"])
	}
	if got["TARGET"] == nil || *got["TARGET"] != 1 {
		t.Errorf("out-of-range score must be clamped to 1, got %v", got["TARGET"])
	}
	if err := s.SetSpanStatus(ctx, []int64{attackID}, annotate.StatusAccepted, "ann"); err != nil {
		t.Fatal(err)
	}
	sp := spanByID(t, s, doc, attackID)
	if sp.Status != annotate.StatusAccepted || sp.Confidence == nil || *sp.Confidence != 0.8125 {
		t.Fatalf("accepted span lost its confidence: %+v", sp)
	}
	if _, err := s.Undo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	sp = spanByID(t, s, doc, attackID)
	if sp.Status != annotate.StatusSuggested || sp.Confidence == nil || *sp.Confidence != 0.8125 {
		t.Fatalf("undo of the acceptance must restore the suggestion with its confidence: %+v", sp)
	}
}

func spanByID(t *testing.T, s annotate.Store, doc, id int64) annotate.Span {
	t.Helper()
	spans, err := s.Spans(context.Background(), doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range spans {
		if sp.ID == id {
			return sp
		}
	}
	t.Fatalf("span %d not found", id)
	return annotate.Span{}
}
