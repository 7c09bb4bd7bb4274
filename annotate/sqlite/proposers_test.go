package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
)

// TestDamagedProposers: a proposers column that cannot be read (or does not start with
// the span's origin) leaves the span and its document readable, as proposed by its
// origin alone, and `evident check` reports it; a sound one is not reported.
func TestDamagedProposers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := mustOpenPath(t, path)
	doc := importOne(t, s, annotate.Document{ExternalID: "p1", Text: "Rebels shelled Kharkiv."}, annotate.Draft{})
	c := 0.6
	sp := annotate.Span{Start: 0, End: 6, Label: "ACTOR", Origin: "rule:x", Confidence: &c}
	if _, err := s.AddSuggestions(ctx, doc, annotate.Draft{Spans: []annotate.Span{sp}}, "rules"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.PutModelSuggestions(ctx, doc, "model:m@1", []annotate.Span{sp}, "ann"); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, bad := range []string{`[["rule:x",0.6,0],`, `[["model:m@1",null,0],["rule:x",0.6,0]]`, `[["rule:x",0.6,0]]`, `{"a":1}`} {
		if _, err := db.Exec(`UPDATE spans SET proposers = ? WHERE doc = ?`, bad, doc); err != nil {
			t.Fatal(err)
		}
		spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
		if err != nil || len(spans) != 1 || spans[0].Proposers != nil || spans[0].Origin != "rule:x" {
			t.Fatalf("proposers %s: spans %+v, %v; want the span, proposed by its origin alone", bad, spans, err)
		}
		problems, err := s.Check(ctx)
		if err != nil || len(problems) != 1 || !strings.Contains(problems[0], "proposers") {
			t.Fatalf("proposers %s: check %q, %v", bad, problems, err)
		}
	}
}
