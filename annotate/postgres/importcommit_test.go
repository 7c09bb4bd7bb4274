package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"evident/annotate"
	"evident/assets"
)

// TestImportCommitOutcomeUnknown: the connection breaks while the import's COMMIT is
// under way (here: its reply is never read), so Commit reports an error although the
// server committed. The documents must stay findable: the search rows committed
// beforehand on the second connection used to be deleted, leaving committed documents
// out of the search index for good.
func TestImportCommitOutcomeUnknown(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, Options{Schema: assets.Schema()})
	imp, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	im := imp.(*importer)
	for i := range 2 {
		if _, err := im.Add(ctx, &annotate.Document{ExternalID: fmt.Sprint(i), Text: fmt.Sprintf("Shelling reported in district %d.", i)}, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
	}
	im.beforeCommit = func() { im.tx.Conn().PgConn().Conn().SetReadDeadline(time.Now()) }
	if err := im.Commit(); err == nil {
		t.Fatal("commit with its reply lost: no error")
	}
	// The server committed all the same.
	var n int
	for range 100 {
		if err := st.pool.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 2 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n != 2 {
		t.Fatalf("%d documents stored, want the 2 committed", n)
	}
	res, err := st.Search(ctx, "shelling", annotate.SearchOptions{Limit: 10})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("search after the commit whose reply was lost: %+v, %v; want 2 hits", res, err)
	}
	// Once indexed again, from the index alone.
	tx, err := st.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if err := indexPending(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var pending, indexed int
	if err := st.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM search_pending), (SELECT count(*) FROM search_text)`).Scan(&pending, &indexed); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || indexed != 2 {
		t.Fatalf("after indexing: %d pending, %d indexed; want 0 and 2", pending, indexed)
	}
}
