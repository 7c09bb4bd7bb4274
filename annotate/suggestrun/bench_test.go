package suggestrun_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/annotate/suggest"
	"evident/annotate/suggestrun"
	"evident/assets"
)

// BenchmarkFirstScreen1MB is what the window waits for when it opens a 1 MB document
// without suggestions: the rules over the whole text, then the first screen's
// suggestions committed (first-ms); the rest is stored after (stored-ms).
func BenchmarkFirstScreen1MB(b *testing.B) {
	ctx := context.Background()
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		b.Fatal(err)
	}
	fill := []string{"Talks on the budget stalled in parliament, and the minister said the plan would cost more.",
		"Residents say the roads to the nearest town are often closed for days at a time.",
		"Diplomats have been trying for months to broker a ceasefire, without success so far.",
		"Schools in the district have been shut since the start of the year."}
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "Gunmen attacked a market in Kidal on Tuesday, killing %d civilians, officials said. ", i%40+2)
		for k := range 5 {
			sb.WriteString(fill[(i+k)%len(fill)] + " ")
		}
		sb.WriteString("\n\n")
	}
	text := sb.String()
	var first, whole time.Duration
	for range b.N {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "e.db"), sqlite.Options{Schema: assets.Schema()})
		if err != nil {
			b.Fatal(err)
		}
		im, err := st.BeginImport(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		d := &annotate.Document{ExternalID: "long", Text: text, Published: "2024-03-05"}
		if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
			b.Fatal(err)
		}
		if err := im.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		_, err = suggestrun.Run(ctx, st, sug, []int64{d.ID}, suggestrun.Options{Run: annotate.Run{Source: "rules"}, FirstPart: 6000,
			OnFirstPart: func(int64) { first += time.Since(start) }})
		if err != nil {
			b.Fatal(err)
		}
		whole += time.Since(start)
		b.StopTimer()
		st.Close()
	}
	b.SetBytes(int64(len(text)))
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "first-ms")
	b.ReportMetric(float64(whole.Milliseconds())/float64(b.N), "stored-ms")
}
