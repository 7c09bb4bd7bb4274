package sqlite_test

import (
	"context"
	"encoding/json"
	"testing"

	"evident/annotate"
)

// TestReplaceSpans takes one annotator's version into the gold layer as one action:
// the copies keep their claimant link (pointed at the copied SOURCE), replace the
// gold span that was there, and one Undo reverts all of it.
func TestReplaceSpans(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	id := importOne(t, s, annotate.Document{ExternalID: "d1", Title: "Kato", Text: sampleText}, annotate.Draft{})
	add := func(sp annotate.Span, ann string) annotate.Span {
		t.Helper()
		sp.DocID, sp.Annotator = id, ann
		out, err := s.AddSpan(ctx, sp)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	src := add(span(sampleText, "health ministry", "SOURCE"), "alice")
	cas := span(sampleText, "at least 12 civilians", "CASUALTY")
	cas.Attrs = json.RawMessage(`{"kind":"killed","low":12,"claimant":` + jsonInt(src.ID) + `}`)
	cas = add(cas, "alice")
	oldGold := add(span(sampleText, "Kato", "ACTOR"), annotate.GoldAnnotator)

	keep := map[int64]bool{src.ID: true, cas.ID: true}
	batch := []annotate.Span{annotate.GoldCopy(src, keep), annotate.GoldCopy(cas, keep)}
	got, err := s.ReplaceSpans(ctx, id, []int64{oldGold.ID}, batch, "carol")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d spans, want 2", len(got))
	}
	gold, err := s.Spans(ctx, id, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) != 2 {
		t.Fatalf("gold layer has %d spans, want 2: %+v", len(gold), gold)
	}
	for _, g := range gold {
		if g.Origin != "curation:alice" || g.Status != annotate.StatusAccepted || g.ID == src.ID || g.ID == cas.ID {
			t.Errorf("gold span %+v: want a new accepted copy with origin curation:alice", g)
		}
		if g.Label == "CASUALTY" {
			var c annotate.Casualty
			if err := json.Unmarshal(g.Attrs, &c); err != nil {
				t.Fatal(err)
			}
			if c.Claimant != got[0].ID {
				t.Errorf("claimant = %d, want the gold SOURCE %d", c.Claimant, got[0].ID)
			}
		}
	}

	// One undo by the curator reverts the whole batch: the copies go, the old gold span
	// comes back.
	op, err := s.Undo(ctx, "carol")
	if err != nil || op == nil || op.Kind != "replace_spans" {
		t.Fatalf("undo = %+v, %v", op, err)
	}
	gold, _ = s.Spans(ctx, id, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 1 || gold[0].ID != oldGold.ID {
		t.Fatalf("after undo gold has %+v, want only span %d", gold, oldGold.ID)
	}
	if _, err := s.Redo(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	gold, _ = s.Spans(ctx, id, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 2 {
		t.Fatalf("after redo gold has %d spans, want 2", len(gold))
	}
}

func TestReplaceSpansErrors(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a := importOne(t, s, annotate.Document{ExternalID: "a", Text: sampleText}, annotate.Draft{})
	b := importOne(t, s, annotate.Document{ExternalID: "b", Text: sampleText + " More."}, annotate.Draft{})
	other, err := s.AddSpan(ctx, annotate.Span{DocID: b, Start: 0, End: 6, Label: "ACTOR", Annotator: "x"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		remove []int64
		add    []annotate.Span
		code   string
	}{
		{"ErrOtherDocument", nil, []annotate.Span{{DocID: b, Start: 0, End: 6, Label: "ACTOR"}}, annotate.EInvalid},
		{"ErrRemoveOtherDocument", []int64{other.ID}, nil, annotate.EInvalid},
		{"ErrBadOffset", nil, []annotate.Span{{Start: 5, End: 9999, Label: "ACTOR"}}, annotate.EInvalid},
		{"ErrMissingSpan", []int64{987654}, nil, annotate.ENotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.ReplaceSpans(ctx, a, c.remove, c.add, "carol")
			if got := annotate.ErrorCode(err); got != c.code {
				t.Fatalf("code = %q (%v), want %q", got, err, c.code)
			}
		})
	}
	// nothing was stored by the refused calls
	if spans, _ := s.Spans(ctx, a, annotate.SpanFilter{}); len(spans) != 0 {
		t.Fatalf("refused calls stored %+v", spans)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }
