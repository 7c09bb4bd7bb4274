package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"evident/annotate"
)

// TestCheckAfterIndexMerges: SQLite's integrity check of an FTS5 table reads the
// index structure the connection cached at its last use without asking whether another
// connection changed it since (fts5IntegrityMethod does not reset the index as opening a
// cursor does). Check runs on the read-only pool, whose connections outlive imports; once
// imports on other connections had merged the segments it cached, Check reported
// "fts5: corruption found reading blob …" on a sound index (FuzzImportSpans found it).
func TestCheckAfterIndexMerges(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		problems, err := s.Check(ctx)
		if err != nil || len(problems) > 0 {
			t.Fatalf("check %s: %v %v", when, problems, err)
		}
	}
	text := func(i int) string {
		return fmt.Sprintf("Report %d: shelling near the river crossing %d killed %d people.", i, i*7, i%13)
	}
	// Every import commits its own index segment; FTS5 merges them as they pile up,
	// removing or reusing the segments a structure cached by Check names.
	n := 0
	for round := 1; round <= 30; round++ {
		for i := 0; i < round; i++ {
			n++
			importOne(t, s, annotate.Document{ExternalID: fmt.Sprint(n), Text: text(n)}, annotate.Draft{})
		}
		check(fmt.Sprintf("after %d imports", n))
	}
}
