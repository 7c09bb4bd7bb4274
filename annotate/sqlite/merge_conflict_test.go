package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	open := func(name string) *Store { return openIn(t, dir, name) }
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
	if annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("merge after its trigger was deleted meanwhile: %v, want a conflict", err)
	}
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

// TestMergeKilledWhilePublishing: the file as a merge killed between two chunks of its new
// documents leaves it (copied at that moment, the batch's process made gone) shows
// nothing of the merge, `Check` passes and reports the interrupted batch, and the next
// merge removes it and merges in full.
func TestMergeKilledWhilePublishing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(name string) *Store { return openIn(t, dir, name) }
	src, team := open("src.db"), open("team.db")
	im, err := src.BeginImport(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3000; i++ {
		text := fmt.Sprintf("Report %d: a strike hit Kato on Tuesday, killing 4 people.", i)
		d := annotate.Draft{Spans: []annotate.Span{{Start: strings.Index(text, "strike"), End: strings.Index(text, "strike") + 6, Label: "ATTACK", Text: "strike"}}}
		if _, err := im.Add(ctx, &annotate.Document{ExternalID: fmt.Sprint("r", i), Text: text}, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(dir, "killed.db")
	team.chunked = func() {
		if _, err := os.Stat(killed); err == nil {
			return // copied after the first chunk already
		}
		for _, ext := range []string{"", "-wal"} {
			data, err := os.ReadFile(team.path + ext)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(killed+ext, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if st, err := team.Merge(ctx, src, "ann"); err != nil || st.NewDocuments != 3000 {
		t.Fatalf("merge: %+v %v", st, err)
	}
	if _, err := os.Stat(killed); err != nil {
		t.Fatal("the merge published its new documents in one transaction, not in chunks")
	}
	k := open("killed.db")
	if _, err := k.db.ExecContext(ctx, `UPDATE import_batches SET pid = 0`); err != nil { // its process is gone
		t.Fatal(err)
	}
	if docs, err := k.Documents(ctx); err != nil || len(docs) != 0 {
		t.Fatalf("%d documents visible after a merge killed between chunks: %v", len(docs), err)
	}
	if problems, err := k.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	if bs, err := k.StagedBatches(ctx); err != nil || len(bs) != 1 || bs[0].Running || bs[0].Documents == 0 {
		t.Fatalf("staged batches: %+v %v", bs, err)
	}
	if st, err := k.Merge(ctx, src, "ann"); err != nil || st.NewDocuments != 3000 {
		t.Fatalf("merge after the killed one: %+v %v", st, err)
	}
	if bs, err := k.StagedBatches(ctx); err != nil || len(bs) != 0 {
		t.Fatalf("staged batches after the next merge: %+v %v", bs, err)
	}
	if docs, err := k.Documents(ctx); err != nil || len(docs) != 3000 {
		t.Fatalf("%d documents after the next merge: %v", len(docs), err)
	}
	if problems, err := k.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// openIn opens (making it) the store file name in dir, closed when the test ends.
func openIn(t *testing.T, dir, name string) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, name), Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
