package postgres

import (
	"context"
	"strings"
	"testing"

	"evident/annotate"
	"evident/assets"
)

// TestImportRefusesNUL: PostgreSQL's text cannot hold NUL. A document with one used to
// pass Add and fail the whole batch at its COPY ("invalid byte sequence"), naming no
// document; Add refuses it and the import goes on with the others.
func TestImportRefusesNUL(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, Options{Schema: assets.Schema()})
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	_, err = im.Add(ctx, &annotate.Document{ExternalID: "bad", Text: "Rebels\x00 shelled the town."}, annotate.Draft{})
	if annotate.ErrorCode(err) != annotate.EInvalid || !strings.Contains(err.Error(), `"bad"`) {
		t.Fatalf("Add of a text with NUL: %v, want an invalid-input error naming the document", err)
	}
	if _, err := im.Add(ctx, &annotate.Document{ExternalID: "good", Title: "A\x00B", Text: "Calm."}, annotate.Draft{}); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("Add of a title with NUL: %v, want an invalid-input error", err)
	}
	if _, err := im.Add(ctx, &annotate.Document{ExternalID: "good", Text: "Calm."}, annotate.Draft{}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatalf("commit after the refused documents: %v", err)
	}
	var n int
	if err := st.pool.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d documents (%v), want 1", n, err)
	}
}
