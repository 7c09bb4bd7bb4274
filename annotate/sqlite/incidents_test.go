package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// incidentDoc is one report of the strike at Kato, told by an outlet with its own toll.
type incidentDoc struct {
	id, outlet, published, text, toll, source string
	attrs                                     string
}

var incidentDocs = []incidentDoc{
	{"k1", "Daily Post", "2026-03-12", "An airstrike hit Kato on Tuesday, killing 41 people, the armed group said. A second raid hit Bara, wounding 7 people.",
		"41 people", "armed group", `{"kind":"killed","low":41,"high":41,"qualifier":"exact","victims":["people"]}`},
	{"k2", "Evening Star", "2026-03-13", "The strike on Kato killed 27 people, the hospital said.",
		"27 people", "hospital", `{"kind":"killed","low":27,"high":27,"qualifier":"exact","victims":["people"]}`},
	{"k3", "Radio Nine", "2026-03-13", "An airstrike in Kato killed at least 18 people, witnesses said.",
		"at least 18 people", "witnesses", `{"kind":"killed","low":18,"qualifier":"at_least","victims":["people"]}`},
}

// importIncidentDocs stores the three reports, each with an ATTACK event whose
// casualties argument is the toll (claimed by the SOURCE span), and returns the document
// ids and the ATTACK event of each. Document k1 also has an INJURY event with a figure
// of its own, and k1's CASUALTY "7 people" is not an argument of the ATTACK.
func importIncidentDocs(t *testing.T, s *sqlite.Store) (docs, events []int64) {
	t.Helper()
	ctx := context.Background()
	for _, d := range incidentDocs {
		trig := "strike"
		if strings.Contains(d.text, "airstrike") {
			trig = "airstrike"
		}
		toll := span(d.text, d.toll, "CASUALTY")
		toll.Attrs = json.RawMessage(d.attrs)
		draft := annotate.Draft{
			Spans: []annotate.Span{
				span(d.text, trig, "ATTACK"),     // 0
				span(d.text, "Kato", "LOCATION"), // 1
				toll,                             // 2
				span(d.text, d.source, "SOURCE"), // 3
			},
			Events: []annotate.DraftEvent{{Type: "ATTACK", Trigger: 0, Args: []annotate.DraftArg{
				{Role: "place", Span: 1}, {Role: "casualties", Span: 2}, {Role: "source", Span: 3}}}},
			Claimants: map[int]int{2: 3},
		}
		if d.id == "k1" {
			wounded := span(d.text, "7 people", "CASUALTY")
			wounded.Attrs = json.RawMessage(`{"kind":"injured","low":7,"high":7,"qualifier":"exact"}`)
			draft.Spans = append(draft.Spans, span(d.text, "wounding", "INJURY"), wounded) // 4, 5
			draft.Events = append(draft.Events, annotate.DraftEvent{Type: "INJURY", Trigger: 4,
				Args: []annotate.DraftArg{{Role: "casualties", Span: 5}}})
		}
		id := importOne(t, s, annotate.Document{ExternalID: d.id, Source: d.outlet, Published: d.published, Text: d.text}, draft)
		docs = append(docs, id)
		evs, err := s.Events(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, evs[0].ID)
	}
	return docs, events
}

// incState is everything the incident actions change, as JSON for comparison.
func incState(t *testing.T, s *sqlite.Store) string {
	t.Helper()
	ctx := context.Background()
	incs, err := s.ListIncidents(ctx, annotate.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := s.RejectedPairs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(map[string]any{"incidents": incs, "rejected": pairs})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustCheck(t *testing.T, s *sqlite.Store) {
	t.Helper()
	problems, err := s.Check(context.Background())
	if err != nil || len(problems) != 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

func ref(doc, ev int64) annotate.EventRef { return annotate.EventRef{DocID: doc, EventID: ev} }

func num(n int) *int { return &n }

func second[T any](_ T, err error) error { return err }

// TestCheckFindsIncidentDamage writes broken incident rows behind the store's back.
func TestCheckFindsIncidentDamage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.db")
	s := mustOpenPath(t, path)
	docs, evs := importIncidentDocs(t, s)
	inc, err := s.CreateIncident(ctx, annotate.Incident{Events: []annotate.EventRef{ref(docs[0], evs[0])}}, "rev")
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO incident_events (incident, doc, event, created) VALUES (1, 1, 4242, 0)`,
		`UPDATE incident_events SET doc = 3 WHERE event = ` + itoa(evs[0]),
		`INSERT INTO incident_events (incident, doc, event, created) VALUES (99, 2, ` + itoa(evs[1]) + `, 0)`,
		`INSERT INTO adjudications (incident, kind, best, at) VALUES (98, 'killed', 3, 0)`,
		`INSERT INTO adjudications (incident, kind, low, high, at) VALUES (` + itoa(inc.ID) + `, 'killed', 9, 3, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	problems, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, w := range []string{"1 incident links point at an event that does not exist", "1 incident links name another document",
		"incident links belong to no incident", "1 adjudications belong to no incident", "1 adjudications have no number"} {
		if !strings.Contains(all, w) {
			t.Errorf("check did not report %q; it said:\n%s", w, all)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
