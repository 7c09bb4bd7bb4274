package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
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
