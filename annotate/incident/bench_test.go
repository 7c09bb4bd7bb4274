package incident_test

import (
	"fmt"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
	"evident/annotate/incident/corpus"
)

// synthEvents makes n events over a year in 200 places and 50 actors, 5 events a document.
func synthEvents(n int) []incident.EventInfo {
	types := []string{"ATTACK", "DEATH", "INJURY"}
	evs := make([]incident.EventInfo, n)
	for i := range evs {
		d := i / 5
		evs[i] = incident.EventInfo{
			Ref:    annotate.EventRef{DocID: int64(d + 1), EventID: int64(i + 1)},
			Type:   types[i%3],
			Date:   fmt.Sprintf("2026-%02d-%02d", 1+(d*7)%12, 1+(d*13)%28),
			Places: []string{fmt.Sprintf("Town %d", (d*31)%200), fmt.Sprintf("Region %d", (d*31)%200/10)},
			Actors: []string{fmt.Sprintf("Armed Group %d", (d*17)%50)},
		}
	}
	return evs
}

// BenchmarkPropose10k proposes incidents over 10,000 events (2,000 documents).
func BenchmarkPropose10k(b *testing.B) {
	evs := synthEvents(10000)
	b.ReportAllocs()
	for b.Loop() {
		incident.Propose(evs, incident.Options{})
	}
}

// BenchmarkDisputes50 finds disputes among 50 figures of one incident.
func BenchmarkDisputes50(b *testing.B) {
	figs := make([]annotate.Figure, 50)
	for i := range figs {
		lo := i * 3
		figs[i] = annotate.Figure{Kind: "killed", Low: &lo, High: &lo, Published: "2026-03-12"}
	}
	for b.Loop() {
		incident.Summarize(figs)
	}
}

// BenchmarkProposeReports20k proposes incidents over 20,000 constructed reports (the
// corpus of annotate/incident/corpus, through the real suggester) and reports the
// B-cubed scores against the corpus truth beside the time: tuned styles and held-out
// styles apart.
func BenchmarkProposeReports20k(b *testing.B) {
	c := corpus.Generate(corpus.Options{Incidents: 6700, Seed: 3})
	c.Reports = c.Reports[:min(len(c.Reports), 20000)]
	docs := suggestReports(b, c.Reports)
	var evs []incident.EventInfo
	for _, s := range docs {
		evs = append(evs, incident.EventsOf(s.doc, s.spans, s.events)...)
	}
	b.ResetTimer()
	for b.Loop() {
		incident.Propose(evs, incident.Options{})
	}
	b.StopTimer()
	tuned, held, _ := linkCorpus(b, c, docs, incident.Options{})
	b.ReportMetric(float64(len(c.Reports)), "reports")
	b.ReportMetric(tuned.Precision, "bcubed-P")
	b.ReportMetric(tuned.F1, "bcubed-F1")
	b.ReportMetric(tuned.DisputedFlagged, "disputed-flagged")
	b.ReportMetric(held.Precision, "heldout-P")
	b.ReportMetric(held.F1, "heldout-F1")
	b.ReportMetric(held.DisputedFlagged, "heldout-disputed-flagged")
}
