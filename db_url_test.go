package main

import (
	"os"
	"strings"
	"testing"
)

// TestDBURLRefused: a URL of a scheme Evident cannot open is an error naming it, and no
// file is created (the bug: `--db postgres://…` used to write a file "postgres:/…").
func TestDBURLRefused(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	in := writeFile(t, dir, "in.txt", "Shelling hit the market.\n")
	for _, db := range []string{"mysql://ann@host/evident", "file:///tmp/x.db"} {
		code, _, errs := evident(t, "import", "--db", db, in)
		if code != 1 || !strings.Contains(errs, "cannot open") || !strings.Contains(errs, "postgres://") {
			t.Errorf("import --db %s: code %d, %q", db, code, errs)
		}
		t.Setenv("EVIDENT_DB", db)
		if code, _, errs := evident(t, "stats"); code != 1 || !strings.Contains(errs, "cannot open") {
			t.Errorf("EVIDENT_DB=%s stats: code %d, %q", db, code, errs)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files were created: %v", entries)
	}
}
