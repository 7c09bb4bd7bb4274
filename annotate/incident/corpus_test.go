package incident_test

import (
	"context"
	"encoding/json"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
	"evident/annotate/incident/corpus"
	"evident/annotate/suggest"
)

// stored is a report run through the real suggester, with ids as a store would give.
type stored struct {
	doc    *annotate.Document
	spans  []annotate.Span
	events []annotate.Event
}

// suggestReports suggests spans and events for each report; ids are unique over all.
func suggestReports(tb testing.TB, reps []corpus.Report) []stored {
	tb.Helper()
	sg, err := suggest.New(suggest.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]stored, len(reps))
	next := int64(0)
	for i, r := range reps {
		doc := &annotate.Document{ID: int64(i + 1), ExternalID: r.ID, Title: r.Title, Source: r.Outlet, Published: r.Published, Text: r.Text}
		out[i] = suggestedDoc(tb, sg, doc, &next)
	}
	return out
}

func suggestedDoc(tb testing.TB, sg *suggest.Suggester, doc *annotate.Document, next *int64) stored {
	d, err := sg.Suggest(context.Background(), doc.Text, doc.Published, nil)
	if err != nil {
		tb.Fatal(err)
	}
	s := stored{doc: doc}
	ids := make([]int64, len(d.Spans))
	for i, sp := range d.Spans {
		*next++
		ids[i] = *next
		sp.ID, sp.DocID = *next, doc.ID
		s.spans = append(s.spans, sp)
	}
	for ci, si := range d.Claimants {
		var c annotate.Casualty
		if err := json.Unmarshal(s.spans[ci].Attrs, &c); err != nil {
			tb.Fatal(err)
		}
		c.Claimant = ids[si]
		s.spans[ci].Attrs, _ = json.Marshal(c)
	}
	for _, de := range d.Events {
		*next++
		e := annotate.Event{ID: *next, DocID: doc.ID, Type: de.Type, Trigger: ids[de.Trigger], Status: annotate.StatusSuggested}
		for _, a := range de.Args {
			e.Args = append(e.Args, annotate.Argument{Role: a.Role, SpanID: ids[a.Span]})
		}
		s.events = append(s.events, e)
	}
	return s
}

// linkCorpus proposes over the stored reports and scores the proposals against the
// truth, for the tuned styles and for the held-out ones.
func linkCorpus(tb testing.TB, c corpus.Corpus, docs []stored, opts incident.Options) (tuned, held corpus.Scores, props []annotate.IncidentProposal) {
	var evs []incident.EventInfo
	for _, s := range docs {
		evs = append(evs, incident.EventsOf(s.doc, s.spans, s.events)...)
	}
	props = incident.Propose(evs, opts)
	group := map[int]int{}
	for gi, p := range props {
		for _, e := range p.Events {
			if _, ok := group[int(e.DocID-1)]; !ok {
				group[int(e.DocID-1)] = gi
			}
		}
	}
	flag := map[int]bool{}
	for gi, p := range props {
		inProp := map[int64][]annotate.Event{}
		for _, e := range p.Events {
			for _, ev := range docs[e.DocID-1].events {
				if ev.ID == e.EventID {
					inProp[e.DocID] = append(inProp[e.DocID], ev)
				}
			}
		}
		var figs []annotate.Figure
		for id, evs := range inProp {
			s := docs[id-1]
			figs = append(figs, incident.ForEvents(incident.FiguresOf(s.doc, s.spans), evs)...)
		}
		flag[gi] = incident.Summarize(figs).Disputed
	}
	isFlagged := func(g int) bool { return flag[g] }
	tuned = c.Score(group, isFlagged, func(st int) bool { return !corpus.HeldOut(st) })
	held = c.Score(group, isFlagged, corpus.HeldOut)
	return tuned, held, props
}

func TestCorpusLinking(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 1000
	}
	c := corpus.Generate(corpus.Options{Incidents: n, Seed: 1})
	docs := suggestReports(t, c.Reports)
	tuned, held, props := linkCorpus(t, c, docs, incident.Options{})
	t.Logf("%d reports, %d incidents, %d proposals", len(c.Reports), len(c.Incidents), len(props))
	t.Logf("tuned styles:    %+v", tuned)
	t.Logf("held-out styles: %+v", held)
}
