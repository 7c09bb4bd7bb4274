package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
