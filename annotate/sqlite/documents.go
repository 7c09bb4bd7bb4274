package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Documents lists every document with its span counts by status, in id order: one pass
// over documents in rowid order, joined to the spans_doc index, which holds the status,
// so no span row is read and nothing is sorted.
func (s *Store) Documents(ctx context.Context) ([]annotate.DocSummary, error) {
	tx, err := s.ro.BeginTx(ctx, nil) // one snapshot for the count that sizes the slice and the rows
	if err != nil {
		return nil, fmt.Errorf("documents: %w", mapErr(err))
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE id NOT IN `+stagedDocIDs).Scan(&n); err != nil {
		return nil, fmt.Errorf("documents: %w", mapErr(err))
	}
	return sqlstore.Documents(ctx, sq{tx}, stagedDocIDs, make([]annotate.DocSummary, 0, n))
}

const docCols = sqlstore.DocCols

func scanDoc(sc interface{ Scan(...any) error }) (*annotate.Document, error) {
	return sqlstore.ScanDoc(sc)
}

// Document returns one document with its text.
func (s *Store) Document(ctx context.Context, id int64) (*annotate.Document, error) {
	d, err := scanDoc(s.ro.QueryRowContext(ctx, `SELECT `+docCols+` FROM documents WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, annotate.Errorf(annotate.ENotFound, "document %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("document %d: %w", id, mapErr(err))
	}
	return d, nil
}

// Stats counts documents by status, spans by label and status, and spans by annotator.
func (s *Store) Stats(ctx context.Context) (*annotate.Stats, error) {
	var st *annotate.Stats
	err := s.readTx(ctx, func(tx txLike) (err error) { // one snapshot for all three counts
		st, err = sqlstore.Stats(ctx, sq{tx}, stagedDocIDs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	return st, nil
}

// EachDocument streams documents in id order with their spans (filtered by f.Spans) and
// events (sqlstore.EachDocument), from one snapshot: a read transaction on the read-only
// pool, which does not block writers.
func (s *Store) EachDocument(ctx context.Context, f annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("read documents: %w", mapErr(err))
	}
	defer tx.Rollback()
	return sqlstore.EachDocument(ctx, sq{tx}, stagedDocIDs, f, fn)
}
