package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// ovOpen opens a fresh store seeded with the default schema and returns it with its path.
func ovOpen(tb testing.TB) (*sqlite.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "overview.db")
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, path
}

// ovSpan returns a span over the first occurrence of sub in text.
func ovSpan(text, sub, label, origin string) annotate.Span {
	i := strings.Index(text, sub)
	if i < 0 {
		panic(fmt.Sprintf("%q not in %q", sub, text))
	}
	a := len([]rune(text[:i]))
	return annotate.Span{Start: a, End: a + len([]rune(sub)), Label: label, Origin: origin}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// byText finds the stored span of doc covering sub with label.
func byText(tb testing.TB, s *sqlite.Store, doc int64, sub, label string) annotate.Span {
	tb.Helper()
	spans, err := s.Spans(context.Background(), doc, annotate.SpanFilter{})
	must(tb, err)
	for _, sp := range spans {
		if sp.Text == sub && sp.Label == label {
			return sp
		}
	}
	tb.Fatalf("no %s span %q in document %d", label, sub, doc)
	return annotate.Span{}
}

const (
	ovText1 = "Rebels shelled the port of Amari on Monday with mortars, killing 40 people and wounding 99 others, officials said."
	ovText2 = "Calm returned to Ostrava after a week of protests."
	ovText3 = "The health ministry said at least 12 civilians and 5 soldiers were killed and 3 to 7 people were hurt."
)

// buildOverviewDB makes the database whose figures TestOverview computes by hand:
// three documents, suggestions of three rules decided by ann and bob (with edits, an
// edit changed back, undone actions), a manual span and imported casualty figures.
func buildOverviewDB(t *testing.T) (*sqlite.Store, string, [3]int64) {
	t.Helper()
	ctx := context.Background()
	s, path := ovOpen(t)
	im, err := s.BeginImport(ctx, "importer")
	must(t, err)
	defer im.Rollback()
	var ids [3]int64
	cas := func(sp annotate.Span, attrs string) annotate.Span { sp.Attrs = json.RawMessage(attrs); return sp }
	drafts := []annotate.Draft{{}, {}, {
		Spans: []annotate.Span{
			ovSpan(ovText3, "health ministry", "SOURCE", ""),
			cas(ovSpan(ovText3, "at least 12 civilians", "CASUALTY", ""), `{"kind":"killed","low":12,"qualifier":"at_least","victims":["civilians"]}`),
			cas(ovSpan(ovText3, "5 soldiers", "CASUALTY", ""), `{"kind":"killed","low":5,"high":5,"qualifier":"exact"}`),
			cas(ovSpan(ovText3, "3 to 7 people", "CASUALTY", ""), `{"kind":"injured","low":3,"high":7,"qualifier":"range"}`),
		},
		Claimants: map[int]int{1: 0},
	}}
	for i, text := range []string{ovText1, ovText2, ovText3} {
		doc := &annotate.Document{ExternalID: fmt.Sprint("d", i), Text: text}
		added, err := im.Add(ctx, doc, drafts[i])
		must(t, err)
		if !added {
			t.Fatalf("document %d not added", i)
		}
		ids[i] = doc.ID
	}
	must(t, im.Commit())

	d1 := ids[0]
	sug := annotate.Draft{Spans: []annotate.Span{
		ovSpan(ovText1, "Rebels", "ACTOR", "rule:a"),
		ovSpan(ovText1, "port of Amari", "LOCATION", "rule:a"),
		ovSpan(ovText1, "Monday", "TIME", "rule:a"),
		ovSpan(ovText1, "port", "TARGET", "rule:a"),
		ovSpan(ovText1, "mortars", "WEAPON", "rule:a"),
		ovSpan(ovText1, "shelled", "ATTACK", "rule:b"),
		ovSpan(ovText1, "killing", "DEATH", "rule:b"),
		cas(ovSpan(ovText1, "40 people", "CASUALTY", "rule:cas"), `{"kind":"killed","low":40,"high":40,"qualifier":"exact"}`),
		cas(ovSpan(ovText1, "99 others", "CASUALTY", "rule:cas"), `{"kind":"killed","low":99,"high":99,"qualifier":"exact"}`),
	}}
	n, err := s.AddSuggestions(ctx, d1, sug, "suggester")
	must(t, err)
	if n != len(sug.Spans) {
		t.Fatalf("added %d suggestions, want %d", n, len(sug.Spans))
	}
	update := func(sp annotate.Span, sub, label string, st annotate.Status) {
		t.Helper()
		r := ovSpan(ovText1, sub, label, "")
		sp.Start, sp.End, sp.Label, sp.Status = r.Start, r.End, r.Label, st
		_, err := s.UpdateSpan(ctx, sp, "ann")
		must(t, err)
	}
	// ann: a1 accepted as is; a2 range changed and accepted (edited); a3 changed and
	// changed back, then accepted (not edited); a4 relabelled and accepted, then undone
	// (open); a5 relabelled and accepted (edited).
	must(t, s.SetSpanStatus(ctx, []int64{byText(t, s, d1, "Rebels", "ACTOR").ID}, annotate.StatusAccepted, "ann"))
	update(byText(t, s, d1, "port of Amari", "LOCATION"), "Amari", "LOCATION", annotate.StatusAccepted)
	a3 := byText(t, s, d1, "Monday", "TIME")
	update(a3, "on Monday", "TIME", "")
	update(a3, "Monday", "TIME", annotate.StatusAccepted)
	update(byText(t, s, d1, "port", "TARGET"), "port", "LOCATION", annotate.StatusAccepted)
	if op, err := s.Undo(ctx, "ann"); err != nil || op == nil {
		t.Fatalf("undo: %v, %v", op, err)
	}
	update(byText(t, s, d1, "mortars", "WEAPON"), "mortars", "TARGET", annotate.StatusAccepted)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: ids[1], Start: 17, End: 24, Label: "LOCATION", Annotator: "ann"})
	must(t, err)
	must(t, s.SetDocumentStatus(ctx, d1, annotate.DocDone, "ann"))
	must(t, s.SetDocumentStatus(ctx, ids[1], annotate.DocInProgress, "ann"))
	// bob: rejects c2 and b1; rejects b2 and undoes it.
	for _, k := range [][2]string{{"99 others", "CASUALTY"}, {"shelled", "ATTACK"}, {"killing", "DEATH"}} {
		must(t, s.SetSpanStatus(ctx, []int64{byText(t, s, d1, k[0], k[1]).ID}, annotate.StatusRejected, "bob"))
	}
	if op, err := s.Undo(ctx, "bob"); err != nil || op == nil {
		t.Fatalf("undo: %v, %v", op, err)
	}
	return s, path, ids
}

