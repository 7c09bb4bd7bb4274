package postgres

import (
	"context"
	"fmt"
	"testing"

	"evident/annotate"
	"evident/assets"
)

// TestImportSkipsPendingOnlyInItsTransaction: an import writes its documents' search
// rows itself and tells the search index's insert trigger so for its own transaction;
// documents written any other way afterwards, on any of the pool's connections, are
// still listed as pending, and the imported ones are found by the index.
func TestImportSkipsPendingOnlyInItsTransaction(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, Options{Schema: assets.Schema()})
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := im.Add(ctx, &annotate.Document{ExternalID: fmt.Sprint(i), Text: fmt.Sprintf("Shelling reported in district %d.", i)}, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	var pending, indexed int
	if err := st.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM search_pending), (SELECT count(*) FROM search_text)`).Scan(&pending, &indexed); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || indexed != 3 {
		t.Fatalf("after the import: %d pending, %d indexed; want 0 and 3", pending, indexed)
	}
	res, err := st.Search(ctx, "shelling", annotate.SearchOptions{Limit: 10})
	if err != nil || len(res.Hits) != 3 || res.Method != "index" {
		t.Fatalf("search after the import: %+v, %v", res, err)
	}
	// Every connection of the pool at once, so the import's is among them.
	conns := make([]func(), 0, 4)
	for i := range 4 {
		c, err := st.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c.Release)
		if _, err := c.Exec(ctx, `INSERT INTO documents (external_id, added, sha256, text) VALUES ($1, 0, 'x', 'Plain insert.')`, fmt.Sprint("plain", i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, release := range conns {
		release()
	}
	if err := st.pool.QueryRow(ctx, `SELECT count(*) FROM search_pending`).Scan(&pending); err != nil || pending != 4 {
		t.Fatalf("documents inserted after the import: %d pending (%v), want 4", pending, err)
	}
}
