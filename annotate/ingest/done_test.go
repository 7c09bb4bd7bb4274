package ingest_test

import (
	"context"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/ingest"
)

// TestDoneKey: "done": true makes a document done, false leaves it new, anything else is
// an error naming the line.
func TestDoneKey(t *testing.T) {
	recs := mustRead(t, "a.jsonl", `{"id":"a","text":"One.","done":true}
{"id":"b","text":"Two.","done":false}
{"id":"c","text":"Three."}
`)
	want := []annotate.DocStatus{annotate.DocDone, annotate.DocNew, annotate.DocNew}
	for i, r := range recs {
		if r.Doc.Status != want[i] {
			t.Errorf("record %d: status %q, want %q", i, r.Doc.Status, want[i])
		}
		if len(r.Doc.Meta) != 0 {
			t.Errorf("record %d: done kept as meta %s", i, r.Doc.Meta)
		}
	}
	_, err := readAll(t, "b.jsonl", "{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"text\":\"Two.\",\"done\":\"yes\"}\n", ingest.ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "b.jsonl:2") || !strings.Contains(err.Error(), "done must be true or false") {
		t.Fatalf("error = %v, want one naming b.jsonl:2 and done", err)
	}
}

// TestImportDone: Options.Done stores every imported document as done, with its spans
// accepted; without it the status is the file's.
func TestImportDone(t *testing.T) {
	ctx := context.Background()
	dir := writeFiles(t, map[string]string{"g.jsonl": goodJSONL})
	for _, done := range []bool{false, true} {
		s := openStore(t)
		if _, err := ingest.ImportFiles(ctx, s, []string{dir + "/g.jsonl"}, ingest.Options{Annotator: "gold", Done: done}, nil); err != nil {
			t.Fatal(err)
		}
		docs, err := s.Documents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 2 {
			t.Fatalf("%d documents", len(docs))
		}
		for _, d := range docs {
			if got := d.Status == annotate.DocDone; got != done {
				t.Errorf("done=%v: document %s has status %s", done, d.ExternalID, d.Status)
			}
			if d.Accepted == 0 {
				t.Errorf("document %s: no accepted spans", d.ExternalID)
			}
		}
	}
}
