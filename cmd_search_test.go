package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"evident/annotate/sqlite"
)

// TestSearchCLI imports texts in several scripts with spans and checks `evident search`:
// JSON lines whose offsets slice the text, span fields on span hits only, the limit, a
// parse error with its column and exit status 1, and the consistency listing.
func TestSearchCLI(t *testing.T) {
	dir := t.TempDir()
	db := dir + "/s.db"
	texts := []string{
		"🔥 Shelling killed 12 civilians in Qaryat, officials said.",
		"قصف الجيش قرية قَرْيَات وقتل مدنيين 🔥",
		"北京市发生爆炸，北京警方说。",
		"Civilians returned to Qaryat after the ceasefire.",
	}
	var jl strings.Builder
	for i, tx := range texts {
		rec := map[string]any{"id": string(rune('a' + i)), "title": "T" + string(rune('a'+i)), "text": tx}
		if i == 0 {
			rec["spans"] = []map[string]any{{"start": 11, "end": 30, "label": "DEATH"}, {"start": 34, "end": 40, "label": "LOCATION"}}
		}
		b, _ := json.Marshal(rec)
		jl.Write(b)
		jl.WriteByte('\n')
	}
	in := writeFile(t, dir, "in.jsonl", jl.String())
	if code, _, errs := evident(t, "import", "--db", db, "--annotator", "ana", in); code != 0 {
		t.Fatal(errs)
	}
	type hit struct {
		ID        int64   `json:"id"`
		Title     string  `json:"title"`
		Start     int     `json:"start"`
		End       int     `json:"end"`
		Text      string  `json:"text"`
		Label     *string `json:"label"`
		Status    *string `json:"status"`
		Annotator *string `json:"annotator"`
	}
	search := func(args ...string) []hit {
		t.Helper()
		code, out, errs := evident(t, append([]string{"search", "--db", db, "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("search %v: %d %s", args, code, errs)
		}
		var hits []hit
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if line == "" {
				continue
			}
			var h hit
			if err := json.Unmarshal([]byte(line), &h); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			rs := []rune(texts[h.ID-1])
			if string(rs[h.Start:h.End]) != h.Text {
				t.Errorf("hit %+v does not slice the text", h)
			}
			hits = append(hits, h)
		}
		return hits
	}
	if h := search("civilians"); len(h) != 2 || h[0].ID != 4 || h[1].ID != 1 || h[0].Label != nil {
		t.Errorf("civilians: %+v", h)
	}
	if h := search("--by-document", "qaryat"); len(h) != 2 || h[0].ID != 1 || h[1].ID != 4 {
		t.Errorf("qaryat: %+v", h)
	}
	if h := search("قريات"); len(h) != 1 || h[0].ID != 2 || h[0].Text != "قَرْيَات" {
		t.Errorf("قريات: %+v", h)
	}
	if h := search(`label:DEATH "civilians"`); len(h) != 1 || h[0].Label == nil || *h[0].Label != "DEATH" || *h[0].Annotator != "ana" || *h[0].Status != "accepted" || h[0].Text != "killed 12 civilians" {
		t.Errorf("label:DEATH civilians: %+v", h)
	}
	if h := search("--limit", "1", "北京"); len(h) != 1 || h[0].Text != "北京" {
		t.Errorf("北京 limit 1: %+v", h)
	}
	if h := search("🔥"); len(h) != 2 {
		t.Errorf("emoji: %+v", h)
	}
	// A binary built without FTS5 says so on stderr (and still answers, by a scan).
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hasFTS := st.HasFTS(context.Background())
	st.Close()
	_, _, errs := evident(t, "search", "--db", db, "civilians")
	if strings.Contains(errs, "built without SQLite FTS5") == hasFTS {
		t.Errorf("FTS5 in this build: %v; stderr: %q", hasFTS, errs)
	}
	code, _, errs := evident(t, "search", "--db", db, `label:DEATH "civilians`)
	if code != 1 || !strings.Contains(errs, "column 13") || !strings.Contains(errs, `closing "`) {
		t.Errorf("parse error: %d %q", code, errs)
	}
	code, out, _ := evident(t, "search", "--db", db, "--inconsistent")
	if code != 0 || !strings.Contains(out, `"Qaryat"`) || !strings.Contains(out, "bare in 1 (documents 4)") {
		t.Errorf("--inconsistent: %d %q", code, out)
	}
}
