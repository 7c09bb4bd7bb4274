package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/suggest"
)

// BenchmarkSuggestRunStore measures the store's side of a suggestion run alone: 500
// article-sized documents whose drafts come from the rule engine, written as one run.
func BenchmarkSuggestRunStore(b *testing.B) {
	ctx := context.Background()
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		b.Fatal(err)
	}
	const docs = 500
	var texts []string
	for i := range docs {
		var sb strings.Builder
		for k := 0; sb.Len() < 3500; k++ {
			fmt.Fprintf(&sb, "Gunmen attacked a market in Kidal on Tuesday, killing %d civilians, officials said. ", i%40+k)
			sb.WriteString("Talks on the budget stalled in parliament, and the minister said the plan would cost more. ")
			sb.WriteString("Residents say the roads to the nearest town are often closed for days at a time. ")
		}
		texts = append(texts, sb.String())
	}
	drafts := make([]annotate.Draft, docs)
	spans, bytes := 0, 0
	for i, t := range texts {
		if drafts[i], err = sug.Suggest(ctx, t, "2024-03-05", nil); err != nil {
			b.Fatal(err)
		}
		spans += len(drafts[i].Spans)
		bytes += len(t)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		s := MustOpen(b)
		im, err := s.BeginImport(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]int64, docs)
		for i, t := range texts {
			d := &annotate.Document{ExternalID: fmt.Sprint(i), Text: t}
			if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
				b.Fatal(err)
			}
			ids[i] = d.ID
		}
		if err := im.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		run, err := s.BeginSuggestRun(ctx, annotate.Run{Source: "rules"})
		if err != nil {
			b.Fatal(err)
		}
		for i, d := range drafts {
			if err := run.Add(ctx, ids[i], d); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := run.Finish(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*spans), "ns/span")
}
