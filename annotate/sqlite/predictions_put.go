package sqlite

import (
	"context"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.ModelBatchStore = (*Store)(nil)

// PutModelBatch implements annotate.ModelBatchStore: one IMMEDIATE transaction, one op per
// document, a savepoint around each so an invalid document is rolled back alone.
func (s *Store) PutModelBatch(ctx context.Context, origin string, docs []annotate.ModelDoc, annotator string) ([]annotate.ModelDocResult, error) {
	if s.readOnly {
		return nil, s.errReadOnly("model_suggest")
	}
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("model_suggest: begin: %w", mapErr(err))
	}
	defer tx.Rollback()
	known, err := sqlstore.LabelSet(ctx, sq{tx})
	if err != nil {
		return nil, fmt.Errorf("model_suggest: %w", mapErr(err))
	}
	out := make([]annotate.ModelDocResult, len(docs))
	for i, d := range docs {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT model_doc`); err != nil {
			return nil, fmt.Errorf("model_suggest: %w", mapErr(err))
		}
		a := &action{ctx: ctx, tx: tx, kind: "model_suggest", annotator: annotator, at: s.now()}
		r := &out[i]
		r.Added, r.Removed, err = sqlstore.PutModelDoc(shared{a}, known, d.DocID, origin, d.Spans, annotator)
		if err == nil && len(a.changes) > 0 {
			if err = a.log(); err != nil {
				return nil, fmt.Errorf("model_suggest: log: %w", mapErr(err))
			}
		}
		if annotate.ErrorCode(err) == annotate.EInvalid || annotate.ErrorCode(err) == annotate.ENotFound {
			*r = annotate.ModelDocResult{Err: err}
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO model_doc`); err != nil {
				return nil, fmt.Errorf("model_suggest: %w", mapErr(err))
			}
		} else if err != nil {
			return nil, fmt.Errorf("model_suggest: document %d: %w", d.DocID, mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, `RELEASE model_doc`); err != nil {
			return nil, fmt.Errorf("model_suggest: %w", mapErr(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("model_suggest: commit: %w", mapErr(err))
	}
	return out, nil
}
