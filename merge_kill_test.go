package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate/sqlite"
	"evident/assets"
)

// TestKillDuringMerge kills `evident merge` with SIGKILL in the middle of merging a large
// annotator's file, into an SQLite file and into a PostgreSQL database: afterwards
// `evident check` passes, the merge is wholly absent or wholly there (an SQLite file: staged
// without the write lock, published in one transaction; PostgreSQL: one transaction per
// source), and the next merge works (nothing is left locked).
func TestKillDuringMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	_, pg := startPG(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "bob.db")
	in := filepath.Join(dir, "bob.jsonl")
	writeCorpus(t, in, 20000, 1000)
	if out, err := cli("import", "--db", src, "--annotator", "bob", in).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	small, other := filepath.Join(dir, "small.jsonl"), filepath.Join(dir, "carol.db")
	writeCorpus(t, small, 3, 0)
	if out, err := cli("import", "--db", other, "--annotator", "carol", small).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	// Two kills into a file: in the middle of staging (nothing written to the file yet) and
	// while its new documents are published in chunks under a batch (staged, invisible).
	file, late := filepath.Join(dir, "team.db"), filepath.Join(dir, "late.db")

	// midway reports when the merge into target is well under way: for the file, a share
	// of the time a whole merge took (its staging writes nothing to the file).
	var whole time.Duration
	{
		into := filepath.Join(dir, "whole.db")
		if out, err := cli("import", "--db", into, "--annotator", "ann", small).CombinedOutput(); err != nil {
			t.Fatalf("import: %v %s", err, out)
		}
		start := time.Now()
		if out, err := cli("merge", "--into", into, src).CombinedOutput(); err != nil {
			t.Fatalf("merge: %v %s", err, out)
		}
		whole = time.Since(start)
	}
	var fileStart time.Time
	var lateStore *sqlite.Store // opened once the file exists
	midway := map[string]func() bool{
		file: func() bool { return time.Since(fileStart) > whole*6/10 },
		late: func() bool {
			if lateStore == nil {
				return false
			}
			bs, err := lateStore.StagedBatches(context.Background())
			return err == nil && len(bs) > 0 || time.Since(fileStart) > 2*whole
		},
		pg: func() bool {
			// the merge holds the store's advisory write lock for its transaction
			conn, err := pgx.Connect(context.Background(), pg)
			if err != nil {
				return false
			}
			defer conn.Close(context.Background())
			var n int
			conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted`).Scan(&n)
			return n > 0
		},
	}
	for _, into := range []string{file, late, pg} {
		if out, err := cli("import", "--db", into, "--annotator", "ann", small).CombinedOutput(); err != nil {
			t.Fatalf("import into %s: %v %s", into, err, out)
		}
		if into == late {
			st, err := sqlite.Open(context.Background(), late, sqlite.Options{Schema: assets.Schema()})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			lateStore = st
		}
		m := cli("merge", "--into", into, src)
		fileStart = time.Now()
		if err := m.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(60 * time.Second); !midway[into]() && time.Now().Before(deadline); {
			time.Sleep(2 * time.Millisecond) // the chunks of small documents go by fast
		}
		if into == pg {
			time.Sleep(200 * time.Millisecond)
		}
		m.Process.Signal(syscall.SIGKILL)
		if err := m.Wait(); err == nil && into == late {
			t.Logf("the merge into %s finished before it was killed (its chunks went by between two looks)", into)
			continue
		} else if err == nil {
			t.Skipf("the merge into %s finished before it could be killed; nothing to test on this machine", into)
		}
		if code, out, errs := evident(t, "check", "--db", into); code != 0 {
			t.Fatalf("check of %s after a killed merge: %s %s", into, out, errs)
		}
		if out, _ := cli("check", "--db", into).CombinedOutput(); strings.Contains(string(out), "batch") {
			t.Logf("check of %s after the kill: %s", into, out)
		}
		_, docs := exportAll(t, into)
		if len(docs) != 3 {
			t.Fatalf("%d documents in %s after a killed merge; want the 3 from before (all or nothing)", len(docs), into)
		}
		code, out, errs := evident(t, "merge", "--into", into, other)
		if code != 0 || !strings.Contains(out, "3 documents (0 new)") {
			t.Fatalf("merge after the killed one, into %s: %s %s", into, out, errs)
		}
		if code, out, errs := evident(t, "check", "--db", into); code != 0 || strings.Contains(out, "batch") {
			t.Fatalf("check of %s after the next merge: the killed merge's batch is still there: %s %s", into, out, errs)
		}
	}
}
