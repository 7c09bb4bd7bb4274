package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/assets"
)

// The search index's file of its own (searchfile.go): when it is trusted, rebuilt or left
// alone, and that no document goes missing from search results at any point of the two
// files' commits.

func openFile(t *testing.T, path string, ro bool) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{Schema: assets.Schema(), ReadOnly: ro})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func needFTS(t *testing.T, s *Store) {
	t.Helper()
	if !s.HasFTS(context.Background()) {
		t.Skip("built without FTS5")
	}
}

// importTexts imports one document per text (external ids prefix0, prefix1, …).
func importTexts(t *testing.T, s *Store, prefix string, texts ...string) error {
	t.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, "test")
	if err != nil {
		return err
	}
	defer im.Rollback()
	for i, text := range texts {
		doc := annotate.Document{ExternalID: fmt.Sprint(prefix, i), Text: text}
		if _, err := im.Add(ctx, &doc, annotate.Draft{}); err != nil {
			return err
		}
	}
	return im.Commit()
}

func fileSearch(t *testing.T, s *Store, q string) (ids []int64, method string) {
	t.Helper()
	res, err := s.Search(context.Background(), q, annotate.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		ids = append(ids, h.DocID)
	}
	slices.Sort(ids)
	return ids, res.Method
}

// sameAsScan fails unless every query finds by the index what reading every document
// finds.
func sameAsScan(t *testing.T, s *Store, queries ...string) {
	t.Helper()
	for _, q := range queries {
		got, method := fileSearch(t, s, q)
		on := s.ixOK
		s.ixOK = false
		want, _ := fileSearch(t, s, q)
		s.ixOK = on
		if method != "index" || !slices.Equal(got, want) {
			t.Fatalf("search %q: %v by %s; reading every document: %v", q, got, method, want)
		}
	}
}

func texts(n int, word string) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("Report %d: %s near the crossing wounded %d farmers.", i, word, i%7))
	}
	return out
}

