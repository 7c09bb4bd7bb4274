package storetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/ingest"
	"evident/annotate/storetest"
	"evident/export"
)

// TestImportBatchesSameAsSQLite: an import of several COPY batches into PostgreSQL (a
// batch is copied while the next is prepared) stores what SQLite stores: the same export
// bytes and the same search hits.
func TestImportBatchesSameAsSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 5,100 documents twice")
	}
	ctx := context.Background()
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lite, pg := open(t, filepath.Join(t.TempDir(), "b.db")), open(t, url)
	const n = 5100
	for _, st := range []annotate.Store{lite, pg} {
		importGen(t, st, n)
	}
	var outs [2]bytes.Buffer
	for k, st := range []annotate.Store{lite, pg} {
		if _, err := export.Run(ctx, st, export.Options{Format: "jsonl", Out: "-", Stdout: &outs[k]}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(outs[1].String(), "\n"); got != n {
		t.Fatalf("PostgreSQL exports %d documents, want %d", got, n)
	}
	if !bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
		t.Fatal("PostgreSQL exports other bytes than SQLite after the same import")
	}
	for _, q := range []string{"rockets", "shell", "fired rockets", "label:CASUALTY kill"} {
		ra, err := lite.(annotate.Searcher).Search(ctx, q, annotate.SearchOptions{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		rb, err := pg.(annotate.Searcher).Search(ctx, q, annotate.SearchOptions{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(ra.Hits) == 0 || rb.Method != "index" {
			t.Fatalf("%s: %d hits on SQLite, PostgreSQL by %s", q, len(ra.Hits), rb.Method)
		}
		if a, b := storetest.HitsString(ra.Hits), storetest.HitsString(rb.Hits); a != b {
			t.Errorf("%s:\n%s\nvs\n%s", q, a, b)
		}
	}
}

// TestImportCopyFailsWholly: when the server refuses a batch copied in the background
// (here a document another session stored meanwhile, a duplicate of the unique index),
// the import returns the error and stores nothing of any batch, search rows included
// (they are copied on a connection of their own).
func TestImportCopyFailsWholly(t *testing.T) {
	ctx := context.Background()
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := open(t, url)
	im, err := st.BeginImport(ctx, "bench")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	r := rand.New(rand.NewPCG(1, 0))
	var failed error
	for i := 0; i < 8000 && failed == nil; i++ {
		doc, d := genDoc(r, i)
		if i == 2100 {
			// Stored by another session, after the import loaded what it holds.
			admin, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := admin.Exec(ctx, `INSERT INTO documents (external_id, added, sha256, text) VALUES ($1, 0, $2, $3)`,
				doc.ExternalID, annotate.TextHash(doc.Text), doc.Text); err != nil {
				t.Fatal(err)
			}
			admin.Close(ctx)
		}
		_, failed = im.Add(ctx, &doc, d)
	}
	if failed == nil {
		failed = im.Commit()
	}
	if failed == nil || !strings.Contains(failed.Error(), "documents") {
		t.Fatalf("import with a duplicate in its second batch: %v, want the server's refusal", failed)
	}
	im.Rollback()
	docs, err := st.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("%d documents after the failed import, want only the other session's", len(docs))
	}
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var search int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM search_text WHERE doc <> $1`, docs[0].ID).Scan(&search); err != nil || search != 0 {
		t.Fatalf("%d search rows of the failed import are stored (%v)", search, err)
	}
}

// TestImportFilePreparedSameAsSQLite: `evident import` of a file of several batches
// (the PostgreSQL importer's Prepare on the reading goroutine, AddPrepared on the
// writing one) stores what SQLite stores, events included: the same export bytes.
func TestImportFilePreparedSameAsSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 4,500 documents twice")
	}
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "docs.jsonl")
	var b bytes.Buffer
	r := rand.New(rand.NewPCG(2, 0))
	enc := json.NewEncoder(&b)
	for i := 0; i < 4500; i++ {
		doc, d := genDoc(r, i)
		spans := make([]map[string]any, len(d.Spans))
		for k, sp := range d.Spans {
			spans[k] = map[string]any{"start": sp.Start, "end": sp.End, "label": sp.Label}
		}
		rec := map[string]any{"id": doc.ExternalID, "title": doc.Title, "source": doc.Source, "published": doc.Published,
			"text": doc.Text, "spans": spans}
		if i%3 == 0 { // ATTACK is span 8, an ACTOR span 0, a TARGET span 1
			rec["events"] = []map[string]any{{"type": "ATTACK", "trigger": 8, "args": map[string][]int{"attacker": {0}, "target": {1}}}}
		}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var outs [2]bytes.Buffer
	for k, st := range []annotate.Store{open(t, filepath.Join(t.TempDir(), "f.db")), open(t, url)} {
		if _, err := ingest.ImportFiles(ctx, st, []string{file}, ingest.Options{Annotator: "ann"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := export.Run(ctx, st, export.Options{Format: "jsonl", Out: "-", Stdout: &outs[k]}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(outs[1].String(), `"type":"ATTACK"`); n != 1500 {
		t.Fatalf("PostgreSQL exports %d events, want 1500", n)
	}
	if !bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
		t.Fatal("PostgreSQL exports other bytes than SQLite after importing the same file")
	}
}
