package main

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"

	"evident/app"
	"evident/app/journal"
)

// TestWindowOfflineNamesKeptDecisions: the window cannot open a team database whose
// server is away, but when an earlier window kept decisions for it, the error says how
// many and where they are, so the user knows they are not lost.
func TestWindowOfflineNamesKeptDecisions(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("EVIDENT_ANNOTATOR", "")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nobody listens there now: the server is away
	db := fmt.Sprintf("postgres://evident@127.0.0.1:%d/team?sslmode=disable&connect_timeout=2", port)

	code, _, errs := evident(t, "--db", db, "--annotator", "ann")
	if code == 0 || strings.Contains(errs, "kept in") {
		t.Fatalf("without a journal: code %d, %s", code, errs)
	}
	path, _, _ := app.KeptDecisions(db, "ann")
	jf, _, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"r1", "r2"} {
		if err := jf.Keep(journal.Entry{ID: id, Data: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	jf.Close()
	code, _, errs = evident(t, "--db", db, "--annotator", "ann")
	if code == 0 || !strings.Contains(errs, "cannot reach the PostgreSQL server") ||
		!strings.Contains(errs, "2 decisions ann made while the server was away are kept in "+path) {
		t.Fatalf("code %d, stderr:\n%s", code, errs)
	}
	// Another annotator's window has nothing kept.
	if _, _, errs = evident(t, "--db", db, "--annotator", "bob"); strings.Contains(errs, "kept in") {
		t.Fatalf("bob's error names ann's journal: %s", errs)
	}
}
