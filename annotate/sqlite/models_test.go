package sqlite_test

import (
	"bytes"
	"context"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// openWithModels opens a new store (migration 0006 makes the models table).
func openWithModels(t *testing.T) *sqlite.Store {
	t.Helper()
	return MustOpen(t)
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
