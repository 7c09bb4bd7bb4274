package sqlstore

import (
	"context"
	"fmt"

	"evident/annotate"
)

// MaxProblems caps each check's report: a broken database should not print a million lines.
const MaxProblems = 50

// CheckDocuments appends to problems what is wrong with the documents eachDocument
// streams (a store's EachDocument): every span lies inside its document's text and its
// stored text equals that slice; events and arguments point at spans of their own
// document.
func CheckDocuments(ctx context.Context, eachDocument func(context.Context, annotate.ExportFilter, func(*annotate.Document, []annotate.Span, []annotate.Event) error) error,
	problems []string) ([]string, error) {
	// Spans against their text, one document at a time so memory stays small.
	var bad int
	err := eachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		o := annotate.NewOffsets(d.Text)
		if annotate.TextHash(d.Text) != d.SHA256 {
			problems = append(problems, fmt.Sprintf("document %d: text does not match its sha256", d.ID))
		}
		inDoc := make(map[int64]bool, len(spans))
		for _, sp := range spans {
			inDoc[sp.ID] = true
			if bad >= MaxProblems {
				continue
			}
			if err := annotate.CheckSpan(o.Len(), sp.Start, sp.End); err != nil {
				problems = append(problems, fmt.Sprintf("document %d: span %d: %v", d.ID, sp.ID, err))
				bad++
				continue
			}
			if sub, _ := o.Slice(d.Text, sp.Start, sp.End); sub != sp.Text {
				problems = append(problems, fmt.Sprintf("document %d: span %d [%d, %d) stores %q but the text there is %q",
					d.ID, sp.ID, sp.Start, sp.End, Clip(sp.Text), Clip(sub)))
				bad++
			}
		}
		for _, e := range events {
			if bad >= MaxProblems {
				break
			}
			if !inDoc[e.Trigger] {
				problems = append(problems, fmt.Sprintf("document %d: event %d: trigger span %d is not a span of this document", d.ID, e.ID, e.Trigger))
				bad++
			}
			for _, a := range e.Args {
				if !inDoc[a.SpanID] {
					problems = append(problems, fmt.Sprintf("document %d: event %d: %s argument span %d is not a span of this document", d.ID, e.ID, a.Role, a.SpanID))
					bad++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	if bad >= MaxProblems {
		problems = append(problems, fmt.Sprintf("(stopped listing span and event problems after %d)", MaxProblems))
	}

	return problems, nil
}

// Invariant is a query counting the rows that break one of Evident's invariants, and
// what such rows are, in words.
type Invariant [2]string

// CheckInvariants appends to problems the count of every invariant's rows that break it.
func CheckInvariants(ctx context.Context, q Q, invariants []Invariant, problems []string) ([]string, error) {
	for _, inv := range invariants {
		var n int
		if err := q.QueryRowContext(ctx, inv[0]).Scan(&n); err != nil {
			return nil, fmt.Errorf("check: %w", q.MapErr(err))
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%d %s", n, inv[1]))
		}
	}
	return problems, nil
}
