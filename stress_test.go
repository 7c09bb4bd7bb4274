package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// TestMain lets a test run this test binary as the evident command itself
// (EVIDENT_RUN_AS_CLI=1), so crash and concurrency tests exercise real processes.
func TestMain(m *testing.M) {
	if os.Getenv("EVIDENT_RUN_AS_CLI") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cli returns a command running `evident args...` in a child process.
func cli(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "EVIDENT_RUN_AS_CLI=1")
	return cmd
}

// writeCorpus writes n generated documents with spans as JSONL.
func writeCorpus(t testing.TB, path string, n, from int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	para := strings.Repeat("Shelling hit the market in Kharkiv on Tuesday, killing at least 12 civilians, officials said. ", 10)
	for i := from; i < from+n; i++ {
		line, _ := json.Marshal(map[string]any{
			"id": fmt.Sprintf("doc-%d", i), "title": fmt.Sprintf("Report %d", i), "text": para,
			"spans": []map[string]any{{"start": 0, "end": 8, "label": "ATTACK"}, {"start": 28, "end": 35, "label": "LOCATION"}},
		})
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// threeDocsAndABigFile makes a database holding three imported documents and a JSONL
// file of n more, for tests that break an import of it halfway.
func threeDocsAndABigFile(t testing.TB, n int) (db, big string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "x.db")
	small := filepath.Join(dir, "small.jsonl")
	writeCorpus(t, small, 3, 0)
	if out, err := cli("import", "--db", db, small).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	big = filepath.Join(dir, "big.jsonl")
	writeCorpus(t, big, n, 1000)
	return db, big
}

func openTest(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestKillDuringImport kills `evident import` with SIGKILL in the middle of a large file:
// afterwards `evident check` passes and the import is wholly absent (one transaction).
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	db, big := threeDocsAndABigFile(t, 60000)
	imp := cli("import", "--db", db, big)
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once the import has written into the WAL, i.e. mid-transaction.
	wal := db + "-wal"
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(wal); err == nil && fi.Size() > 1<<20 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	imp.Process.Signal(syscall.SIGKILL)
	err := imp.Wait()
	if err == nil {
		t.Skip("the import finished before it could be killed; nothing to test on this machine")
	}
	if out, err := cli("check", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("check after kill: %v\n%s", err, out)
	}
	st := openTest(t, db)
	defer st.Close()
	docs, err := st.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("%d documents after a killed import; want the 3 from before (all or nothing)", len(docs))
	}
}

// TestWindowAndCLIConcurrently runs what the window does (a stream of accepts and
// rejects, each acknowledged) while `evident import`, `suggest` and `export` run in other
// processes on the same database: no command fails with "database is locked" and every
// acknowledged decision is in the database afterwards.
func TestWindowAndCLIConcurrently(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	first := filepath.Join(dir, "first.jsonl")
	writeCorpus(t, first, 50, 0)
	if out, err := cli("import", "--db", db, first).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	st := openTest(t, db)
	defer st.Close()
	docs, err := st.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, d := range docs {
		spans, err := st.Spans(ctx, d.ID, annotate.SpanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range spans {
			ids = append(ids, s.ID)
		}
	}
	second := filepath.Join(dir, "second.jsonl")
	writeCorpus(t, second, 3000, 5000)

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	runCLI := func(args ...string) {
		defer wg.Done()
		if out, err := cli(args...).CombinedOutput(); err != nil {
			errs <- fmt.Sprintf("evident %s: %v\n%s", args[0], err, out)
		}
	}
	wg.Add(3)
	go runCLI("import", "--db", db, second)
	go runCLI("suggest", "--db", db)
	go runCLI("export", "--db", db, "--format", "jsonl", "--status", "all", "--out", filepath.Join(dir, "out.jsonl"))

	// The "window": alternate decisions, remembering what was acknowledged last.
	want := map[int64]annotate.Status{}
	for i := 0; i < 300; i++ {
		id := ids[i%len(ids)]
		stt := annotate.StatusAccepted
		if i%3 == 0 {
			stt = annotate.StatusRejected
		}
		if err := st.SetSpanStatus(ctx, []int64{id}, stt, "window"); err != nil {
			t.Fatalf("decision %d: %v", i, err)
		}
		want[id] = stt
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for _, d := range docs {
		spans, err := st.Spans(ctx, d.ID, annotate.SpanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range spans {
			if w, ok := want[s.ID]; ok && s.Status != w {
				t.Errorf("span %d is %s, the last acknowledged decision was %s", s.ID, s.Status, w)
			}
		}
	}
	if out, err := cli("check", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
}
