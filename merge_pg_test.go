package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeIntoPostgres: `evident merge --into postgres://…` merges annotators' files
// into a team database by the same rules as into a file: the two hold the same
// export afterwards, a second merge adds nothing, and the team database passes check.
func TestMergeIntoPostgres(t *testing.T) {
	_, pg := startPG(t)
	dir := t.TempDir()
	a, b := writeMergeSources(t, dir)
	file := filepath.Join(dir, "team.db")
	for _, into := range []string{file, pg} {
		code, out, errs := evident(t, "merge", "--into", into, a, b)
		if code != 0 {
			t.Fatalf("merge into %s: %s", into, errs)
		}
		if !strings.Contains(out, "1 documents (1 new)") || !strings.Contains(out, "2 documents (1 new)") {
			t.Errorf("merge output:\n%s", out)
		}
	}
	want, docs := exportAll(t, file)
	got, _ := exportAll(t, pg)
	if len(docs) != 2 || got != want {
		t.Fatalf("the team database's export differs from the merged file's:\n%s\nwant\n%s", got, want)
	}
	code, out, errs := evident(t, "merge", "--into", pg, b, a)
	if code != 0 || strings.Count(out, " 0 spans added") != 2 {
		t.Fatalf("merge again: %d %s %s", code, out, errs)
	}
	if again, _ := exportAll(t, pg); again != want {
		t.Fatalf("the second merge changed the team database:\n%s", again)
	}
	if code, out, errs := evident(t, "check", "--db", pg); code != 0 {
		t.Fatalf("check: %s %s", out, errs)
	}
}
