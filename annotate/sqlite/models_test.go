package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// openWithModels opens a new store with the models table. While migration 0008 waits for
// the numbers before it, the test applies its file itself.
func openWithModels(t *testing.T) *sqlite.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.db")
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.ModelHistory(context.Background(), "tagger"); err != nil {
		ddl, rerr := os.ReadFile(filepath.Join("migrations", "0008_models.sql"))
		if rerr != nil {
			t.Fatal(rerr)
		}
		db, derr := sql.Open("sqlite3", path)
		if derr != nil {
			t.Fatal(derr)
		}
		defer db.Close()
		if _, derr := db.Exec(string(ddl)); derr != nil {
			t.Fatal(derr)
		}
	}
	return st
}

func TestModels(t *testing.T) {
	ctx := context.Background()
	st := openWithModels(t)
	if _, err := st.LatestModel(ctx, "tagger"); annotate.ErrorCode(err) != annotate.ENotFound {
		t.Fatalf("latest of none: %v, want not found", err)
	}
	for v := 1; v <= 2; v++ {
		m, err := st.SaveModel(ctx, annotate.StoredModel{Kind: "tagger", Version: v, Blob: []byte{byte(v), 0, 1}, Docs: 10 * v, Decisions: 100 * v, Metrics: []byte(`{"f1":0.5}`)})
		if err != nil || m.ID == 0 {
			t.Fatalf("save v%d: %v (id %d)", v, err, m.ID)
		}
	}
	if _, err := st.SaveModel(ctx, annotate.StoredModel{Kind: "tagger", Version: 2, Blob: []byte{9}}); annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("second version 2: %v, want conflict", err)
	}
	if _, err := st.SaveModel(ctx, annotate.StoredModel{Kind: "tagger", Version: 3}); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("no blob: %v, want invalid", err)
	}
	m, err := st.LatestModel(ctx, "tagger")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 2 || !bytes.Equal(m.Blob, []byte{2, 0, 1}) || m.Docs != 20 || m.Decisions != 200 || string(m.Metrics) != `{"f1":0.5}` || m.Created.IsZero() {
		t.Fatalf("latest = %+v", m)
	}
	h, err := st.ModelHistory(ctx, "tagger")
	if err != nil || len(h) != 2 || h[0].Version != 1 || h[1].Version != 2 || h[0].Blob != nil {
		t.Fatalf("history = %+v, %v", h, err)
	}
	if _, err := st.LatestModel(ctx, "other"); annotate.ErrorCode(err) != annotate.ENotFound {
		t.Fatalf("other kind: %v", err)
	}
}
