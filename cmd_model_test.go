package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"evident/examples/tagger/gazetteer"
)

// roundTripDB imports one annotated and one new document and exports the accepted spans.
func roundTripDB(t *testing.T) (dir, db, export string) {
	dir = t.TempDir()
	db = filepath.Join(dir, "x.db")
	docs := writeFile(t, dir, "docs.jsonl", strings.Join([]string{
		`{"id":"old","text":"Militants attacked Goma; the army said 4 died.","spans":[{"start":0,"end":9,"label":"ACTOR"},{"start":19,"end":23,"label":"LOCATION"}]}`,
		`{"id":"new","text":"😀 In Goma, militants shelled a market.","spans":[]}`,
	}, "\n"))
	if code, _, errs := evident(t, "import", "--db", db, docs); code != 0 {
		t.Fatal(errs)
	}
	export = filepath.Join(dir, "export.jsonl")
	if code, _, errs := evident(t, "export", "--db", db, "--format", "jsonl", "--out", export); code != 0 {
		t.Fatal(errs)
	}
	return dir, db, export
}

// TestSuggestModelCmdPython is the README round trip with the Python example: export,
// train, suggest through the process protocol, export the suggestions.
func TestSuggestModelCmdPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	dir, db, export := roundTripDB(t)
	script, _ := filepath.Abs("examples/tagger/tagger.py")
	model := filepath.Join(dir, "model.json")
	out, err := exec.Command("python3", script, "train", "--version", "2", export).Output()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(model, out, 0o644)
	code, stdout, errs := evident(t, "suggest", "--db", db, "--model-cmd", "python3 "+script+" --model "+model)
	if code != 0 || !strings.Contains(stdout, "2 new suggestions in 2 documents") || !strings.Contains(stdout, "model:gazetteer@2 over 2 documents") {
		t.Fatalf("code %d\n%s\n%s", code, stdout, errs)
	}
	sugg := filepath.Join(dir, "s.jsonl")
	if code, _, errs := evident(t, "export", "--db", db, "--status", "suggested", "--format", "jsonl", "--out", sugg); code != 0 {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(sugg)
	for _, want := range []string{`"start":5,"end":9,"label":"LOCATION","text":"Goma","status":"suggested","origin":"model:gazetteer@2"`,
		`"text":"militants","status":"suggested","origin":"model:gazetteer@2","annotator":"","confidence":1`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %s:\n%s", want, data)
		}
	}
	// A second run of the same version adds nothing and replaces nothing.
	code, stdout, errs = evident(t, "suggest", "--db", db, "--model-cmd", "python3 "+script+" --model "+model)
	if code != 0 || !strings.Contains(stdout, "0 new suggestions in 2 documents (0 earlier") {
		t.Fatalf("second run: %d %s %s", code, stdout, errs)
	}
	// A model that cannot start is named with its stderr.
	code, _, errs = evident(t, "suggest", "--db", db, "--model-cmd", "python3 "+script+" --model /nonexistent.json")
	if code != 1 || !strings.Contains(errs, "model switched off") || !strings.Contains(errs, "No such file or directory") {
		t.Fatalf("bad model: %d %s", code, errs)
	}
}

func TestSuggestModelURL(t *testing.T) {
	_, db, _ := roundTripDB(t)
	m := &gazetteer.Model{Name: "gaz", Version: "1", Phrases: map[string]map[string]int{"goma": {"GPE": 1}, "market": {"FAC": 1}}}
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	code, stdout, errs := evident(t, "suggest", "--db", db, "--model-url", srv.URL, "--map", "GPE=LOCATION")
	// Goma is already accepted in "old": only "new" gets it; FAC has no project label.
	if code != 0 || !strings.Contains(stdout, "1 new suggestions in 2 documents") || !strings.Contains(errs, "label FAC has no project label (1 spans") {
		t.Fatalf("code %d\n%s\n%s", code, stdout, errs)
	}
	if code, _, errs := evident(t, "suggest", "--db", db, "--model-url", srv.URL, "--model-cmd", "x"); code != 2 || !strings.Contains(errs, "one of") {
		t.Fatalf("both flags: %d %s", code, errs)
	}
}

func TestSuggestRememberModel(t *testing.T) {
	_, db, _ := roundTripDB(t)
	code, out, errs := evident(t, "suggest", "--db", db, "--model-url", "http://127.0.0.1:1", "--remember", "--model-timeout", "2s")
	// The model is named for the window even though it is down now.
	if code != 1 || !strings.Contains(out, "the window runs http://127.0.0.1:1") || !strings.Contains(errs, "model switched off") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	code, out, _ = evident(t, "suggest", "--db", db, "--forget-model")
	if code != 0 || !strings.Contains(out, "the window runs no model") {
		t.Fatalf("%d %s", code, out)
	}
}
