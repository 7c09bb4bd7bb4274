package incident_test

import (
	"encoding/json"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
)

func n(v int) *int { return &v }

// fig builds a killed figure; lo or hi < 0 means unbounded.
func fig(id int64, lo, hi int, scope, published string) annotate.Figure {
	f := annotate.Figure{SpanID: id, Kind: "killed", Scope: scope, Published: published}
	if lo >= 0 {
		f.Low = n(lo)
	}
	if hi >= 0 {
		f.High = n(hi)
	}
	return f
}

func TestDisputes(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b annotate.Figure
		gap  int // 0: no dispute
	}{
		{"overlap", fig(1, 25, 30, "", "2026-03-12"), fig(2, 27, 27, "", "2026-03-13"), 0},
		{"touching", fig(1, 25, 30, "", "2026-03-12"), fig(2, 30, 35, "", "2026-03-13"), 0},
		{"non-overlap", fig(1, 25, 30, "", "2026-03-12"), fig(2, 41, 41, "", "2026-03-12"), 11},
		{"non-overlap reversed", fig(1, 41, 41, "", "2026-03-12"), fig(2, 25, 30, "", "2026-03-12"), 11},
		{"at least 18 vs 41", fig(1, 18, -1, "", "2026-03-12"), fig(2, 41, 41, "", "2026-03-13"), 0},
		{"at least 50 vs 41", fig(1, 50, -1, "", "2026-03-12"), fig(2, 41, 41, "", "2026-03-13"), 9},
		{"up to 10 vs 41", fig(1, -1, 10, "", "2026-03-12"), fig(2, 41, 41, "", "2026-03-12"), 31},
		{"no numbers", fig(1, -1, -1, "", "2026-03-12"), fig(2, 41, 41, "", "2026-03-12"), 0},
		{"cumulative rise", fig(1, 18, 18, "incident", "2026-03-12"), fig(2, 41, 41, "cumulative", "2026-03-13"), 0},
		{"cumulative rise, given first", fig(2, 41, 41, "cumulative", "2026-03-13"), fig(1, 18, 18, "cumulative", "2026-03-12"), 0},
		{"cumulative fall", fig(1, 41, 41, "cumulative", "2026-03-12"), fig(2, 18, 18, "cumulative", "2026-03-13"), 23},
		{"cumulative rise same day", fig(1, 18, 18, "", "2026-03-12"), fig(2, 41, 41, "cumulative", "2026-03-12T18:00:00Z"), 23},
		{"incident-scope rise is a dispute", fig(1, 18, 18, "", "2026-03-12"), fig(2, 41, 41, "incident", "2026-03-14"), 23},
		{"cumulative rise without date", fig(1, 18, 18, "", ""), fig(2, 41, 41, "cumulative", "2026-03-14"), 23},
	} {
		t.Run(tc.name, func(t *testing.T) {
			figs := []annotate.Figure{tc.a, tc.b}
			ds := incident.Disputes(figs)
			if tc.gap == 0 {
				if len(ds) != 0 {
					t.Fatalf("disputed: %+v", ds)
				}
				if s := incident.Summarize(figs); s.Disputed || s.Spread != 0 {
					t.Errorf("summary %+v", s)
				}
				return
			}
			if len(ds) != 1 {
				t.Fatalf("disputes %+v, want one", ds)
			}
			d := ds[0]
			lo, _ := incident.Bounds(figs[d.Upper])
			_, hi := incident.Bounds(figs[d.Lower])
			if d.Gap != tc.gap || lo-hi != d.Gap || d.Kind != "killed" {
				t.Errorf("dispute %+v, want gap %d with Lower below Upper", d, tc.gap)
			}
			if s := incident.Summarize(figs); !s.Disputed || s.Spread != tc.gap || s.Kinds[0].Spread != tc.gap || s.Kinds[0].Disputes != 1 {
				t.Errorf("summary %+v", s)
			}
		})
	}
}

func TestDisputesPerKind(t *testing.T) {
	injured := fig(3, 100, 100, "", "2026-03-12")
	injured.Kind = "injured"
	noKind := fig(4, 500, 500, "", "2026-03-12")
	noKind.Kind = ""
	figs := []annotate.Figure{fig(1, 10, 10, "", "2026-03-12"), fig(2, 12, 12, "", "2026-03-12"), injured, noKind}
	ds := incident.Disputes(figs)
	if len(ds) != 1 || ds[0].Lower != 0 || ds[0].Upper != 1 || ds[0].Gap != 2 {
		t.Fatalf("disputes %+v, want only killed 10 vs 12", ds)
	}
	s := incident.Summarize(figs)
	if len(s.Kinds) != 2 || s.Kinds[0].Kind != "killed" || s.Kinds[1].Kind != "injured" || s.Kinds[1].Disputes != 0 || s.Kinds[1].Figures != 1 {
		t.Errorf("kinds %+v", s.Kinds)
	}
}

