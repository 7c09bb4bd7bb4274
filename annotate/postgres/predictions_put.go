package postgres

import (
	"context"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

func labelSet(ctx context.Context, tx txLike) (map[string]bool, error) {
	return sqlstore.LabelSet(ctx, sq{tx})
}

// putModelDoc stores one model's suggestions for one document inside action a
// (sqlstore.PutModelDoc).
func putModelDoc(a *action, known map[string]bool, docID int64, origin string, spans []annotate.Span, annotator string) (added, removed int, err error) {
	return sqlstore.PutModelDoc(shared{a}, known, docID, origin, spans, annotator)
}
