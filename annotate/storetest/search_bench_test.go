package storetest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/assets"
)

// benchDocs is the corpus size of BenchmarkSearch; the target is 100,000, which
// takes minutes to import on a shared machine, so the benchmark states what it ran.
const benchDocs = 20000

// searchBenchWords are written here; rare words appear in about one document in a thousand.
var searchBenchWords = strings.Fields(`the a of in on at by with near after before officials said police army
	market village road bridge convoy district town shelling strike attack fire killed wounded injured
	civilians soldiers residents people two three five twelve morning night Monday Friday قصف مدنيين
	обстрел жители 北京 爆炸 😀`)

func benchCorpus(b *testing.B, st annotate.Store) {
	ctx := context.Background()
	im, err := st.BeginImport(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer im.Rollback()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < benchDocs; i++ {
		var sb strings.Builder
		for sb.Len() < 500 {
			sb.WriteString(searchBenchWords[r.IntN(len(searchBenchWords))])
			sb.WriteByte(' ')
		}
		if i%1000 == 7 {
			sb.WriteString("zanzibarite ")
		}
		text := sb.String()
		var d annotate.Draft
		if i%10 == 0 {
			d.Spans = []annotate.Span{{Start: 0, End: len([]rune(strings.Fields(text)[0])), Label: "DEATH"}}
		}
		if _, err := im.Add(ctx, &annotate.Document{ExternalID: fmt.Sprint(i), Text: text}, d); err != nil {
			b.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSearch: a rare word, a phrase and a label-filtered query, first 100 hits, on
// each backend.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	for _, be := range []string{"sqlite", "postgres"} {
		var target string
		if be == "sqlite" {
			target = filepath.Join(b.TempDir(), "b.db")
		} else {
			u, err := server.CreateSchema(ctx)
			if err != nil {
				b.Fatal(err)
			}
			target = u
		}
		st, err := backend.Open(ctx, target, backend.Options{Schema: assets.Schema()})
		if err != nil {
			b.Fatal(err)
		}
		benchCorpus(b, st)
		for _, q := range []string{"zanzibarite", `"civilians killed"`, `label:DEATH "civilians"`} {
			b.Run(be+"/"+q, func(b *testing.B) {
				var res *annotate.SearchResult
				for i := 0; i < b.N; i++ {
					var err error
					if res, err = st.(annotate.Searcher).Search(ctx, q, annotate.SearchOptions{Limit: 100}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(res.Hits)), "hits")
			})
		}
		st.Close()
	}
}
