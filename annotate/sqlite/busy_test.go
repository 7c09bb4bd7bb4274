package sqlite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWritesWaitForTheLock: the read-write pool has no busy timeout of its own (see
// busyPoll), so a write that does not go through begin, exec or retryBusy fails at once
// with "database is locked" whenever another process writes. This keeps every write in
// the package on the waiting path.
func TestWritesWaitForTheLock(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	direct := regexp.MustCompile(`\.db\.(BeginTx|ExecContext|Exec|Begin)\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "busy.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			if !direct.MatchString(line) {
				continue
			}
			if i > 0 && strings.Contains(lines[i-1]+line, "retryBusy") {
				continue
			}
			t.Errorf("%s:%d: a write on the read-write pool that does not wait for the lock (use s.begin, s.exec or s.retryBusy): %s",
				f, i+1, strings.TrimSpace(line))
		}
	}
}
