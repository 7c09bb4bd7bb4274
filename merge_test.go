package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mergeText = "An airstrike on Tuesday killed at least 12 civilians in Aleppo, the health ministry said."

// mergeDoc writes one JSONL document over mergeText with the given spans and events.
func mergeDoc(id string, spans []map[string]any, events []map[string]any) string {
	line, _ := json.Marshal(map[string]any{"id": id, "published": "2024-03-05", "source": "Wire", "text": mergeText,
		"spans": spans, "events": events})
	return string(line) + "\n"
}

func sp(sub, label string, attrs map[string]any) map[string]any {
	r := []rune(mergeText)
	for i := 0; i+len([]rune(sub)) <= len(r); i++ {
		if string(r[i:i+len([]rune(sub))]) == sub {
			m := map[string]any{"start": i, "end": i + len([]rune(sub)), "label": label}
			if attrs != nil {
				m["attrs"] = attrs
			}
			return m
		}
	}
	panic(sub)
}

// exportedSpan is a span line of the JSONL export.
type exportedSpan struct {
	Start, End int
	Label      string
	Text       string
	Status     string
	Annotator  string
	Attrs      struct {
		Kind     string
		Claimant *int
	}
}

type exportedDoc struct {
	ID     string
	SHA256 string
	Source string
	Spans  []exportedSpan
	Events []struct {
		Type    string
		Trigger int
		Args    map[string][]int
	}
}

func exportAll(t *testing.T, db string) (string, []exportedDoc) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "all.jsonl")
	if code, _, errs := evident(t, "export", "--db", db, "--format", "jsonl", "--status", "all", "--out", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var docs []exportedDoc
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var d exportedDoc
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	return string(data), docs
}

// writeMergeSources makes alice.db and bob.db in dir: two annotators' databases of the
// same article under different ids, and one article only bob has.
func writeMergeSources(t *testing.T, dir string) (a, b string) {
	t.Helper()
	a, b = filepath.Join(dir, "alice.db"), filepath.Join(dir, "bob.db")
	// alice: the casualty figure claimed by the ministry, an ATTACK event with it
	fa := writeFile(t, dir, "a.jsonl", mergeDoc("article-1", []map[string]any{
		sp("airstrike", "ATTACK", nil),
		sp("at least 12 civilians", "CASUALTY", map[string]any{"kind": "killed", "low": 12, "qualifier": "at_least", "claimant": 3}),
		sp("Aleppo", "LOCATION", nil),
		sp("health ministry", "SOURCE", nil),
	}, []map[string]any{{"type": "ATTACK", "trigger": 0, "args": map[string][]int{"casualties": {1}, "place": {2}}}}))
	// bob: the same figure (same range) and a different boundary for the place
	fb := writeFile(t, dir, "b.jsonl", mergeDoc("bob-7", []map[string]any{
		sp("ministry", "SOURCE", nil),
		sp("at least 12 civilians", "CASUALTY", map[string]any{"kind": "killed", "low": 12, "qualifier": "at_least", "claimant": 0}),
		sp("in Aleppo", "LOCATION", nil),
		sp("airstrike", "ATTACK", nil),
	}, []map[string]any{{"type": "ATTACK", "trigger": 3, "args": map[string][]int{"casualties": {1}, "source": {0}}}})+
		`{"id":"bob-only","text":"Shelling hit Homs, wounding 3 people."}`+"\n")
	for _, c := range [][]string{
		{"import", "--db", a, "--annotator", "alice", fa},
		{"suggest", "--db", a}, // suggestions carry no annotator: merged under the file's name
		{"import", "--db", b, "--annotator", "bob", fb},
	} {
		if code, _, errs := evident(t, c...); code != 0 {
			t.Fatalf("%v: %s", c, errs)
		}
	}
	return a, b
}

