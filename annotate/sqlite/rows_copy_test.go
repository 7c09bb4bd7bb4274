package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"evident/annotate"
)

// TestCopyStoresSuggestionsCompactly: `evident copy` into SQLite (LoadTables) writes the
// row tables as the store does: an undecided suggestion stores no text (its document's),
// and the copy exports the same bytes, passes check and undoes as the source did.
// Before, the copy went through the views' triggers and stored every suggestion's text.
func TestCopyStoresSuggestionsCompactly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := mustOpenPath(t, filepath.Join(dir, "src.db"))
	fillEveryKind(t, src)
	want := exportAll(t, src, filepath.Join(dir, "want"))
	dst := mustOpenPath(t, filepath.Join(dir, "dst.db"))
	if err := dst.LoadTables(ctx, src); err != nil {
		t.Fatal(err)
	}
	got := exportAll(t, dst, filepath.Join(dir, "got"))
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s after the copy differs:\n got %.300q\nwant %.300q", name, got[name], w)
		}
	}
	raw := rawDB(t, filepath.Join(dir, "dst.db"))
	var stored, undecided, decided, args int
	if err := raw.QueryRow(`SELECT (SELECT count(*) FROM span_rows WHERE st = 0 AND text IS NOT NULL),
		(SELECT count(*) FROM span_rows WHERE st = 0), (SELECT count(*) FROM span_rows WHERE st != 0 AND text IS NOT NULL),
		(SELECT count(*) FROM arg_rows)`).Scan(&stored, &undecided, &decided, &args); err != nil {
		t.Fatal(err)
	}
	if stored != 0 || undecided == 0 || decided == 0 || args == 0 {
		t.Fatalf("copy: %d of %d undecided spans store their text (want none), %d decided do, %d arguments",
			stored, undecided, decided, args)
	}
	if problems, err := dst.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check after the copy: %q %v", problems, err)
	}
	for i := 0; i < 4; i++ {
		a, errA := src.Undo(ctx, "ana")
		b, errB := dst.Undo(ctx, "ana")
		if errA != nil || errB != nil || (a == nil) != (b == nil) || a != nil && a.Summary != b.Summary {
			t.Fatalf("undo %d: %+v %v / %+v %v", i, a, errA, b, errB)
		}
	}
}

// TestStoreKeepsSuggestionsWithoutText: the store's own writes (a suggestion run, spans
// added and decided by hand) leave every undecided suggestion's text unstored and every
// decided span's stored, and the span reader still gives each span the document's text
// at its offsets. This is most of what migration 0009 saves (issue 20: growth 2.97× →
// 1.77× the text); it fails if a write path stores a suggestion's text again.
func TestStoreKeepsSuggestionsWithoutText(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s := mustOpenPath(t, path)
	fillEveryKind(t, s)
	raw := rawDB(t, path)
	var stored, undecided, decidedBare int
	if err := raw.QueryRow(`SELECT (SELECT count(*) FROM span_rows WHERE st = 0 AND text IS NOT NULL),
		(SELECT count(*) FROM span_rows WHERE st = 0),
		(SELECT count(*) FROM span_rows WHERE st != 0 AND text IS NULL AND run IS NULL)`).Scan(&stored, &undecided, &decidedBare); err != nil {
		t.Fatal(err)
	}
	if stored != 0 || undecided == 0 {
		t.Fatalf("%d of %d undecided suggestions store their text, want none", stored, undecided)
	}
	if decidedBare != 0 {
		t.Fatalf("%d spans decided by hand store no text", decidedBare)
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		doc, err := s.Document(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		spans, err := s.Spans(ctx, d.ID, annotate.SpanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		runes := []rune(doc.Text)
		for _, sp := range spans {
			if sp.Status == annotate.StatusSuggested && sp.Text != string(runes[sp.Start:sp.End]) {
				t.Errorf("doc %d span %d-%d reads %q, the text there is %q", d.ID, sp.Start, sp.End, sp.Text, string(runes[sp.Start:sp.End]))
			}
		}
	}
}
