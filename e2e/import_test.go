//go:build e2e

package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeBig writes n generated documents of about 1 KB with two spans each as JSONL: an
// import long enough to still run while the window saves decisions.
func writeBig(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	text := strings.Repeat("Rockets struck a depot outside Vellin on Friday, wounding four guards, a spokesman said. ", 11)
	for i := 0; i < n; i++ {
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("bulk-%d", i), "title": "Bulk report", "text": text,
			"spans": []map[string]any{{"start": 0, "end": 7, "label": "WEAPON"}, {"start": 31, "end": 37, "label": "LOCATION"}}})
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestAcceptWhileImporting: a real window accepts suggestions while `evident import` of a
// large file runs in another process on the same database. Each accept is saved at once,
// not after the import: an export taken while the import still runs already holds them,
// and none of the import's documents is visible before it finishes (all or nothing).
func TestAcceptWhileImporting(t *testing.T) {
	bin := binary(t)
	shots, _ := filepath.Abs(filepath.Join("..", "build", "e2e", "import"))
	os.RemoveAll(shots)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "e2e.db")
	big := filepath.Join(dir, "big.jsonl")
	writeBig(t, big, 150000)
	s := &session{t: t, display: startX(t), shots: shots}
	s.launch(bin, "--db", db, "--samples")
	s.shot("opened")
	samples := len(exportAll(t, bin, db))

	imp := exec.Command(bin, "import", "--db", db, "--annotator", "bulk", big)
	imp.Env = s.env()
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- imp.Wait() }()
	t.Cleanup(func() { imp.Process.Kill() })
	// Wait until the import has staged a chunk: it is then writing between our saves.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		out, _ := exec.Command(bin, "check", "--db", db).CombinedOutput()
		if strings.Contains(string(out), "in progress") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import never showed as in progress:\n%s", out)
		}
	}

	s.click(0.30, 0.5, 1)
	s.key("Tab", "Return", "Return", "Return") // accept three suggestions
	s.shot("accepted-during-import")
	time.Sleep(time.Second)
	during := exportAll(t, bin, db)
	select {
	case err := <-done:
		t.Skipf("the import ended (%v) before the window's saves could be checked against it; nothing to test on this machine", err)
	default:
	}
	if n, w := count(during, "accepted", ""); n != 3 {
		t.Errorf("while the import runs, the export holds %d accepts by the window, want 3: %v", n, w)
	}
	if len(during) != samples {
		t.Errorf("while the import runs, the export holds %d documents, want the %d samples (the import shows all or nothing)", len(during), samples)
	}
	s.quit()
	if err := <-done; err != nil {
		t.Fatalf("the import: %v", err)
	}
	after := exportAll(t, bin, db)
	if len(after) != samples+150000 {
		t.Errorf("after the import %d documents, want %d", len(after), samples+150000)
	}
	if n, _ := count(after, "accepted", ""); n != 3 {
		t.Errorf("after the import %d accepts by the window, want 3", n)
	}
}
