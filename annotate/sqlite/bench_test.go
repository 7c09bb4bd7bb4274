package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

var benchWords = strings.Fields(`the army said militants fired rockets at a base near the border on Monday
killing three soldiers and wounding seven others according to officials who spoke on condition of anonymity
residents reported heavy shelling overnight in several districts while aid groups said hundreds had fled`)

var benchLabels = []string{"ACTOR", "TARGET", "LOCATION", "TIME", "CASUALTY", "SOURCE", "WEAPON", "VICTIM", "ATTACK", "DEATH"}

// genDoc writes a document of about size bytes with nspans non-overlapping spans.
func genDoc(r *rand.Rand, i, size, nspans int) (annotate.Document, annotate.Draft) {
	var b strings.Builder
	var starts, ends []int
	cp := 0
	for b.Len() < size {
		if b.Len() > 0 {
			b.WriteByte(' ')
			cp++
		}
		w := benchWords[r.IntN(len(benchWords))]
		starts, ends = append(starts, cp), append(ends, cp+len(w))
		b.WriteString(w)
		cp += len(w)
	}
	text := b.String()
	var d annotate.Draft
	step := len(starts) / max(nspans, 1)
	for k := 0; k < nspans; k++ {
		w := k * step
		d.Spans = append(d.Spans, annotate.Span{Start: starts[w], End: ends[w], Label: benchLabels[k%len(benchLabels)]})
	}
	return annotate.Document{ExternalID: fmt.Sprintf("gen-%07d", i), Title: fmt.Sprintf("Generated report %d", i),
		Source: "Generator", Published: "2024-01-02", Text: text}, d
}

// importGenerated imports n generated documents in one import transaction.
func importGenerated(tb testing.TB, s *sqlite.Store, first, n int) {
	tb.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, uint64(first)))
	im, err := s.BeginImport(ctx, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	defer im.Rollback()
	for i := first; i < first+n; i++ {
		doc, d := genDoc(r, i, 1000, benchSpans)
		if _, err := im.Add(ctx, &doc, d); err != nil {
			tb.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkImport imports b.N generated documents (1 KB, 10 spans each) in one
// transaction and reports documents per second.
func BenchmarkImport(b *testing.B) {
	s := MustOpen(b)
	b.ResetTimer()
	start := time.Now()
	importGenerated(b, s, 0, b.N)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "docs/s")
}

// BenchmarkImport100k is the target: 100,000 documents of 1 KB with 10 spans
// each, one transaction, under 20 s and 300 MB resident. Run it alone with
//
//	/usr/bin/time -v go test -run '^$' -bench Import100k -benchtime 1x ./annotate/sqlite/
//
// and read "Maximum resident set size".
func BenchmarkImport100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("big%d.db", i)), sqlite.Options{Schema: assets.Schema()})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		importGenerated(b, s, 0, 100_000)
		b.ReportMetric(time.Since(start).Seconds(), "s/100k-docs")
		b.StopTimer()
		s.Close()
	}
}

// BenchmarkAccept measures one accept, durably committed (a WAL commit; see dsn in
// store.go for what "durable" means under synchronous=NORMAL). Target: under 5 ms.
func BenchmarkAccept(b *testing.B) {
	ctx := context.Background()
	s := MustOpen(b)
	importGenerated(b, s, 0, 200)
	spans, err := s.Spans(ctx, 1, annotate.SpanFilter{})
	if err != nil {
		b.Fatal(err)
	}
	id := spans[0].ID
	sts := []annotate.Status{annotate.StatusAccepted, annotate.StatusRejected}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.SetSpanStatus(ctx, []int64{id}, sts[i%2], "ann"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenDocument reads a 1 MB document with 20,000 spans, as the window does
// when it opens one.
func BenchmarkOpenDocument(b *testing.B) {
	ctx := context.Background()
	s := MustOpen(b)
	r := rand.New(rand.NewPCG(7, 7))
	doc, d := genDoc(r, 0, 1<<20, 20_000)
	im, err := s.BeginImport(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := im.Add(ctx, &doc, d); err != nil {
		b.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := s.Document(ctx, doc.ID)
		if err != nil {
			b.Fatal(err)
		}
		spans, err := s.Spans(ctx, got.ID, annotate.SpanFilter{})
		if err != nil || len(spans) != 20_000 {
			b.Fatalf("%d spans, %v", len(spans), err)
		}
	}
}

// BenchmarkDocuments lists 100,000 documents with their counts (the document list).
func BenchmarkDocuments(b *testing.B) {
	if testing.Short() {
		b.Skip("imports 100,000 documents first")
	}
	ctx := context.Background()
	s := MustOpen(b)
	importGenerated(b, s, 0, 100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		docs, err := s.Documents(ctx)
		if err != nil || len(docs) != 100_000 || docs[0].Accepted != 10 {
			b.Fatalf("%d docs, %v", len(docs), err)
		}
	}
}

var benchSpans = 10
