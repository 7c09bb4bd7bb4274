package postgres

import (
	"context"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.SpanBatchStore = (*Store)(nil)

// ReplaceSpans deletes and adds spans of one document as one action (op kind
// replace_spans); see annotate.SpanBatchStore. The curation view uses it to take one
// annotator's version into the gold layer in one undoable step.
func (s *Store) ReplaceSpans(ctx context.Context, docID int64, remove []int64, add []annotate.Span, annotator string) ([]annotate.Span, error) {
	if len(remove) == 0 && len(add) == 0 {
		return nil, nil
	}
	if err := sqlstore.CheckReplace(docID, add, annotator); err != nil {
		return nil, err
	}
	var out []annotate.Span
	_, err := s.write(ctx, "replace_spans", annotator, func(a *action) (err error) {
		out, err = sqlstore.ReplaceSpans(shared{a}, docID, remove, add)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
