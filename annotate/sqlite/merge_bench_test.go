package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"evident/annotate"
)

// BenchmarkMerge merges a source of 10,000 generated documents (10 spans each) into an
// empty database, then again (nothing new), and reports spans per second of the first.
func BenchmarkMerge(b *testing.B) {
	ctx := context.Background()
	src := MustOpen(b)
	importGenerated(b, src, 0, 10_000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		team := mustOpenPath(b, filepath.Join(b.TempDir(), "team.db"))
		b.StartTimer()
		start := time.Now()
		st, err := team.Merge(ctx, src, "a")
		if err != nil || st.Spans != 10_000*benchSpans {
			b.Fatalf("%+v %v", st, err)
		}
		b.ReportMetric(float64(st.Spans)/time.Since(start).Seconds(), "spans/s")
		again := time.Now()
		if st, err := team.Merge(ctx, src, "a"); err != nil || st.Spans != 0 {
			b.Fatalf("%+v %v", st, err)
		}
		b.ReportMetric(time.Since(again).Seconds(), "s-remerge")
	}
}

// BenchmarkMergeWhileSaving merges a source of 10,000 generated documents (10 spans each)
// into a database while another connection saves a decision every 5 ms there, as the
// window would. worst-save-ms is the slowest of those saves: about how long the merge held
// the write lock at once (its publishing transaction).
func BenchmarkMergeWhileSaving(b *testing.B) {
	ctx := context.Background()
	src := MustOpen(b)
	importGenerated(b, src, 0, 10_000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		team := mustOpenPath(b, filepath.Join(b.TempDir(), "team.db"))
		importGenerated(b, team, 10_000, 1)
		docs, err := team.Documents(ctx)
		if err != nil {
			b.Fatal(err)
		}
		spans, err := team.Spans(ctx, docs[0].ID, annotate.SpanFilter{})
		if err != nil || len(spans) == 0 {
			b.Fatalf("spans: %v", err)
		}
		b.StartTimer()
		start := time.Now()
		stop := savingMeanwhile(b, team, spans[0].ID)
		st, err := team.Merge(ctx, src, "a")
		total := time.Since(start)
		worst := stop()
		if err != nil || st.Spans != 10_000*benchSpans {
			b.Fatalf("%+v %v", st, err)
		}
		b.ReportMetric(total.Seconds(), "s-merge")
		b.ReportMetric(float64(worst.Microseconds())/1000, "worst-save-ms")
	}
}