func TestOverview(t *testing.T) {
	ctx := context.Background()
	s, _, _ := buildOverviewDB(t)
	// One bucket as wide as a century holds every decision of the test, whenever it runs.
	ov, err := s.Overview(ctx, annotate.OverviewOptions{Bucket: 100 * 365 * 24 * time.Hour})
	must(t, err)

	t.Run("Documents", func(t *testing.T) {
		want := annotate.DocCounts{Total: 3, New: 1, InProgress: 1, Done: 1}
		if ov.Documents != want {
			t.Fatalf("documents = %+v, want %+v", ov.Documents, want)
		}
	})
	t.Run("Annotators", func(t *testing.T) {
		if len(ov.ByAnnotator) != 2 {
			t.Fatalf("by annotator = %+v, want ann and bob", ov.ByAnnotator)
		}
		ann, bob := ov.ByAnnotator[0], ov.ByAnnotator[1]
		if ann.Name != "ann" || ann.Decisions != 8 || ann.Documents != (annotate.DocCounts{Total: 2, InProgress: 1, Done: 1}) {
			t.Errorf("ann = %+v, want 8 decisions on 2 documents (1 done, 1 in progress)", ann)
		}
		if bob.Name != "bob" || bob.Decisions != 2 || bob.Documents != (annotate.DocCounts{Total: 1, Done: 1}) {
			t.Errorf("bob = %+v, want 2 decisions on 1 done document", bob)
		}
		if ann.First.IsZero() || ann.Last.Before(ann.First) {
			t.Errorf("ann first/last = %v/%v", ann.First, ann.Last)
		}
	})
	t.Run("Labels", func(t *testing.T) {
		want := map[string]annotate.StatusCounts{
			"ACTOR": {Accepted: 1}, "LOCATION": {Accepted: 2}, "TIME": {Accepted: 1},
			"TARGET": {Suggested: 1, Accepted: 1}, "ATTACK": {Rejected: 1}, "DEATH": {Suggested: 1},
			"CASUALTY": {Suggested: 1, Accepted: 3, Rejected: 1}, "SOURCE": {Accepted: 1},
		}
		sc, err := s.Schema(ctx)
		must(t, err)
		if len(ov.Labels) != len(sc.Labels) {
			t.Fatalf("%d labels, want the schema's %d", len(ov.Labels), len(sc.Labels))
		}
		for i, l := range ov.Labels {
			if l.Label != sc.Labels[i].Name {
				t.Errorf("label %d = %s, want schema order %s", i, l.Label, sc.Labels[i].Name)
			}
			if l.StatusCounts != want[l.Label] {
				t.Errorf("%s = %+v, want %+v", l.Label, l.StatusCounts, want[l.Label])
			}
		}
		if w := (annotate.StatusCounts{Suggested: 3, Accepted: 9, Rejected: 2}); ov.Spans != w {
			t.Errorf("spans = %+v, want %+v", ov.Spans, w)
		}
	})
	t.Run("Rules", func(t *testing.T) {
		want := []annotate.RuleStats{
			{Origin: "rule:a", Total: 5, Accepted: 2, Edited: 2, Open: 1, AcceptRate: 1, ExactRate: 0.5},
			{Origin: "rule:b", Total: 2, Rejected: 1, Open: 1},
			{Origin: "rule:cas", Total: 2, Rejected: 1, Open: 1},
		}
		if len(ov.Rules) != len(want) {
			t.Fatalf("rules = %+v, want %+v", ov.Rules, want)
		}
		for i := range want {
			if ov.Rules[i] != want[i] {
				t.Errorf("rule %d = %+v, want %+v", i, ov.Rules[i], want[i])
			}
		}
		all := ov.Suggestions
		if all.Origin != "*" || all.Total != 9 || all.Accepted != 2 || all.Edited != 2 || all.Rejected != 2 || all.Open != 3 ||
			math.Abs(all.AcceptRate-4.0/6) > 1e-12 || math.Abs(all.ExactRate-2.0/6) > 1e-12 {
			t.Errorf("all suggestions = %+v", all)
		}
		if !ov.Rules[1].Wasteful(1) || ov.Rules[0].Wasteful(1) || ov.Rules[1].Wasteful(2) {
			t.Errorf("wasteful: rule:a %v, rule:b %v (min 1) %v (min 2)", ov.Rules[0].Wasteful(1), ov.Rules[1].Wasteful(1), ov.Rules[1].Wasteful(2))
		}
	})
	t.Run("Throughput", func(t *testing.T) {
		if len(ov.Throughput) != 2 {
			t.Fatalf("throughput = %+v", ov.Throughput)
		}
		for i, want := range []struct {
			name string
			n    int
		}{{"ann", 8}, {"bob", 2}} {
			s := ov.Throughput[i]
			if s.Annotator != want.name || len(s.Points) != 1 || s.Points[0].Decisions != want.n {
				t.Errorf("series %d = %+v, want %s with %d decisions in one bucket", i, s, want.name, want.n)
			}
		}
	})
	t.Run("Casualties", func(t *testing.T) {
		twelve, seven := 12, 7
		want := []annotate.CasualtyKindStats{
			{Kind: "killed", Accepted: 2, Suggested: 1, Documents: 1, Claimed: 1, Unbounded: 1, Largest: &twelve},
			{Kind: "injured", Accepted: 1, Documents: 1, Largest: &seven},
		}
		if len(ov.Casualties) != len(want) {
			t.Fatalf("casualties = %+v", ov.Casualties)
		}
		for i, w := range want {
			g := ov.Casualties[i]
			gl, wl := g.Largest, w.Largest
			g.Largest, w.Largest = nil, nil
			if g != w || gl == nil || *gl != *wl {
				t.Errorf("casualties[%d] = %+v (largest %v), want %+v (largest %d)", i, g, gl, w, *wl)
			}
		}
	})
	t.Run("JSON", func(t *testing.T) {
		data, err := json.Marshal(ov)
		must(t, err)
		var m map[string]any
		must(t, json.Unmarshal(data, &m))
		for _, k := range []string{"documents", "by_annotator", "labels", "spans", "rules", "suggestions", "bucket", "throughput", "casualties"} {
			if _, ok := m[k]; !ok {
				t.Errorf("JSON lacks %q: %s", k, data)
			}
		}
		rule := m["rules"].([]any)[0].(map[string]any)
		if rule["origin"] != "rule:a" || rule["accept_rate"] != 1.0 || rule["edited"] != 2.0 {
			t.Errorf("first rule in JSON = %v", rule)
		}
		if m["bucket"] != (100 * 365 * 24 * time.Hour).Seconds() {
			t.Errorf("bucket = %v", m["bucket"])
		}
		label := m["labels"].([]any)[0].(map[string]any)
		if _, ok := label["accepted"]; !ok || label["label"] != "ATTACK" {
			t.Errorf("first label in JSON = %v (want flat counts)", label)
		}
	})
}

