package storetest

import (
	"context"
	"reflect"
	"testing"

	"evident/annotate"
)

func predictionStore(tb testing.TB, s annotate.Store) annotate.PredictionStore {
	tb.Helper()
	ps, ok := s.(annotate.PredictionStore)
	if !ok {
		tb.Fatalf("%T does not implement annotate.PredictionStore", s)
	}
	return ps
}

// testModelSuggestions: an outside model's run stores its spans as suggestions with
// their score and run; a later run of the same model replaces the undecided ones it no
// longer proposes, keeps the row of one it proposes again, never touches decided,
// rejected or other suggesters' spans; each document's put is one undoable step; bad
// spans are refused with nothing stored.
func testModelSuggestions(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	ps := predictionStore(t, s)
	doc := importOne(t, s, annotate.Document{ExternalID: "m1", Text: sampleText}, annotate.Draft{})
	rej := span(sampleText, "market", "TARGET")
	rules := span(sampleText, "Tuesday", "TIME")
	if _, err := s.AddSuggestions(ctx, doc, annotate.Draft{Spans: []annotate.Span{rej, rules}}, "rules"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, doc, "market").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	score := func(f float64) *float64 { return &f }
	const origin = "model:ner"
	run1, err := ps.StartRun(ctx, annotate.Run{Source: "ner", Version: "1", Annotator: "ann", Params: []byte(`{"k":1}`)})
	if err != nil || run1 == 0 {
		t.Fatalf("start run: %d %v", run1, err)
	}
	a := span(sampleText, "Gunmen", "ACTOR")
	a.Confidence, a.RunID = score(0.75), run1
	b := span(sampleText, "Kato", "LOCATION")
	b.RunID = run1
	again := rej // the rejected span proposed again: stays rejected, not added
	again.RunID = run1
	added, removed, err := ps.PutModelSuggestions(ctx, doc, origin, []annotate.Span{a, b, again}, "ann")
	if err != nil || added != 2 || removed != 0 {
		t.Fatalf("first run: added %d removed %d err %v, want 2 0", added, removed, err)
	}
	if err := ps.FinishRun(ctx, run1); err != nil {
		t.Fatal(err)
	}
	gotA := spanByText(t, s, doc, "Gunmen")
	if gotA.Origin != origin || gotA.Status != annotate.StatusSuggested || gotA.RunID != run1 || gotA.Confidence == nil || *gotA.Confidence != 0.75 {
		t.Fatalf("model suggestion stored as %+v", gotA)
	}
	if sp := spanByText(t, s, doc, "market"); sp.Status != annotate.StatusRejected || sp.Origin == origin {
		t.Fatalf("a rejected span proposed again must stay rejected: %+v", sp)
	}

	// Run 2 proposes Gunmen again (new score) and "killing", not Kato.
	run2, err := ps.StartRun(ctx, annotate.Run{Source: "ner", Version: "1", Annotator: "ann"})
	if err != nil || run2 == run1 {
		t.Fatalf("second run id %d (first %d): %v", run2, run1, err)
	}
	a.Confidence, a.RunID = score(0.5), run2
	k := span(sampleText, "killing", "DEATH")
	k.RunID = run2
	before := snap(t, s, doc)
	added, removed, err = ps.PutModelSuggestions(ctx, doc, origin, []annotate.Span{a, k}, "ann")
	if err != nil || added != 1 || removed != 1 {
		t.Fatalf("second run: added %d removed %d err %v, want 1 1", added, removed, err)
	}
	if sp := spanByText(t, s, doc, "Gunmen"); sp.ID != gotA.ID || sp.RunID != run2 || sp.Confidence == nil || *sp.Confidence != 0.5 {
		t.Fatalf("a span proposed again must keep its row and take the new run and score: %+v (was id %d)", sp, gotA.ID)
	}
	spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, sp := range spans {
		texts[sp.Text] = true
	}
	if texts["Kato"] || !texts["killing"] || !texts["Tuesday"] {
		t.Fatalf("after run 2 want Kato replaced, killing added, the rules' Tuesday kept: %v", texts)
	}
	// One undo restores the document as it was before run 2's put.
	if _, err := s.Undo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	if after := snap(t, s, doc); !reflect.DeepEqual(before, after) {
		t.Fatalf("undo of a model put:\n got %+v\nwant %+v", after, before)
	}
	if _, err := s.Redo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}

	// A decided model span is never removed by a later run.
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, doc, "killing").ID}, annotate.StatusAccepted, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, removed, err = ps.PutModelSuggestions(ctx, doc, origin, nil, "ann"); err != nil || removed != 1 {
		t.Fatalf("empty run: removed %d err %v, want 1 (Gunmen only)", removed, err)
	}
	if sp := spanByText(t, s, doc, "killing"); sp.Status != annotate.StatusAccepted {
		t.Fatalf("accepted model span touched: %+v", sp)
	}

	// Bad spans: refused with EInvalid, nothing stored.
	before = snap(t, s, doc)
	for name, bad := range map[string]annotate.Span{
		"unknown label": {Start: 0, End: 6, Label: "NOPE"},
		"out of range":  {Start: 90, End: 500, Label: "ACTOR"},
	} {
		if _, _, err := ps.PutModelSuggestions(ctx, doc, origin, []annotate.Span{b, bad}, "ann"); annotate.ErrorCode(err) != annotate.EInvalid {
			t.Errorf("%s: want EInvalid, got %v", name, err)
		}
	}
	if _, _, err := ps.PutModelSuggestions(ctx, doc+100, origin, []annotate.Span{b}, "ann"); err == nil {
		t.Error("a put into a missing document must fail")
	}
	if after := snap(t, s, doc); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused put changed the document:\n got %+v\nwant %+v", after, before)
	}
}
