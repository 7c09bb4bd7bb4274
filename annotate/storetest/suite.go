// Package storetest is the store's test suite, written against annotate.Store only, so
// that every backend passes the same tests: annotate/storetest's own tests run it over
// the backend list (an SQLite file, a throwaway PostgreSQL database), and a new backend
// is tested by adding a line there. The cases were the SQLite backend's own tests.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/assets"
)

// Backend is one store implementation under test.
type Backend struct {
	Name string
	// New returns the --db value of a new, empty project (a file path, a postgres:// URL).
	New func(tb testing.TB) string
}

// Run runs the whole suite against b, each test as a subtest.
func Run(t *testing.T, b Backend) {
	for _, c := range append([]namedTest{
		{"ImportAndRead", testImportAndRead},
		{"ImportSkipsDuplicates", testImportSkipsDuplicates},
		{"ImportErrors", testImportErrors},
		{"UndoRedoEveryMutation", testUndoRedoEveryMutation},
		{"DeleteSpanCascades", testDeleteSpanCascades},
		{"RedoChainClearedByNewAction", testRedoChainClearedByNewAction},
		{"UndoRedoOrder", testUndoRedoOrder},
		{"UndoAcrossReopen", testUndoAcrossReopen},
		{"UndoConflict", testUndoConflict},
		{"UndoConflictWithDependentRow", testUndoConflictWithDependentRow},
		{"AddSuggestionsIdempotent", testAddSuggestionsIdempotent},
		{"EachDocument", testEachDocument},
		{"DocumentsStatsSettings", testDocumentsStatsSettings},
		{"ErrorsHaveCodes", testErrorsHaveCodes},
		{"SuggestionConfidence", testSuggestionConfidence},
		{"SearchMatchesScan", testSearchMatchesScan},
		{"SearchErrors", testSearchErrors},
		{"ModelSuggestions", testModelSuggestions},
		{"CoProposers", testCoProposers},
		{"SuggestRunStoresWhatAddSuggestionsStores", testSuggestRunStoresWhatAddSuggestionsStores},
		{"UndoSuggestRun", testUndoSuggestRun},
		{"SuggestRunReplacesUndecided", testSuggestRunReplacesUndecided},
		{"SuggestRunBadDraft", testSuggestRunBadDraft},
		{"SuggestRunTimes", testSuggestRunTimes},
		{"SuggestRunKeepsIncidentEvents", testSuggestRunKeepsIncidentEvents},
	}, incidentTests()...) {
		t.Run(c.name, func(t *testing.T) { c.fn(t, b) })
	}
}

type namedTest struct {
	name string
	fn   func(*testing.T, Backend)
}

// store is what a backend offers beyond annotate.Store: every backend keeps incidents
// and takes batches of span changes.
type store interface {
	annotate.Store
	annotate.IncidentStore
	annotate.SpanBatchStore
}

func (b Backend) open(tb testing.TB) store { return b.openAt(tb, b.New(tb)) }

// openAt opens the project at target, seeded with the default schema, and closes it
// when the test ends.
func (b Backend) openAt(tb testing.TB, target string) store {
	tb.Helper()
	s, err := backend.Open(context.Background(), target, backend.Options{Schema: assets.Schema()})
	if err != nil {
		tb.Fatalf("open %s: %v", target, err)
	}
	tb.Cleanup(func() { s.Close() })
	full, ok := s.(store)
	if !ok {
		tb.Fatalf("%s: the store lacks incidents or span batches", b.Name)
	}
	return full
}

func importOne(tb testing.TB, s annotate.Store, doc annotate.Document, d annotate.Draft) int64 {
	tb.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		tb.Fatal(err)
	}
	defer im.Rollback()
	added, err := im.Add(ctx, &doc, d)
	if err != nil {
		tb.Fatal(err)
	}
	if !added {
		tb.Fatalf("document %q was not added", doc.ExternalID)
	}
	if err := im.Commit(); err != nil {
		tb.Fatal(err)
	}
	return doc.ID
}

