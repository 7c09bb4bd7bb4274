// Command corpusgen writes synthetic corpora for the suggest benchmarks of `make bench`:
// wire-style conflict articles of real size (JSONL, one per line), one long document of
// such text, or one long document of dense conflict sentences (a trigger, a figure and a
// claimant in every sentence). The sentences are our own, put together from parts so
// that the text is varied; the output depends only on the flags.
//
//	corpusgen -kind articles -n 100000 -out corpus.jsonl
//	corpusgen -kind long -size 1048576 -out long.jsonl
//	corpusgen -kind dense -size 1048576 -out dense.jsonl
//	corpusgen -kind reports -n 5000 -size 1000 -out reports.jsonl
//	corpusgen -kind gold -n 300 -out gold.jsonl
//
// Kind gold is annotated work to train a model on: articles marked done, with the
// actor, attack, target, place and time of each event paragraph as spans.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

var (
	actors  = []string{"Gunmen", "Government forces", "Rebel fighters", "Islamic State militants", "The army", "Armed men on motorbikes", "Unidentified attackers", "Militia fighters", "Security forces", "Insurgents"}
	verbs   = []string{"attacked", "shelled", "raided", "struck", "ambushed", "opened fire on", "stormed", "bombed"}
	targets = []string{"a military base", "a crowded market", "a police checkpoint", "an army convoy", "three villages", "a displacement camp", "a health centre", "a bus station", "a mosque", "a school"}
	places  = []string{"in northern Mali", "near Kharkiv", "in the Gaza Strip", "in Borno state", "outside Mogadishu", "in western Iraq", "in the village of Tel Hamra", "in eastern Congo", "near the town of Kidal", "in Khartoum"}
	times   = []string{"on Tuesday", "late on Monday night", "early on Oct. 7", "last week", "at about 6.30 p.m. local time", "yesterday", "on Friday morning", "overnight"}
	tolls   = []string{"killing at least 12 civilians", "killing 3 soldiers and wounding 14", "leaving nearly 40 people dead", "wounding dozens of people", "killing between 20 and 30 fighters", "killing two dozen villagers", "killing five people", "injuring more than 60"}
	srcs    = []string{"the health ministry said", "officials said", "according to the United Nations", "a local governor said", "a military spokesman said", "local residents told reporters", "the regional administration said", "a hospital director said"}
	fill    = []string{
		"The union called a general strike over pay, and talks on the budget bill stalled in parliament.",
		"Prices rose 4.5 percent in March, and the minister said the plan would cost $2 billion.",
		"Aid agencies said more than 1.5 million people had been displaced since the fighting began.",
		"The committee met for three hours and agreed on three facilities for storage.",
		"Diplomats have been trying for months to broker a ceasefire, but neither side has agreed to the terms put forward by mediators.",
		"The region has long been a flashpoint, and residents say the roads to the nearest town are often closed for days at a time.",
		"Negotiators are expected to meet again next month in the capital, where the talks were last held in the spring.",
		"It was not immediately possible to verify the figures independently, and the account could not be confirmed by other sources.",
		"Schools in the district have been shut since the start of the year, and many families have moved to relatives in the south.",
		"The government has promised an inquiry, but similar promises after earlier incidents led to no public findings.",
	}
	dense = []string{
		"Shelling killed %d civilians in the town, the governor said. ",
		"An air strike killed %d fighters near the border, the army said. ",
		"Gunmen wounded %d people at the market, police said. ",
		"A car bomb killed at least %d soldiers, officials said. ",
	}
)

// paragraph writes one event paragraph and some context sentences; with spans set, it
// appends the event's parts as spans (the text is ASCII: bytes are code points).
func paragraph(b *strings.Builder, r *rand.Rand, spans *[]span) {
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	part := func(s, label, after string) {
		if spans != nil {
			start, end := b.Len(), b.Len()+len(s)
			if label == "LOCATION" { // the place without its preposition
				_, place, _ := strings.Cut(s, " ")
				start = end - len(place)
			}
			*spans = append(*spans, span{Start: start, End: end, Label: label})
		}
		b.WriteString(s)
		b.WriteString(after)
	}
	actor, verb, target, place, when := pick(actors), pick(verbs), pick(targets), pick(places), pick(times)
	part(actor, "ACTOR", " ")
	part(verb, "ATTACK", " ")
	part(target, "TARGET", " ")
	part(place, "LOCATION", " ")
	part(when, "TIME", ", ")
	fmt.Fprintf(b, "%s, %s.", pick(tolls), pick(srcs))
	// about one suggestion in 85 bytes, as in real wire copy
	for k := 0; k < 5+r.IntN(6); k++ {
		b.WriteString(" " + pick(fill))
	}
	b.WriteString("\n\n")
}

// text returns about n bytes of wire-style text.
func text(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		paragraph(&b, r, nil)
	}
	return strings.TrimSpace(b.String())
}

// goldText is text with the spans of its events.
func goldText(r *rand.Rand, n int) (string, []span) {
	var b strings.Builder
	var spans []span
	for b.Len() < n {
		paragraph(&b, r, &spans)
	}
	return strings.TrimSpace(b.String()), spans
}

type span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
}

func denseText(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, dense[r.IntN(len(dense))], 2+r.IntN(90))
	}
	return b.String()
}

type record struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Text      string `json:"text"`
	Spans     []span `json:"spans,omitempty"`
	Done      bool   `json:"done,omitempty"`
}

func main() {
	kind := flag.String("kind", "articles", "articles, reports (short and dense), long, dense or gold (done articles with spans)")
	n := flag.Int("n", 1000, "number of articles (kind articles)")
	size := flag.Int("size", 1<<20, "bytes of text (long, dense; each report); mean article size (articles)")
	out := flag.String("out", "", "output JSONL file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "corpusgen: -out is required")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	r := rand.New(rand.NewPCG(*seed, 2))
	var textBytes int
	write := func(rec record) {
		textBytes += len(rec.Text)
		if err := enc.Encode(rec); err != nil {
			fmt.Fprintln(os.Stderr, "corpusgen:", err)
			os.Exit(1)
		}
	}
	switch *kind {
	case "articles":
		mean := *size
		if mean == 1<<20 {
			mean = 3600 // the size of a typical wire article
		}
		for i := 0; i < *n; i++ {
			write(record{ID: fmt.Sprintf("gen-%06d", i), Title: "Generated report", Published: "2024-03-05",
				Text: text(r, mean/2+r.IntN(mean))})
		}
	case "gold":
		for i := 0; i < *n; i++ {
			t, spans := goldText(r, 1800+r.IntN(3600))
			write(record{ID: fmt.Sprintf("gold-%06d", i), Title: "Generated annotated report", Published: "2024-03-05",
				Text: t, Spans: spans, Done: true})
		}
	case "reports":
		for i := 0; i < *n; i++ {
			write(record{ID: fmt.Sprintf("rep-%06d", i), Title: "Generated short report", Published: "2024-03-05",
				Text: strings.TrimSpace(denseText(r, *size))})
		}
	case "long":
		write(record{ID: "long", Title: "Long generated report", Published: "2024-03-05", Text: text(r, *size)})
	case "dense":
		write(record{ID: "dense", Title: "Dense generated report", Published: "2024-03-05", Text: denseText(r, *size)})
	default:
		fmt.Fprintf(os.Stderr, "corpusgen: unknown kind %q\n", *kind)
		os.Exit(2)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
	fmt.Println(textBytes) // the text's size, for throughput figures
}
