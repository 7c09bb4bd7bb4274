package query

import (
	"context"
	"fmt"
	"slices"

	"evident/annotate"
)

// Scan searches any store by reading every document: no index, so it is the reference
// the indexed backends are tested against, and a fallback for a store without an index.
type Scan struct{ Store annotate.Store }

var _ annotate.Searcher = Scan{}

// Search runs the query over every document.
func (s Scan) Search(ctx context.Context, text string, opt annotate.SearchOptions) (*annotate.SearchResult, error) {
	q, err := ParseForStore(text)
	if err != nil {
		return nil, err
	}
	var perDoc [][]annotate.Hit
	err = s.Store.EachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, _ []annotate.Event) error {
		if hits := q.Eval(d, spans); len(hits) > 0 {
			perDoc = append(perDoc, hits)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if opt.Order == annotate.SearchNewest {
		slices.Reverse(perDoc)
	}
	res := &annotate.SearchResult{Method: "scan"}
	for _, hits := range perDoc {
		if res.Add(hits, opt.Limit) {
			break
		}
	}
	return res, nil
}

// ParseForStore parses a query and turns a syntax error into an annotate.Error with code
// EInvalid, as Searcher implementations return it.
func ParseForStore(text string) (*Query, error) {
	q, err := Parse(text)
	if err != nil {
		return nil, annotate.Errorf(annotate.EInvalid, "query: %v", err)
	}
	return q, nil
}
