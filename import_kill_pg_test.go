package main

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/assets"
)

// threeDocsAndABigFilePG starts a server whose new database holds 3 imported documents,
// and writes a file of 60,000 more to import.
func threeDocsAndABigFilePG(t *testing.T) (url, big string) {
	t.Helper()
	_, url = startPG(t)
	dir := t.TempDir()
	small := filepath.Join(dir, "small.jsonl")
	big = filepath.Join(dir, "big.jsonl")
	writeCorpus(t, small, 3, 0)
	if out, err := cli("import", "--db", url, small).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	writeCorpus(t, big, 60000, 1000)
	return url, big
}

// TestKillDuringImportPostgres kills `evident import` into a team database with SIGKILL
// while it copies batches (its documents on one connection, their search rows on
// another): afterwards `evident check` passes, the import is wholly absent, and no
// search row names a document that does not exist.
func TestKillDuringImportPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	ctx := context.Background()
	url, big := threeDocsAndABigFilePG(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	imp := cli("import", "--db", url, big)
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once both tables have grown by a few batches, uncommitted: mid-transaction.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var spans, search int64
		if err := conn.QueryRow(ctx, `SELECT pg_relation_size('spans'), pg_relation_size('search_text')`).Scan(&spans, &search); err != nil {
			t.Fatal(err)
		}
		if spans > 4<<20 && search > 2<<20 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	imp.Process.Signal(syscall.SIGKILL)
	if err := imp.Wait(); err == nil {
		t.Skip("the import finished before it could be killed; nothing to test on this machine")
	}
	if out, err := cli("check", "--db", url).CombinedOutput(); err != nil {
		t.Fatalf("check after kill: %v\n%s", err, out)
	}
	var docs, spans, orphans int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM spans),
		(SELECT count(*) FROM search_text s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.doc))`).Scan(&docs, &spans, &orphans); err != nil {
		t.Fatal(err)
	}
	if docs != 3 || orphans != 0 {
		t.Fatalf("after a killed import: %d documents (want the 3 from before), %d spans, %d search rows without a document", docs, spans, orphans)
	}
}

// TestDecisionDuringImportPostgres: while `evident import` of a large file into a team
// database runs, an annotator's decision is saved without waiting for the import to
// end (the import holds no lock a decision needs), and both are stored.
func TestDecisionDuringImportPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	ctx := context.Background()
	url, big := threeDocsAndABigFilePG(t)
	st, err := backend.Open(ctx, url, backend.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	docs, err := st.Documents(ctx)
	if err != nil || len(docs) == 0 {
		t.Fatalf("documents: %v", err)
	}
	spans, err := st.Spans(ctx, docs[0].ID, annotate.SpanFilter{})
	if err != nil || len(spans) == 0 {
		t.Fatalf("spans: %d, %v", len(spans), err)
	}
	imp := cli("import", "--db", url, big)
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- imp.Wait() }()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var size int64
		if err := conn.QueryRow(ctx, `SELECT pg_relation_size('spans')`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if size > 4<<20 {
			break
		}
	}
	if err := st.SetSpanStatus(ctx, []int64{spans[0].ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Skipf("the import ended (%v) before the decision was saved; nothing to test on this machine", err)
	default:
	}
	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}
	var n int
	var status string
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents), (SELECT status FROM spans WHERE id = $1)`, spans[0].ID).Scan(&n, &status); err != nil {
		t.Fatal(err)
	}
	if n != 60003 || status != "rejected" {
		t.Fatalf("after the import and the decision: %d documents, span %s", n, status)
	}
}
