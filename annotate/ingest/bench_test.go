package ingest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"evident/annotate/ingest"
)

var benchWords = strings.Fields(`militants fired rockets at an army base near the border on Tuesday
killing at least twelve soldiers and wounding dozens of civilians according to the health
ministry while officials in the capital said security forces had repelled the assault and
that shelling continued overnight across the province as residents fled toward the coast
Zürich-based observers reported drone strikes on fuel depots`)

var benchLabels = []string{"ACTOR", "TARGET", "LOCATION", "TIME", "WEAPON", "SOURCE", "VICTIM", "ATTACK", "DEATH", "INJURY"}

// writeCorpus writes n generated documents of about 1 KB with 10 spans each as JSONL.
func writeCorpus(tb testing.TB, path string, n int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	type span struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Label string `json:"label"`
	}
	var sb strings.Builder
	for d := 0; d < n; d++ {
		sb.Reset()
		var spans []span
		cp, k := 0, d
		for sb.Len() < 1000 {
			word := benchWords[k%len(benchWords)]
			k = k*31 + 7
			if k < 0 {
				k = -k
			}
			if sb.Len() > 0 {
				sb.WriteByte(' ')
				cp++
			}
			wl := len([]rune(word))
			if len(spans) < 10 && k%5 == 0 {
				spans = append(spans, span{cp, cp + wl, benchLabels[len(spans)]})
			}
			sb.WriteString(word)
			cp += wl
		}
		for len(spans) < 10 { // top up: short texts of rare draws still get 10 spans
			spans = append(spans, span{0, 1, benchLabels[len(spans)]})
		}
		line, err := json.Marshal(map[string]any{
			"id": "gen-" + itoa(d), "title": "Generated report", "source": "Bench Wire",
			"published": "2024-05-01", "text": sb.String(), "spans": spans,
		})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// BenchmarkRead100k reads 100,000 generated 1 KB documents with 10 spans each: the
// parsing and checking cost of an import, without the database.
func BenchmarkRead100k(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "corpus.jsonl")
	size := writeCorpus(b, path, n)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rd, err := ingest.NewReader(f, path, ingest.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		docs := 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(rec.Draft.Spans) != 10 {
				b.Fatalf("%d spans", len(rec.Draft.Spans))
			}
			docs++
		}
		f.Close()
		if docs != n {
			b.Fatalf("%d docs", docs)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkImport100k imports 100,000 generated documents (1 KB, 10 spans each) into a
// fresh SQLite database in one transaction: the foundation issue's target is < 20 s with
// under 300 MB resident. It reports the peak Go heap seen during the import and the
// process's peak resident set.
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	path := filepath.Join(dir, "corpus.jsonl")
	writeCorpus(b, path, n)
	var peakHeap uint64
	var ms runtime.MemStats
	b.ResetTimer()
	i := 0
	for b.Loop() {
		b.StopTimer()
		s := openStoreAt(b, filepath.Join(dir, "db"+itoa(i)+".db"))
		i++
		b.StartTimer()
		res, err := ingest.ImportFiles(context.Background(), s, []string{path}, ingest.Options{Annotator: "bench"}, func(ingest.Progress) {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		})
		if err != nil {
			b.Fatal(err)
		}
		if res.Added != n {
			b.Fatalf("added %d", res.Added)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB")
	}
}

// BenchmarkHugeLine reads one 100 MB document on a single JSONL line, with a span at its
// end: no line length limit, and the cost of a document that size.
func BenchmarkHugeLine(b *testing.B) {
	const size = 100 << 20
	sentence := "Shelling continued overnight in the eastern districts, officials said. "
	text := strings.Repeat(sentence, size/len(sentence))
	n := len([]rune(text))
	line := `{"id":"huge","text":"` + text + `","spans":[{"start":` + itoa(n-len(sentence)) + `,"end":` + itoa(n-len(sentence)+8) + `,"label":"ATTACK","text":"Shelling"}]}` + "\n"
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		recs, err := readAll(b, "huge.jsonl", line, ingest.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(recs) != 1 || len(recs[0].Doc.Text) != len(text) {
			b.Fatal("huge line misread")
		}
	}
}
