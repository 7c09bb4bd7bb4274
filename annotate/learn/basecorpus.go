package learn

import (
	"evident/annotate"
	"evident/annotate/evaluate"
)

// DefaultBaseWeight is the weight of a base corpus's documents against the annotator's
// (docs/learned-figures.md).
const DefaultBaseWeight = 0.1

// withBase returns the examples followed by the base corpus's documents, marked Base and
// weighted wt (0 = DefaultBaseWeight), each with only the spans and events of labels
// the examples use (all of them when the examples use none). The examples are not
// changed.
func withBase(exs, base []Example, wt float64) []Example {
	if len(base) == 0 {
		return exs
	}
	if wt <= 0 {
		wt = DefaultBaseWeight
	}
	used := map[string]bool{}
	for _, ex := range exs {
		for _, sp := range ex.Accepted.Spans {
			used[normLabel(sp.Label)] = true
		}
	}
	// An annotator who marks victims but no casualty figures counts "12 people" as a
	// VICTIM, as some corpora do: the base corpus's figures teach VICTIM then.
	casualtyAsVictim := used["VICTIM"] && !used["CASUALTY"]
	out := append(make([]Example, 0, len(exs)+len(base)), exs...)
	for _, b := range base {
		b.Base, b.Weight = true, wt
		if casualtyAsVictim {
			b.Accepted.Spans = append([]annotate.Span(nil), b.Accepted.Spans...)
			for i := range b.Accepted.Spans {
				if normLabel(b.Accepted.Spans[i].Label) == "CASUALTY" {
					b.Accepted.Spans[i].Label = "VICTIM"
				}
			}
		}
		if len(used) > 0 {
			b.Accepted = keepSpans(b.Accepted, func(sp annotate.Span) bool { return used[normLabel(sp.Label)] })
			b.Rejected, b.Pending = nil, nil
		}
		out = append(out, b)
	}
	return out
}

// BaseExamples turns a gold corpus (the project's own annotated articles, shipped with
// the binary) into done examples for Options.Base.
func BaseExamples(golds []evaluate.Gold) []Example {
	out := make([]Example, len(golds))
	for i, g := range golds {
		out[i] = Example{ID: g.ID, Text: g.Text, Published: g.Published, Accepted: g.Draft, Complete: true}
	}
	return out
}
