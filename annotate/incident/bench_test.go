package incident_test

import (
	"fmt"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
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
