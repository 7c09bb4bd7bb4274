package learn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"evident/annotate/evaluate"
)

// longCorpus makes n documents of about words words each from the test templates, with
// filler sentences between the event sentences as in wire copy.
func longCorpus(seed uint64, n, words int) []Example {
	r := rand.New(rand.NewPCG(seed, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	out := make([]Example, n)
	for i := range out {
		var ss [][]piece
		for w := 0; w < words; {
			switch r.IntN(4) {
			case 0:
				ss = append(ss, []piece{{"The " + pick(groupsA), "ACTOR"}, {" ", ""}, {"shelled", "ATTACK"}, {" the ", ""}, {pick(depotsA), "FACILITY"}, {" near ", ""}, {pick(townsA), "LOCATION"}, {".", ""}})
				w += 10
			case 1:
				ss = append(ss, []piece{{"In ", ""}, {pick(townsA), "LOCATION"}, {", ", ""}, {"fighters", "ACTOR"}, {" ", ""}, {"attacked", "ATTACK"}, {" a ", ""}, {pick(depotsA), "FACILITY"}, {", killing two guards.", ""}})
				w += 11
			default:
				ss = append(ss, []piece{{pick(fillerA), ""}})
				w += 7
			}
		}
		out[i] = buildDoc(fmt.Sprintf("L%d", i), ss, true)
	}
	return out
}

// shippedBase is the base corpus the binary trains beside (embedded from the same file).
func shippedBase(b *testing.B) []Example {
	golds, err := evaluate.ReadGoldFile("../../testdata/gold/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	return BaseExamples(golds)
}

// BenchmarkTrain1000 trains on 1,000 done documents of about 500 words beside the shipped
// base corpus, as `evident train` does (the target: under 60 s).
func BenchmarkTrain1000(b *testing.B) { benchTrain1000(b, Options{Base: shippedBase(b)}) }

func benchTrain1000(b *testing.B, opt Options) {
	exs := longCorpus(1, 1000, 500)
	r := rules(b)
	ctx := context.Background()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := Train(ctx, r, exs, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/1000-docs")
	b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkSuggestModel5000 suggests for a 5,000-word document with rules and model
// (the target: under 200 ms).
func BenchmarkSuggestModel5000(b *testing.B) {
	r := rules(b)
	ctx := context.Background()
	m, err := Train(ctx, r, longCorpus(2, 40, 500), Options{Base: shippedBase(b)})
	if err != nil {
		b.Fatal(err)
	}
	text := longCorpus(3, 1, 5000)[0].Text
	c := Combined{Rules: r, Model: m, MinConfidence: DefaultMinConfidence}
	b.SetBytes(int64(len(text))) // MB/s of text, beside the end-to-end figure
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := c.Suggest(ctx, text, "", nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkTrain1000CRF is BenchmarkTrain1000 with the tagger trained as a CRF
// (Options.CRF), for the comparison in docs/learned-figures.md.
func BenchmarkTrain1000CRF(b *testing.B) { benchTrain1000(b, Options{CRF: true, Base: shippedBase(b)}) }
