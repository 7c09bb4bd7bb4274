package sqlite_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
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

// TestUndoRedoEveryMutation performs each kind of action, then checks that Undo brings
// back exactly the state before it and Redo exactly the state after it.
func TestUndoRedoEveryMutation(t *testing.T) {
	ctx := context.Background()
	const who = "ann"
	mutations := map[string]func(t *testing.T, s *sqlite.Store, doc int64){
		"AddSpan": func(t *testing.T, s *sqlite.Store, doc int64) {
			a, b := find(sampleText, "a market")
			if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: a, End: b, Label: "TARGET", Annotator: who}); err != nil {
				t.Fatal(err)
			}
		},
		"UpdateSpan": func(t *testing.T, s *sqlite.Store, doc int64) {
			sp := spanByText(t, s, doc, "market")
			sp.Start, sp.End = find(sampleText, "a market in Kato")
			sp.Label = "LOCATION"
			sp.Attrs = json.RawMessage(`{"note":"x"}`)
			if _, err := s.UpdateSpan(ctx, sp, who); err != nil {
				t.Fatal(err)
			}
		},
		"SetSpanStatus": func(t *testing.T, s *sqlite.Store, doc int64) {
			ids := []int64{spanByText(t, s, doc, "Kato").ID, spanByText(t, s, doc, "Tuesday").ID}
			if err := s.SetSpanStatus(ctx, ids, annotate.StatusRejected, who); err != nil {
				t.Fatal(err)
			}
		},
		"DeleteSpan": func(t *testing.T, s *sqlite.Store, doc int64) {
			// The SOURCE: an argument of the DEATH event and the casualty's claimant.
			if err := s.DeleteSpan(ctx, spanByText(t, s, doc, "health ministry").ID, who); err != nil {
				t.Fatal(err)
			}
		},
		"DeleteTriggerSpan": func(t *testing.T, s *sqlite.Store, doc int64) {
			if err := s.DeleteSpan(ctx, spanByText(t, s, doc, "attacked").ID, who); err != nil {
				t.Fatal(err)
			}
		},
		"AddEvent": func(t *testing.T, s *sqlite.Store, doc int64) {
			_, err := s.AddEvent(ctx, annotate.Event{DocID: doc, Type: "DEATH", Trigger: spanByText(t, s, doc, "killing").ID,
				Args: []annotate.Argument{{Role: "place", SpanID: spanByText(t, s, doc, "Kato").ID}}, Annotator: who})
			if err != nil {
				t.Fatal(err)
			}
		},
		"AddArgument": func(t *testing.T, s *sqlite.Store, doc int64) {
			evs, _ := s.Events(ctx, doc)
			if err := s.AddArgument(ctx, evs[1].ID, annotate.Argument{Role: "place", SpanID: spanByText(t, s, doc, "Kato").ID}, who); err != nil {
				t.Fatal(err)
			}
		},
		"RemoveArgument": func(t *testing.T, s *sqlite.Store, doc int64) {
			evs, _ := s.Events(ctx, doc)
			if err := s.RemoveArgument(ctx, evs[0].ID, evs[0].Args[1], who); err != nil {
				t.Fatal(err)
			}
		},
		"DeleteEvent": func(t *testing.T, s *sqlite.Store, doc int64) {
			evs, _ := s.Events(ctx, doc)
			if err := s.DeleteEvent(ctx, evs[0].ID, who); err != nil {
				t.Fatal(err)
			}
		},
		"SetDocumentStatus": func(t *testing.T, s *sqlite.Store, doc int64) {
			if err := s.SetDocumentStatus(ctx, doc, annotate.DocDone, who); err != nil {
				t.Fatal(err)
			}
		},
		"AddLabels": func(t *testing.T, s *sqlite.Store, doc int64) {
			if err := s.AddLabels(ctx, []annotate.Label{{Name: "VEHICLE"}, {Name: "ACTOR"}}, who); err != nil {
				t.Fatal(err)
			}
		},
		"AddSuggestions": func(t *testing.T, s *sqlite.Store, doc int64) {
			d := annotate.Draft{Spans: []annotate.Span{span(sampleText, "Gunmen", "ACTOR"), span(sampleText, "civilians", "VICTIM"),
				span(sampleText, "killing", "INJURY")},
				Events: []annotate.DraftEvent{{Type: "INJURY", Trigger: 2, Args: []annotate.DraftArg{{Role: "victim", Span: 1}}}}}
			if n, err := s.AddSuggestions(ctx, doc, d, who); err != nil || n != 2 {
				t.Fatalf("added %d, %v; want 2", n, err)
			}
		},
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			s := MustOpen(t)
			doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
			before := snap(t, s, doc)
			mutate(t, s, doc)
			after := snap(t, s, doc)
			if reflect.DeepEqual(before, after) {
				t.Fatal("the action changed nothing")
			}
			op, err := s.Undo(ctx, who)
			if err != nil || op == nil {
				t.Fatalf("undo: %v, %v", op, err)
			}
			if got := snap(t, s, doc); !reflect.DeepEqual(got, before) {
				t.Fatalf("after undo:\n got %+v\nwant %+v", got, before)
			}
			if op, err := s.Undo(ctx, who); err != nil || op != nil {
				t.Fatalf("second undo: %v, %v; want nothing to undo (imports are not undoable)", op, err)
			}
			op, err = s.Redo(ctx, who)
			if err != nil || op == nil {
				t.Fatalf("redo: %v, %v", op, err)
			}
			if got := snap(t, s, doc); !reflect.DeepEqual(got, after) {
				t.Fatalf("after redo:\n got %+v\nwant %+v", got, after)
			}
			if op, err := s.Redo(ctx, who); err != nil || op != nil {
				t.Fatalf("second redo: %v, %v; want nothing", op, err)
			}
			if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
				t.Fatalf("check: %v %v", problems, err)
			}
		})
	}
}

