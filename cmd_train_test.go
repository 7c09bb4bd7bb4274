package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// trainDocs writes n done documents in JSONL, our own sentences: a group shelled a
// facility near a town (FACILITY is a label the rules do not make).
func trainDocs(n int, done bool) string {
	groups := []string{"Vornak militia", "Selt brigade", "Ostrel fighters", "Dunmar rebels"}
	depots := []string{"fuel depot", "grain silo", "water plant", "rail yard", "radio mast"}
	towns := []string{"Belkora", "Mirtaval", "Qesh", "Ubranka", "Zelmot", "Harwick"}
	var b strings.Builder
	for i := 0; i < n; i++ {
		var text strings.Builder
		var spans []map[string]any
		add := func(s, label string) {
			start := utf8.RuneCountInString(text.String())
			text.WriteString(s)
			if label != "" {
				spans = append(spans, map[string]any{"start": start, "end": start + utf8.RuneCountInString(s), "label": label})
			}
		}
		for k := 0; k < 3; k++ {
			add("The "+groups[(i+k)%len(groups)], "ACTOR")
			add(" ", "")
			add("shelled", "ATTACK")
			add(" the ", "")
			add(depots[(i*3+k)%len(depots)], "FACILITY")
			add(" near ", "")
			add(towns[(i*2+k)%len(towns)], "LOCATION")
			add(". Markets opened late on Monday. ", "")
		}
		rec := map[string]any{"id": fmt.Sprintf("t%d", i), "text": text.String()}
		if done {
			rec["spans"], rec["done"] = spans, true
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// withModels makes the database file (its migrations include the models table).
func withModels(t *testing.T, db string) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

func spanCounts(t *testing.T, db string) string {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(s.Spans, s.DocsByStatus)
}

// TestTrainSuggestEval: import done work, train (decisions unchanged), suggest on new
// documents with the model (a label only the model knows, every suggestion with a
// confidence), eval --cv; a damaged model is refused and the rules go on.
func TestTrainSuggestEval(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	gold := writeFile(t, dir, "gold.jsonl", trainDocs(8, true))
	fresh := writeFile(t, dir, "new.jsonl", strings.ReplaceAll(trainDocs(2, false), `"id":"t`, `"id":"n`))
	if code, _, errs := evident(t, "import", "--db", db, "--annotator", "gold", "--add-labels", gold); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	withModels(t, db)
	before := spanCounts(t, db)
	code, out, errs := evident(t, "train", "--db", db, "--cv", "2")
	if code != 0 || !strings.Contains(out, "trained model:tagger@1 on 8 documents") || !strings.Contains(out, "FACILITY") {
		t.Fatalf("train: %d %s %s", code, out, errs)
	}
	if !strings.Contains(out, "beside the 45 annotated articles of the base corpus") {
		t.Errorf("train does not say it used the base corpus:\n%s", out)
	}
	if after := spanCounts(t, db); after != before {
		t.Fatalf("training changed the decisions:\n%s\n%s", before, after)
	}
	if code, _, errs := evident(t, "import", "--db", db, fresh); code != 0 {
		t.Fatalf("import new: %s", errs)
	}
	if code, _, errs := evident(t, "suggest", "--db", db); code != 0 {
		t.Fatalf("suggest: %s", errs)
	}
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := st.Documents(context.Background())
	facility, withConf, all := 0, 0, 0
	for _, d := range docs {
		if !strings.HasPrefix(d.ExternalID, "n") {
			continue
		}
		spans, err := st.Spans(context.Background(), d.ID, annotate.SpanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range spans {
			all++
			if sp.Confidence != nil {
				withConf++
			}
			if sp.Label == "FACILITY" && sp.Origin == "model:tagger@1" {
				facility++
			}
		}
	}
	st.Close()
	if facility == 0 || withConf != all || all == 0 {
		t.Fatalf("%d suggestions, %d with a confidence, %d FACILITY from the model", all, withConf, facility)
	}
	code, out, errs = evident(t, "eval", "--db", db, "--cv", "2")
	if code != 0 || !strings.Contains(out, "learning curve") || !strings.Contains(out, "rules alone") {
		t.Fatalf("eval --cv: %d %s %s", code, out, errs)
	}
	if code, out, errs := evident(t, "eval", "--db", db, "--cv", "2", "--base=false"); code != 0 || !strings.Contains(out, "rules alone") {
		t.Fatalf("eval --cv --base=false: %d %s %s", code, out, errs)
	}
	if code, out, errs := evident(t, "train", "--db", db, "--cv", "0", "--base=false"); code != 0 || strings.Contains(out, "base corpus") {
		t.Fatalf("train --base=false: %d %s %s", code, out, errs)
	}
	// damage the stored model: suggest warns and suggests with the rules
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE models SET blob = X'00010203'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if code, _, errs := evident(t, "import", "--db", db, writeFile(t, dir, "more.jsonl", strings.ReplaceAll(trainDocs(1, false), `"id":"t`, `"id":"m`))); code != 0 {
		t.Fatalf("import more: %s", errs)
	}
	code, out, errs = evident(t, "suggest", "--db", db)
	if code != 0 || !strings.Contains(errs, "not an Evident tagger model") || !strings.Contains(errs, "rules alone") || !strings.Contains(out, "new suggestions") {
		t.Fatalf("suggest with a damaged model: %d %q %q", code, out, errs)
	}
}