func rawFile(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The index lives in <db>-search, stamped with the main file's stamp; a sound index is
// reopened as it is, and one that is missing, another project's, of an older scheme,
// damaged or behind the main file (an older copy of it) is rebuilt at open, after which
// searches find every document. Each spoiled index would miss documents if trusted.
func TestSearchFileRebuiltWhenUntrusted(t *testing.T) {
	for _, c := range []struct {
		name    string
		spoil   func(t *testing.T, path, saved string)
		rebuild bool
	}{
		{"sound", func(*testing.T, string, string) {}, false},
		{"missing", func(t *testing.T, path, _ string) { os.Remove(path + searchSuffix) }, true},
		{"foreign", func(t *testing.T, path, _ string) {
			// Another project's index, further along than this one.
			other := filepath.Join(t.TempDir(), "other.db")
			o := openFile(t, other, false)
			for i := range 4 {
				if err := importTexts(t, o, fmt.Sprint("o", i), texts(5, "ceasefire")...); err != nil {
					t.Fatal(err)
				}
			}
			o.Close()
			copyFile(t, other+searchSuffix, path+searchSuffix)
		}, true},
		{"older scheme", func(t *testing.T, path, _ string) {
			db := rawFile(t, path+searchSuffix)
			for _, q := range []string{`UPDATE index_state SET scheme = 'search_terms 0'`, `DELETE FROM search_terms WHERE rowid > 0`} {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
		}, true},
		{"damaged", func(t *testing.T, path, _ string) {
			if err := os.WriteFile(path+searchSuffix, []byte("not a database, not at all, not even close to one"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"behind", func(t *testing.T, path, saved string) { copyFile(t, saved, path+searchSuffix) }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "p.db")
			saved := filepath.Join(t.TempDir(), "saved-search")
			s := openFile(t, path, false)
			needFTS(t, s)
			if err := importTexts(t, s, "a", texts(50, "shelling")...); err != nil {
				t.Fatal(err)
			}
			var stamp, istamp string
			if err := s.db.QueryRow(`SELECT stamp FROM search_state`).Scan(&stamp); err != nil {
				t.Fatal(err)
			}
			if err := s.ix.QueryRow(`SELECT stamp FROM index_state`).Scan(&istamp); err != nil || istamp != stamp || len(stamp) != 32 {
				t.Fatalf("stamps: main %q, index %q (%v)", stamp, istamp, err)
			}
			s.Close() // checkpoints the index into its file
			if _, err := os.Stat(path + searchSuffix + "-wal"); !os.IsNotExist(err) {
				t.Fatalf("the index's WAL is left after closing (%v)", err)
			}
			copyFile(t, path+searchSuffix, saved)
			s = openFile(t, path, false)
			if err := importTexts(t, s, "b", texts(20, "harvest")...); err != nil {
				t.Fatal(err)
			}
			s.Close()
			c.spoil(t, path, saved)
			rebuilt := false
			s2, err := Open(ctx, path, Options{Schema: assets.Schema(), rebuilt: func() { rebuilt = true }})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if rebuilt != c.rebuild {
				t.Errorf("rebuilt %v, want %v", rebuilt, c.rebuild)
			}
			var pending int
			if err := s2.db.QueryRow(`SELECT count(*) FROM search_pending`).Scan(&pending); err != nil || pending != 0 {
				t.Fatalf("%d documents pending after open (%v)", pending, err)
			}
			sameAsScan(t, s2, "shelling", "harvest", "farmers", "ceasefire")
			if ids, _ := fileSearch(t, s2, "shelling"); len(ids) != 50 {
				t.Fatalf("shelling: found %d of 50", len(ids))
			}
			if ids, _ := fileSearch(t, s2, "harvest"); len(ids) != 20 {
				t.Fatalf("harvest: found %d of 20", len(ids))
			}
			if problems, err := s2.Check(ctx); err != nil || len(problems) > 0 {
				t.Fatalf("check: %v %v", problems, err)
			}
		})
	}
}

// A read-only open never rebuilds or creates the index: with none it can trust, its
// searches read the documents and find what the index would have.
func TestSearchFileReadOnlyNeverRebuilds(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(30, "shelling")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro := openFile(t, path, true)
	if ids, method := fileSearch(t, ro, "shelling"); method != "index" || len(ids) != 30 {
		t.Fatalf("trusted index, read-only: %d found by %s, want 30 by the index", len(ids), method)
	}
	ro.Close()
	for _, spoil := range []string{"missing", "foreign"} {
		if spoil == "missing" {
			os.Remove(path + searchSuffix)
		} else {
			s := openFile(t, path, false) // rebuilds the missing one
			s.Close()
			db := rawFile(t, path+searchSuffix)
			if _, err := db.Exec(`UPDATE index_state SET stamp = 'another'`); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		ro := openFile(t, path, true)
		if ids, method := fileSearch(t, ro, "shelling"); method != "scan" || len(ids) != 30 {
			t.Fatalf("%s index, read-only: %d found by %s, want 30 by reading the documents", spoil, len(ids), method)
		}
		ro.Close()
		_, err := os.Stat(path + searchSuffix)
		if spoil == "missing" && !os.IsNotExist(err) {
			t.Fatalf("a read-only open made %s (%v)", path+searchSuffix, err)
		}
		if spoil == "foreign" {
			var stamp string
			if err := rawFile(t, path+searchSuffix).QueryRowContext(ctx, `SELECT stamp FROM index_state`).Scan(&stamp); err != nil || stamp != "another" {
				t.Fatalf("a read-only open changed the index: stamp %q (%v)", stamp, err)
			}
		}
	}
}

// A search reads the pending documents before the index: a document indexed (and taken
// off search_pending) between the two reads is found all the same.
func TestSearchReadsPendingBeforeIndex(t *testing.T) {
	ctx := context.Background()
	s := openFile(t, filepath.Join(t.TempDir(), "p.db"), false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(10, "shelling")...); err != nil {
		t.Fatal(err)
	}
	// A script adds a document: pending until the store indexes it.
	const text = "A zebra crossing was shelled."
	if _, err := s.db.Exec(`INSERT INTO documents (external_id, title, added, sha256, text) VALUES ('z', 'Script', 0, ?, ?)`, annotate.TextHash(text), text); err != nil {
		t.Fatal(err)
	}
	ran := false
	s.between = func() {
		ran = true
		if err := s.indexAllPending(ctx, s.db); err != nil {
			t.Error(err)
		}
	}
	ids, method := fileSearch(t, s, "zebra")
	s.between = nil
	if !ran || method != "index" || len(ids) != 1 {
		t.Fatalf("zebra, indexed during the search: %v by %s (hook ran: %v), want one document", ids, method, ran)
	}
	sameAsScan(t, s, "zebra", "shelling")
}

// A process that dies between the index's commit and the removal of the pending rows
// (simulated: the hook fails there) loses no document from search results, then or
// after reopening, whether it was an import or the catch-up at open.
func TestSearchFileCrashBetweenCommits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	died := errors.New("died between the two commits")
	calls := 0
	s.indexed = func() error { calls++; return died }
	// The import's own index batch: the import fails and is rolled back.
	if err := importTexts(t, s, "a", texts(40, "shelling")...); !errors.Is(err, died) {
		t.Fatalf("import: %v, want the simulated death", err)
	}
	s.indexed = nil
	if ids, _ := fileSearch(t, s, "shelling"); len(ids) != 0 {
		t.Fatalf("a failed import's documents are found: %v", ids)
	}
	if err := importTexts(t, s, "b", texts(40, "harvest")...); err != nil {
		t.Fatal(err)
	}
	// A script's documents, left for the catch-up, which dies between its commits.
	for i := range 5 {
		text := fmt.Sprintf("A zebra crossing %d was shelled.", i)
		if _, err := s.db.Exec(`INSERT INTO documents (external_id, title, added, sha256, text) VALUES (?, 'Script', 0, ?, ?)`, fmt.Sprint("z", i), annotate.TextHash(text), text); err != nil {
			t.Fatal(err)
		}
	}
	s.indexed = func() error { calls++; return died }
	if err := s.indexAllPending(ctx, s.db); !errors.Is(err, died) {
		t.Fatalf("catch-up: %v, want the simulated death", err)
	}
	s.indexed = nil
	if calls != 2 {
		t.Fatalf("the hook ran %d times, want 2", calls)
	}
	sameAsScan(t, s, "zebra", "harvest", "shelling", "farmers")
	if ids, _ := fileSearch(t, s, "zebra"); len(ids) != 5 {
		t.Fatalf("zebra: %d of 5", len(ids))
	}
	s.Close()
	// Reopening indexes the pending documents again over an index that has them already.
	s = openFile(t, path, false)
	var pending int
	if err := s.db.QueryRow(`SELECT count(*) FROM search_pending`).Scan(&pending); err != nil || pending != 0 {
		t.Fatalf("%d pending after reopening (%v)", pending, err)
	}
	sameAsScan(t, s, "zebra", "harvest", "shelling", "farmers")
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// A backup is a project of its own: its index is built when it is first opened, even
// over an index file of the same project, further along, left at its path.
func TestBackupGetsItsOwnIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(20, "shelling")...); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// The project goes on: the shelling reports are deleted (and taken out of its index).
	if _, err := s.db.Exec(`DELETE FROM documents WHERE external_id LIKE 'a%'`); err != nil {
		t.Fatal(err)
	}
	if err := importTexts(t, s, "c", texts(3, "ceasefire")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	copyFile(t, path+searchSuffix, backup+searchSuffix)
	rebuilt := false
	b, err := Open(ctx, backup, Options{Schema: assets.Schema(), rebuilt: func() { rebuilt = true }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !rebuilt {
		t.Error("the backup's index was not rebuilt")
	}
	sameAsScan(t, b, "shelling", "ceasefire")
	if ids, _ := fileSearch(t, b, "shelling"); len(ids) != 20 {
		t.Fatalf("shelling in the backup: %d of 20", len(ids))
	}
}

// An import's index writer runs on a goroutine of its own: its failure fails the import
// (mid-way or at Commit) and a cancelled import stops it; either way the main file is as
// it was, searches find what reading the documents finds, and no goroutine outlives the
// import.
func TestImportIndexWriterFailsCleanly(t *testing.T) {
	ctx := context.Background()
	s := openFile(t, filepath.Join(t.TempDir(), "p.db"), false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(20, "shelling")...); err != nil {
		t.Fatal(err)
	}
	docs := func() (n int) {
		t.Helper()
		if err := s.db.QueryRow(`SELECT count(*) FROM documents`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	settle := func(base int) int {
		n := runtime.NumGoroutine()
		for i := 0; i < 200 && n > base; i++ {
			time.Sleep(5 * time.Millisecond)
			n = runtime.NumGoroutine()
		}
		return n
	}
	base := settle(0)
	// A hundred distinct words each: several index batches go to the writer mid-import.
	big := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			var b strings.Builder
			fmt.Fprintf(&b, "%s %d: shelling wounded farmers", prefix, i)
			for k := range 100 {
				fmt.Fprintf(&b, " place%dx%d", i, k)
			}
			out = append(out, b.String())
		}
		return out
	}
	died := errors.New("the index file's disk is full")
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"index write fails", func() error {
			// Mid-import: the chunk after the first batch sees it.
			s.indexed = func() error { return died }
			defer func() { s.indexed = nil }()
			return importTexts(t, s, "f", big("Failed", 6000)...)
		}},
		{"cancelled", func() error {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			s.indexed = func() error { cancel(); return nil } // cancelled once the first batch is in
			defer func() { s.indexed = nil }()
			im, err := s.BeginImport(cctx, "test")
			if err != nil {
				return err
			}
			defer im.Rollback()
			for i, text := range big("Cancelled", 6000) {
				doc := annotate.Document{ExternalID: fmt.Sprint("c", i), Text: text}
				if _, err := im.Add(cctx, &doc, annotate.Draft{}); err != nil {
					return err
				}
			}
			return im.Commit()
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, base := docs(), settle(base+1) // this subtest's goroutine
			err := c.run()
			if err == nil {
				t.Fatal("the import succeeded")
			}
			if !errors.Is(err, died) && !errors.Is(err, context.Canceled) {
				t.Fatalf("import: %v, want the index writer's failure or the cancellation", err)
			}
			if n := settle(base); n > base {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines after the import, %d before\n%s", n, base, buf[:runtime.Stack(buf, true)])
			}
			if after := docs(); after != before {
				t.Errorf("%d documents after the failed import, %d before", after, before)
			}
			if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
				t.Fatalf("check: %v %v", problems, err)
			}
			sameAsScan(t, s, "shelling", "failed", "cancelled", "farmers")
		})
	}
	if err := importTexts(t, s, "ok", big("Harvest", 3000)...); err != nil {
		t.Fatal(err)
	}
	if n := settle(base); n > base {
		t.Errorf("%d goroutines after a successful import, %d before", n, base)
	}
	sameAsScan(t, s, "harvest", "shelling", "farmers")
	if ids, _ := fileSearch(t, s, "harvest"); len(ids) != 3000 {
		t.Fatalf("harvest: %d of 3000", len(ids))
	}
}

// An index file that cannot be written (here a folder where the file should be, which
// even root cannot open as a database) leaves a writable store without an index: it opens,
// imports, and searches by reading the documents.
func TestSearchFileUnwritableFallsBackToScan(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	if err := os.MkdirAll(filepath.Join(path+searchSuffix, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(30, "shelling")...); err != nil {
		t.Fatal(err)
	}
	if ids, method := fileSearch(t, s, "shelling"); method != "scan" || len(ids) != 30 {
		t.Fatalf("shelling: %d found by %s, want 30 by reading the documents", len(ids), method)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	if fi, err := os.Stat(path + searchSuffix); err != nil || !fi.IsDir() {
		t.Fatalf("the folder in the index's place was changed: %v", err)
	}
}

// An earlier version, which kept its index in the main file, opened the project in
// between: it made its own index table there and took a changed document off
// search_pending as it indexed it there. The index file no longer holds what that
// document says: dropping the earlier table makes every document pending again (the last
// statement of search.sql), and the changed one is found by its new text.
func TestSearchFileRebuiltAfterAnEarlierVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s := openFile(t, path, false)
	needFTS(t, s)
	if err := importTexts(t, s, "a", texts(10, "shelling")...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawFile(t, path)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE search_terms USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none)`,
		`UPDATE documents SET text = 'A ceasefire held in the valley.' WHERE external_id = 'a3'`,
		`DELETE FROM search_pending`, // indexed into search_terms in the main file
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s = openFile(t, path, false)
	if ids, _ := fileSearch(t, s, "ceasefire"); len(ids) != 1 {
		t.Fatalf("ceasefire: %v, want the changed document", ids)
	}
	sameAsScan(t, s, "ceasefire", "shelling")
}
