package sqlite_test

import (
	"context"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// snapshot is everything the user can see of a document, for before/after comparisons.
type snapshot struct {
	Status annotate.DocStatus
	Spans  []annotate.Span
	Events []annotate.Event
	Labels int
}

func snap(t *testing.T, s *sqlite.Store, doc int64) snapshot {
	t.Helper()
	ctx := context.Background()
	d, err := s.Document(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := s.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{d.Status, spans, events, len(sc.Labels)}
}

func spanByText(t *testing.T, s *sqlite.Store, doc int64, text string) annotate.Span {
	t.Helper()
	spans, err := s.Spans(context.Background(), doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range spans {
		if sp.Text == text {
			return sp
		}
	}
	t.Fatalf("no span %q", text)
	return annotate.Span{}
}

// The undo and redo tests of every mutation, the redo chain, undo across a reopen,
// conflicts and idempotent suggestions run for both backends in annotate/storetest.
