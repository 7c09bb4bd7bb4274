package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/assets"
)

// Review of the index file of its own (searchfile.go): states a user or a second
// process can bring about, in which a search must still find what reading every document
// finds.

// A user restores an older copy of the project with cp, leaving the newer <db>-search
// beside it (same stamp, further along). Documents re-texted or deleted since the copy
// are not pending in the old main file, and the index holds their newer state: trusted
// as it is, searches miss them.
func TestSearchFileRestoredOlderCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(20, "shelling")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	copyFile(t, path, filepath.Join(dir, "old.db")) // closed: the WAL is checkpointed
	s = openFile(t, path, false)
	var ids []int64
	if err := s.db.QueryRow(`SELECT min(id) FROM documents`).Scan(new(int64)); err != nil {
		t.Fatal(err)
	}
	ids, _ = fileSearch(t, s, "shelling")
	if len(ids) != 20 {
		t.Fatalf("shelling: %d of 20", len(ids))
	}
	// Re-text one document and delete another (a script, or an edit in the window).
	if _, err := s.db.Exec(`UPDATE documents SET text = 'A quiet harvest.' WHERE id = ?`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`DELETE FROM documents WHERE id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := s.indexAllPending(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	if err := importTexts(t, s, "b", texts(5, "ceasefire")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	putBack(t, filepath.Join(dir, "old.db"), path)
	s = openFile(t, path, false)
	sameAsScan(t, s, "shelling", "harvest", "ceasefire", "farmers")
	if ids, _ := fileSearch(t, s, "shelling"); len(ids) != 20 {
		t.Fatalf("shelling in the restored copy: %d of 20", len(ids))
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	s.Close()
	ro := openFile(t, path, true)
	if ids, _ := fileSearch(t, ro, "shelling"); len(ids) != 20 {
		t.Fatalf("shelling in the restored copy, read-only: %d of 20", len(ids))
	}
}

// putBack is the user's `cp old.db p.db` over a closed project, <db>-search left as it is.
func putBack(t *testing.T, old, path string) {
	t.Helper()
	for _, suf := range []string{"-wal", "-shm"} {
		os.Remove(path + suf)
	}
	copyFile(t, old, path)
}

// reviewTexts are n documents with a hundred distinct words each: several index batches
// go to an import's index writer.
func reviewTexts(prefix string, n int) []string {
	var out []string
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %d: shelling wounded farmers", prefix, i)
		for k := range 100 {
			fmt.Fprintf(&b, " spot%dx%d", i, k)
		}
		out = append(out, b.String())
	}
	return out
}

// A second process (the window and a command) opens the project while an import is
// under way, between its index writer's commit and the removal of the pending rows: it
// must neither rebuild the index under the import nor make it fail, and afterwards both
// find what reading every document finds.
func TestSearchFileSecondProcessDuringImport(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(10, "ceasefire")...); err != nil {
		t.Fatal(err)
	}
	opened := 0
	rebuilt := false
	var other *Store
	s.indexed = func() error {
		opened++
		if opened == 2 { // the first batch is in the index; the second too
			o, err := Open(ctx, path, Options{Schema: assets.Schema(), rebuilt: func() { rebuilt = true }})
			if err != nil {
				return err
			}
			other = o
		}
		return nil
	}
	err := importTexts(t, s, "b", reviewTexts("Harvest", 9000)...)
	s.indexed = nil
	if other != nil {
		defer other.Close()
	}
	if err != nil {
		t.Fatalf("import with a second process opening during it: %v", err)
	}
	if opened < 3 || other == nil {
		t.Fatalf("the import wrote %d index batches, want 3 or more", opened)
	}
	if rebuilt {
		t.Errorf("the second process rebuilt the index under the import")
	}
	sameAsScan(t, s, "harvest", "shelling", "ceasefire")
	sameAsScan(t, other, "harvest", "shelling", "ceasefire")
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// After an import, a catch-up, a clean close and a cancelled import, the next open finds
// the index trusted without rebuilding it (a cancelled import leaves it ahead of the main
// file: its later commits' documents are made pending, not the whole index rebuilt), and
// the two files' sequences agree once it has caught up.
func TestSearchFileSequencesAgree(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	agree := func(s *Store, when string) {
		t.Helper()
		var seq, iseq int64
		if err := s.db.QueryRow(`SELECT seq FROM search_state`).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if err := s.ix.QueryRow(`SELECT seq FROM index_state`).Scan(&iseq); err != nil {
			t.Fatal(err)
		}
		if seq != iseq || seq == 0 {
			t.Fatalf("%s: main file's sequence %d, index's %d", when, seq, iseq)
		}
	}
	reopen := func(when string) {
		t.Helper()
		s.Close()
		rebuilt := false
		var err error
		if s, err = Open(ctx, path, Options{Schema: assets.Schema(), rebuilt: func() { rebuilt = true }}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if rebuilt {
			t.Fatalf("%s: the index was rebuilt", when)
		}
		agree(s, when)
		sameAsScan(t, s, "shelling", "harvest", "zebra", "cancelled")
	}
	if err := importTexts(t, s, "a", texts(30, "shelling")...); err != nil {
		t.Fatal(err)
	}
	agree(s, "after an import")
	reopen("after an import and a clean close")
	if _, err := s.db.Exec(`UPDATE documents SET text = 'A zebra crossing.' WHERE id = (SELECT min(id) FROM documents)`); err != nil {
		t.Fatal(err)
	}
	if err := s.indexAllPending(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	agree(s, "after a catch-up")
	reopen("after a catch-up and a clean close")
	cctx, cancel := context.WithCancel(ctx)
	s.indexed = func() error { cancel(); return nil }
	im, err := s.BeginImport(cctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range reviewTexts("Cancelled", 6000) {
		doc := annotate.Document{ExternalID: fmt.Sprint("c", i), Text: text}
		if _, err = im.Add(cctx, &doc, annotate.Draft{}); err != nil {
			break
		}
	}
	if err == nil {
		err = im.Commit()
	}
	im.Rollback()
	s.indexed = nil
	if err == nil {
		t.Fatal("the cancelled import succeeded")
	}
	var seq, iseq int64
	if err := s.db.QueryRow(`SELECT seq FROM search_state`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if err := s.ix.QueryRow(`SELECT seq FROM index_state`).Scan(&iseq); err != nil {
		t.Fatal(err)
	}
	if iseq <= seq {
		t.Fatalf("after a cancelled import: the index (%d) is not ahead of the main file (%d)", iseq, seq)
	}
	reopen("after a cancelled import")
	if ids, _ := fileSearch(t, s, "cancelled"); len(ids) != 0 {
		t.Fatalf("a cancelled import's documents are found: %d", len(ids))
	}
}

// Two processes open a project whose index is missing (the first open after an upgrade,
// the window and a command) and both rebuild it. The other one rebuilds and indexes every
// document, taking them off search_pending, while this one has made them pending but
// not yet emptied the index: this one's emptying must not leave them neither indexed nor
// pending.
func TestSearchFileTwoRebuildsAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(40, "shelling")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Remove(path + searchSuffix)
	type opened struct {
		s   *Store
		err error
	}
	done := make(chan opened, 1)
	second, err := Open(ctx, path, Options{Schema: assets.Schema(), emptied: func() {
		go func() {
			o, err := Open(ctx, path, Options{Schema: assets.Schema()})
			done <- opened{o, err}
		}()
		// Let it run to its end unless it waits for this rebuild's lock.
		select {
		case o := <-done:
			done <- o
		case <-time.After(2 * time.Second):
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	first := o.s
	defer first.Close()
	sameAsScan(t, second, "shelling", "farmers")
	sameAsScan(t, first, "shelling", "farmers")
	if problems, err := second.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// index_log is bounded: after more index commits than it keeps, it holds only the
// latest, and a restored copy of the .db further behind than the log reaches is rebuilt
// (the log cannot say what changed) while one within reach is caught up without a
// rebuild; either way searches find what reading every document finds.
func TestSearchFileLogBounded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.db")
	const keep = 3
	open := func(rebuilt *bool) *Store {
		t.Helper()
		s, err := Open(ctx, path, Options{Schema: assets.Schema(), logKeep: keep, rebuilt: func() { *rebuilt = true }})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	var rebuilt bool
	s := open(&rebuilt)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(10, "shelling")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	copyFile(t, path, filepath.Join(dir, "old.db"))
	retext := func(s *Store, n int) {
		t.Helper()
		for i := range n { // one index commit each
			if _, err := s.db.Exec(`UPDATE documents SET text = ? WHERE id = (SELECT min(id) + ? FROM documents)`,
				fmt.Sprintf("A quiet harvest %d.", i), i); err != nil {
				t.Fatal(err)
			}
			if err := s.indexAllPending(ctx, s.db); err != nil {
				t.Fatal(err)
			}
		}
	}
	restore := func() { putBack(t, filepath.Join(dir, "old.db"), path) }

	// Within reach: two commits after the copy.
	s = open(&rebuilt)
	retext(s, 2)
	s.Close()
	restore()
	rebuilt = false
	s = open(&rebuilt)
	if rebuilt {
		t.Fatal("a copy 2 index commits behind a log of 3 was rebuilt rather than caught up")
	}
	sameAsScan(t, s, "shelling", "harvest")
	s.Close()

	// Out of reach: six commits after the copy, the log keeps three.
	s = open(&rebuilt)
	retext(s, 6)
	var n int
	if err := s.ix.QueryRow(`SELECT count(*) FROM index_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n > keep {
		t.Fatalf("index_log holds %d rows, keeps %d", n, keep)
	}
	s.Close()
	restore()
	rebuilt = false
	s = open(&rebuilt)
	defer s.Close()
	if !rebuilt {
		t.Fatal("a copy 6 index commits behind a log of 3 was not rebuilt")
	}
	sameAsScan(t, s, "shelling", "harvest")
	if ids, _ := fileSearch(t, s, "shelling"); len(ids) != 10 {
		t.Fatalf("shelling in the restored copy: %d of 10", len(ids))
	}
}

// The user deletes <db>-search while the project is open (it is "only an index"): the
// next search, on a new connection to a file no longer there, reads the documents
// instead of failing, and the next open rebuilds the index.
func TestSearchFileDeletedWhileOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(12, "shelling")...); err != nil {
		t.Fatal(err)
	}
	if ids, method := fileSearch(t, s, "shelling"); len(ids) != 12 || method != "index" {
		t.Fatalf("before: %d of 12 by %s", len(ids), method)
	}
	s.ixRO.SetMaxIdleConns(0) // the pool's next search opens the file anew
	for _, suf := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + searchSuffix + suf); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	res, err := s.Search(ctx, "shelling", annotate.SearchOptions{})
	if err != nil {
		t.Fatalf("search with the index file deleted: %v", err)
	}
	if len(res.Hits) != 12 || res.Method != "scan" {
		t.Fatalf("search with the index file deleted: %d of 12 by %s", len(res.Hits), res.Method)
	}
	s.Close()
	s = openFile(t, path, false)
	sameAsScan(t, s, "shelling", "farmers")
}
