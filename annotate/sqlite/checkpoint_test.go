package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"evident/annotate"
)

// An import's connection does not checkpoint the WAL; its checkpointer does, while the
// import runs: the chunks it has committed reach the database file before it ends.
func TestImportCheckpointsWhileRunning(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	size := func(path string) int64 {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size(s.Path())
	im, err := s.BeginImport(ctx, "bench")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	body := strings.Repeat("Shelling near the river crossing wounded several farmers. ", 40) // ~2.4 KB
	const n = 2000                                                                           // ~5 MB of text, over 1,000 pages
	for i := 0; i < n; i++ {
		doc := annotate.Document{ExternalID: fmt.Sprint(i), Text: fmt.Sprintf("Report %d. %s", i, body)}
		if _, err := im.Add(ctx, &doc, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
		if i%200 == 0 {
			time.Sleep(60 * time.Millisecond) // the next Add ends the chunk
		}
	}
	time.Sleep(300 * time.Millisecond) // the last checkpoint asked for
	grown := size(s.Path()) - before
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if grown < 4<<20 {
		t.Errorf("the database file grew by %d bytes during the import, want the ~5 MB of its committed chunks", grown)
	}
}
