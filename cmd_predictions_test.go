package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportPredictionsCLI: predictions become suggestions with origin and score, bad
// records are named by file:line with the others stored, and accepting keeps the score
// in the export.
func TestImportPredictionsCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	docs := writeFile(t, dir, "docs.jsonl", `{"id":"d1","text":"Gunmen attacked Beni; 5 died."}`+"\n"+`{"id":"d2","text":"Calm day."}`+"\n")
	if code, _, errs := evident(t, "import", "--db", db, docs); code != 0 {
		t.Fatal(errs)
	}
	preds := writeFile(t, dir, "p.jsonl", strings.Join([]string{
		`{"id":"d1","model":"ner","model_version":"2","spans":[{"start":0,"end":6,"label":"PER","score":0.7},{"start":16,"end":20,"label":"GPE"},{"start":22,"end":23,"label":"CARDINAL"}]}`,
		`{"id":"d2","model":"ner","model_version":"2","spans":[{"start":5,"end":40,"label":"PER"}]}`,
		`{"id":"d3","model":"ner",`,
	}, "\n"))
	code, out, errs := evident(t, "import", "--db", db, "--predictions", "--map", "PER=ACTOR,GPE=LOCATION", preds)
	if code != 1 {
		t.Fatalf("code %d, want 1 for bad records: %s %s", code, out, errs)
	}
	for _, want := range []string{
		"p.jsonl:2: document \"d2\": spans[0] PER: span [5, 40) ends past the text",
		"p.jsonl:3: malformed JSON",
		"label CARDINAL has no project label (1 spans not stored",
		"2 predictions were not stored",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "2 new suggestions in 1 documents") {
		t.Errorf("stdout: %s", out)
	}
	exp := filepath.Join(dir, "s.jsonl")
	if code, _, errs := evident(t, "export", "--db", db, "--status", "suggested", "--format", "jsonl", "--out", exp); code != 0 {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(exp)
	if !strings.Contains(string(data), `"label":"ACTOR","text":"Gunmen","status":"suggested","origin":"model:ner@2"`) ||
		!strings.Contains(string(data), `"confidence":0.7`) {
		t.Fatalf("export: %s", data)
	}
	// The saved mapping applies to the next run without --map.
	again := writeFile(t, dir, "p2.jsonl", `{"id":"d1","model":"ner","model_version":"2","spans":[{"start":16,"end":20,"label":"GPE"}]}`)
	if code, out, errs := evident(t, "import", "--db", db, "--predictions", again); code != 0 || !strings.Contains(out, "0 new suggestions in 1 documents (1 earlier ones") {
		t.Fatalf("code %d: %s %s", code, out, errs)
	}
	if code, _, errs := evident(t, "import", "--db", db, "--predictions", "--offsets", "words", again); code != 2 || !strings.Contains(errs, "unknown offsets") {
		t.Fatalf("bad --offsets: %d %s", code, errs)
	}
}
