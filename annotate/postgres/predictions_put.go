package postgres

import (
	"context"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// PutModelSuggestions implements annotate.PredictionStore as the SQLite store
// does. A span the run proposes again
// keeps its row (its score and run are updated), so the annotator's place in the list
// holds; a span another suggester proposed too is stored once, with both as proposers
// (annotate.PlanProposals).
func (s *Store) PutModelSuggestions(ctx context.Context, docID int64, origin string, spans []annotate.Span, annotator string) (int, int, error) {
	var added, removed int
	_, err := s.write(ctx, "model_suggest", annotator, func(a *action) error {
		known, err := labelSet(ctx, a.tx)
		if err != nil {
			return err
		}
		added, removed, err = putModelDoc(a, known, docID, origin, spans, annotator)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return added, removed, nil
}

func labelSet(ctx context.Context, tx txLike) (map[string]bool, error) {
	return sqlstore.LabelSet(ctx, sq{tx})
}

// putModelDoc stores one model's suggestions for one document inside action a
// (sqlstore.PutModelDoc).
func putModelDoc(a *action, known map[string]bool, docID int64, origin string, spans []annotate.Span, annotator string) (added, removed int, err error) {
	return sqlstore.PutModelDoc(shared{a}, known, docID, origin, spans, annotator)
}
