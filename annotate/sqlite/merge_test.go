package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// everything returns every document with its spans and events as JSON, ids left out
// (they differ between databases) and claimants given as the claimant span's text.
func everything(t *testing.T, s *sqlite.Store) []string {
	t.Helper()
	var out []string
	err := s.EachDocument(context.Background(), annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		text := map[int64]string{}
		for _, sp := range spans {
			text[sp.ID] = sp.Text + "/" + sp.Annotator
		}
		type row struct {
			Doc                        string
			Start, End                 int
			Label, Status, Who, Origin string
			Claimant                   string
			Kind                       string
		}
		var rows []any
		for _, sp := range spans {
			var c annotate.Casualty
			_ = json.Unmarshal(sp.Attrs, &c)
			rows = append(rows, row{d.SHA256[:8], sp.Start, sp.End, sp.Label, string(sp.Status), sp.Annotator, sp.Origin, text[c.Claimant], c.Kind})
		}
		for _, e := range events {
			args := map[string][]string{}
			for _, a := range e.Args {
				args[a.Role] = append(args[a.Role], text[a.SpanID])
			}
			rows = append(rows, map[string]any{"type": e.Type, "trigger": text[e.Trigger], "who": e.Annotator, "status": e.Status, "args": args})
		}
		data, err := json.Marshal(map[string]any{"doc": d.ExternalID, "title": d.Title, "status": d.Status, "rows": rows})
		out = append(out, string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStoreMerge(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := mustOpenPath(t, filepath.Join(dir, "a.db"))
	b := mustOpenPath(t, filepath.Join(dir, "b.db"))
	team := mustOpenPath(t, filepath.Join(dir, "team.db"))

	docA := importOne(t, a, annotate.Document{ExternalID: "a1", Title: "From A", Text: sampleText}, sampleDraft())
	// a manual span without annotator, a rejected one, a label only a knows
	if err := a.AddLabels(ctx, []annotate.Label{{Name: "FACILITY", Color: "#112233"}}, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddSpan(ctx, annotate.Span{DocID: docA, Start: 18, End: 24, Label: "FACILITY"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSpanStatus(ctx, []int64{spanByText(t, a, docA, "Tuesday").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	// b has the same text under another id, and one more document; team has the first
	importOne(t, b, annotate.Document{ExternalID: "b1", Text: sampleText}, sampleDraft())
	importOne(t, b, annotate.Document{ExternalID: "b2", Text: "Shelling hit Homs."}, annotate.Draft{})
	importOne(t, team, annotate.Document{ExternalID: "t1", Title: "Team copy", Text: sampleText}, annotate.Draft{})

	st, err := team.Merge(ctx, a, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 1 || st.NewDocuments != 0 || st.Spans != 9 || st.SameSpans != 0 || st.Events != 2 || st.Labels != 1 {
		t.Fatalf("merge a: %+v", st)
	}
	// b's spans were imported by "importer" as well: identical to a's except for the
	// two a changed (the new span, the rejected one), so only those differ
	st, err = team.Merge(ctx, b, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 2 || st.NewDocuments != 1 || st.Spans != 1 || st.SameSpans != 7 {
		t.Fatalf("merge b: %+v", st)
	}
	mustCheck(t, team)
	got := everything(t, team)
	if len(got) != 2 {
		t.Fatalf("%d documents in team", len(got))
	}
	ops, _ := team.History(ctx, 0)

	// a second merge adds nothing and logs nothing
	for src, name := range map[*sqlite.Store]string{b: "bob", a: "alice"} {
		st, err := team.Merge(ctx, src, name)
		if err != nil || st.Spans+st.Events+st.Arguments+st.NewDocuments+st.Labels != 0 {
			t.Fatalf("merge again: %+v %v", st, err)
		}
	}
	if again := everything(t, team); !reflect.DeepEqual(again, got) {
		t.Fatalf("second merge changed the team database:\n%v\nwas\n%v", again, got)
	}
	if after, _ := team.History(ctx, 0); len(after) != len(ops) {
		t.Fatal("a merge that added nothing was logged")
	}

	// merged into an empty database, a gives back exactly what it holds (annotators kept,
	// the unnamed span under the merge's name)
	fresh := mustOpenPath(t, filepath.Join(dir, "fresh.db"))
	if _, err := fresh.Merge(ctx, a, "ann"); err != nil {
		t.Fatal(err)
	}
	// same rows (a's unnamed manual span now carries "ann")
	want := everything(t, a)
	gotFresh := everything(t, fresh)
	if len(gotFresh) != 1 || len(want) != 1 {
		t.Fatalf("fresh: %v", gotFresh)
	}
	var w, g map[string]any
	must(t, json.Unmarshal([]byte(want[0]), &w))
	must(t, json.Unmarshal([]byte(gotFresh[0]), &g))
	if len(w["rows"].([]any)) != len(g["rows"].([]any)) || g["title"] != "From A" {
		t.Fatalf("fresh copy:\n%s\nwant\n%s", gotFresh[0], want[0])
	}
	mustCheck(t, fresh)

	if _, err := team.Merge(ctx, team, "x"); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("merge into itself: %v", err)
	}

	// A span two suggesters proposed keeps both through a merge (without the source's
	// run ids, which mean nothing in the team database).
	c := mustOpenPath(t, filepath.Join(dir, "c.db"))
	docC := importOne(t, c, annotate.Document{ExternalID: "c1", Text: "Rebels shelled Kharkiv."}, annotate.Draft{})
	p1, p2 := 0.6, 0.5
	both := annotate.Span{Start: 0, End: 6, Label: "ACTOR", Origin: "rule:x", Confidence: &p1}
	if _, err := c.AddSuggestions(ctx, docC, annotate.Draft{Spans: []annotate.Span{both}}, "rules"); err != nil {
		t.Fatal(err)
	}
	run, err := c.StartRun(ctx, annotate.Run{Source: "m", Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	both.Confidence, both.RunID = &p2, run
	if _, _, err := c.PutModelSuggestions(ctx, docC, "model:m@1", []annotate.Span{both}, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := team.Merge(ctx, c, "carol"); err != nil {
		t.Fatal(err)
	}
	docs, _ := team.Documents(ctx)
	var merged annotate.Span
	for _, d := range docs {
		if d.ExternalID == "c1" {
			merged = spanByText(t, team, d.ID, "Rebels")
		}
	}
	want2 := []annotate.Proposer{{Origin: "rule:x", Confidence: &p1}, {Origin: "model:m@1", Confidence: &p2}}
	if !reflect.DeepEqual(merged.Proposers, want2) || merged.Confidence == nil || *merged.Confidence != 0.8 {
		t.Fatalf("merged co-proposed span: %+v (proposers %+v)", merged, merged.Proposers)
	}
}

// TestStoreMergeAllOrNothing: a source that fails half-way leaves the team as it was.
func TestStoreMergeAllOrNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bPath := filepath.Join(dir, "b.db")
	b := mustOpenPath(t, bPath)
	team := mustOpenPath(t, filepath.Join(dir, "team.db"))
	importOne(t, b, annotate.Document{ExternalID: "b1", Text: "Shelling hit Homs."}, annotate.Draft{})
	doc := importOne(t, b, annotate.Document{ExternalID: "b2", Text: sampleText}, sampleDraft())
	// damage b behind its back: an argument naming a span that does not exist
	db, err := sql.Open("sqlite3", bPath+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := b.Events(ctx, doc)
	if _, err := db.Exec(`INSERT INTO event_args (event, role, span) VALUES (?, 'place', 99999)`, evs[0].ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := everything(t, team)
	if _, err := team.Merge(ctx, b, "bob"); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("merge of a damaged source: %v", err)
	}
	if after := everything(t, team); !reflect.DeepEqual(after, before) || len(after) != 0 {
		t.Fatalf("a failed merge left %d documents", len(after))
	}
	mustCheck(t, team)
}

// TestStoreMergeIncidents: incidents and adjudications come along; an incident whose
// events the team already groups gets the source's adjudications; one whose events the
// team has in two incidents is skipped.
func TestStoreMergeIncidents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := mustOpenPath(t, filepath.Join(dir, "a.db"))
	b := mustOpenPath(t, filepath.Join(dir, "b.db"))
	team := mustOpenPath(t, filepath.Join(dir, "team.db"))
	refs := func(s *sqlite.Store, ext string) []annotate.EventRef {
		doc := importOne(t, s, annotate.Document{ExternalID: ext, Source: "Wire", Text: sampleText}, sampleDraft())
		evs, err := s.Events(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		return []annotate.EventRef{{DocID: doc, EventID: evs[0].ID}, {DocID: doc, EventID: evs[1].ID}}
	}
	ra, rb := refs(a, "a1"), refs(b, "b1")
	incA, err := a.CreateIncident(ctx, annotate.Incident{Title: "Kato market", Place: "Kato", Events: ra}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Adjudicate(ctx, annotate.Adjudication{IncidentID: incA.ID, Kind: "killed", Best: num(12), Note: "ministry"}, "alice"); err != nil {
		t.Fatal(err)
	}
	incB, err := b.CreateIncident(ctx, annotate.Incident{Title: "Attack at Kato", Events: rb[:1]}, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Adjudicate(ctx, annotate.Adjudication{IncidentID: incB.ID, Kind: "killed", Best: num(14), Low: num(12)}, "bob"); err != nil {
		t.Fatal(err)
	}

	st, err := team.Merge(ctx, a, "a")
	if err != nil || st.Incidents != 1 || st.Links != 2 || st.Adjudications != 1 {
		t.Fatalf("merge a: %+v %v", st, err)
	}
	// b's event is the same stored event as a's (same trigger, annotator, status)
	st, err = team.Merge(ctx, b, "b")
	if err != nil || st.Incidents != 0 || st.Links != 0 || st.Adjudications != 1 || st.SkippedIncidents != 0 {
		t.Fatalf("merge b: %+v %v", st, err)
	}
	incs, err := team.ListIncidents(ctx, annotate.IncidentFilter{})
	if err != nil || len(incs) != 1 {
		t.Fatalf("team incidents: %+v %v", incs, err)
	}
	inc := incs[0]
	if inc.Title != "Kato market" || inc.Annotator != "alice" || len(inc.Events) != 2 || len(inc.Figures) != 1 || inc.Figures[0].Outlet != "Wire" {
		t.Fatalf("team incident %+v", inc)
	}
	if len(inc.Adjudications) != 2 || inc.Adjudicated("killed").Reviewer != "bob" || *inc.Adjudicated("killed").Best != 14 {
		t.Fatalf("adjudications %+v", inc.Adjudications)
	}
	mustCheck(t, team)
	for _, src := range []*sqlite.Store{a, b} {
		if st, err := team.Merge(ctx, src, "x"); err != nil || st.Links+st.Adjudications+st.Incidents != 0 {
			t.Fatalf("merge again: %+v %v", st, err)
		}
	}

	// spread: the team has b's ATTACK and a's DEATH event in two incidents
	split := mustOpenPath(t, filepath.Join(dir, "split.db"))
	if _, err := split.Merge(ctx, b, "b"); err != nil {
		t.Fatal(err)
	}
	docs, _ := split.Documents(ctx)
	evs, _ := split.Events(ctx, docs[0].ID)
	if len(evs) != 2 || evs[1].Type != "DEATH" {
		t.Fatalf("events after merging b: %+v", evs)
	}
	death := annotate.EventRef{DocID: docs[0].ID, EventID: evs[1].ID}
	if _, err := split.CreateIncident(ctx, annotate.Incident{Title: "Deaths", Events: []annotate.EventRef{death}}, "carol"); err != nil {
		t.Fatal(err)
	}
	st, err = split.Merge(ctx, a, "a")
	if err != nil || st.SkippedIncidents != 1 || st.Adjudications != 0 {
		t.Fatalf("merge of an incident the team splits: %+v %v", st, err)
	}
	mustCheck(t, split)
}
