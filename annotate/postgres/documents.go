package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Documents lists every document with its span counts by status, in id order: one pass
// over documents in rowid order, joined to the spans_doc index, which holds the status,
// so no span row is read and nothing is sorted.
func (s *Store) Documents(ctx context.Context) ([]annotate.DocSummary, error) {
	return sqlstore.Documents(ctx, sq{s.ro()}, "", nil)
}

const docCols = sqlstore.DocCols

func scanDoc(sc interface{ Scan(...any) error }) (*annotate.Document, error) {
	return sqlstore.ScanDoc(sc)
}

// Document returns one document with its text.
func (s *Store) Document(ctx context.Context, id int64) (*annotate.Document, error) {
	d, err := scanDoc(s.ro().QueryRowContext(ctx, `SELECT `+docCols+` FROM documents WHERE id = ?`, id))
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := s.readTx(ctx, func(tx txLike) (err error) {
		st, err = sqlstore.Stats(ctx, sq{tx}, "")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	return st, nil
}

// EachDocument streams documents in id order with their spans (filtered by f.Spans) and
// events (sqlstore.EachDocument), from one REPEATABLE READ snapshot.
func (s *Store) EachDocument(ctx context.Context, f annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	return s.readTx(ctx, func(tx txLike) error { return sqlstore.EachDocument(ctx, sq{tx}, "", f, fn) })
}

// emitPage calls fn for each document of a page (sqlstore.EmitPage).
func emitPage(ctx context.Context, tx txLike, docs []*annotate.Document, spanCond string, spanArgs []any,
	fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	return sqlstore.EmitPage(ctx, sq{tx}, docs, spanCond, spanArgs, fn)
}
