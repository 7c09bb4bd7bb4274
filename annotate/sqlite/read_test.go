package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// corpus imports n documents, each with the sample draft, and returns their ids.
func corpus(t *testing.T, s *sqlite.Store, n int) []int64 {
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

func TestCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.db")
	s := mustOpenPath(t, path)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	kato := spanByText(t, s, doc, "Kato")
	if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check of a sound database: %v %v", problems, err)
	}
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		fmt.Sprintf(`UPDATE spans SET text = 'Katu' WHERE id = %d`, kato.ID),
		fmt.Sprintf(`UPDATE spans SET "end" = 5000 WHERE id = %d`, spanByText(t, s, doc, "Tuesday").ID),
		`INSERT INTO event_args (event, role, span) VALUES (1, 'place', 99999)`,
		`INSERT INTO op_changes (op, seq, tbl, row_id) VALUES (777, 0, 'spans', 1)`,
		fmt.Sprintf(`UPDATE spans SET attrs = '{"claimant": 4242}' WHERE id = %d`, spanByText(t, s, doc, "Gunmen").ID),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	problems, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{`stores "Katu" but the text there is "Kato"`, "ends past the text", "span 99999",
		"belong to no operation", "learned-phrase counts", "name a claimant"} {
		if !strings.Contains(all, want) {
			t.Errorf("check did not report %q; it said:\n%s", want, all)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	ids := corpus(t, s, 20)
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, ids[0], "Kato").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	b := mustOpenPath(t, out)
	docs, err := b.Documents(ctx)
	if err != nil || len(docs) != 20 || docs[0].Rejected != 1 {
		t.Fatalf("backup holds %d documents (%v)", len(docs), err)
	}
	if problems, err := b.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check of the backup: %v %v", problems, err)
	}
	// Undo history travels with the backup.
	if op, err := b.Undo(ctx, "ann"); err != nil || op == nil {
		t.Fatalf("undo in the backup: %v %v", op, err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
}
