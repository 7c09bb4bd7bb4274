package main

import (
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// waitStaged waits until an import in another process has committed a first chunk of
// its batch (staged, invisible), or fails.
func waitStaged(tb testing.TB, st *sqlite.Store) {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		bs, err := st.StagedBatches(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if len(bs) > 0 && bs[0].Documents > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tb.Fatal("the big import never staged a chunk")
}

// importRunning makes a database of three documents, starts `evident import` of n more
// in another process and returns once that import has staged a chunk, with a store open
// on the database (closed at the end) and a span of its first document to decide on.
func importRunning(tb testing.TB, n int) (db string, st *sqlite.Store, span int64, imp *exec.Cmd) {
	tb.Helper()
	ctx := context.Background()
	db, big := threeDocsAndABigFile(tb, n)
	st, err := sqlite.Open(ctx, db, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	docs, err := st.Documents(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	spans, err := st.Spans(ctx, docs[0].ID, annotate.SpanFilter{})
	if err != nil || len(spans) == 0 {
		tb.Fatalf("spans: %v", err)
	}
	imp = cli("import", "--db", db, big)
	if err := imp.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { imp.Process.Kill() })
	waitStaged(tb, st)
	return db, st, spans[0].ID, imp
}

// TestWritersGetInDuringImport: while `evident import` of a large file runs in another
// process, a second `evident import` and decisions saved through a store commit between
// its chunks instead of waiting for it (before, they waited for the whole import or failed
// with "database is locked" after 5 s). The targets (200 ms for a decision, 2 s for a
// second command) are measured by `make bench`; the margins here only tell chunks from
// one long transaction on a loaded machine.
func TestWritersGetInDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	ctx := context.Background()
	db, st, span, imp := importRunning(t, 60000)

	var worst time.Duration
	for i := 0; i < 10; i++ {
		start := time.Now()
		stt := annotate.StatusRejected
		if i%2 == 1 {
			stt = annotate.StatusAccepted
		}
		if err := st.SetSpanStatus(ctx, []int64{span}, stt, "window"); err != nil {
			t.Fatalf("decision %d during the import: %v", i, err)
		}
		worst = max(worst, time.Since(start))
		time.Sleep(20 * time.Millisecond)
	}
	one := filepath.Join(t.TempDir(), "one.jsonl")
	writeCorpus(t, one, 1, 900000)
	start := time.Now()
	out, err := cli("import", "--db", db, one).CombinedOutput()
	second := time.Since(start)
	if err != nil {
		t.Fatalf("a second import during the big one: %v\n%s", err, out)
	}
	stillRunning := imp.ProcessState == nil
	t.Logf("slowest decision %v, second import %v (big import still running: %v)", worst, second, stillRunning)
	if worst > 1500*time.Millisecond {
		t.Errorf("a decision during an import took %v", worst)
	}
	if second > 4*time.Second {
		t.Errorf("a one-document import during a big one took %v", second)
	}
	if err := imp.Wait(); err != nil {
		t.Fatalf("the big import: %v", err)
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3+1+60000 {
		t.Errorf("%d documents after both imports, want %d", len(docs), 3+1+60000)
	}
	if out, err := cli("check", "--db", db).CombinedOutput(); err != nil || strings.Contains(string(out), "import or merge batch") {
		t.Fatalf("check: %v\n%s", err, out)
	}
}

// TestKilledImportIsReportedAndRemoved: an import killed after staging chunks shows none
// of its documents, `evident check` says so, and the next import removes its rows.
func TestKilledImportIsReportedAndRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	ctx := context.Background()
	db, st, _, imp := importRunning(t, 60000)
	imp.Process.Kill()
	if imp.Wait() == nil {
		t.Skip("the import finished before it could be killed")
	}
	out, err := cli("check", "--db", db).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "interrupted") {
		t.Fatalf("check after the kill: %v\n%s", err, out)
	}
	if docs, err := st.Documents(ctx); err != nil || len(docs) != 3 {
		t.Fatalf("%d documents visible after a killed import (%v), want the 3 from before", len(docs), err)
	}
	one := filepath.Join(t.TempDir(), "one.jsonl")
	writeCorpus(t, one, 1, 900000)
	if out, err := cli("import", "--db", db, one).CombinedOutput(); err != nil {
		t.Fatalf("import after the kill: %v\n%s", err, out)
	}
	if bs, err := st.StagedBatches(ctx); err != nil || len(bs) != 0 {
		t.Fatalf("staged batches after the next import: %+v %v", bs, err)
	}
	if docs, err := st.Documents(ctx); err != nil || len(docs) != 4 {
		t.Fatalf("%d documents (%v), want 4", len(docs), err)
	}
	out, err = cli("check", "--db", db).CombinedOutput()
	if err != nil || strings.Contains(string(out), "import or merge batch") {
		t.Fatalf("check after the cleanup: %v\n%s", err, out)
	}
	// The removed rows are gone, not merely hidden.
	if n := countRows(t, db, "spans"); n != 4*2 {
		t.Errorf("%d span rows, want %d", n, 4*2)
	}
}

// countRows counts a table's rows directly, staged or not.
func countRows(t *testing.T, db, table string) int {
	t.Helper()
	c, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	if err := c.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkWritersDuringImport measures what the issue promises while `evident import`
// of 60,000 documents runs in another process: how long a decision saved through a store
// (what the window does) takes to commit, the slowest of 20, and how long a second
// `evident import` of one document takes end to end. Targets: 200 ms and 2 s.
func BenchmarkWritersDuringImport(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		db, st, span, imp := importRunning(b, 60000)
		var lat []time.Duration
		for i := 0; i < 20; i++ {
			start := time.Now()
			if err := st.SetSpanStatus(ctx, []int64{span}, []annotate.Status{annotate.StatusRejected, annotate.StatusAccepted}[i%2], "window"); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
			time.Sleep(30 * time.Millisecond)
		}
		one := filepath.Join(b.TempDir(), "one.jsonl")
		writeCorpus(b, one, 1, 900000)
		start := time.Now()
		if out, err := cli("import", "--db", db, one).CombinedOutput(); err != nil {
			b.Fatalf("second import: %v\n%s", err, out)
		}
		second := time.Since(start)
		if err := imp.Wait(); err != nil {
			b.Fatalf("big import: %v", err)
		}
		b.Logf("latencies %v", lat)
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-decision-ms")
		b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-decision-ms")
		b.ReportMetric(float64(second)/1e6, "second-import-ms")
	}
}
