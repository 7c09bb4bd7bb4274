package annotate

import "context"

// Searcher finds text and annotations across the whole database with Evident's query
// language (annotate/query documents it). A store implements it beside Store; the window
// type-asserts it and the `evident search` command calls it.
type Searcher interface {
	// Search runs a query. A query that does not parse fails with code EInvalid and a
	// message giving the column of the mistake and what was expected.
	Search(ctx context.Context, query string, opt SearchOptions) (*SearchResult, error)
}

// SearchOrder orders hits.
type SearchOrder int

const (
	// SearchNewest lists the most recently added documents first.
	SearchNewest SearchOrder = iota
	// SearchByDocument lists documents in the document list's order (as added).
	SearchByDocument
)

// SearchOptions tune a search; the zero value gives every hit, newest first.
type SearchOptions struct {
	Limit int // at most this many hits; 0 means all
	Order SearchOrder
}

// Hit is one match: a range of a document's text (offsets in code points, half-open) or,
// when the query filtered spans, one span (SpanID and Label set).
type Hit struct {
	DocID     int64
	Title     string
	Start     int
	End       int
	Text      string // the matched text, Text[Start:End] of the document
	Before    string // a few words before the match, for keyword-in-context lines
	After     string // a few words after it
	SpanID    int64  // 0 for a text hit
	Label     string
	Status    Status
	Annotator string
}

// SearchResult is what a search found.
type SearchResult struct {
	Hits []Hit
	// More is set when Limit cut the hits short.
	More bool
	// Method says how the search ran: "index" (full-text index) or "scan" (every
	// document read, e.g. in a build without SQLite FTS5).
	Method string
}

// Add appends one document's hits, keeping at most limit (0: no limit) in all, and reports
// whether the limit is reached (More is then set if hits were left out).
func (r *SearchResult) Add(hits []Hit, limit int) (full bool) {
	if limit > 0 && len(r.Hits)+len(hits) > limit {
		r.Hits = append(r.Hits, hits[:limit-len(r.Hits)]...)
		r.More = true
		return true
	}
	r.Hits = append(r.Hits, hits...)
	return limit > 0 && len(r.Hits) >= limit
}
