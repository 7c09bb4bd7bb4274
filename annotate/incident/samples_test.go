package incident_test

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"slices"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
	"evident/annotate/suggest"
	"evident/assets"
)

// sample is one sample article run through the real suggester and "stored": spans and
// events get ids unique across the corpus, as a store would give them.
type sample struct {
	doc    *annotate.Document
	spans  []annotate.Span
	events []annotate.Event
}

// loadSamples reads the named sample articles and suggests spans and events for them.
func loadSamples(t *testing.T, ids ...string) map[string]*sample {
	t.Helper()
	f, err := assets.Samples().Open("samples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.(fs.File).Close()
	sg, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string]*sample{}
	var nextDoc, nextID int64 = 0, 1000
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var row struct {
			ID, Title, Source, Published, Text string
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		nextDoc++
		if !want[row.ID] {
			continue
		}
		doc := &annotate.Document{ID: nextDoc, ExternalID: row.ID, Title: row.Title, Source: row.Source, Published: row.Published, Text: row.Text}
		st := suggestedDoc(t, sg, doc, &nextID)
		s := &sample{doc: st.doc, spans: st.spans, events: st.events}
		out[row.ID] = s
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if out[id] == nil {
			t.Fatalf("sample %s not found", id)
		}
	}
	return out
}

func infos(ss map[string]*sample, ids ...string) []incident.EventInfo {
	var all []incident.EventInfo
	for _, id := range ids {
		s := ss[id]
		all = append(all, incident.EventsOf(s.doc, s.spans, s.events)...)
	}
	return all
}

func docsOf(p annotate.IncidentProposal) map[int64]bool {
	m := map[int64]bool{}
	for _, e := range p.Events {
		m[e.DocID] = true
	}
	return m
}

func TestProposeSamplesOneIncident(t *testing.T) {
	ss := loadSamples(t, "sample-01", "sample-04", "sample-11", "sample-12", "sample-13")
	props := incident.Propose(infos(ss, "sample-01", "sample-04", "sample-11", "sample-12", "sample-13"), incident.Options{})
	if len(props) == 0 {
		t.Fatal("no proposals")
	}
	um := []int64{ss["sample-11"].doc.ID, ss["sample-12"].doc.ID, ss["sample-13"].doc.ID}
	var found *annotate.IncidentProposal
	for i := range props {
		p := &props[i]
		d := docsOf(*p)
		if len(d) < 2 {
			t.Errorf("proposal %d spans one document: %+v", i, p)
		}
		if d[um[0]] || d[um[1]] || d[um[2]] {
			if found != nil {
				t.Errorf("the Um Kadada articles are split over two proposals:\n%+v\n%+v", *found, *p)
			}
			found = p
		}
		if d[ss["sample-01"].doc.ID] && (d[um[0]] || d[um[1]] || d[um[2]]) {
			t.Errorf("the Kharkiv article is linked to the Um Kadada strike: %+v", p)
		}
		if d[ss["sample-04"].doc.ID] && (d[um[0]] || d[um[1]] || d[um[2]]) {
			t.Errorf("the El Fasher camp shelling (a month later) is linked to the Um Kadada strike: %+v", p)
		}
	}
	if found == nil {
		t.Fatalf("no proposal for the Um Kadada articles: %+v", props)
	}
	d := docsOf(*found)
	for _, id := range um {
		if !d[id] {
			t.Errorf("document %d missing from the Um Kadada proposal %+v", id, *found)
		}
	}
	if found.Score < 0.5 || found.Score > 1 {
		t.Errorf("score %v out of [0.5, 1]", found.Score)
	}
	mustReason(t, found.Reasons, "same type ATTACK")
	// the suggester finds the town or only its state, depending on the article
	if !slices.Contains(found.Reasons, "same place: Um Kadada") && !slices.Contains(found.Reasons, "same place: North Darfur") {
		t.Errorf("reasons %q name neither Um Kadada nor North Darfur as the same place", found.Reasons)
	}
	t.Logf("proposal: %.3f %v", found.Score, found.Reasons)

	// the incident named from its events: type, date and the most specific shared place
	var evs []incident.EventInfo
	all := infos(ss, "sample-11", "sample-12", "sample-13")
	for _, r := range found.Events {
		for _, e := range all {
			if e.Ref == r {
				evs = append(evs, e)
			}
		}
	}
	inc := incident.Describe(evs, nil)
	if inc.Type != "ATTACK" || inc.Date != "2026-03-12" || inc.Place != "Um Kadada" {
		t.Errorf("Describe = type %q date %q place %q, want ATTACK 2026-03-12 Um Kadada", inc.Type, inc.Date, inc.Place)
	}

	// the figures of the incident disagree on the death toll: 41 against 25-30
	var figs []annotate.Figure
	for _, id := range []string{"sample-11", "sample-12", "sample-13"} {
		s := ss[id]
		figs = append(figs, incident.ForEvents(incident.FiguresOf(s.doc, s.spans), s.events)...)
	}
	sum := incident.Summarize(figs)
	if !sum.Disputed || sum.Kinds[0].Kind != "killed" || sum.Kinds[0].Spread != 14 {
		t.Errorf("summary %+v, want killed disputed with spread 14 (the hospital's 27 against the armed group's 41)", sum)
	}
	ds := incident.Disputes(figs)
	if len(ds) == 0 || figs[ds[0].Lower].Text != "27" || *figs[ds[0].Upper].Low != 41 {
		t.Errorf("widest dispute %+v, want 27 below 41", ds)
	}
	for _, d := range ds {
		lo, up := figs[d.Lower], figs[d.Upper]
		if lo.Qualifier == "at_least" || up.Qualifier == "at_least" { // all tolls here are ≥ 18
			t.Errorf("an open-ended figure is disputed: %q vs %q", lo.Text, up.Text)
		}
	}
}

func TestProposeRejectedPairs(t *testing.T) {
	ss := loadSamples(t, "sample-11", "sample-12")
	evs := infos(ss, "sample-11", "sample-12")
	var rej [][2]annotate.EventRef
	for _, a := range evs {
		for _, b := range evs {
			if a.Ref.DocID < b.Ref.DocID {
				rej = append(rej, [2]annotate.EventRef{a.Ref, b.Ref})
			}
		}
	}
	if len(incident.Propose(evs, incident.Options{})) == 0 {
		t.Fatal("no proposal before rejecting")
	}
	if p := incident.Propose(evs, incident.Options{Rejected: rej}); len(p) != 0 {
		t.Errorf("rejected pairs proposed again: %+v", p)
	}
}

func mustReason(t *testing.T, reasons []string, want string) {
	t.Helper()
	for _, r := range reasons {
		if r == want {
			return
		}
	}
	t.Errorf("reason %q missing from %q", want, reasons)
}
