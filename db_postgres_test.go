package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/internal/pgtest"
)

// startPG starts a throwaway PostgreSQL server for one test and returns a new, empty
// database on it.
func startPG(t *testing.T) (*pgtest.Server, string) {
	t.Helper()
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err) // never skip: CI installs postgresql
	}
	t.Cleanup(func() { srv.Stop() })
	url, err := srv.CreateDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return srv, url
}

// TestPostgresCommands runs the batch commands on a team database and on an SQLite
// file with the same input: every command works on both and the exports are the same
// bytes.
func TestPostgresCommands(t *testing.T) {
	_, pg := startPG(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	writeCorpus(t, in, 40, 0)
	file := filepath.Join(dir, "team.db")
	outs := map[string]string{}
	for i, db := range []string{file, pg} {
		for _, args := range [][]string{
			{"import", "--db", db, "--annotator", "ann", in},
			{"suggest", "--db", db},
			{"stats", "--db", db},
			{"agree", "--db", db},
			{"incidents", "--db", db, "--propose"},
			{"check", "--db", db},
		} {
			code, out, errs := evident(t, args...)
			if code != 0 {
				t.Fatalf("%s on %s: code %d: %s", args[0], db, code, errs)
			}
			if args[0] == "import" && !strings.Contains(out, "imported 40 of 40") {
				t.Fatalf("import: %s", out)
			}
			if strings.Contains(out, pgtest.Password) || strings.Contains(errs, pgtest.Password) {
				t.Fatalf("%s printed the password: %s %s", args[0], out, errs)
			}
		}
		out := filepath.Join(dir, fmt.Sprintf("export-%d.jsonl", i))
		if code, _, errs := evident(t, "export", "--db", db, "--format", "jsonl", "--status", "all", "--out", out); code != 0 {
			t.Fatalf("export from %s: %s", db, errs)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs[db] = string(data)
	}
	if len(outs[file]) < 1000 || outs[file] != outs[pg] {
		t.Fatalf("exports differ: %d and %d bytes", len(outs[file]), len(outs[pg]))
	}
	// A backup of the team database is an SQLite file that passes its checks.
	bak := filepath.Join(dir, "backup.db")
	if code, _, errs := evident(t, "backup", "--db", pg, "--out", bak); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if code, out, errs := evident(t, "check", "--db", bak); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("check of the backup: %s %s", out, errs)
	}
	// And a copy back to a file exports the same bytes again.
	back := filepath.Join(dir, "back.db")
	if code, _, errs := evident(t, "copy", "--from", pg, "--to", back); code != 0 {
		t.Fatalf("copy: %s", errs)
	}
	out := filepath.Join(dir, "back.jsonl")
	if code, _, errs := evident(t, "export", "--db", back, "--format", "jsonl", "--status", "all", "--out", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if data, _ := os.ReadFile(out); string(data) != outs[file] {
		t.Fatal("the copied-back database exports other bytes")
	}
}

// TestPostgresTwoProcesses: two evident processes work on one server at once (one
// suggests, one imports); then a process is cut off by the server stopping mid-run: it
// fails with a message saying so, nothing half-done is left, and after the restart the
// same command completes.
func TestPostgresTwoProcesses(t *testing.T) {
	srv, pg := startPG(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	writeCorpus(t, a, 40, 0)
	writeCorpus(t, b, 40, 40)
	if code, _, errs := evident(t, "import", "--db", pg, a); code != 0 {
		t.Fatal(errs)
	}
	suggest, imp := cli("suggest", "--db", pg), cli("import", "--db", pg, "--annotator", "bob", b)
	if err := suggest.Start(); err != nil {
		t.Fatal(err)
	}
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import beside suggest: %v\n%s", err, out)
	}
	if err := suggest.Wait(); err != nil {
		t.Fatalf("suggest beside import: %v", err)
	}
	code, out, errs := evident(t, "stats", "--db", pg, "--json")
	if code != 0 || !strings.Contains(out, `"total": 80`) {
		t.Fatalf("stats after both: %s %s", out, errs)
	}
	if code, out, errs := evident(t, "check", "--db", pg); code != 0 {
		t.Fatalf("check: %s %s", out, errs)
	}

	// The server stops in the middle of a run.
	c := filepath.Join(dir, "c.jsonl")
	writeCorpus(t, c, 20000, 80) // long enough to be running 700 ms in, also on a quiet machine
	run := cli("import", "--db", pg, c)
	var buf strings.Builder
	run.Stdout, run.Stderr = &buf, &buf
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- run.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Skip("the import finished before the server stopped; nothing to observe") // timing, not a failure of the store
		}
	case <-time.After(20 * time.Second):
		run.Process.Kill()
		t.Fatal("the import did not notice the server stopping within 20 s")
	}
	if !strings.Contains(buf.String(), "PostgreSQL server") {
		t.Errorf("message does not say the server went away: %s", buf.String())
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := evident(t, "check", "--db", pg); code != 0 {
		t.Fatalf("check after the restart: %s %s", out, errs)
	}
	code, out, _ = evident(t, "stats", "--db", pg, "--json")
	if code != 0 || !strings.Contains(out, `"total": 80`) {
		t.Fatalf("the cut-off import left documents behind: %s", out)
	}
	if code, out, errs := evident(t, "import", "--db", pg, c); code != 0 || !strings.Contains(out, "imported 20000 of 20000") {
		t.Fatalf("import after the restart: %s %s", out, errs)
	}
}