func TestSort(t *testing.T) {
	agreed := annotate.Incident{ID: 1, Date: "2026-05-01", Figures: []annotate.Figure{fig(1, 5, 5, "", "x"), fig(2, 5, 5, "", "x"), fig(3, 5, 5, "", "x")}}
	narrow := annotate.Incident{ID: 2, Date: "2026-01-01", Figures: []annotate.Figure{fig(4, 5, 5, "", "x"), fig(5, 7, 7, "", "x")}}
	wide := annotate.Incident{ID: 3, Date: "2026-01-01", Figures: []annotate.Figure{fig(6, 18, -1, "", "x"), fig(7, 25, 30, "", "x"), fig(8, 41, 41, "", "x")}}
	none := annotate.Incident{ID: 4, Date: "2026-06-01"}
	incs := []annotate.Incident{none, agreed, narrow, wide}
	incident.Sort(incs)
	var got []int64
	for _, inc := range incs {
		got = append(got, inc.ID)
	}
	want := []int64{3, 2, 1, 4} // disputed by spread (11, 2), then more figures first
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

func TestMatches(t *testing.T) {
	inc := annotate.Incident{Place: "Um Kadada", Date: "2026-03-12",
		Events:  []annotate.EventRef{{DocID: 11, EventID: 1}, {DocID: 12, EventID: 2}},
		Figures: []annotate.Figure{fig(1, 18, -1, "", "x")}}
	for _, tc := range []struct {
		f    annotate.IncidentFilter
		want bool
	}{
		{annotate.IncidentFilter{}, true},
		{annotate.IncidentFilter{Kind: "killed"}, true},
		{annotate.IncidentFilter{Kind: "injured"}, false},
		{annotate.IncidentFilter{Place: "kadada"}, true},
		{annotate.IncidentFilter{Place: "Kharkiv"}, false},
		{annotate.IncidentFilter{From: "2026-03-12", To: "2026-03-12"}, true},
		{annotate.IncidentFilter{From: "2026-03-13"}, false},
		{annotate.IncidentFilter{To: "2026-03-11"}, false},
		{annotate.IncidentFilter{DocID: 12}, true},
		{annotate.IncidentFilter{DocID: 13}, false},
	} {
		if got := incident.Matches(&inc, tc.f); got != tc.want {
			t.Errorf("Matches(%+v) = %v", tc.f, got)
		}
	}
}

func TestFiguresOf(t *testing.T) {
	text := "Gunmen attacked the 🏠 village. Dr. Amina Bello said at least 18 people were killed.\n\nMore follows."
	c := annotate.Casualty{Kind: "killed", Low: n(18), Qualifier: "at_least", Claimant: 7, Scope: "single"}
	attrs, _ := json.Marshal(c)
	runes := []rune(text)
	idx := func(s string) int { // code point offset of s in text
		for i := range runes {
			if string(runes[i:min(len(runes), i+len([]rune(s)))]) == s {
				return i
			}
		}
		t.Fatalf("%q not in text", s)
		return -1
	}
	s0, c0 := idx("Dr. Amina Bello"), idx("at least 18 people")
	doc := &annotate.Document{ID: 3, ExternalID: "x-3", Title: "T", Source: "Outlet", Published: "2026-03-12", Text: text}
	spans := []annotate.Span{
		{ID: 7, DocID: 3, Start: s0, End: s0 + 15, Label: "SOURCE"},
		{ID: 8, DocID: 3, Start: c0, End: c0 + 18, Label: "CASUALTY", Attrs: attrs, Status: annotate.StatusAccepted},
		{ID: 9, DocID: 3, Start: c0, End: c0 + 18, Label: "CASUALTY", Attrs: attrs, Status: annotate.StatusRejected},
		{ID: 10, DocID: 3, Start: 0, End: 6, Label: "CASUALTY", Attrs: json.RawMessage(`"not an object"`)},
	}
	figs := incident.FiguresOf(doc, spans)
	if len(figs) != 1 {
		t.Fatalf("figures %+v, want one (rejected and unreadable spans skipped)", figs)
	}
	f := figs[0]
	if f.Sentence != "Dr. Amina Bello said at least 18 people were killed." {
		t.Errorf("sentence %q", f.Sentence)
	}
	if got := string([]rune(f.Sentence)[f.SentStart:f.SentEnd]); got != "at least 18 people" || f.Text != got {
		t.Errorf("highlight %q, text %q", got, f.Text)
	}
	if f.ClaimantText != "Dr. Amina Bello" || f.Scope != "incident" || f.Outlet != "Outlet" || f.DocExternalID != "x-3" || *f.Low != 18 || f.High != nil {
		t.Errorf("figure %+v", f)
	}
	// ForEvents keeps the casualties arguments only
	ev := []annotate.Event{{ID: 1, Args: []annotate.Argument{{Role: "source", SpanID: 7}, {Role: "casualties", SpanID: 8}}}}
	if got := incident.ForEvents(figs, ev); len(got) != 1 || got[0].SpanID != 8 {
		t.Errorf("ForEvents %+v", got)
	}
	if got := incident.ForEvents(figs, nil); len(got) != 0 {
		t.Errorf("ForEvents without events %+v", got)
	}
}

// FuzzFiguresOf checks that the highlight offsets always cut the sentence at the span,
// whatever the text and the span.
func FuzzFiguresOf(f *testing.F) {
	f.Add("A strike killed 12 people. Dr. X said so.", 16, 25)
	f.Add("🇸🇩 Um Kadada: 41 killed!\n\nU.S. officials said 3.", 14, 16)
	f.Add("", 0, 0)
	f.Add("no end", 2, 90)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		runes := []rune(text)
		if start < 0 || end > len(runes) || start >= end {
			return
		}
		doc := &annotate.Document{Text: text}
		sp := annotate.Span{ID: 1, Start: start, End: end, Label: "CASUALTY", Attrs: json.RawMessage(`{"kind":"killed"}`)}
		figs := incident.FiguresOf(doc, []annotate.Span{sp})
		if len(figs) != 1 {
			t.Fatalf("%d figures", len(figs))
		}
		g := figs[0]
		sr := []rune(g.Sentence)
		if g.SentStart < 0 || g.SentEnd > len(sr) || g.SentStart > g.SentEnd {
			t.Fatalf("offsets %d..%d outside sentence of %d runes %q", g.SentStart, g.SentEnd, len(sr), g.Sentence)
		}
		want := string(runes[start:end])
		if got := string(sr[g.SentStart:g.SentEnd]); !strings.Contains(want, got) || strings.TrimSpace(got) != strings.TrimSpace(want) && !strings.Contains(want, "\n") {
			t.Fatalf("highlight %q, want %q", got, want)
		}
	})
}