func TestDeleteSpanCascades(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	src := spanByText(t, s, doc, "health ministry")
	if err := s.DeleteSpan(ctx, src.ID, "ann"); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.Events(ctx, doc)
	for _, e := range evs {
		for _, a := range e.Args {
			if a.SpanID == src.ID {
				t.Fatalf("event %d still points at the deleted span", e.ID)
			}
		}
	}
	var c annotate.Casualty
	if err := json.Unmarshal(spanByText(t, s, doc, "at least 12 civilians").Attrs, &c); err != nil {
		t.Fatal(err)
	}
	if c.Claimant != 0 || c.Kind != "killed" {
		t.Fatalf("casualty attrs after deleting the claimant: %+v", c)
	}
}

func TestRedoChainClearedByNewAction(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	kato := spanByText(t, s, doc, "Kato").ID
	tues := spanByText(t, s, doc, "Tuesday").ID
	for _, id := range []int64{kato, tues} {
		if err := s.SetSpanStatus(ctx, []int64{id}, annotate.StatusRejected, "ann"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Undo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	// Someone else's action does not touch ann's redo chain.
	if err := s.SetDocumentStatus(ctx, doc, annotate.DocInProgress, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	// A new action by ann drops both undone actions.
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, doc, "market").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	if op, err := s.Redo(ctx, "ann"); err != nil || op != nil {
		t.Fatalf("redo after a new action: %+v, %v; want nothing", op, err)
	}
	for _, id := range []int64{kato, tues} {
		sp := spanByText(t, s, doc, map[int64]string{kato: "Kato", tues: "Tuesday"}[id])
		if sp.Status != annotate.StatusAccepted {
			t.Fatalf("span %q is %s, want accepted (its rejection was undone)", sp.Text, sp.Status)
		}
	}
}

func TestUndoRedoOrder(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	id := spanByText(t, s, doc, "Kato").ID
	status := func() annotate.Status {
		sp := spanByText(t, s, doc, "Kato")
		return sp.Status
	}
	_ = s.SetSpanStatus(ctx, []int64{id}, annotate.StatusRejected, "ann")
	_ = s.SetSpanStatus(ctx, []int64{id}, annotate.StatusSuggested, "ann")
	steps := []struct {
		undo bool
		want annotate.Status
	}{{true, annotate.StatusRejected}, {true, annotate.StatusAccepted}, {false, annotate.StatusRejected},
		{false, annotate.StatusSuggested}, {true, annotate.StatusRejected}}
	for i, st := range steps {
		var err error
		if st.undo {
			_, err = s.Undo(ctx, "ann")
		} else {
			_, err = s.Redo(ctx, "ann")
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := status(); got != st.want {
			t.Fatalf("step %d: status %s, want %s", i, got, st.want)
		}
	}
}

func TestUndoAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.db")
	s := mustOpenPath(t, path)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	id := spanByText(t, s, doc, "Kato").ID
	if err := s.SetSpanStatus(ctx, []int64{id}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = mustOpenPath(t, path)
	op, err := s.Undo(ctx, "ann")
	if err != nil || op == nil || op.Kind != "set_status" || op.Summary != `reject LOCATION "Kato"` {
		t.Fatalf("undo after reopen: %+v, %v", op, err)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusAccepted {
		t.Fatalf("status %s after undo", sp.Status)
	}
	s.Close()

	s = mustOpenPath(t, path)
	if op, err := s.Redo(ctx, "ann"); err != nil || op == nil {
		t.Fatalf("redo after reopen: %+v, %v", op, err)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusRejected {
		t.Fatalf("status %s after redo", sp.Status)
	}
}

func TestUndoConflict(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	id := spanByText(t, s, doc, "Kato").ID
	if err := s.SetSpanStatus(ctx, []int64{id}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSpanStatus(ctx, []int64{id}, annotate.StatusSuggested, "bob"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Undo(ctx, "ann")
	if annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("undo over someone else's change: %v, want conflict", err)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusSuggested || sp.Annotator != "bob" {
		t.Fatalf("span after refused undo: %s by %s, want bob's change kept", sp.Status, sp.Annotator)
	}
	// Bob undoes his change; now ann's undo goes through.
	if _, err := s.Undo(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusAccepted {
		t.Fatalf("status %s", sp.Status)
	}

	// A span deleted by someone else cannot be brought back by undoing its update.
	sp := spanByText(t, s, doc, "Tuesday")
	if err := s.SetSpanStatus(ctx, []int64{sp.ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSpan(ctx, sp.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ann"); annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("undo of an update to a deleted span: %v, want conflict", err)
	}
}

func TestUndoConflictWithDependentRow(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	a, b := find(sampleText, "a market")
	sp, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: a, End: b, Label: "TARGET", Annotator: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := s.Events(ctx, doc)
	if err := s.AddArgument(ctx, evs[0].ID, annotate.Argument{Role: "target", SpanID: sp.ID}, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ann"); annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("undo of a span that bob made an argument: %v, want conflict", err)
	}
	if got := spanByText(t, s, doc, "a market"); got.ID != sp.ID {
		t.Fatal("the span is gone after a refused undo")
	}
}

func TestAddSuggestionsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{
		Spans: []annotate.Span{span(sampleText, "Kato", "LOCATION")}})
	// Kato is decided (rejected); the suggester proposes it again with others.
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, doc, "Kato").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	d := sampleDraft()
	for i := range d.Spans {
		d.Spans[i].Origin = "rule:test"
	}
	n, err := s.AddSuggestions(ctx, doc, d, "suggester")
	if err != nil || n != 7 {
		t.Fatalf("first run: added %d, %v; want 7", n, err)
	}
	first := snap(t, s, doc)
	if len(first.Events) != 2 {
		t.Fatalf("%d events, want 2", len(first.Events))
	}
	for _, sp := range first.Spans {
		want := annotate.StatusSuggested
		if sp.Text == "Kato" {
			want = annotate.StatusRejected
		}
		if sp.Status != want {
			t.Fatalf("span %q is %s, want %s", sp.Text, sp.Status, want)
		}
	}
	var c annotate.Casualty
	_ = json.Unmarshal(spanByText(t, s, doc, "at least 12 civilians").Attrs, &c)
	if c.Claimant != spanByText(t, s, doc, "health ministry").ID {
		t.Fatalf("claimant %d", c.Claimant)
	}
	n, err = s.AddSuggestions(ctx, doc, d, "suggester")
	if err != nil || n != 0 {
		t.Fatalf("second run: added %d, %v; want 0", n, err)
	}
	if again := snap(t, s, doc); !reflect.DeepEqual(again, first) {
		t.Fatal("re-running the suggestions changed the document")
	}
	phrases, err := s.LearnedPhrases(ctx)
	if err != nil || len(phrases) != 1 || phrases[0] != (annotate.PhraseStat{Text: "Kato", Label: "LOCATION", Rejected: 1}) {
		t.Fatalf("learned phrases: %+v, %v", phrases, err)
	}
}