// TestOverviewEmpty: a new database has zero figures and lists, never nulls in JSON.
func TestOverviewEmpty(t *testing.T) {
	s, _ := ovOpen(t)
	ov, err := s.Overview(context.Background(), annotate.OverviewOptions{})
	must(t, err)
	if ov.Documents.Total != 0 || len(ov.Rules) != 0 || len(ov.Throughput) != 0 || ov.Suggestions.AcceptRate != 0 {
		t.Fatalf("empty overview = %+v", ov)
	}
	data, err := json.Marshal(ov)
	must(t, err)
	if strings.Contains(string(data), "null") {
		t.Fatalf("empty overview JSON has null: %s", data)
	}
	if time.Duration(ov.Bucket) != time.Hour {
		t.Fatalf("default bucket = %v", time.Duration(ov.Bucket))
	}
}

// TestOverviewThroughputBuckets writes operations at known times straight into the log
// and checks hourly bucketing, Since, and that machine and undone operations are left out.
func TestOverviewThroughputBuckets(t *testing.T) {
	ctx := context.Background()
	s, path := ovOpen(t)
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	must(t, err)
	defer db.Close()
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ops := []struct {
		kind, who, state string
		at               time.Duration
	}{
		{"set_status", "carol", "done", 5 * time.Minute},
		{"update_span", "carol", "done", 59*time.Minute + 59*time.Second},
		{"add_span", "carol", "done", 60 * time.Minute},
		{"set_status", "carol", "undone", 61 * time.Minute},
		{"set_status", "carol", "dropped", 62 * time.Minute},
		{"suggest", "carol", "done", 63 * time.Minute},
		{"import", "carol", "done", 64 * time.Minute},
		{"set_status", "dan", "done", 3*time.Hour + time.Minute},
		{"set_status", "carol", "done", -time.Minute},
	}
	for _, o := range ops {
		_, err := db.ExecContext(ctx, `INSERT INTO ops (kind, annotator, at, state) VALUES (?, ?, ?, ?)`,
			o.kind, o.who, base.Add(o.at).UnixMicro(), o.state)
		must(t, err)
	}
	ov, err := s.Overview(ctx, annotate.OverviewOptions{Since: base})
	must(t, err)
	type pt struct {
		at time.Time
		n  int
	}
	want := map[string][]pt{
		"carol": {{base, 2}, {base.Add(time.Hour), 1}},
		"dan":   {{base.Add(3 * time.Hour), 1}},
	}
	if len(ov.Throughput) != len(want) {
		t.Fatalf("throughput = %+v", ov.Throughput)
	}
	for _, series := range ov.Throughput {
		w := want[series.Annotator]
		if len(series.Points) != len(w) {
			t.Fatalf("%s = %+v, want %v", series.Annotator, series.Points, w)
		}
		for i, p := range series.Points {
			if !p.At.Equal(w[i].at) || p.Decisions != w[i].n {
				t.Errorf("%s[%d] = %v %d, want %v %d", series.Annotator, i, p.At, p.Decisions, w[i].at, w[i].n)
			}
		}
	}
	// Without Since the decision before base counts too, and carol has 4 decisions.
	ov, err = s.Overview(ctx, annotate.OverviewOptions{})
	must(t, err)
	if ov.ByAnnotator[0].Name != "carol" || ov.ByAnnotator[0].Decisions != 4 || len(ov.Throughput[0].Points) != 3 {
		t.Fatalf("without since: %+v, %+v", ov.ByAnnotator, ov.Throughput)
	}
}

