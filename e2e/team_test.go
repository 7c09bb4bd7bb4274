//go:build e2e

package e2e

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/internal/pgtest"
)

// accepted counts the spans annotator has accepted in an export.
func accepted(docs []exported, annotator string) int {
	n := 0
	for _, d := range docs {
		for _, s := range d.Spans {
			if s.Annotator == annotator && s.Status == "accepted" {
				n++
			}
		}
	}
	return n
}

// journals returns the journal files under home that hold kept decisions.
func journals(home string) []string {
	var out []string
	filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "journal-") {
			if fi, err := d.Info(); err == nil && fi.Size() > 0 {
				out = append(out, path)
			}
		}
		return nil
	})
	return out
}

// TestTeamSession: two annotators' windows (two processes, two X servers) on one
// PostgreSQL database at once, each saving decisions on its own queue; then the server
// stops in the middle of the session. Ann's window keeps the decisions she makes
// meanwhile in its journal on disk, she quits, the server comes back, and when she opens
// the window again they are saved.
func TestTeamSession(t *testing.T) {
	bin := binary(t)
	shots, _ := filepath.Abs(filepath.Join("..", "build", "e2e", "team"))
	os.RemoveAll(shots)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	db, err := srv.CreateDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("evident %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	ann := &session{t: t, display: startX(t), shots: shots, home: t.TempDir()}
	ann.launch(bin, "--db", db, "--annotator", "ann", "--samples") // loads the samples into the server
	ann.quit()
	run("assign", "--db", db, "--annotators", "ann,bob")
	bob := &session{t: t, display: startX(t), shots: shots, home: t.TempDir()}
	ann.launch(bin, "--db", db, "--annotator", "ann")
	bob.launch(bin, "--db", db, "--annotator", "bob")
	for _, s := range []*session{ann, bob} {
		s.click(0.30, 0.5, 1)
		s.key("Tab", "Return", "Return", "Return") // accept three suggestions
	}
	ann.shot("ann-accepted")
	bob.shot("bob-accepted")
	time.Sleep(time.Second)
	docs := exportAll(t, bin, db)
	if a, b := accepted(docs, "ann"), accepted(docs, "bob"); a != 3 || b != 3 {
		t.Fatalf("with both windows open: ann accepted %d, bob %d; want 3 each", a, b)
	}

	if err := srv.Pause(); err != nil { // the server goes away mid-session
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // the windows notice
	ann.key("Return", "Return")
	ann.shot("ann-offline-kept")
	ann.quit() // closed while the server is away
	if j := journals(ann.home); len(j) != 1 {
		t.Fatalf("journal files with kept decisions after quitting: %v", j)
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	ann.launch(bin, "--db", db, "--annotator", "ann")
	deadline := time.Now().Add(30 * time.Second)
	for accepted(exportAll(t, bin, db), "ann") != 5 {
		if time.Now().After(deadline) {
			ann.shot("ann-replay-missing")
			t.Fatalf("ann's two decisions made while the server was away are not saved 30 s after reopening: %d accepted",
				accepted(exportAll(t, bin, db), "ann"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	ann.shot("ann-replayed")
	if j := journals(ann.home); len(j) != 0 {
		t.Errorf("journal still holds decisions after the replay: %v", j)
	}
	if b := accepted(exportAll(t, bin, db), "bob"); b != 3 {
		t.Errorf("bob's accepts after the outage: %d, want 3", b)
	}
	ann.quit()
	bob.quit()
	if out, err := exec.Command(bin, "check", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
}
