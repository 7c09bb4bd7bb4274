package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"evident/annotate"
	"evident/assets"
)

// TestMergeRefusesWhatChangedMeanwhile: a merge stages its rows without the write lock,
// so another writer may delete, between staging and publishing, a stored span the staged
// rows use (here the trigger of a new event). The publishing transaction is refused by
// the foreign keys: nothing of the source is merged, the error says to merge again, and
// merging again works.
func TestMergeRefusesWhatChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(name string) *Store {
		s, err := Open(ctx, filepath.Join(dir, name), Options{Schema: assets.Schema()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	const text = "A strike hit Kato on Tuesday, killing 4 people."
	trig := annotate.Span{Start: 2, End: 8, Label: "ATTACK", Text: "strike"}
	place := annotate.Span{Start: 13, End: 17, Label: "LOCATION", Text: "Kato"}
	add := func(s *Store, d annotate.Draft) {
		im, err := s.BeginImport(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		if _, err := im.Add(ctx, &annotate.Document{ExternalID: "k", Text: text}, d); err != nil {
			t.Fatal(err)
		}
		if err := im.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	team, src := open("team.db"), open("bob.db")
	add(team, annotate.Draft{Spans: []annotate.Span{trig}})
	add(src, annotate.Draft{Spans: []annotate.Span{trig, place},
		Events: []annotate.DraftEvent{{Type: "ATTACK", Trigger: 0, Args: []annotate.DraftArg{{Role: "place", Span: 1}}}}})
	docs, err := team.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, err := team.Spans(ctx, docs[0].ID, annotate.SpanFilter{})
	if err != nil || len(before) != 1 {
		t.Fatalf("spans: %v %v", before, err)
	}
	team.staged = func() {
		if err := team.DeleteSpan(ctx, before[0].ID, "window"); err != nil {
			t.Errorf("delete meanwhile: %v", err)
		}
	}
	st, err := team.Merge(ctx, src, "ann")
	t.Logf("%+v", st)
	if annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("merge after its trigger was deleted meanwhile: %v, want a conflict", err)
	}
	t.Log(err)
	evs, err := team.Events(ctx, docs[0].ID)
	if err != nil || len(evs) != 0 {
		t.Fatalf("events after a refused merge: %v %v", evs, err)
	}
	if spans, _ := team.Spans(ctx, docs[0].ID, annotate.SpanFilter{}); len(spans) != 0 {
		t.Fatalf("a refused merge left %d spans", len(spans))
	}
	team.staged = nil
	st, err = team.Merge(ctx, src, "ann")
	if err != nil || st.Spans != 2 || st.Events != 1 || st.Arguments != 1 {
		t.Fatalf("merge again: %+v %v", st, err)
	}
}
