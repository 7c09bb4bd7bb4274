package storetest_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/assets"
	"evident/export"
	"evident/internal/pgtest"
)

var benchWords = strings.Fields(`the army said militants fired rockets at a base near the border on Monday
killing three soldiers and wounding seven others according to officials who spoke on condition of anonymity
residents reported heavy shelling overnight in several districts while aid groups said hundreds had fled`)

var benchLabels = []string{"ACTOR", "TARGET", "LOCATION", "TIME", "CASUALTY", "SOURCE", "WEAPON", "VICTIM", "ATTACK", "DEATH"}

// genDoc writes a document of about 1 KB with 10 non-overlapping spans, as the SQLite
// backend's import benchmark does.
func genDoc(r *rand.Rand, i int) (annotate.Document, annotate.Draft) {
	var b strings.Builder
	var starts, ends []int
	cp := 0
	for b.Len() < 1000 {
		if b.Len() > 0 {
			b.WriteByte(' ')
			cp++
		}
		w := benchWords[r.IntN(len(benchWords))]
		starts, ends = append(starts, cp), append(ends, cp+len(w))
		b.WriteString(w)
		cp += len(w)
	}
	var d annotate.Draft
	step := len(starts) / 10
	for k := 0; k < 10; k++ {
		d.Spans = append(d.Spans, annotate.Span{Start: starts[k*step], End: ends[k*step], Label: benchLabels[k]})
	}
	return annotate.Document{ExternalID: fmt.Sprintf("gen-%07d", i), Title: fmt.Sprintf("Generated report %d", i),
		Source: "Generator", Published: "2024-01-02", Text: b.String()}, d
}

func importGen(tb testing.TB, st annotate.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 0))
	im, err := st.BeginImport(ctx, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	defer im.Rollback()
	for i := 0; i < n; i++ {
		doc, d := genDoc(r, i)
		if _, err := im.Add(ctx, &doc, d); err != nil {
			tb.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func openB(tb testing.TB, target string) annotate.Store {
	tb.Helper()
	st, err := backend.Open(context.Background(), target, backend.Options{Schema: assets.Schema()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// durable starts a server with fsync on, as a team's server runs (the test server has
// it off).
func durable(b *testing.B) string {
	srv, err := pgtest.StartWith(pgtest.Options{Durable: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Stop() })
	url, err := srv.CreateDB(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return url
}

// BenchmarkTeamSave: 10 annotators, each with a connection of their own (as 10 windows
// on 10 machines), each saving 10 decisions a second on documents of their own, on a
// durable local server, beside the same load on one SQLite file. Reports the 50th and
// 99th percentile of one save (SetSpanStatus, committed). Target: p99 under 50 ms.
func BenchmarkTeamSave(b *testing.B) {
	const annotators, perSecond = 10, 10
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			target := filepath.Join(b.TempDir(), "team.db")
			if be == "postgres" {
				target = durable(b)
			}
			importGen(b, openB(b, target), 200)
			per := max(b.N/annotators, 30) // at least 3 s of load
			var mu sync.Mutex
			var lat []time.Duration
			var wg sync.WaitGroup
			b.ResetTimer()
			for a := 0; a < annotators; a++ {
				st := openB(b, target)
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					name := fmt.Sprintf("ann%d", a)
					spans, err := st.Spans(ctx, int64(a+1), annotate.SpanFilter{})
					if err != nil {
						b.Error(err)
						return
					}
					tick := time.NewTicker(time.Second / perSecond)
					defer tick.Stop()
					sts := []annotate.Status{annotate.StatusRejected, annotate.StatusAccepted}
					for i := 0; i < per; i++ {
						<-tick.C
						start := time.Now()
						if err := st.SetSpanStatus(ctx, []int64{spans[i%len(spans)].ID}, sts[(i/len(spans))%2], name); err != nil {
							b.Error(err)
							return
						}
						d := time.Since(start)
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(len(lat)), "saves")
		})
	}
}

// BenchmarkImport100kBackends imports 100,000 documents (1 KB, 10 spans each) into an
// SQLite file and into a durable PostgreSQL database, one import each, and exports both
// as JSONL. Reports both times, their ratio (target: PostgreSQL at most 2× SQLite) and
// whether the exports are the same bytes (1: they are).
func BenchmarkImport100kBackends(b *testing.B) {
	const n = 100_000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		file := filepath.Join(b.TempDir(), fmt.Sprintf("big%d.db", i))
		pg := durable(b)
		sqliteStore, pgStore := openB(b, file), openB(b, pg)
		b.StartTimer()
		start := time.Now()
		importGen(b, sqliteStore, n)
		tSQLite := time.Since(start)
		start = time.Now()
		importGen(b, pgStore, n)
		tPG := time.Since(start)
		b.StopTimer()
		var outs [2]bytes.Buffer
		for k, st := range []annotate.Store{sqliteStore, pgStore} {
			if _, err := export.Run(context.Background(), st, export.Options{Format: "jsonl", Out: "-", Stdout: &outs[k]}, nil); err != nil {
				b.Fatal(err)
			}
		}
		same := 0.0
		if outs[0].Len() > n*1000 && bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
			same = 1
		}
		b.ReportMetric(tSQLite.Seconds(), "s-sqlite")
		b.ReportMetric(tPG.Seconds(), "s-postgres")
		b.ReportMetric(tPG.Seconds()/tSQLite.Seconds(), "pg/sqlite")
		b.ReportMetric(same, "same-bytes")
	}
}
