package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPostgresSearchAndModels: search, predictions and a model process give the same
// output on a team database as on an SQLite file with the same input.
func TestPostgresSearchAndModels(t *testing.T) {
	_, pg := startPG(t)
	dir := t.TempDir()
	docs := writeFile(t, dir, "docs.jsonl", strings.Join([]string{
		`{"id":"old","text":"Militants attacked Goma; the army said 4 died.","spans":[{"start":0,"end":9,"label":"ACTOR"},{"start":19,"end":23,"label":"LOCATION"}]}`,
		`{"id":"new","text":"😀 In Goma, militants shelled a market.","spans":[]}`,
		`{"id":"ar","text":"قَصَفَ المسلحون سوق غومـــا صباحا.","spans":[]}`,
		`{"id":"zh","text":"戈马市场遭到炮击，戈马警方说。","spans":[]}`,
	}, "\n"))
	preds := writeFile(t, dir, "p.jsonl", strings.Join([]string{
		`{"id":"new","model":"ner","model_version":"3","spans":[{"start":5,"end":9,"label":"GPE","score":0.9},{"start":11,"end":20,"label":"PER"}]}`,
		`{"id":"zh","model":"ner","model_version":"3","spans":[{"start":0,"end":2,"label":"GPE","score":0.4}]}`,
	}, "\n"))
	script, _ := filepath.Abs("examples/tagger/tagger.py")
	_, noPython := exec.LookPath("python3")
	outs := map[string][]string{}
	for i, db := range []string{filepath.Join(dir, "x.db"), pg} {
		run := func(args ...string) string {
			t.Helper()
			code, out, errs := evident(t, args...)
			if code != 0 {
				t.Fatalf("%s on %s: code %d: %s", args[0], db, code, errs)
			}
			if args[0] != "import" || args[3] == "--predictions" { // the others name the database
				outs[db] = append(outs[db], out)
			}
			return out
		}
		run("import", "--db", db, docs)
		for _, q := range []string{"goma", "militants -army", "غوما", "戈马", "😀", `label:ACTOR "militants"`, "no:ACTOR"} {
			if out := run("search", "--db", db, "--json", q); !strings.Contains(out, `"start"`) {
				t.Fatalf("search %s on %s found nothing: %s", q, db, out)
			}
		}
		if noPython == nil {
			exp := filepath.Join(dir, "train.jsonl")
			run("export", "--db", db, "--format", "jsonl", "--out", exp)
			model, err := exec.Command("python3", script, "train", "--version", "2", exp).Output()
			if err != nil {
				t.Fatal(err)
			}
			mf := filepath.Join(dir, "model.json")
			os.WriteFile(mf, model, 0o644)
			code, out, errs := evident(t, "suggest", "--db", db, "--model-cmd", "python3 "+script+" --model "+mf)
			if code != 0 || !strings.Contains(out, "new suggestions in 4 documents") || strings.Contains(out, " 0 new") {
				t.Fatalf("suggest --model-cmd on %s: code %d: %s %s", db, code, out, errs)
			}
			outs[db] = append(outs[db], strings.Split(out, "\n")[0]) // the second line has the time taken
		}
		if out := run("import", "--db", db, "--predictions", "--map", "PER=ACTOR,GPE=LOCATION", preds); !strings.Contains(out, "new suggestions in 2 documents") {
			t.Fatalf("predictions on %s: %s", db, out)
		}
		out := filepath.Join(dir, "s.jsonl")
		run("export", "--db", db, "--status", "suggested", "--format", "jsonl", "--out", out)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"origin":"model:ner@3"`) || !strings.Contains(string(data), `"confidence":0.4`) {
			t.Fatalf("export %d lacks the predictions: %s", i, data)
		}
		outs[db] = append(outs[db], string(data))
	}
	a, b := outs[filepath.Join(dir, "x.db")], outs[pg]
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("step %d differs:\nSQLite:     %s\nPostgreSQL: %s", i, a[i], b[i])
		}
	}
}
