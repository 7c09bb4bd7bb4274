package storetest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/storetest"
)

// TestSearchSameOnBothBackends: the same data in an SQLite file and a PostgreSQL
// database gives the same hits for every query, on PostgreSQL through its keys index.
func TestSearchSameOnBothBackends(t *testing.T) {
	ctx := context.Background()
	lite := open(t, filepath.Join(t.TempDir(), "s.db"))
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg := open(t, url)
	storetest.ImportSearchTexts(t, lite, 2)
	storetest.ImportSearchTexts(t, pg, 2)
	compareSearch(t, lite, pg)
	res, err := pg.(annotate.Searcher).Search(ctx, "civilians", annotate.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "index" {
		t.Errorf("PostgreSQL searched by %s, want the keys index", res.Method)
	}
}

// TestSearchAfterCopy: a project copied into PostgreSQL (LoadTables, which bypasses the
// importer) is searchable at once: the documents' triggers queue them and the copy
// indexes them before it commits.
func TestSearchAfterCopy(t *testing.T) {
	ctx := context.Background()
	lite := open(t, filepath.Join(t.TempDir(), "s.db"))
	storetest.ImportSearchTexts(t, lite, 2)
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg := open(t, url)
	if err := pg.(annotate.TableLoader).LoadTables(ctx, lite.(annotate.TableDumper)); err != nil {
		t.Fatal(err)
	}
	compareSearch(t, lite, pg)
	// Reopened, nothing is pending and the results stay.
	compareSearch(t, lite, open(t, url))
}

func compareSearch(t *testing.T, a, b annotate.Store) {
	t.Helper()
	ctx := context.Background()
	for _, q := range storetest.SearchQueries() {
		for _, opt := range []annotate.SearchOptions{{}, {Order: annotate.SearchByDocument, Limit: 2}} {
			ra, err := a.(annotate.Searcher).Search(ctx, q, opt)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			rb, err := b.(annotate.Searcher).Search(ctx, q, opt)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if ga, gb := storetest.HitsString(ra.Hits), storetest.HitsString(rb.Hits); ga != gb || ra.More != rb.More {
				t.Errorf("%s %+v:\n%s\nvs\n%s", q, opt, ga, gb)
			}
		}
	}
}

// TestSearchOldLayoutRebuilt: a database whose search_text is of the layout before
// search keys (a pg_trgm index over body, no keys) is rebuilt when it is next opened,
// and then searches by the keys' index with the same hits as SQLite.
func TestSearchOldLayoutRebuilt(t *testing.T) {
	ctx := context.Background()
	lite := open(t, filepath.Join(t.TempDir(), "s.db"))
	storetest.ImportSearchTexts(t, lite, 1)
	url, err := server.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg := open(t, url)
	storetest.ImportSearchTexts(t, pg, 1)
	pg.Close()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{`DROP TABLE search_text`,
		`CREATE TABLE search_text (doc BIGINT PRIMARY KEY, body TEXT NOT NULL)`,
		`INSERT INTO search_text SELECT id, lower(text) FROM documents`,
		`CREATE EXTENSION IF NOT EXISTS pg_trgm`,
		`CREATE INDEX search_text_trgm ON search_text USING gin (body gin_trgm_ops)`} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	pg = open(t, url)
	res, err := pg.(annotate.Searcher).Search(ctx, "civilians", annotate.SearchOptions{})
	if err != nil || res.Method != "index" || len(res.Hits) == 0 {
		t.Fatalf("after reopening the old layout: %+v %v", res, err)
	}
	var indexed, docs int
	if err := admin.QueryRow(ctx, `SELECT (SELECT count(*) FROM search_text WHERE keys IS NOT NULL),
		(SELECT count(*) FROM documents)`).Scan(&indexed, &docs); err != nil || indexed != docs || docs == 0 {
		t.Fatalf("%d of %d documents have keys (%v)", indexed, docs, err)
	}
	compareSearch(t, lite, pg)
}
