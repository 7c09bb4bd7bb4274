package storetest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/storetest"
)

// TestSearchSameOnBothBackends: the same data in an SQLite file and a PostgreSQL
// database gives the same hits for every query, on PostgreSQL through its trigram index.
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
		t.Errorf("PostgreSQL searched by %s, want the pg_trgm index", res.Method)
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

// TestSearchWithoutTrgm: a database where pg_trgm cannot be had still searches, by
// reading search_text in full, with the same hits, and says so; once the extension is
// installed the next open builds the index.
func TestSearchWithoutTrgm(t *testing.T) {
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
	if _, err := admin.Exec(ctx, `DROP EXTENSION pg_trgm CASCADE`); err != nil {
		t.Fatal(err)
	}
	type noticer interface{ SearchNotice(context.Context) string }
	pg = open(t, url)
	res, err := pg.(annotate.Searcher).Search(ctx, "civilians", annotate.SearchOptions{})
	if err != nil || res.Method != "scan" || len(res.Hits) == 0 {
		t.Fatalf("without pg_trgm: %+v %v", res, err)
	}
	if msg := pg.(noticer).SearchNotice(ctx); !strings.Contains(msg, "CREATE EXTENSION pg_trgm") {
		t.Errorf("notice %q", msg)
	}
	compareSearch(t, lite, pg)
	if _, err := admin.Exec(ctx, `CREATE EXTENSION pg_trgm`); err != nil {
		t.Fatal(err)
	}
	pg = open(t, url)
	if res, err := pg.(annotate.Searcher).Search(ctx, "civilians", annotate.SearchOptions{}); err != nil || res.Method != "index" {
		t.Fatalf("after CREATE EXTENSION and a reopen: %+v %v", res, err)
	}
	if msg := pg.(noticer).SearchNotice(ctx); msg != "" {
		t.Errorf("notice with the index: %q", msg)
	}
}