// TestOverviewReusedRowID: SQLite reuses the row id of a deleted last row. The edits
// of a deleted span must not count against a new suggestion stored under its id.
func TestOverviewReusedRowID(t *testing.T) {
	ctx := context.Background()
	s, _ := ovOpen(t)
	im, err := s.BeginImport(ctx, "importer")
	must(t, err)
	doc := &annotate.Document{ExternalID: "r", Text: ovText1}
	_, err = im.Add(ctx, doc, annotate.Draft{})
	must(t, err)
	must(t, im.Commit())
	suggest := func(sub, label string) annotate.Span {
		t.Helper()
		_, err := s.AddSuggestions(ctx, doc.ID, annotate.Draft{Spans: []annotate.Span{ovSpan(ovText1, sub, label, "rule:a")}}, "suggester")
		must(t, err)
		return byText(t, s, doc.ID, sub, label)
	}
	old := suggest("Rebels shelled", "ACTOR")
	fixed := ovSpan(ovText1, "Rebels", "ACTOR", "")
	old.Start, old.End, old.Status = fixed.Start, fixed.End, annotate.StatusAccepted
	_, err = s.UpdateSpan(ctx, old, "ann")
	must(t, err)
	must(t, s.DeleteSpan(ctx, old.ID, "ann"))
	fresh := suggest("Amari", "LOCATION")
	if fresh.ID != old.ID {
		t.Skipf("row id not reused (%d, %d): nothing to test", fresh.ID, old.ID)
	}
	must(t, s.SetSpanStatus(ctx, []int64{fresh.ID}, annotate.StatusAccepted, "ann"))
	ov, err := s.Overview(ctx, annotate.OverviewOptions{})
	must(t, err)
	if len(ov.Rules) != 1 || ov.Rules[0].Accepted != 1 || ov.Rules[0].Edited != 0 {
		t.Fatalf("rules = %+v, want rule:a with 1 accepted as suggested", ov.Rules)
	}
}

