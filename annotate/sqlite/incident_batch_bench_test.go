package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// BenchmarkAcceptProposalsWhileSaving stores 6,400 incidents of two reports each in one
// CreateIncidents (`incidents --accept-proposals` on the size that held the write lock
// for ~10 s of CPU as one plain transaction) while another connection saves a decision
// every 5 ms, as the window would. worst-save-ms is the slowest of those saves: about
// how long the batch held the write lock at once (its publishing transaction).
func BenchmarkAcceptProposalsWhileSaving(b *testing.B) {
	const docs = 12800
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := MustOpen(b)
		im, err := s.BeginImport(ctx, "importer")
		if err != nil {
			b.Fatal(err)
		}
		for d := 0; d < docs; d++ {
			doc := annotate.Document{ExternalID: fmt.Sprint("d", d), Source: "Wire", Published: "2024-03-05", Text: sampleText}
			if _, err := im.Add(ctx, &doc, sampleDraft()); err != nil {
				b.Fatal(err)
			}
		}
		if err := im.Commit(); err != nil {
			b.Fatal(err)
		}
		var incs []annotate.Incident
		var inc annotate.Incident
		for d := int64(1); d <= docs; d++ {
			evs, err := s.Events(ctx, d)
			if err != nil || len(evs) == 0 {
				b.Fatalf("events of %d: %v", d, err)
			}
			for _, e := range evs {
				inc.Events = append(inc.Events, annotate.EventRef{DocID: d, EventID: e.ID})
			}
			if d%2 == 0 {
				incs, inc = append(incs, inc), annotate.Incident{}
			}
		}
		spans, err := s.Spans(ctx, 1, annotate.SpanFilter{})
		if err != nil || len(spans) == 0 {
			b.Fatalf("spans: %v", err)
		}
		b.StartTimer()
		start := time.Now()
		stop := savingMeanwhile(b, s, spans[0].ID)
		ids, err := s.CreateIncidents(ctx, incs, "rev")
		total := time.Since(start)
		worst := stop()
		if err != nil || len(ids) != len(incs) {
			b.Fatalf("%d ids: %v", len(ids), err)
		}
		b.ReportMetric(float64(total.Milliseconds()), "total-ms")
		b.ReportMetric(float64(worst.Microseconds())/1000, "worst-save-ms")
	}
}

// savingMeanwhile saves a decision on span every 5 ms, as the window would, until the
// returned function is called; that returns the slowest save.
func savingMeanwhile(tb testing.TB, s *sqlite.Store, span int64) func() time.Duration {
	ctx := context.Background()
	done := make(chan struct{})
	var worst time.Duration
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; ; n++ {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			st := annotate.StatusAccepted
			if n%2 == 1 {
				st = annotate.StatusRejected
			}
			t0 := time.Now()
			if err := s.SetSpanStatus(ctx, []int64{span}, st, "window"); err != nil {
				tb.Error(err)
				return
			}
			worst = max(worst, time.Since(t0))
		}
	}()
	return func() time.Duration {
		close(done)
		wg.Wait()
		return worst
	}
}
