package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"evident/annotate"
)

// TestMergeLetsWritersIn: while a large source is merged, a decision saved every 5 ms
// through another connection never waits for the merge as a whole (before, one
// transaction held the write lock from the first source row to the last, and a save made
// meanwhile waited for all of it). The publishing transaction still makes it wait a
// little: the bound is half the merge, which tells the two apart on a loaded machine;
// BenchmarkMergeWhileSaving measures it.
func TestMergeLetsWritersIn(t *testing.T) {
	if testing.Short() {
		t.Skip("merges 10,000 documents")
	}
	ctx := context.Background()
	src := MustOpen(t)
	importGenerated(t, src, 0, 10_000)
	team := mustOpenPath(t, filepath.Join(t.TempDir(), "team.db"))
	importGenerated(t, team, 10_000, 1)
	docs, err := team.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spans, err := team.Spans(ctx, docs[0].ID, annotate.SpanFilter{})
	if err != nil || len(spans) == 0 {
		t.Fatalf("spans: %v", err)
	}
	start := time.Now()
	stop := savingMeanwhile(t, team, spans[0].ID)
	st, err := team.Merge(ctx, src, "a")
	total := time.Since(start)
	worst := stop()
	if err != nil || st.NewDocuments != 10_000 {
		t.Fatalf("%+v %v", st, err)
	}
	t.Logf("merge %v, slowest save meanwhile %v", total, worst)
	if worst > total/2 {
		t.Errorf("a save waited %v during a merge of %v", worst, total)
	}
	mustCheck(t, team)
	if op, err := team.Undo(ctx, "a"); err != nil || op != nil {
		t.Fatalf("undo after a merge: %+v %v (a merge is not undoable, as an import)", op, err)
	}
}
