package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
)

// TestMigrate0007KeepsRunsUndoable: a database written at version 6 (a suggestion run's
// spans found through the index on spans (run)) is upgraded: run_docs lists the run's
// documents, the spans keep their times, and undoing the run still removes them.
func TestMigrate0007KeepsRunsUndoable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v6.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	applyMigrations(t, db, 6)
	for _, q := range []string{
		`INSERT INTO labels (name, kind, color) VALUES ('LOCATION', 'span', '#009988')`,
		fmt.Sprintf(`INSERT INTO documents (id, added, sha256, text) VALUES (1, 0, '%s', 'in Kato and Kato'), (2, 0, '%s', 'Kato again'), (3, 0, '%s', 'Kato')`,
			annotate.TextHash("in Kato and Kato"), annotate.TextHash("Kato again"), annotate.TextHash("Kato")),
		`INSERT INTO phrases (text, label, accepted) VALUES ('Kato', 'LOCATION', 1)`,
		`INSERT INTO runs (id, source, started, finished) VALUES (1, 'rules', 5, 6)`,
		`INSERT INTO ops (id, kind, annotator, at, summary) VALUES (1, 'suggest', '', 5, 'suggest run 1 (rules)')`,
		`INSERT INTO op_changes (op, seq, tbl, row_id) VALUES (1, 0, 'runs', 1)`,
		`INSERT INTO spans (doc, start, "end", label, status, created, updated, text, run) VALUES
			(1, 3, 7, 'LOCATION', 'suggested', 5, 5, 'Kato', 1), (2, 0, 4, 'LOCATION', 'suggested', 5, 5, 'Kato', 1),
			(3, 0, 4, 'LOCATION', 'accepted', 7, 7, 'Kato', NULL)`,
		`PRAGMA user_version = 6`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()

	s := mustOpenPath(t, path)
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var docs string
	if err := raw.QueryRow(`SELECT group_concat(doc) FROM (SELECT doc FROM run_docs WHERE run = 1 ORDER BY doc)`).Scan(&docs); err != nil || docs != "1,2" {
		t.Fatalf("run_docs after the upgrade: %q %v", docs, err)
	}
	spans, err := s.Spans(ctx, 1, annotate.SpanFilter{})
	if err != nil || len(spans) != 1 || spans[0].Created.UnixMicro() != 5 {
		t.Fatalf("spans of document 1: %+v %v", spans, err)
	}
	// evident check notices a run's document missing from run_docs
	if _, err := raw.Exec(`DELETE FROM run_docs WHERE doc = 2`); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) != 1 || !strings.Contains(problems[0], "run_docs") {
		t.Fatalf("check with a document missing from run_docs: %q %v", problems, err)
	}
	if _, err := raw.Exec(`INSERT INTO run_docs (run, doc) VALUES (1, 2)`); err != nil {
		t.Fatal(err)
	}
	op, err := s.Undo(ctx, "")
	if err != nil || op == nil || op.Kind != "suggest" {
		t.Fatalf("undo: %+v %v", op, err)
	}
	for doc, want := range map[int64]int{1: 0, 2: 0, 3: 1} {
		spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
		if err != nil || len(spans) != want {
			t.Fatalf("document %d after undoing the run: %+v %v", doc, spans, err)
		}
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
