package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// holdWriteLock starts an import on its own store and adds a document, so that the write
// lock is held until the test ends (as another process's long import would hold it).
func holdWriteLock(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	w := mustOpenPath(t, path)
	im, err := w.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { im.Rollback() })
	doc := annotate.Document{ExternalID: "held", Text: sampleText}
	if _, err := im.Add(ctx, &doc, sampleDraft()); err != nil {
		t.Fatal(err)
	}
}

// TestOpenWhileAnotherWrites: opening a current database, read-only or not, takes no
// write lock, so it neither waits for nor fails on a writer holding the lock (before,
// the schema check was a write transaction and failed after the busy timeout).
func TestOpenWhileAnotherWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "evident.db")
	s := mustOpenPath(t, path)
	id := importOne(t, s, annotate.Document{ExternalID: "a", Text: sampleText}, sampleDraft())
	holdWriteLock(t, path)

	for _, readOnly := range []bool{true, false} {
		start := time.Now()
		r, err := sqlite.Open(ctx, path, sqlite.Options{Schema: assets.Schema(), ReadOnly: readOnly})
		if err != nil {
			t.Fatalf("open (read-only %v) while another store writes: %v", readOnly, err)
		}
		// The busy timeout is 5 s; an open that queued behind the writer would take that.
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("open (read-only %v) took %v while another store writes", readOnly, d)
		}
		if _, err := r.Overview(ctx, annotate.OverviewOptions{}); err != nil {
			t.Errorf("overview (read-only %v): %v", readOnly, err)
		}
		if problems, err := r.Check(ctx); err != nil || len(problems) != 0 {
			t.Errorf("check (read-only %v): %v %v", readOnly, problems, err)
		}
		d, err := r.Document(ctx, id)
		if err != nil || d.ExternalID != "a" {
			t.Errorf("document (read-only %v): %+v %v", readOnly, d, err)
		}
		r.Close()
	}
}

// TestReadOnlyStore: a read-only store reads and backs up, and refuses writes with a
// clear error instead of touching the file.
func TestReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "evident.db")
	s := mustOpenPath(t, path)
	id := importOne(t, s, annotate.Document{ExternalID: "a", Text: sampleText}, sampleDraft())
	s.Close()

	r, err := sqlite.Open(ctx, path, sqlite.Options{Schema: assets.Schema(), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	spans, err := r.Spans(ctx, id, annotate.SpanFilter{})
	if err != nil || len(spans) == 0 {
		t.Fatalf("spans: %d %v", len(spans), err)
	}
	backup := filepath.Join(dir, "copy.db")
	if err := r.Backup(ctx, backup); err != nil {
		t.Fatalf("backup from a read-only store: %v", err)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	err = r.SetSpanStatus(ctx, []int64{spans[0].ID}, annotate.StatusRejected, "ann")
	if annotate.ErrorCode(err) != annotate.EInvalid {
		t.Errorf("a write through a read-only store: %v, want EInvalid", err)
	}
	if _, err := r.BeginImport(ctx, "ann"); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Errorf("an import through a read-only store: %v, want EInvalid", err)
	}
	if err := r.SetSetting(ctx, "k", "v"); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Errorf("a setting through a read-only store: %v, want EInvalid", err)
	}
	after, _ := r.Spans(ctx, id, annotate.SpanFilter{})
	if after[0].Status != spans[0].Status {
		t.Errorf("the refused write changed the span: %s -> %s", spans[0].Status, after[0].Status)
	}
}

// TestMigrationAnnouncedOnce: an old database is migrated by the first open (read-only
// or not), which says so once; later opens neither migrate nor announce.
func TestMigrationAnnouncedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	fresh, err := sqlite.Open(ctx, path, sqlite.Options{Schema: assets.Schema(),
		OnMigrate: func(from, to int) { t.Errorf("a new database was announced as upgraded from %d to %d", from, to) }})
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	// A version-1 database, as the first release wrote it.
	first, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(first), `PRAGMA user_version = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()

	type call struct{ from, to int }
	var calls []call
	opts := sqlite.Options{Schema: assets.Schema(), ReadOnly: true, OnMigrate: func(from, to int) { calls = append(calls, call{from, to}) }}
	for i := 0; i < 2; i++ {
		r, err := sqlite.Open(ctx, path, opts)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if _, err := r.ListIncidents(ctx, annotate.IncidentFilter{}); err != nil {
			t.Fatalf("open %d: incidents after migration: %v", i, err)
		}
		r.Close()
	}
	if len(calls) != 1 || calls[0] != (call{1, sqlite.SchemaVersion()}) {
		t.Fatalf("OnMigrate calls = %v, want one from 1 to %d", calls, sqlite.SchemaVersion())
	}
}

// TestStagedBatchInvisible: documents an import has committed in chunks but not yet
// published are in no list, count or search of another store; after Commit all are.
func TestStagedBatchInvisible(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "evident.db")
	w := mustOpenPath(t, path)
	r := mustOpenPath(t, path)
	im, err := w.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	n := 0
	for staged := 0; staged == 0; {
		doc := annotate.Document{ExternalID: fmt.Sprint("z-", n), Text: "A zebracrossing report. " + sampleText}
		if _, err := im.Add(ctx, &doc, sampleDraft()); err != nil {
			t.Fatal(err)
		}
		n++
		bs, err := r.StagedBatches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) == 1 {
			staged = bs[0].Documents
		}
	}
	docs, err := r.Documents(ctx)
	if err != nil || len(docs) != 0 {
		t.Fatalf("%d documents listed while the import is staged (%v)", len(docs), err)
	}
	st, err := r.Stats(ctx)
	if err != nil || st.Documents != 0 || len(st.Spans) != 0 {
		t.Fatalf("stats while staged: %+v %v", st, err)
	}
	res, err := r.Search(ctx, "zebracrossing", annotate.SearchOptions{})
	if err != nil || len(res.Hits) != 0 {
		t.Fatalf("search while staged: %d hits %v", len(res.Hits), err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if docs, err = r.Documents(ctx); err != nil || len(docs) != n {
		t.Fatalf("%d documents after the commit (%v), want %d", len(docs), err, n)
	}
	if res, err = r.Search(ctx, "zebracrossing", annotate.SearchOptions{}); err != nil || len(res.Hits) == 0 {
		t.Fatalf("search after the commit: %d hits %v", len(res.Hits), err)
	}
}
