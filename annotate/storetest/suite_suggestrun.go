package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"evident/annotate"
)

func suggestRunner(tb testing.TB, s annotate.Store) annotate.SuggestRunner {
	tb.Helper()
	sr, ok := s.(annotate.SuggestRunner)
	if !ok {
		tb.Fatalf("%T does not implement annotate.SuggestRunner", s)
	}
	return sr
}

// runDraft stores drafts as one complete suggestion run.
func runDraft(t *testing.T, s annotate.Store, r annotate.Run, drafts map[int64]annotate.Draft) annotate.RunTotals {
	t.Helper()
	ctx := context.Background()
	run, err := suggestRunner(t, s).BeginSuggestRun(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	for doc, d := range drafts {
		if err := run.Add(ctx, doc, d); err != nil {
			t.Fatal(err)
		}
	}
	tot, err := run.Finish(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

// withoutIDs blanks what differs between two stores holding the same annotations.
func withoutIDs(sn snapshot) snapshot {
	ids := map[int64]int{}
	for i := range sn.Spans {
		ids[sn.Spans[i].ID] = i
	}
	out := sn
	out.Spans = append([]annotate.Span(nil), sn.Spans...)
	for i := range out.Spans {
		out.Spans[i].ID, out.Spans[i].RunID = 0, 0
		out.Spans[i].Created, out.Spans[i].Updated = time.Time{}, time.Time{}
	}
	out.Events = append([]annotate.Event(nil), sn.Events...)
	for i := range out.Events {
		e := &out.Events[i]
		e.ID, e.Trigger = 0, int64(ids[e.Trigger])
		args := append([]annotate.Argument(nil), e.Args...)
		for j := range args {
			args[j].SpanID = int64(ids[args[j].SpanID])
		}
		e.Args = args
	}
	return out
}

func checkClean(t *testing.T, s annotate.Store) {
	t.Helper()
	if problems, err := s.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// testSuggestRunStoresWhatAddSuggestionsStores: a run stores exactly what
// AddSuggestions stores (ids and times aside), claimants resolved to the run's own ids.
func testSuggestRunStoresWhatAddSuggestionsStores(t *testing.T, be Backend) {
	ctx := context.Background()
	d := sampleDraft()
	for i := range d.Spans {
		d.Spans[i].Origin = "rule:test"
	}
	a, b := be.open(t), be.open(t)
	docA := importOne(t, a, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	docB := importOne(t, b, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	if _, err := a.AddSuggestions(ctx, docA, d, ""); err != nil {
		t.Fatal(err)
	}
	tot := runDraft(t, b, annotate.Run{Source: "rules"}, map[int64]annotate.Draft{docB: d})
	if tot != (annotate.RunTotals{Documents: 1, Added: 8, Events: 2}) {
		t.Fatalf("totals %+v", tot)
	}
	sa, sb := snap(t, a, docA), snap(t, b, docB)
	if !reflect.DeepEqual(withoutIDs(sa), withoutIDs(sb)) {
		t.Fatalf("run stored\n%+v\nAddSuggestions stored\n%+v", withoutIDs(sb), withoutIDs(sa))
	}
	for _, sp := range sb.Spans {
		if sp.RunID == 0 {
			t.Fatalf("span %q has no run", sp.Text)
		}
	}
	checkClean(t, b)
	// The run's ids came from the tables' own numbering: a later edit gets a fresh id.
	added, err := b.AddSpan(ctx, annotate.Span{DocID: docB, Start: 0, End: 2, Label: "ACTOR", Annotator: "ann"})
	if err != nil {
		t.Fatalf("a span added after a run: %v", err)
	}
	for _, sp := range sb.Spans {
		if sp.ID == added.ID {
			t.Fatalf("span id %d reused", added.ID)
		}
	}
}

// testUndoSuggestRun: undoing a run removes its undecided suggestions and keeps decided
// ones; the run is one step in the log however many documents it covered, and is not
// redone.
func testUndoSuggestRun(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{
		Spans: []annotate.Span{span(sampleText, "Kato", "LOCATION")}})
	doc2 := importOne(t, s, annotate.Document{ExternalID: "a2", Text: sampleText + " More."}, annotate.Draft{})
	before, before2 := snap(t, s, doc), snap(t, s, doc2)
	d := sampleDraft()
	runDraft(t, s, annotate.Run{Source: "rules", Annotator: "ann"}, map[int64]annotate.Draft{doc: d, doc2: d})
	hist, err := s.History(ctx, 0)
	if err != nil || len(hist) == 0 || hist[0].Kind != "suggest" {
		t.Fatalf("history %+v %v", hist, err)
	}
	// Another annotator accepts one suggestion of the run: a decision, which stays.
	acc := spanByText(t, s, doc, "Gunmen")
	if err := s.SetSpanStatus(ctx, []int64{acc.ID}, annotate.StatusAccepted, "other"); err != nil {
		t.Fatal(err)
	}
	op, err := s.Undo(ctx, "ann")
	if err != nil || op == nil || op.Kind != "suggest" {
		t.Fatalf("undo run: %+v %v", op, err)
	}
	if got := snap(t, s, doc2); !reflect.DeepEqual(got, before2) {
		t.Fatalf("document 2 after undo:\n%+v\nwant\n%+v", got, before2)
	}
	got := snap(t, s, doc)
	if len(got.Spans) != 2 || len(got.Events) != 0 {
		t.Fatalf("after undo: %+v (want Kato and the accepted Gunmen)", got.Spans)
	}
	if !reflect.DeepEqual(got.Spans[0], before.Spans[0]) && !reflect.DeepEqual(got.Spans[1], before.Spans[0]) {
		t.Fatalf("imported span changed: %+v", got.Spans)
	}
	if g := spanByText(t, s, doc, "Gunmen"); g.Status != annotate.StatusAccepted {
		t.Fatalf("decided span %+v", g)
	}
	if op, err := s.Redo(ctx, "ann"); err != nil || op != nil {
		t.Fatalf("redo after undoing a run: %+v %v", op, err)
	}
	checkClean(t, s)
}

// testSuggestRunReplacesUndecided: re-running replaces the earlier run's undecided
// suggestions that the new run does not propose, keeps decided ones, those proposed
// again and other sources' ones, and undo restores the earlier state exactly.
func testSuggestRunReplacesUndecided(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	runDraft(t, s, annotate.Run{Source: "rules", Replace: true}, map[int64]annotate.Draft{doc: sampleDraft()})
	tuesday := spanByText(t, s, doc, "Tuesday")
	if err := s.SetSpanStatus(ctx, []int64{tuesday.ID}, annotate.StatusRejected, ""); err != nil {
		t.Fatal(err)
	}
	other := annotate.Draft{Spans: []annotate.Span{span(sampleText, "civilians", "VICTIM")}}
	runDraft(t, s, annotate.Run{Source: "model-x"}, map[int64]annotate.Draft{doc: other})
	before := snap(t, s, doc)
	nd := annotate.Draft{Spans: []annotate.Span{
		span(sampleText, "Gunmen", "ACTOR"), span(sampleText, "Kato", "LOCATION"), span(sampleText, "Tuesday", "TIME"),
		span(sampleText, "health ministry", "SOURCE"), span(sampleText, "Kato on Tuesday", "LOCATION"),
	}}
	tot := runDraft(t, s, annotate.Run{Source: "rules", Replace: true}, map[int64]annotate.Draft{doc: nd})
	if tot.Added != 1 || tot.Replaced == 0 {
		t.Fatalf("totals %+v, want 1 added and some replaced", tot)
	}
	after := snap(t, s, doc)
	texts := map[string]annotate.Status{}
	for _, sp := range after.Spans {
		texts[sp.Text+"/"+sp.Label] = sp.Status
	}
	want := map[string]annotate.Status{"Gunmen/ACTOR": "suggested", "Kato/LOCATION": "suggested", "Tuesday/TIME": "rejected",
		"health ministry/SOURCE": "suggested", "Kato on Tuesday/LOCATION": "suggested", "civilians/VICTIM": "suggested"}
	if !reflect.DeepEqual(texts, want) {
		t.Fatalf("after the re-run: %v\nwant %v", texts, want)
	}
	if len(after.Events) != 0 {
		t.Fatalf("events of replaced triggers stayed: %+v", after.Events)
	}
	checkClean(t, s)
	if op, err := s.Undo(ctx, ""); err != nil || op == nil || op.Kind != "suggest" {
		t.Fatalf("undo: %+v %v", op, err)
	}
	if got := snap(t, s, doc); !reflect.DeepEqual(got, before) {
		t.Fatalf("undo of the re-run:\n%+v\nwant\n%+v", got, before)
	}
	checkClean(t, s)
}

// testSuggestRunBadDraft: documents are stored whole: a bad draft fails its batch and
// leaves nothing of it; a run needs a source.
func testSuggestRunBadDraft(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	sr := suggestRunner(t, s)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	before := snap(t, s, doc)
	run, err := sr.BeginSuggestRun(ctx, annotate.Run{Source: "rules"})
	if err != nil {
		t.Fatal(err)
	}
	bad := sampleDraft()
	bad.Spans = append(bad.Spans, annotate.Span{Start: 5, End: 500, Label: "ACTOR"})
	if err := run.Add(ctx, doc, bad); err != nil {
		t.Fatal(err) // queued only
	}
	if _, err := run.Finish(ctx, true); err == nil {
		t.Fatal("a span past the end of the text was stored")
	}
	if got := snap(t, s, doc); !reflect.DeepEqual(got, before) {
		t.Fatalf("a failed batch left rows: %+v", got.Spans)
	}
	if _, err := sr.BeginSuggestRun(ctx, annotate.Run{}); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("run without source: %v", err)
	}
}

// testSuggestRunTimes: a run's spans are stored without times of their own (0, no bytes
// on SQLite) and read as the run's start; a decision sets the span's updated time and
// keeps its created time.
func testSuggestRunTimes(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	start := time.Now().Add(-time.Second)
	runDraft(t, s, annotate.Run{Source: "rules", Annotator: "ann"}, map[int64]annotate.Draft{doc: sampleDraft()})
	end := time.Now().Add(time.Second)
	spans := snap(t, s, doc).Spans
	if len(spans) == 0 {
		t.Fatal("the run stored no spans")
	}
	created := spans[0].Created
	for _, sp := range spans {
		if sp.Created.Before(start) || sp.Created.After(end) || !sp.Updated.Equal(sp.Created) || !sp.Created.Equal(created) {
			t.Fatalf("span %q: created %v updated %v, want both the run's start (between %v and %v)", sp.Text, sp.Created, sp.Updated, start, end)
		}
	}
	time.Sleep(2 * time.Millisecond)
	if err := s.SetSpanStatus(ctx, []int64{spans[0].ID}, annotate.StatusAccepted, "ann"); err != nil {
		t.Fatal(err)
	}
	acc := spanByText(t, s, doc, spans[0].Text)
	if !acc.Created.Equal(created) || !acc.Updated.After(created) {
		t.Fatalf("accepted span: created %v updated %v (run start %v)", acc.Created, acc.Updated, created)
	}
}

// testSuggestRunKeepsIncidentEvents: a re-run does not remove a suggested event that is
// linked to an incident (nor the spans it uses); it replaces the rest, and undo restores.
func testSuggestRunKeepsIncidentEvents(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	runDraft(t, s, annotate.Run{Source: "rules", Replace: true}, map[int64]annotate.Draft{doc: sampleDraft()})
	var attack int64
	for _, e := range snap(t, s, doc).Events {
		if e.Type == "ATTACK" {
			attack = e.ID
		}
	}
	inc, err := s.CreateIncident(ctx, annotate.Incident{Title: "Strike on Kato", Events: []annotate.EventRef{ref(doc, attack)}}, "rev")
	if err != nil {
		t.Fatal(err)
	}
	before := snap(t, s, doc)
	tot := runDraft(t, s, annotate.Run{Source: "rules", Replace: true}, map[int64]annotate.Draft{doc: {
		Spans: []annotate.Span{span(sampleText, "Kato", "LOCATION")}}})
	if tot.Replaced != 3 {
		t.Fatalf("totals %+v, want the DEATH event's 3 spans replaced", tot)
	}
	after := snap(t, s, doc)
	var texts []string
	for _, sp := range after.Spans {
		texts = append(texts, sp.Text)
	}
	if want := []string{"Gunmen", "attacked", "market", "Kato", "Tuesday"}; !reflect.DeepEqual(texts, want) {
		t.Fatalf("spans after the re-run: %q, want %q", texts, want)
	}
	if len(after.Events) != 1 || after.Events[0].ID != attack {
		t.Fatalf("events after the re-run: %+v", after.Events)
	}
	got, err := s.Incident(ctx, inc.ID)
	if err != nil || len(got.Events) != 1 || got.Events[0].EventID != attack {
		t.Fatalf("incident after the re-run: %+v %v", got, err)
	}
	checkClean(t, s)
	if op, err := s.Undo(ctx, ""); err != nil || op == nil || op.Kind != "suggest" {
		t.Fatalf("undo: %+v %v", op, err)
	}
	if got := snap(t, s, doc); !reflect.DeepEqual(got, before) {
		t.Fatalf("undo of the re-run:\n%+v\nwant\n%+v", got, before)
	}
	checkClean(t, s)
	// Undoing the first run keeps the linked event and its spans too.
	if op, err := s.Undo(ctx, ""); err != nil || op == nil || op.Kind != "suggest" {
		t.Fatalf("undo: %+v %v", op, err)
	}
	if got := snap(t, s, doc); len(got.Events) != 1 || len(got.Spans) != 5 {
		t.Fatalf("after undoing the first run: %+v", got)
	}
	checkClean(t, s)
}