func TestRevisionsAndVictimGroups(t *testing.T) {
	// "the death toll rose to 31" two days later: a revision, not a dispute
	first, later := fig(1, 21, 21, "incident", "2026-03-09"), fig(2, 31, 31, "cumulative", "2026-03-11")
	figs := []annotate.Figure{first, later}
	if d := incident.Disputes(figs); len(d) != 0 {
		t.Errorf("a risen running total disputed: %+v", d)
	}
	if r := incident.Revisions(figs); len(r) != 1 || r[0].Lower != 0 || r[0].Upper != 1 || r[0].Gap != 10 {
		t.Errorf("revisions %+v, want 21 revised to 31", r)
	}
	// a running total that is lower than an earlier toll may not fall: a dispute
	if d := incident.Disputes([]annotate.Figure{fig(1, 40, 40, "", "2026-03-09"), fig(2, 31, 31, "cumulative", "2026-03-11")}); len(d) != 1 {
		t.Errorf("a falling running total not disputed: %+v", d)
	}
	// seven gunmen against thirteen civilians: different victims, no dispute
	a, b := fig(1, 7, 7, "", "2026-03-11"), fig(2, 13, 13, "", "2026-03-11")
	a.Victims, b.Victims = []string{"combatants"}, []string{"civilians"}
	if d := incident.Disputes([]annotate.Figure{a, b}); len(d) != 0 {
		t.Errorf("figures of different victim groups disputed: %+v", d)
	}
	// seventeen people against thirteen civilians: "people" may be the same dead
	b.Victims = []string{"people"}
	if d := incident.Disputes([]annotate.Figure{a, b}); len(d) != 1 {
		t.Errorf("people vs combatants not compared: %+v", d)
	}
}

func TestFiguresRunningTotal(t *testing.T) {
	text := "The death toll from Sunday's attack in Tessaly rose to 31 on Tuesday, police said."
	start := strings.Index(text, "31")
	attrs, _ := json.Marshal(annotate.Casualty{Kind: "killed", Low: n(31), High: n(31), Scope: "incident"})
	doc := &annotate.Document{ID: 1, Text: text, Published: "2026-03-10"}
	span := annotate.Span{ID: 5, Start: start, End: start + 2, Label: "CASUALTY", Attrs: attrs, Status: annotate.StatusSuggested}
	if f := incident.FiguresOf(doc, []annotate.Span{span}); len(f) != 1 || !f[0].Cumulative() {
		t.Errorf("suggested figure after 'rose to' not read as a running total: %+v", f)
	}
	span.Status = annotate.StatusAccepted // the annotator said "incident": that stands
	if f := incident.FiguresOf(doc, []annotate.Span{span}); len(f) != 1 || f[0].Cumulative() {
		t.Errorf("an accepted scope was overridden: %+v", f)
	}
}
