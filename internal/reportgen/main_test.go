package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate/incident/corpus"
)

func TestWriteAndScore(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-incidents", "40", "-max", "100", "-seed", "5"}, &out); err != nil {
		t.Fatal(err)
	}
	c := corpus.Generate(corpus.Options{Incidents: 40, Seed: 5})
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	n := 0
	for sc.Scan() {
		var row map[string]string
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if row["id"] != c.Reports[n].ID || row["text"] != c.Reports[n].Text || row["published"] == "" {
			t.Fatalf("line %d: %v", n+1, row)
		}
		n++
	}
	if n != min(100, len(c.Reports)) {
		t.Fatalf("%d lines", n)
	}
	// the truth as stored incidents scores 1; everything in one incident scores low
	type doc struct {
		ExternalID string `json:"external_id"`
	}
	type inc struct {
		Disputed  bool  `json:"disputed"`
		Documents []doc `json:"documents"`
	}
	byInc := map[int]*inc{}
	var all inc
	for _, r := range c.Reports[:n] {
		if byInc[r.Incident] == nil {
			byInc[r.Incident] = &inc{Disputed: c.Incidents[r.Incident].Disputed}
		}
		byInc[r.Incident].Documents = append(byInc[r.Incident].Documents, doc{r.ID})
		all.Documents = append(all.Documents, doc{r.ID})
	}
	var truth []inc
	for _, i := range byInc {
		truth = append(truth, *i)
	}
	for _, tc := range []struct {
		incs []inc
		want string
	}{
		{truth, "1.0000 bcubed-P 1.0000 bcubed-F1 1.0000 disputed-flagged"},
		{[]inc{all}, " bcubed-P"},
	} {
		b, _ := json.Marshal(map[string]any{"incidents": tc.incs})
		path := filepath.Join(t.TempDir(), "incidents.json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		if err := run([]string{"-incidents", "40", "-max", "100", "-seed", "5", "-score", path, "-seconds", "1.5"}, &got); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got.String(), "BenchmarkIncidentsBinary20k 1 1.50 s/run") || !strings.Contains(got.String(), tc.want) {
			t.Errorf("score line %q lacks %q", got.String(), tc.want)
		}
		if len(tc.incs) == 1 && strings.Contains(got.String(), "1.0000 bcubed-P") {
			t.Errorf("one incident of everything scored precision 1: %q", got.String())
		}
	}
	// a document the corpus does not hold is an error naming it
	b, _ := json.Marshal(map[string]any{"incidents": []inc{{Documents: []doc{{"nope"}}}}})
	path := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(path, b, 0o644)
	if err := run([]string{"-incidents", "40", "-score", path}, &strings.Builder{}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown document: %v", err)
	}
}
