package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"
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
