package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncidentsRevisionNotDispute: a later report's risen running total ("the death
// toll rose to 31") is linked with the first report and listed as a revision, not a
// dispute (issue 14).
func TestIncidentsRevisionNotDispute(t *testing.T) {
	type span struct {
		Start int            `json:"start"`
		End   int            `json:"end"`
		Label string         `json:"label"`
		Attrs map[string]any `json:"attrs,omitempty"`
	}
	at := func(text, s string) (int, int) {
		i := strings.Index(text, s)
		if i < 0 {
			t.Fatalf("%q not in %q", s, text)
		}
		return i, i + len(s)
	}
	row := func(id, pub, text, toll, tollText, trigger, scope string) string {
		var sp []span
		add := func(s, label string, attrs map[string]any) {
			a, b := at(text, s)
			sp = append(sp, span{a, b, label, attrs})
		}
		add(trigger, "DEATH", nil)
		add(tollText, "CASUALTY", map[string]any{"kind": "killed", "low": json.Number(toll), "high": json.Number(toll), "qualifier": "exact", "scope": scope})
		add("Tessaly", "LOCATION", nil)
		add("Sunday", "TIME", map[string]any{"date": "2026-03-08"})
		ev := []map[string]any{{"type": "DEATH", "trigger": 0, "args": map[string][]int{"casualties": {1}, "place": {2}, "time": {3}}}}
		b, err := json.Marshal(map[string]any{"id": id, "source": "Outlet " + id, "published": pub, "text": text, "spans": sp, "events": ev})
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "rev.db")
	in := writeFile(t, dir, "rev.jsonl",
		row("first", "2026-03-09", "A car bomb at the bus station in Tessaly on Sunday killed 21 people, police said.", "21", "21 people", "killed", "incident")+
			row("later", "2026-03-11", "The death toll from Sunday's attack in Tessaly rose to 31 on Tuesday, police said.", "31", "31", "death toll", "cumulative"))
	if code, _, errs := evident(t, "import", "--db", db, in); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := evident(t, "incidents", "--db", db, "--propose", "--accept-proposals", "--annotator", "rev", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var r struct {
		Incidents []struct {
			Disputed  bool
			Disputes  []json.RawMessage
			Revisions []struct{ Kind, Text string }
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Incidents) != 1 {
		t.Fatalf("%d incidents, want the two reports in one:\n%s", len(r.Incidents), out)
	}
	inc := r.Incidents[0]
	if inc.Disputed || len(inc.Disputes) != 0 || len(inc.Revisions) != 1 || !strings.Contains(inc.Revisions[0].Text, `"21 people"`) || !strings.Contains(inc.Revisions[0].Text, `rose to "31"`) {
		t.Fatalf("disputed %v, disputes %d, revisions %+v; want one revision 21 -> 31 and no dispute", inc.Disputed, len(inc.Disputes), inc.Revisions)
	}
	if code, out, _ := evident(t, "incidents", "--db", db); code != 0 || !strings.Contains(out, "revision killed:") || strings.Contains(out, "DISPUTED") {
		t.Errorf("listing does not show the revision as such:\n%s", out)
	}
}