func find(text, sub string) (int, int) {
	r, s := []rune(text), []rune(sub)
	for i := 0; i+len(s) <= len(r); i++ {
		if string(r[i:i+len(s)]) == sub {
			return i, i + len(s)
		}
	}
	panic(fmt.Sprintf("%q not in text", sub))
}

func span(text, sub, label string) annotate.Span {
	a, b := find(text, sub)
	return annotate.Span{Start: a, End: b, Label: label}
}

func sampleDraft() annotate.Draft {
	casualty := span(sampleText, "at least 12 civilians", "CASUALTY")
	casualty.Attrs = json.RawMessage(`{"kind":"killed","low":12,"qualifier":"at_least","victims":["civilians"]}`)
	return annotate.Draft{
		Spans: []annotate.Span{
			span(sampleText, "Gunmen", "ACTOR"),           // 0
			span(sampleText, "attacked", "ATTACK"),        // 1
			span(sampleText, "market", "TARGET"),          // 2
			span(sampleText, "Kato", "LOCATION"),          // 3
			span(sampleText, "Tuesday", "TIME"),           // 4
			span(sampleText, "killing", "DEATH"),          // 5
			casualty,                                      // 6
			span(sampleText, "health ministry", "SOURCE"), // 7
		},
		Events: []annotate.DraftEvent{
			{Type: "ATTACK", Trigger: 1, Args: []annotate.DraftArg{{Role: "attacker", Span: 0}, {Role: "target", Span: 2}, {Role: "place", Span: 3}, {Role: "time", Span: 4}}},
			{Type: "DEATH", Trigger: 5, Args: []annotate.DraftArg{{Role: "casualties", Span: 6}, {Role: "source", Span: 7}}},
		},
		Claimants: map[int]int{6: 7},
	}
}

const sampleText = "Gunmen attacked a market in Kato on Tuesday, killing at least 12 civilians, the health ministry said."

type snapshot struct {
	Status annotate.DocStatus
	Spans  []annotate.Span
	Events []annotate.Event
	Labels int
}

