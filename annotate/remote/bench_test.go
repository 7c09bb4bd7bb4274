package remote_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/predict"
	"evident/annotate/remote"
	"evident/annotate/sqlite"
	"evident/assets"
	"evident/examples/tagger/gazetteer"
)

// benchDocs opens a store holding n documents of about 1 KB.
func benchDocs(b *testing.B, n int) (*sqlite.Store, []int64) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	im, err := st.BeginImport(ctx, "b")
	if err != nil {
		b.Fatal(err)
	}
	// About 1 KB with three names, as a short news item has a handful of entities.
	para := "Officials in Rivertown said Colonel Ames met traders near the old bridge. " +
		strings.Repeat("the market was quiet and the traders said they would come back after the rains. ", 12)
	for i := 0; i < n; i++ {
		d := &annotate.Document{ExternalID: fmt.Sprintf("doc-%06d", i), Text: para}
		d.SHA256 = annotate.TextHash(d.Text)
		if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		b.Fatal(err)
	}
	docs, _ := st.Documents(ctx)
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return st, ids
}

// benchModel runs a model that answers at once over n documents per iteration, storing
// its suggestions (three a document), and reports documents a second.
func benchModel(b *testing.B, n int, start func() remote.Model) {
	ctx := context.Background()
	m, _ := predict.ParseMapping("NAME=ACTOR,GPE=LOCATION")
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, ids := benchDocs(b, n)
		b.StartTimer()
		model := start()
		a, err := predict.NewApplier(ctx, st, predict.ApplyOptions{Annotator: "b", Map: m})
		if err != nil {
			b.Fatal(err)
		}
		if err := remote.Run(ctx, st, model, a, ids, remote.RunOptions{}); err != nil {
			b.Fatal(err)
		}
		a.Close(ctx)
		model.Close()
		if a.Report.Documents != n || a.Report.Added < 3*n || len(a.Report.Problems) > 0 {
			b.Fatalf("report %+v", a.Report)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkModelPipe: the model is this test binary in "instant" mode, over stdin/stdout.
func BenchmarkModelPipe(b *testing.B) {
	benchModel(b, 5000, func() remote.Model {
		m, err := remote.StartProc(context.Background(), remote.ProcOptions{Command: fakeCommand("instant")})
		if err != nil {
			b.Fatal(err)
		}
		return m
	})
}

// BenchmarkModelHTTP: the example model as a Label Studio ML backend on localhost.
func BenchmarkModelHTTP(b *testing.B) {
	g := &gazetteer.Model{Name: "gaz", Version: "1", Phrases: map[string]map[string]int{
		"rivertown": {"GPE": 1}, "colonel ames": {"NAME": 1}, "officials": {"NAME": 1}}}
	srv := httptest.NewServer(g.Handler())
	defer srv.Close()
	benchModel(b, 5000, func() remote.Model {
		h, err := remote.StartHTTP(context.Background(), remote.HTTPOptions{URL: srv.URL})
		if err != nil {
			b.Fatal(err)
		}
		return h
	})
}

// BenchmarkModelPipe50k is run once under /usr/bin/time -v by make bench: its peak memory,
// beside BenchmarkModelPipe's 5,000 documents, shows memory flat in the documents.
func BenchmarkModelPipe50k(b *testing.B) {
	benchModel(b, 50000, func() remote.Model {
		m, err := remote.StartProc(context.Background(), remote.ProcOptions{Command: fakeCommand("instant")})
		if err != nil {
			b.Fatal(err)
		}
		return m
	})
}
