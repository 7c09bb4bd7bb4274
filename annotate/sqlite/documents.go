package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"evident/annotate"
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
	rows, err := tx.QueryContext(ctx, `
		SELECT d.id, d.external_id, d.title, d.source, d.published, d.status,
			count(CASE WHEN s.status = 'suggested' THEN 1 END),
			count(CASE WHEN s.status = 'accepted' THEN 1 END),
			count(CASE WHEN s.status = 'rejected' THEN 1 END)
		FROM documents d LEFT JOIN spans s ON s.doc = d.id
		WHERE d.id NOT IN `+stagedDocIDs+`
		GROUP BY d.id ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", mapErr(err))
	}
	defer rows.Close()
	out := make([]annotate.DocSummary, 0, n)
	// Scan targets are reused across rows (see spanReader): 100,000 rows, no per-row boxes.
	var d annotate.DocSummary
	var st string
	dest := []any{&d.ID, &d.ExternalID, &d.Title, &d.Source, &d.Published, &st, &d.Suggested, &d.Accepted, &d.Rejected}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("documents: %w", err)
		}
		d.Status = annotate.DocStatus(st)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("documents: %w", mapErr(err))
	}
	return out, nil
}

const docCols = `id, external_id, title, source, url, published, status, added, sha256, meta, text`

func scanDoc(sc interface{ Scan(...any) error }) (*annotate.Document, error) {
	d := &annotate.Document{}
	var st string
	var added int64
	var meta sql.NullString
	if err := sc.Scan(&d.ID, &d.ExternalID, &d.Title, &d.Source, &d.URL, &d.Published, &st, &added,
		&d.SHA256, &meta, &d.Text); err != nil {
		return nil, err
	}
	d.Status = annotate.DocStatus(st)
	d.Added = fromMicros(added)
	if meta.Valid {
		d.Meta = json.RawMessage(meta.String)
	}
	return d, nil
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

// SetDocumentStatus records an annotator's progress on a document (new, in_progress, done).
func (s *Store) SetDocumentStatus(ctx context.Context, docID int64, st annotate.DocStatus, annotator string) error {
	switch st {
	case annotate.DocNew, annotate.DocInProgress, annotate.DocDone:
	default:
		return annotate.Errorf(annotate.EInvalid, "unknown document status %q (want new, in_progress or done)", st)
	}
	_, err := s.write(ctx, "set_doc_status", annotator, func(a *action) error {
		a.doc = docID
		a.summary = fmt.Sprintf("mark document %d %s", docID, st)
		return a.update("documents", docID, func() error {
			_, err := a.tx.ExecContext(ctx, `UPDATE documents SET status = ? WHERE id = ?`, string(st), docID)
			return err
		})
	})
	return err
}

// Stats counts documents by status, spans by label and status, and spans by annotator.
func (s *Store) Stats(ctx context.Context) (*annotate.Stats, error) {
	st := &annotate.Stats{DocsByStatus: map[annotate.DocStatus]int{}}
	tx, err := s.ro.BeginTx(ctx, nil) // one snapshot for all three counts
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT status, count(*) FROM documents WHERE id NOT IN `+stagedDocIDs+` GROUP BY status ORDER BY status`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("stats: %w", err)
		}
		st.DocsByStatus[annotate.DocStatus(status)] = n
		st.Documents += n
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT label, status, count(*) FROM spans WHERE doc NOT IN `+stagedDocIDs+` GROUP BY label, status ORDER BY label, status`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	for rows.Next() {
		var lc annotate.LabelCount
		var status string
		if err := rows.Scan(&lc.Label, &status, &lc.Count); err != nil {
			rows.Close()
			return nil, fmt.Errorf("stats: %w", err)
		}
		lc.Status = annotate.Status(status)
		st.Spans = append(st.Spans, lc)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT annotator, count(*) FROM spans WHERE annotator != '' AND doc NOT IN `+stagedDocIDs+` GROUP BY annotator ORDER BY count(*) DESC, annotator`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var ac annotate.AnnotatorCount
		if err := rows.Scan(&ac.Name, &ac.Spans); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		st.Annotators = append(st.Annotators, ac)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	return st, nil
}

// Paging of EachDocument: at most pageDocs documents and about pageBytes of text per
// query, so memory stays bounded however long the documents are.
const (
	pageDocs  = 500
	pageBytes = 8 << 20
)

// EachDocument streams documents in id order with their spans (filtered by f.Spans) and
// events. It reads from one snapshot (a read transaction on the read-only pool, which
// does not block writers), a page of documents at a time, and one document's spans at
// a time. Events are returned whole; callers filter them by the spans they keep.
func (s *Store) EachDocument(ctx context.Context, f annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("read documents: %w", mapErr(err))
	}
	defer tx.Rollback()
	where := ` AND id NOT IN ` + stagedDocIDs
	var fargs []any
	if f.DoneOnly {
		where += ` AND status = 'done'`
	}
	if len(f.DocIDs) > 0 {
		// One JSON parameter instead of one per id: any number of ids fits.
		ids, err := json.Marshal(f.DocIDs)
		if err != nil {
			return fmt.Errorf("read documents: %w", err)
		}
		where += ` AND id IN (SELECT value FROM json_each(?))`
		fargs = append(fargs, string(ids))
	}
	spanCond, spanArgs := spanWhere(f.Spans)
	after := int64(-1 << 62)
	for {
		docs, err := docPage(ctx, tx, where, append([]any{after}, fargs...))
		if err != nil {
			return fmt.Errorf("read documents: %w", mapErr(err))
		}
		if len(docs) == 0 {
			return nil
		}
		after = docs[len(docs)-1].ID
		if err := emitPage(ctx, tx, docs, spanCond, spanArgs, fn); err != nil {
			return err
		}
	}
}

func docPage(ctx context.Context, tx *sql.Tx, where string, args []any) ([]*annotate.Document, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+docCols+` FROM documents WHERE id > ?`+where+
		fmt.Sprintf(` ORDER BY id LIMIT %d`, pageDocs), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []*annotate.Document
	size := 0
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
		if size += len(d.Text); size >= pageBytes {
			break
		}
	}
	return docs, rows.Err()
}

// emitPage calls fn for each document of a page, reading spans through one cursor.
func emitPage(ctx context.Context, tx *sql.Tx, docs []*annotate.Document, spanCond string, spanArgs []any,
	fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	events, err := loadEvents(ctx, tx, ids)
	if err != nil {
		return fmt.Errorf("read events: %w", mapErr(err))
	}
	in, args := inList(ids)
	rows, err := tx.QueryContext(ctx, `SELECT `+spanCols+` FROM spans WHERE doc IN `+in+spanCond+
		` ORDER BY doc, start, "end", id`, append(args, spanArgs...)...)
	if err != nil {
		return fmt.Errorf("read spans: %w", mapErr(err))
	}
	defer rows.Close()
	var pending *annotate.Span
	var spans []annotate.Span
	r := newSpanReader(ctx, tx)
	for i, d := range docs {
		spans = spans[:0:0] // a fresh slice: fn may keep the one it was given
		if pending != nil && pending.DocID == d.ID {
			spans = append(spans, *pending)
			pending = nil
		}
		for pending == nil && rows.Next() {
			sp, err := r.scan(rows)
			if err != nil {
				return fmt.Errorf("read spans: %w", err)
			}
			if sp.DocID != d.ID {
				pending = &sp
				break
			}
			spans = append(spans, sp)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read spans: %w", mapErr(err))
		}
		if err := fn(d, spans, events[d.ID]); err != nil {
			return err
		}
		docs[i] = nil // let the text go once handed over
	}
	return nil
}