// TestMergeKeepsAnnotatorsAndIsIdempotent merges two annotators' databases of the same
// article (stored under different ids: documents match by text) plus one article only
// the second has; then merges again and checks the export did not change.
func TestMergeKeepsAnnotatorsAndIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	a, b := writeMergeSources(t, dir)
	team := filepath.Join(dir, "team.db")
	_, alice := exportAll(t, a)
	_, bob := exportAll(t, b)

	code, out, errs := evident(t, "merge", "--into", team, a, b)
	if code != 0 {
		t.Fatalf("merge: %s", errs)
	}
	if !strings.Contains(out, "merged "+a) || !strings.Contains(out, "1 documents (1 new)") || !strings.Contains(out, "2 documents (1 new)") {
		t.Errorf("merge output:\n%s", out)
	}
	first, docs := exportAll(t, team)
	if len(docs) != 2 || docs[0].ID != "article-1" || docs[1].ID != "bob-only" {
		t.Fatalf("team documents: %+v", docs)
	}
	if code, out, errs := evident(t, "check", "--db", team); code != 0 {
		t.Fatalf("check after merge: %s %s", out, errs)
	}
	// every source span is in the team database under its annotator, with its status
	count := func(spans []exportedSpan, who string) map[string]int {
		m := map[string]int{}
		for _, s := range spans {
			if who == "" || s.Annotator == who {
				m[s.Label+"|"+s.Text+"|"+s.Status+"|"+s.Annotator]++
			}
		}
		return m
	}
	merged := count(docs[0].Spans, "")
	want := map[string]int{}
	for _, s := range alice[0].Spans {
		who := s.Annotator
		if who == "" {
			who = "alice" // the file's name: alice.db
		}
		want[s.Label+"|"+s.Text+"|"+s.Status+"|"+who]++
	}
	for k, n := range count(bob[0].Spans, "") {
		want[k] += n
	}
	if len(merged) != len(want) {
		t.Errorf("merged %d distinct spans, want %d", len(merged), len(want))
	}
	for k, n := range want {
		if merged[k] != n {
			t.Errorf("span %s: %d in team, %d in the sources", k, merged[k], n)
		}
	}
	annotators := map[string]bool{}
	for _, s := range docs[0].Spans {
		annotators[s.Annotator] = true
	}
	if !annotators["alice"] || !annotators["bob"] || len(annotators) != 2 {
		t.Errorf("annotators in team: %v", annotators)
	}
	// each casualty's claimant is its own annotator's SOURCE span
	for _, s := range docs[0].Spans {
		if s.Label != "CASUALTY" || s.Status != "accepted" {
			continue
		}
		if s.Attrs.Claimant == nil {
			t.Errorf("%s's casualty lost its claimant", s.Annotator)
			continue
		}
		c := docs[0].Spans[*s.Attrs.Claimant]
		if c.Label != "SOURCE" || c.Annotator != s.Annotator {
			t.Errorf("%s's casualty is claimed by %+v", s.Annotator, c)
		}
	}
	// events: alice's, bob's and the suggested ones, with their arguments
	nEvents := len(alice[0].Events) + len(bob[0].Events)
	if len(docs[0].Events) != nEvents {
		t.Errorf("%d events in team, %d in the sources", len(docs[0].Events), nEvents)
	}

	// merging again, in either order, changes nothing
	for _, args := range [][]string{{a, b}, {b, a}} {
		code, out, errs := evident(t, append([]string{"merge", "--into", team}, args...)...)
		if code != 0 || strings.Count(out, " 0 spans added") != 2 {
			t.Fatalf("merge again: %d %s %s", code, out, errs)
		}
		if again, _ := exportAll(t, team); again != first {
			t.Fatalf("the second merge changed the export:\n%s\nwas\n%s", again, first)
		}
	}
}

func TestMergeRefusals(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.db")
	in := writeFile(t, dir, "a.jsonl", `{"id":"a","text":"Shelling hit the town."}`+"\n")
	if code, _, errs := evident(t, "import", "--db", a, in); code != 0 {
		t.Fatal(errs)
	}
	if code, _, _ := evident(t, "merge", a); code != 2 {
		t.Errorf("without --into: exit %d, want 2", code)
	}
	if code, _, _ := evident(t, "merge", "--into", filepath.Join(dir, "t.db")); code != 2 {
		t.Errorf("without sources: exit %d, want 2", code)
	}
	team := filepath.Join(dir, "t.db")
	if code, _, errs := evident(t, "merge", "--into", team, a, filepath.Join(dir, "missing.db")); code != 1 || !strings.Contains(errs, "no database") {
		t.Errorf("missing source: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(team); err == nil {
		t.Error("a merge that could not open its sources created the team database")
	}
	if code, _, errs := evident(t, "merge", "--into", a, a); code != 1 || !strings.Contains(errs, "merged into") {
		t.Errorf("merge into itself: exit %d, %s", code, errs)
	}
}
