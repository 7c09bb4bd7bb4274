package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"evident/annotate"
)

// TestMigrate0009OddFiles: version-8 files the upgrade must carry whole: one whose spans
// name a label its labels table lacks (a damaged or hand-edited file: the label comes
// back, grey, and the spans keep it), and one with no documents at all.
func TestMigrate0009OddFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := mustOpenPath(t, filepath.Join(dir, "src.db"))
	fillEveryKind(t, src)
	want := exportAll(t, src, filepath.Join(dir, "want"))

	path := filepath.Join(dir, "v8.db")
	writeVersion8(t, src, path)
	raw, err := sql.Open("sqlite3", path+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	var sources int
	if err := raw.QueryRow(`SELECT count(*) FROM spans WHERE label = 'SOURCE'`).Scan(&sources); err != nil || sources == 0 {
		t.Fatalf("SOURCE spans: %d %v", sources, err)
	}
	if _, err := raw.Exec(`DELETE FROM labels WHERE name = 'SOURCE'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	up := mustOpenPath(t, path)
	got := exportAll(t, up, filepath.Join(dir, "got"))
	for name, w := range want {
		// brat's .conf files list the labels: SOURCE comes back last and grey
		if string(got[name]) != string(w) && filepath.Ext(name) != ".conf" {
			t.Errorf("%s after the upgrade of a file lacking a label differs:\n got %.300q\nwant %.300q", name, got[name], w)
		}
	}
	schema, err := up.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range schema.Labels {
		found = found || l.Name == "SOURCE"
	}
	if !found {
		t.Errorf("label SOURCE not in the schema after the upgrade: %+v", schema.Labels)
	}
	if problems, err := up.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %q %v", problems, err)
	}

	// An empty version-8 file upgrades and takes a first import.
	empty := filepath.Join(dir, "empty.db")
	db, err := sql.Open("sqlite3", empty)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	applyMigrations(t, db, 8)
	if _, err := db.Exec(`INSERT INTO labels (name, kind, color) VALUES ('LOCATION', 'span', '#00aa00');
		PRAGMA user_version = 8`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	e := mustOpenPath(t, empty)
	a, b := find(sampleText, "Kato")
	id := importOne(t, e, annotate.Document{ExternalID: "k", Text: sampleText},
		annotate.Draft{Spans: []annotate.Span{{Start: a, End: b, Label: "LOCATION", Status: annotate.StatusSuggested}}})
	spans, err := e.Spans(ctx, id, annotate.SpanFilter{})
	if err != nil || len(spans) != 1 || spans[0].Text != "Kato" {
		t.Fatalf("spans after the upgrade of an empty file: %+v %v", spans, err)
	}
	if problems, err := e.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check of the empty file: %q %v", problems, err)
	}
}
