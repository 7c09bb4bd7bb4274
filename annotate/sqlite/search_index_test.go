package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"evident/annotate"
)

// rawDB opens the store's file directly, as a script would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func searchIDs(t *testing.T, s interface {
	Search(context.Context, string, annotate.SearchOptions) (*annotate.SearchResult, error)
}, q string) (ids []int64, method string) {
	t.Helper()
	res, err := s.Search(context.Background(), q, annotate.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		ids = append(ids, h.DocID)
	}
	return ids, res.Method
}

// A database whose search index is one of earlier versions, kept in the main file
// (search_fts: trigrams of the whole text; search_words: words with CJK trigrams and short
// keys, whose tokens the lookups no longer ask for; search_terms: today's tokens, before
// the index had a file of its own) loses it at open and gets the current index in
// <db>-search, with every document in it.
func TestSearchIndexReplacesEarlierIndexes(t *testing.T) {
	for _, c := range []struct{ name, create, row string }{
		{"search_fts", `CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, detail = column)`,
			`INSERT INTO search_fts (rowid, body) VALUES (?, 'Shelling killed')`},
		{"search_words", `CREATE VIRTUAL TABLE search_words USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none)`,
			"INSERT INTO search_words (rowid, body) VALUES (?, 'shelling killed 北京市 \uE000\uE000北')"},
		{"search_terms", `CREATE VIRTUAL TABLE search_terms USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none)`,
			`INSERT INTO search_terms (rowid, body) VALUES (?, 'shelling')`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := MustOpen(t)
			ctx := context.Background()
			if !s.HasFTS(ctx) {
				t.Skip("built without FTS5")
			}
			id := importOne(t, s, annotate.Document{ExternalID: "a", Text: "Shelling killed 12 civilians in Qaryat. 北京市"}, annotate.Draft{})
			db := rawDB(t, s.Path())
			if _, err := db.Exec(c.create); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(c.row, id); err != nil {
				t.Fatal(err)
			}
			s.Close()
			s2 := mustOpenPath(t, s.Path())
			var old, pending int
			if err := db.QueryRow(`SELECT (SELECT count(*) FROM sqlite_master WHERE name = ?), (SELECT count(*) FROM search_pending)`, c.name).Scan(&old, &pending); err != nil {
				t.Fatal(err)
			}
			if old != 0 || pending != 0 {
				t.Fatalf("after open: %s tables %d, pending documents %d; want 0, 0", c.name, old, pending)
			}
			// Built with the settings an import needs: merged 16 segments at a time.
			var merge int
			if err := rawDB(t, s.Path()+"-search").QueryRow(`SELECT v FROM search_terms_config WHERE k = 'automerge'`).Scan(&merge); err != nil || merge != 16 {
				t.Errorf("automerge %d (%v), want 16", merge, err)
			}
			for _, q := range []string{"civil", "北", "京市"} {
				if ids, method := searchIDs(t, s2, q); method != "index" || len(ids) != 1 || ids[0] != id {
					t.Fatalf("search %q: %v by %s, want [%d] by the index", q, ids, method, id)
				}
			}
		})
	}
}

// An import indexes its documents as it adds them; a new document that takes the id of a
// deleted one the index still holds is indexed after the old entry is removed, and
// searches and the integrity check stay right.
func TestImportIndexesReusedID(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	importOne(t, s, annotate.Document{ExternalID: "a", Text: "A ceasefire held in Tessaly."}, annotate.Draft{})
	last := importOne(t, s, annotate.Document{ExternalID: "b", Text: "Drones struck the grain stores."}, annotate.Draft{})
	db := rawDB(t, s.Path())
	// Deleted behind the store's back: the highest id, which SQLite hands out again.
	if _, err := db.Exec(`DELETE FROM documents WHERE id = ?`, last); err != nil {
		t.Fatal(err)
	}
	again := importOne(t, s, annotate.Document{ExternalID: "c", Text: "Shelling killed nine farmers near Tessaly."}, annotate.Draft{})
	if again != last {
		t.Fatalf("new document got id %d, want the reused %d (the case this tests)", again, last)
	}
	var pending int
	// Without FTS5 there is no index to bring up to date: pending rows only mean "read
	// directly", which every search does then.
	if err := db.QueryRow(`SELECT count(*) FROM search_pending`).Scan(&pending); err != nil || (s.HasFTS(ctx) && pending != 0) {
		t.Fatalf("%d documents left pending (%v)", pending, err)
	}
	if ids, _ := searchIDs(t, s, "tessaly"); len(ids) != 2 {
		t.Errorf("tessaly: %v, want two documents", ids)
	}
	if ids, _ := searchIDs(t, s, "drones"); len(ids) != 0 {
		t.Errorf("drones (deleted): %v, want none", ids)
	}
	if ids, _ := searchIDs(t, s, "farmers"); len(ids) != 1 || ids[0] != again {
		t.Errorf("farmers: %v, want [%d]", ids, again)
	}
	if s.HasFTS(ctx) {
		// The index itself, not only Eval's verdict: the old text is gone from it.
		var n int
		if err := rawDB(t, s.Path()+"-search").QueryRow(`SELECT count(*) FROM search_terms WHERE search_terms MATCH 'drones*'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("index still holds the deleted text: %d (%v)", n, err)
		}
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// An import indexes its documents a few thousand at a time after their chunks; a
// document another program adds between two chunks keeps its place in search_pending
// until it is indexed, and at the end every document is in the index itself.
func TestImportIndexesInBatches(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	if !s.HasFTS(ctx) {
		t.Skip("built without FTS5")
	}
	db := rawDB(t, s.Path())
	im, err := s.BeginImport(ctx, "bench")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	// About 1 KB each: 3,000 pass the batch size, so the index is written mid-import too.
	body := strings.Repeat("Shelling near the river crossing wounded several farmers. ", 18)
	const n = 3000
	for i := 0; i < n; i++ {
		doc := annotate.Document{ExternalID: fmt.Sprint(i), Text: fmt.Sprintf("Report %d. %s", i, body)}
		if _, err := im.Add(ctx, &doc, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			time.Sleep(60 * time.Millisecond) // the next Add ends the chunk
		}
		if i == 11 {
			// Between two chunks, as a script would.
			const text = "A zebra crossing was hit."
			if _, err := db.Exec(`INSERT INTO documents (external_id, title, added, sha256, text) VALUES ('z', 'Script', 0, ?, ?)`, annotate.TextHash(text), text); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	ix := rawDB(t, s.Path()+"-search")
	count := func(q string) int {
		t.Helper()
		var c int
		on := db
		if strings.Contains(q, "search_terms") {
			on = ix
		}
		if err := on.QueryRow(q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := count(`SELECT count(*) FROM search_pending`); c != 0 {
		t.Errorf("%d documents left pending", c)
	}
	if c := count(`SELECT count(*) FROM search_terms WHERE search_terms MATCH 'farmers'`); c != n {
		t.Errorf("index holds %d of the %d imported documents", c, n)
	}
	if c := count(`SELECT count(*) FROM search_terms WHERE search_terms MATCH 'zebra'`); c != 1 {
		t.Errorf("the script's document is in the index %d times, want 1", c)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