func snap(t *testing.T, s annotate.Store, doc int64) snapshot {
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

func spanByText(t *testing.T, s annotate.Store, doc int64, text string) annotate.Span {
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

func corpus(t *testing.T, s annotate.Store, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	var ids []int64
	for i := 0; i < n; i++ {
		doc := annotate.Document{ExternalID: fmt.Sprint("d", i), Title: fmt.Sprint("Doc ", i), Text: fmt.Sprintf("%s (%d)", sampleText, i)}
		if _, err := im.Add(ctx, &doc, sampleDraft()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, doc.ID)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func testImportAndRead(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	id := importOne(t, s, annotate.Document{ExternalID: "a1", Title: "Market attack", Source: "Wire", Text: sampleText,
		Meta: json.RawMessage(`{"lang":"en"}`)}, sampleDraft())

	doc, err := s.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Text != sampleText || doc.SHA256 != annotate.TextHash(sampleText) || doc.Status != annotate.DocNew || string(doc.Meta) != `{"lang":"en"}` {
		t.Fatalf("document = %+v", doc)
	}
	spans, err := s.Spans(ctx, id, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 8 {
		t.Fatalf("%d spans, want 8", len(spans))
	}
	byText := map[string]annotate.Span{}
	for _, sp := range spans {
		if sp.Status != annotate.StatusAccepted || sp.Origin != annotate.OriginImport || sp.Annotator != "importer" {
			t.Errorf("span %+v: want accepted/import/importer", sp)
		}
		byText[sp.Text] = sp
	}
	var c annotate.Casualty
	if err := json.Unmarshal(byText["at least 12 civilians"].Attrs, &c); err != nil {
		t.Fatal(err)
	}
	if c.Claimant != byText["health ministry"].ID || c.ClaimantText != "health ministry" || c.Kind != "killed" {
		t.Fatalf("casualty attrs = %+v, want claimant %d", c, byText["health ministry"].ID)
	}
	events, err := s.Events(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Trigger != byText["attacked"].ID || len(events[0].Args) != 4 ||
		events[1].Args[0] != (annotate.Argument{Role: "casualties", SpanID: byText["at least 12 civilians"].ID}) {
		t.Fatalf("events = %+v", events)
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Accepted != 8 || docs[0].Suggested != 0 || docs[0].Title != "Market attack" {
		t.Fatalf("documents = %+v", docs)
	}
	problems, err := s.Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

func testImportSkipsDuplicates(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	added, err := im.Add(ctx, &annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	if err != nil || added {
		t.Fatalf("re-import of the same id and text: added=%v err=%v, want skipped", added, err)
	}
	// Same id with a different text is another document.
	added, err = im.Add(ctx, &annotate.Document{ExternalID: "a1", Text: sampleText + " More."}, annotate.Draft{})
	if err != nil || !added {
		t.Fatalf("same id, new text: added=%v err=%v, want added", added, err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	docs, _ := s.Documents(ctx)
	if len(docs) != 2 || docs[0].Accepted != 8 {
		t.Fatalf("documents = %+v", docs)
	}
	hist, err := s.History(ctx, 1)
	if err != nil || len(hist) != 1 || hist[0].Kind != "import" || hist[0].Summary != "imported 1 documents (1 already present, skipped)" {
		t.Fatalf("history = %+v, %v", hist, err)
	}
}

func testImportErrors(t *testing.T, be Backend) {
	ctx := context.Background()
	bad := map[string]annotate.Draft{
		"ErrSpanPastEnd":    {Spans: []annotate.Span{{Start: 5, End: 1000, Label: "ACTOR"}}},
		"ErrEmptySpan":      {Spans: []annotate.Span{{Start: 5, End: 5, Label: "ACTOR"}}},
		"ErrUnknownLabel":   {Spans: []annotate.Span{{Start: 0, End: 6, Label: "NOPE"}}},
		"ErrTriggerIndex":   {Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR"}}, Events: []annotate.DraftEvent{{Type: "ATTACK", Trigger: 3}}},
		"ErrUnknownRole":    {Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR"}}, Events: []annotate.DraftEvent{{Type: "ATTACK", Trigger: 0, Args: []annotate.DraftArg{{Role: "weapon", Span: 0}}}}},
		"ErrAttrsNotObject": {Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR", Attrs: json.RawMessage(`[1]`)}}},
	}
	for name, d := range bad {
		t.Run(name, func(t *testing.T) {
			s := be.open(t)
			im, err := s.BeginImport(ctx, "importer")
			if err != nil {
				t.Fatal(err)
			}
			defer im.Rollback()
			if _, err := im.Add(ctx, &annotate.Document{ExternalID: "ok", Text: sampleText}, annotate.Draft{}); err != nil {
				t.Fatal(err)
			}
			_, err = im.Add(ctx, &annotate.Document{ExternalID: "bad", Text: sampleText}, d)
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Fatalf("err = %v, want code invalid", err)
			}
			if err := im.Rollback(); err != nil {
				t.Fatal(err)
			}
			docs, err := s.Documents(ctx)
			if err != nil || len(docs) != 0 {
				t.Fatalf("after rollback: %d documents (%v), want none", len(docs), err)
			}
			hist, _ := s.History(ctx, 0)
			if len(hist) != 0 {
				t.Fatalf("after rollback: history %+v", hist)
			}
		})
	}
	t.Run("ErrInvalidUTF8", func(t *testing.T) {
		s := be.open(t)
		im, _ := s.BeginImport(ctx, "importer")
		defer im.Rollback()
		_, err := im.Add(ctx, &annotate.Document{Text: "bad \xff byte"}, annotate.Draft{})
		if annotate.ErrorCode(err) != annotate.EInvalid {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
}

func testUndoRedoEveryMutation(t *testing.T, be Backend) {
	ctx := context.Background()
	const who = "ann"
	mutations := map[string]func(t *testing.T, s annotate.Store, doc int64){
		"AddSpan": func(t *testing.T, s annotate.Store, doc int64) {
			a, b := find(sampleText, "a market")
			if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: a, End: b, Label: "TARGET", Annotator: who}); err != nil {
				t.Fatal(err)
			}
		},
		"UpdateSpan": func(t *testing.T, s annotate.Store, doc int64) {
			sp := spanByText(t, s, doc, "market")
			sp.Start, sp.End = find(sampleText, "a market in Kato")
			sp.Label = "LOCATION"
			sp.Attrs = json.RawMessage(`{"note":"x"}`)
			if _, err := s.UpdateSpan(ctx, sp, who); err != nil {
				t.Fatal(err)
			}
		},
		"SetSpanStatus": func(t *testing.T, s annotate.Store, doc int64) {
			ids := []int64{spanByText(t, s, doc, "Kato").ID, spanByText(t, s, doc, "Tuesday").ID}
			if err := s.SetSpanStatus(ctx, ids, annotate.StatusRejected, who); err != nil {
				t.Fatal(err)
			}
		},
		"DeleteSpan": func(t *testing.T, s annotate.Store, doc int64) {
			// The SOURCE: an argument of the DEATH event and the casualty's claimant.
			if err := s.DeleteSpan(ctx, spanByText(t, s, doc, "health ministry").ID, who); err != nil {
				t.Fatal(err)
			}
		},
		"DeleteTriggerSpan": func(t *testing.T, s annotate.Store, doc int64) {
			if err := s.DeleteSpan(ctx, spanByText(t, s, doc, "attacked").ID, who); err != nil {
				t.Fatal(err)
			}
		},
		"AddEvent": func(t *testing.T, s annotate.Store, doc int64) {
			_, err := s.AddEvent(ctx, annotate.Event{DocID: doc, Type: "DEATH", Trigger: spanByText(t, s, doc, "killing").ID,
				Args: []annotate.Argument{{Role: "place", SpanID: spanByText(t, s, doc, "Kato").ID}}, Annotator: who})
			if err != nil {
				t.Fatal(err)
			}
		},
		"AddArgument": func(t *testing.T, s annotate.Store, doc int64) {
			evs, _ := s.Events(ctx, doc)
			if err := s.AddArgument(ctx, evs[1].ID, annotate.Argument{Role: "place", SpanID: spanByText(t, s, doc, "Kato").ID}, who); err != nil {
				t.Fatal(err)
			}
		},
		"RemoveArgument": func(t *testing.T, s annotate.Store, doc int64) {
			evs, _ := s.Events(ctx, doc)
			if err := s.RemoveArgument(ctx, evs[0].ID, evs[0].Args[1], who); err != nil {
				t.Fatal(err)
			}
		},
		"DeleteEvent": func(t *testing.T, s annotate.Store, doc int64) {
			evs, _ := s.Events(ctx, doc)
			if err := s.DeleteEvent(ctx, evs[0].ID, who); err != nil {
				t.Fatal(err)
			}
		},
		"SetDocumentStatus": func(t *testing.T, s annotate.Store, doc int64) {
			if err := s.SetDocumentStatus(ctx, doc, annotate.DocDone, who); err != nil {
				t.Fatal(err)
			}
		},
		"AddLabels": func(t *testing.T, s annotate.Store, doc int64) {
			if err := s.AddLabels(ctx, []annotate.Label{{Name: "VEHICLE"}, {Name: "ACTOR"}}, who); err != nil {
				t.Fatal(err)
			}
		},
		"AddSuggestions": func(t *testing.T, s annotate.Store, doc int64) {
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
			s := be.open(t)
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

func testDeleteSpanCascades(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
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

func testRedoChainClearedByNewAction(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
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

func testUndoRedoOrder(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
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

func testUndoAcrossReopen(t *testing.T, be Backend) {
	ctx := context.Background()
	path := be.New(t)
	s := be.openAt(t, path)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	id := spanByText(t, s, doc, "Kato").ID
	if err := s.SetSpanStatus(ctx, []int64{id}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = be.openAt(t, path)
	op, err := s.Undo(ctx, "ann")
	if err != nil || op == nil || op.Kind != "set_status" || op.Summary != `reject LOCATION "Kato"` {
		t.Fatalf("undo after reopen: %+v, %v", op, err)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusAccepted {
		t.Fatalf("status %s after undo", sp.Status)
	}
	s.Close()

	s = be.openAt(t, path)
	if op, err := s.Redo(ctx, "ann"); err != nil || op == nil {
		t.Fatalf("redo after reopen: %+v, %v", op, err)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusRejected {
		t.Fatalf("status %s after redo", sp.Status)
	}
}

func testUndoConflict(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
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

func testUndoConflictWithDependentRow(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
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

func testAddSuggestionsIdempotent(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
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

func testEachDocument(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	ids := corpus(t, s, 1203) // more than two pages
	kato := spanByText(t, s, ids[5], "Kato")
	if err := s.SetSpanStatus(ctx, []int64{kato.ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{ids[5], ids[700]} {
		if err := s.SetDocumentStatus(ctx, id, annotate.DocDone, "ann"); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name      string
		f         annotate.ExportFilter
		docs      int
		spans     int
		firstSpan int // spans of the first document seen
	}{
		{"All", annotate.ExportFilter{}, 1203, 1203 * 8, 8},
		{"DoneOnly", annotate.ExportFilter{DoneOnly: true}, 2, 16, 8},
		{"Rejected", annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusRejected}}}, 1203, 1, 0},
		{"Labels", annotate.ExportFilter{Spans: annotate.SpanFilter{Labels: []string{"ACTOR", "SOURCE"}}}, 1203, 2 * 1203, 2},
		{"Annotator", annotate.ExportFilter{Spans: annotate.SpanFilter{Annotator: "ann"}}, 1203, 1, 0},
		{"DocIDs", annotate.ExportFilter{DocIDs: []int64{ids[3], ids[1000]}}, 2, 16, 8},
		{"ManyDocIDs", annotate.ExportFilter{DocIDs: append(make([]int64, 40000), ids[7])}, 1, 8, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs, spans := 0, 0
			last := int64(0)
			err := s.EachDocument(ctx, c.f, func(d *annotate.Document, sp []annotate.Span, ev []annotate.Event) error {
				if d.ID <= last {
					t.Fatalf("document %d after %d: not in id order", d.ID, last)
				}
				last = d.ID
				if docs == 0 && len(sp) != c.firstSpan {
					t.Fatalf("first document: %d spans, want %d", len(sp), c.firstSpan)
				}
				for _, x := range sp {
					if x.DocID != d.ID {
						t.Fatalf("span %d of document %d handed with document %d", x.ID, x.DocID, d.ID)
					}
				}
				if len(ev) != 2 || !strings.HasPrefix(d.Text, sampleText) {
					t.Fatalf("document %d: %d events", d.ID, len(ev))
				}
				docs++
				spans += len(sp)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if docs != c.docs || spans != c.spans {
				t.Fatalf("%d documents, %d spans; want %d, %d", docs, spans, c.docs, c.spans)
			}
		})
	}
	t.Run("ErrStops", func(t *testing.T) {
		n := 0
		stop := fmt.Errorf("enough")
		err := s.EachDocument(ctx, annotate.ExportFilter{}, func(*annotate.Document, []annotate.Span, []annotate.Event) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 {
			t.Fatalf("err %v after %d documents", err, n)
		}
	})
}

func testDocumentsStatsSettings(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	ids := corpus(t, s, 3)
	n, err := s.AddSuggestions(ctx, ids[1], annotate.Draft{Spans: []annotate.Span{span(sampleText, "civilians", "VICTIM")}}, "rules")
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, ids[1], "Kato").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDocumentStatus(ctx, ids[2], annotate.DocDone, "ann"); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 || docs[1].Suggested != 1 || docs[1].Accepted != 7 || docs[1].Rejected != 1 || docs[2].Status != annotate.DocDone || docs[0].Title != "Doc 0" {
		t.Fatalf("documents = %+v", docs)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 3 || st.DocsByStatus[annotate.DocDone] != 1 || st.DocsByStatus[annotate.DocNew] != 2 {
		t.Fatalf("stats = %+v", st)
	}
	counts := map[string]int{}
	for _, lc := range st.Spans {
		counts[lc.Label+"/"+string(lc.Status)] = lc.Count
	}
	if counts["LOCATION/accepted"] != 2 || counts["LOCATION/rejected"] != 1 || counts["VICTIM/suggested"] != 1 || counts["ACTOR/accepted"] != 3 {
		t.Fatalf("span counts = %v", counts)
	}
	if len(st.Annotators) != 3 || st.Annotators[0] != (annotate.AnnotatorCount{Name: "importer", Spans: 23}) {
		t.Fatalf("annotators = %+v", st.Annotators)
	}

	if v, err := s.Setting(ctx, "window.size"); err != nil || v != "" {
		t.Fatalf("unset setting = %q, %v", v, err)
	}
	for _, v := range []string{"800x600", "1024x768"} {
		if err := s.SetSetting(ctx, "window.size", v); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := s.Setting(ctx, "window.size"); err != nil || v != "1024x768" {
		t.Fatalf("setting = %q, %v", v, err)
	}
}

func testErrorsHaveCodes(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	kato := spanByText(t, s, doc, "Kato")
	cases := map[string]struct {
		err  error
		code string
	}{}
	add := func(name, code string, err error) {
		cases[name] = struct {
			err  error
			code string
		}{err, code}
	}
	_, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 0, End: 3, Label: "NOPE"})
	add("ErrUnknownLabel", annotate.EInvalid, err)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 3, End: 3, Label: "ACTOR"})
	add("ErrEmptySpan", annotate.EInvalid, err)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 3, End: 9999, Label: "ACTOR"})
	add("ErrPastEnd", annotate.EInvalid, err)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: 999, Start: 0, End: 3, Label: "ACTOR"})
	add("ErrNoDocument", annotate.ENotFound, err)
	add("ErrNoSpan", annotate.ENotFound, s.SetSpanStatus(ctx, []int64{kato.ID, 12345}, annotate.StatusAccepted, "ann"))
	add("ErrBadStatus", annotate.EInvalid, s.SetSpanStatus(ctx, []int64{kato.ID}, "maybe", "ann"))
	add("ErrBadDocStatus", annotate.EInvalid, s.SetDocumentStatus(ctx, doc, "finished", "ann"))
	_, err = s.AddEvent(ctx, annotate.Event{Type: "PARADE", Trigger: kato.ID})
	add("ErrEventType", annotate.EInvalid, err)
	evs, _ := s.Events(ctx, doc)
	add("ErrRole", annotate.EInvalid, s.AddArgument(ctx, evs[0].ID, annotate.Argument{Role: "weapon", SpanID: kato.ID}, "ann"))
	add("ErrNoArgument", annotate.ENotFound, s.RemoveArgument(ctx, evs[0].ID, annotate.Argument{Role: "source", SpanID: kato.ID}, "ann"))
	other := importOne(t, s, annotate.Document{ExternalID: "a2", Text: sampleText + "!"}, sampleDraft())
	add("ErrArgumentOtherDoc", annotate.EInvalid, s.AddArgument(ctx, evs[0].ID, annotate.Argument{Role: "place", SpanID: spanByText(t, s, other, "Kato").ID}, "ann"))
	_, err = s.UpdateSpan(ctx, annotate.Span{ID: kato.ID, Start: 0, End: 4, Label: "LOCATION", Attrs: []byte(`"x"`)}, "ann")
	add("ErrAttrs", annotate.EInvalid, err)
	_, err = s.Document(ctx, 4242)
	add("ErrNoDocumentRead", annotate.ENotFound, err)
	add("ErrBadLabelName", annotate.EInvalid, s.AddLabels(ctx, []annotate.Label{{Name: "lower"}}, "ann"))
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := annotate.ErrorCode(c.err); got != c.code {
				t.Fatalf("err = %v (code %q), want code %q", c.err, got, c.code)
			}
		})
	}
	// None of the failed actions left anything behind.
	hist, _ := s.History(ctx, 0)
	if len(hist) != 2 {
		t.Fatalf("history after failed actions: %+v", hist)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusAccepted {
		t.Fatalf("a failed multi-span action changed span status to %s", sp.Status)
	}
}
