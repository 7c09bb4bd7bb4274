package postgres

import (
	"context"
	"testing"

	"evident/annotate"
	"evident/assets"
)

// TestSpanRefsTruncateLabels: the foreign key spans.label refused TRUNCATE labels; the
// triggers of 0010 that replaced it fire on DELETE only, so a TRUNCATE left every span
// naming a label that did not exist.
func TestSpanRefsTruncateLabels(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, Options{Schema: assets.Schema()})
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.Add(ctx, &annotate.Document{ExternalID: "a", Text: "Rebels shelled the town."},
		annotate.Draft{Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR"}}}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.pool.Exec(ctx, `TRUNCATE labels`); err == nil {
		t.Error("TRUNCATE labels with spans naming them: no error")
	}
	var orphans int
	if err := st.pool.QueryRow(ctx, `SELECT count(*) FROM spans s WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.name = s.label)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("%d spans of no label after the TRUNCATE (%v), want 0", orphans, err)
	}
}