// BenchmarkOverview computes the overview of 10,000 documents with 80,000 spans, of which
// 3,000 were decided (accepted, edited or rejected) by three annotators.
func BenchmarkOverview(b *testing.B) {
	ctx := context.Background()
	s, _ := ovOpen(b)
	im, err := s.BeginImport(ctx, "importer")
	must(b, err)
	origins := []string{"rule:a", "rule:b", "lexicon:c", "gazetteer:d", "learned:phrase"}
	labels := []string{"ACTOR", "ATTACK", "LOCATION", "TIME", "CASUALTY", "SOURCE", "TARGET", "WEAPON"}
	var first []int64
	for i := range 10000 {
		doc := &annotate.Document{ExternalID: fmt.Sprint("b", i), Text: ovText1}
		var d annotate.Draft
		for j, sub := range []string{"Rebels", "shelled", "Amari", "Monday", "40 people", "officials", "port", "mortars"} {
			sp := ovSpan(ovText1, sub, labels[j], origins[(i+j)%len(origins)])
			sp.Status = annotate.StatusSuggested
			if labels[j] == "CASUALTY" {
				sp.Attrs = json.RawMessage(`{"kind":"killed","low":40,"high":40,"qualifier":"exact"}`)
			}
			d.Spans = append(d.Spans, sp)
		}
		if _, err := im.Add(ctx, doc, d); err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			first = append(first, doc.ID)
		}
	}
	must(b, im.Commit())
	who := []string{"ann", "bob", "cy"}
	for k, id := range first {
		spans, err := s.Spans(ctx, id, annotate.SpanFilter{})
		must(b, err)
		for j, sp := range spans[:3] {
			switch (k + j) % 3 {
			case 0:
				must(b, s.SetSpanStatus(ctx, []int64{sp.ID}, annotate.StatusAccepted, who[k%3]))
			case 1:
				sp.End--
				sp.Status = annotate.StatusAccepted
				_, err := s.UpdateSpan(ctx, sp, who[k%3])
				must(b, err)
			default:
				must(b, s.SetSpanStatus(ctx, []int64{sp.ID}, annotate.StatusRejected, who[k%3]))
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		ov, err := s.Overview(ctx, annotate.OverviewOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if ov.Documents.Total != 10000 || ov.Suggestions.Decided() != 3000 {
			b.Fatalf("overview: %d documents, %d decided", ov.Documents.Total, ov.Suggestions.Decided())
		}
	}
}
