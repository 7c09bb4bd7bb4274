package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"evident/annotate"
)

// BenchmarkListIncidents fills 200 incidents of two documents each (the review queue's
// load): links, adjudications and figures with their sentences.
func BenchmarkListIncidents(b *testing.B) {
	ctx := context.Background()
	s := MustOpen(b)
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		b.Fatal(err)
	}
	const docs = 400
	for i := 0; i < docs; i++ {
		d := annotate.Document{ExternalID: fmt.Sprint("d", i), Source: "Wire", Published: "2024-03-05", Text: sampleText}
		if _, err := im.Add(ctx, &d, sampleDraft()); err != nil {
			b.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		b.Fatal(err)
	}
	for i := int64(1); i <= docs; i += 2 {
		var refs []annotate.EventRef
		for _, doc := range []int64{i, i + 1} {
			evs, err := s.Events(ctx, doc)
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range evs {
				refs = append(refs, annotate.EventRef{DocID: doc, EventID: e.ID})
			}
		}
		inc, err := s.CreateIncident(ctx, annotate.Incident{Events: refs}, "rev")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Adjudicate(ctx, annotate.Adjudication{IncidentID: inc.ID, Kind: "killed", Best: num(12)}, "rev"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		incs, err := s.ListIncidents(ctx, annotate.IncidentFilter{})
		if err != nil || len(incs) != docs/2 || len(incs[0].Figures) != 2 {
			b.Fatalf("%d incidents, %v", len(incs), err)
		}
	}
}
