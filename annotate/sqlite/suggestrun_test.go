package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// runDraft stores drafts as one complete suggestion run.
func runDraft(t *testing.T, s *sqlite.Store, r annotate.Run, drafts map[int64]annotate.Draft) annotate.RunTotals {
	t.Helper()
	ctx := context.Background()
	run, err := s.BeginSuggestRun(ctx, r)
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

// Texts and attributes with emoji, Arabic, quotes, backslashes and control characters
// are stored byte for byte (the run sends rows to SQLite as JSON).
func TestSuggestRunStoresAnyText(t *testing.T) {
	ctx := context.Background()
	text := "Rockets 🚀 hit\tغزة on \"Monday\" \\ at 5\x01pm, نقلا"
	d := annotate.Draft{Spans: []annotate.Span{
		span(text, "Rockets 🚀", "WEAPON"), span(text, "hit\tغزة", "ATTACK"), span(text, "\"Monday\" \\", "TIME"),
		span(text, "5\x01pm, نقلا", "TIME"),
	}}
	d.Spans[0].Attrs = []byte(`{"name":"صاروخ \"🚀\" \\ \u0001"}`)
	a, b := MustOpen(t), MustOpen(t)
	docA := importOne(t, a, annotate.Document{ExternalID: "u", Text: text}, annotate.Draft{})
	docB := importOne(t, b, annotate.Document{ExternalID: "u", Text: text}, annotate.Draft{})
	if _, err := a.AddSuggestions(ctx, docA, d, ""); err != nil {
		t.Fatal(err)
	}
	runDraft(t, b, annotate.Run{Source: "rules"}, map[int64]annotate.Draft{docB: d})
	if sa, sb := withoutIDs(snap(t, a, docA)), withoutIDs(snap(t, b, docB)); !reflect.DeepEqual(sa, sb) {
		t.Fatalf("run stored\n%+v\nAddSuggestions stored\n%+v", sb.Spans, sa.Spans)
	}
	if problems, err := b.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
