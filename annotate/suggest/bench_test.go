package suggest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// wireText builds about n bytes of wire-style conflict reporting from varied sentences
// (our own, generated from parts so the text is not one sentence repeated).
func wireText(n int) string {
	actors := []string{"Gunmen", "Israeli forces", "Russian troops", "Islamic State militants", "The army", "Iran-backed militias", "Unidentified attackers", "RSF fighters"}
	verbs := []string{"attacked", "shelled", "raided", "struck", "ambushed", "opened fire on"}
	targets := []string{"a military base", "a crowded market", "a police checkpoint", "an army convoy", "three villages", "a refugee camp"}
	places := []string{"in northern Mali", "near Kharkiv", "in the Gaza Strip", "in Borno state", "outside Mogadishu", "in western Iraq", "in the village of Tel Hamra"}
	times := []string{"on Tuesday", "late on Monday night", "early on Oct. 7", "last week", "at about 6.30 p.m. local time", "yesterday"}
	tolls := []string{"killing at least 12 civilians", "killing 3 soldiers and wounding 14", "leaving nearly 25,500 people dead", "wounding dozens of people", "killing between 20 and 30 fighters", "killing two dozen villagers"}
	srcs := []string{"the health ministry said", "officials said", "according to the United Nations", "Defense Secretary Lloyd Austin said", "a military spokesman said", "local residents told reporters"}
	// Most sentences of a report carry context, not events (about one span in 50 bytes
	// in real wire copy, as against one in 20 in the event sentences above).
	fill := []string{
		"The union called a general strike over pay, and talks on the budget bill stalled in parliament.",
		"Prices rose 4.5 percent in March, and the 35-year-old minister said the plan would cost $2 billion.",
		"Aid agencies said more than 1.5 million people had been displaced since the war began in 2023.",
		"The committee met for three hours and agreed on three facilities for storage.",
		"Diplomats have been trying for months to broker a ceasefire, but neither side has agreed to the terms put forward by mediators.",
		"The region has long been a flashpoint, and residents say the roads to the nearest town are often closed for days at a time.",
		"Negotiators are expected to meet again next month in the capital, where the talks were last held in the spring.",
		"It was not immediately possible to verify the figures independently, and the account could not be confirmed by other sources.",
	}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%s %s %s %s %s, %s, %s.\n\n", actors[i%len(actors)], verbs[i%len(verbs)], targets[i%len(targets)], places[i%len(places)], times[i%len(times)], tolls[i%len(tolls)], srcs[i%len(srcs)])
		for k := 0; k < 3; k++ {
			b.WriteString(fill[(i*3+k)%len(fill)] + " ")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func BenchmarkSuggest1MB(b *testing.B) {
	text := wireText(1 << 20)
	s := mustNew(b)
	ctx := context.Background()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := s.Suggest(ctx, text, "2024-01-23", nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkSuggestArticle(b *testing.B) {
	text := wireText(4 << 10)
	s := mustNew(b)
	ctx := context.Background()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := s.Suggest(ctx, text, "2024-01-23", nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkSuggestRunOn feeds a text without sentence stops, dense with figures, kill
// words and sources: per-sentence rules must stay linear on it.
func BenchmarkSuggestRunOn(b *testing.B) {
	text := strings.Repeat("killed 12 civilians and 3 soldiers officials said according to the ministry ", 1<<20/76)
	s := mustNew(b)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Suggest(context.Background(), text, "", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process CPU time per operation since start (user + system, GC
// included), a steadier figure than wall time when other work shares the cores.
func reportCPU(b *testing.B, start time.Duration) {
	if start == 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64((processCPU()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
