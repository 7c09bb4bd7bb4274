package export_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/export"
)

// genSource makes n documents of about 1 KB with 10 spans each on the fly, as a store
// streams them, so a benchmark measures the exporter and not a corpus held in memory.
type genSource struct {
	schema *annotate.Schema
	n      int
}

func (g *genSource) Schema(context.Context) (*annotate.Schema, error) { return g.schema, nil }

const genPara = "Officials in Port Halden said at least 12 civilians were killed when drones struck the market on Tuesday, " +
	"the health ministry said. Rescue teams in Kölnberg searched the rubble 🚑 through the night while the armed group denied it. "

var genLabels = []string{"LOCATION", "CASUALTY", "DEATH", "WEAPON", "ATTACK", "TARGET", "TIME", "SOURCE", "LOCATION", "ACTOR"}
var genWords = []string{"Port Halden", "at least 12 civilians", "killed", "drones", "struck", "market", "Tuesday", "health ministry", "Kölnberg", "armed group"}

func (g *genSource) EachDocument(ctx context.Context, _ annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	text := strings.Repeat(genPara, 4) // ~1 KB
	var starts []int
	for _, w := range genWords {
		starts = append(starts, utf8.RuneCountInString(text[:strings.Index(text, w)]))
	}
	spans := make([]annotate.Span, 10)
	for i := 1; i <= g.n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := fmt.Sprintf("%08d ", i) + text
		doc := &annotate.Document{ID: int64(i), ExternalID: fmt.Sprintf("gen-%d", i), Title: "Generated report", Source: "Gen",
			Published: "2026-01-02", Text: t, SHA256: annotate.TextHash(t), Status: annotate.DocDone}
		base := int64(i) * 10
		for k := range spans {
			st := starts[k] + 9
			spans[k] = annotate.Span{ID: base + int64(k), DocID: int64(i), Start: st, End: st + utf8.RuneCountInString(genWords[k]),
				Label: genLabels[k], Status: annotate.StatusAccepted, Origin: "rule:gen", Annotator: "gen"}
		}
		spans[1].Attrs = json.RawMessage(fmt.Sprintf(`{"kind":"killed","low":12,"qualifier":"at_least","victims":["civilians"],"claimant":%d,"scope":"incident"}`, base+7))
		events := []annotate.Event{{ID: int64(i), DocID: int64(i), Type: "ATTACK", Trigger: base + 4, Status: annotate.StatusAccepted,
			Args: []annotate.Argument{{Role: "place", SpanID: base}, {Role: "instrument", SpanID: base + 3}, {Role: "casualties", SpanID: base + 1}}}}
		if err := fn(doc, spans, events); err != nil {
			return err
		}
	}
	return nil
}

// countingWriter counts bytes written.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// benchFormat exports 1,000 generated documents (10,000 spans) per iteration to a
// discarding writer and reports documents/s and output MB/s.
func benchFormat(b *testing.B, f export.Format, opts export.Options) {
	src := &genSource{schema: mustSchema(b), n: 1000}
	opts.Format = f
	opts.Out = "-"
	var cw countingWriter
	opts.Stdout = &cw
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := export.Run(context.Background(), src, opts, nil); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(src.n*b.N)/sec, "docs/s")
	b.ReportMetric(float64(cw.n)/sec/1e6, "MB/s")
}

func BenchmarkExportJSONL(b *testing.B) { benchFormat(b, export.FormatJSONL, export.Options{}) }
func BenchmarkExportJSONLUTF16(b *testing.B) {
	benchFormat(b, export.FormatJSONL, export.Options{Offsets: export.UTF16, Tokens: true})
}
func BenchmarkExportDoccano(b *testing.B) { benchFormat(b, export.FormatDoccano, export.Options{}) }
func BenchmarkExportEvents(b *testing.B)  { benchFormat(b, export.FormatEvents, export.Options{}) }
func BenchmarkExportCSV(b *testing.B)     { benchFormat(b, export.FormatCSV, export.Options{}) }
func BenchmarkExportCasualties(b *testing.B) {
	benchFormat(b, export.FormatCasualties, export.Options{})
}
func BenchmarkExportCoNLL(b *testing.B) { benchFormat(b, export.FormatCoNLL, export.Options{}) }

func BenchmarkExportBrat(b *testing.B) {
	src := &genSource{schema: mustSchema(b), n: 1000}
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := export.Run(context.Background(), src, export.Options{Format: export.FormatBrat, Out: filepath.Join(dir, fmt.Sprintf("b%d.zip", i))}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(src.n*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkExportBig is the target: 100,000 documents with 1,000,000 spans to a
// real file, one run per iteration (run with -benchtime=1x under /usr/bin/time -v for
// the resident size).
func BenchmarkExportBig(b *testing.B) {
	for _, f := range []export.Format{export.FormatJSONL, export.FormatCSV, export.FormatCoNLL} {
		b.Run(string(f), func(b *testing.B) {
			src := &genSource{schema: mustSchema(b), n: 100_000}
			dir := b.TempDir()
			for b.Loop() {
				res, err := export.Run(context.Background(), src, export.Options{Format: f, Out: filepath.Join(dir, "big"+f.Ext())}, nil)
				if err != nil {
					b.Fatal(err)
				}
				if res.Documents != 100_000 || res.Spans+res.Dropped != 1_000_000 {
					b.Fatalf("result %+v", res)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
		})
	}
}

var _ io.Writer = (*countingWriter)(nil)
