package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// DocCols are the columns ScanDoc reads.
const DocCols = `id, external_id, title, source, url, published, status, added, sha256, meta, text`

// ScanDoc reads one documents row (DocCols).
func ScanDoc(sc interface{ Scan(...any) error }) (*annotate.Document, error) {
	d := &annotate.Document{}
	var st string
	var added int64
	var meta sql.NullString
	if err := sc.Scan(&d.ID, &d.ExternalID, &d.Title, &d.Source, &d.URL, &d.Published, &st, &added,
		&d.SHA256, &meta, &d.Text); err != nil {
		return nil, err
	}
	d.Status = annotate.DocStatus(st)
	d.Added = FromMicros(added)
	if meta.Valid {
		d.Meta = json.RawMessage(meta.String)
	}
	return d, nil
}

// NotStaged is a condition " AND col NOT IN staged" that leaves out the documents of an
// import not yet published (staged: SQL for their ids; "" where there are none).
func NotStaged(col, staged string) string {
	if staged == "" {
		return ""
	}
	return ` AND ` + col + ` NOT IN ` + staged
}

// WhereNotStaged is NotStaged as a whole WHERE clause: "" where there is nothing to
// leave out, so the backends' SQL stays as each had it.
func WhereNotStaged(col, staged string) string {
	if staged == "" {
		return ""
	}
	return ` WHERE ` + col + ` NOT IN ` + staged
}

// Documents appends every document with its span counts by status, in id order, to out,
// leaving out staged documents (NotStaged).
func Documents(ctx context.Context, q Q, staged string, out []annotate.DocSummary) ([]annotate.DocSummary, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT d.id, d.external_id, d.title, d.source, d.published, d.status,
			count(CASE WHEN s.status = 'suggested' THEN 1 END),
			count(CASE WHEN s.status = 'accepted' THEN 1 END),
			count(CASE WHEN s.status = 'rejected' THEN 1 END)
		FROM documents d LEFT JOIN spans s ON s.doc = d.id`+WhereNotStaged("d.id", staged)+`
		GROUP BY d.id ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", q.MapErr(err))
	}
	defer rows.Close()
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
		return nil, fmt.Errorf("documents: %w", q.MapErr(err))
	}
	return out, nil
}

// Document reads one document with its text, ENotFound if it does not exist.
func Document(ctx context.Context, q Q, id int64) (*annotate.Document, error) {
	d, err := ScanDoc(q.QueryRowContext(ctx, `SELECT `+DocCols+` FROM documents WHERE id = ?`, id))
	if q.NoRows(err) {
		return nil, annotate.Errorf(annotate.ENotFound, "document %d does not exist", id)
	}
	return d, err
}

// SetDocumentStatus records an annotator's progress on a document (new, in_progress,
// done) in a's transaction.
func SetDocumentStatus(a Action, docID int64, st annotate.DocStatus) error {
	a.SetDoc(docID)
	a.SetSummary(fmt.Sprintf("mark document %d %s", docID, st))
	return a.Update("documents", docID, func() error {
		_, err := a.Q().ExecContext(a.Ctx(), `UPDATE documents SET status = ? WHERE id = ?`, string(st), docID)
		return err
	})
}

// CheckDocStatus refuses an unknown document status.
func CheckDocStatus(st annotate.DocStatus) error {
	switch st {
	case annotate.DocNew, annotate.DocInProgress, annotate.DocDone:
		return nil
	}
	return annotate.Errorf(annotate.EInvalid, "unknown document status %q (want new, in_progress or done)", st)
}

// Stats counts documents by status, spans by label and status, and spans by annotator,
// leaving out staged documents (NotStaged). q should be one snapshot.
func Stats(ctx context.Context, q Q, staged string) (*annotate.Stats, error) {
	st := &annotate.Stats{DocsByStatus: map[annotate.DocStatus]int{}}
	rows, err := q.QueryContext(ctx, `SELECT status, count(*) FROM documents`+WhereNotStaged("id", staged)+` GROUP BY status ORDER BY status`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		st.DocsByStatus[annotate.DocStatus(status)] = n
		st.Documents += n
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT label, status, count(*) FROM spans`+WhereNotStaged("doc", staged)+` GROUP BY label, status ORDER BY label, status`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var lc annotate.LabelCount
		var status string
		if err := rows.Scan(&lc.Label, &status, &lc.Count); err != nil {
			rows.Close()
			return nil, err
		}
		lc.Status = annotate.Status(status)
		st.Spans = append(st.Spans, lc)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT annotator, count(*) FROM spans WHERE annotator != ''`+NotStaged("doc", staged)+` GROUP BY annotator ORDER BY count(*) DESC, annotator`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ac annotate.AnnotatorCount
		if err := rows.Scan(&ac.Name, &ac.Spans); err != nil {
			return nil, err
		}
		st.Annotators = append(st.Annotators, ac)
	}
	if err := rows.Err(); err != nil {
		return nil, err
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
// events, leaving out staged documents (NotStaged), a page of documents at a time and
// one document's spans at a time. Events are returned whole; callers filter them by the
// spans they keep. q should be one snapshot.
func EachDocument(ctx context.Context, q Q, staged string, f annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	where := NotStaged("id", staged)
	var fargs []any
	if f.DoneOnly {
		where += ` AND status = 'done'`
	}
	if len(f.DocIDs) > 0 {
		// One parameter instead of one per id: any number of ids fits.
		cond, arg, err := q.InIDs("id", f.DocIDs)
		if err != nil {
			return fmt.Errorf("read documents: %w", err)
		}
		where += ` AND ` + cond
		fargs = append(fargs, arg)
	}
	spanCond, spanArgs := SpanWhere(f.Spans)
	after := int64(-1 << 62)
	for {
		docs, err := docPage(ctx, q, where, append([]any{after}, fargs...))
		if err != nil {
			return fmt.Errorf("read documents: %w", q.MapErr(err))
		}
		if len(docs) == 0 {
			return nil
		}
		after = docs[len(docs)-1].ID
		if err := EmitPage(ctx, q, docs, spanCond, spanArgs, fn); err != nil {
			return err
		}
	}
}

func docPage(ctx context.Context, q Q, where string, args []any) ([]*annotate.Document, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+DocCols+` FROM documents WHERE id > ?`+where+
		fmt.Sprintf(` ORDER BY id LIMIT %d`, pageDocs), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []*annotate.Document
	size := 0
	for rows.Next() {
		d, err := ScanDoc(rows)
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

// EmitPage calls fn for each document of a page, reading spans through one cursor.
func EmitPage(ctx context.Context, q Q, docs []*annotate.Document, spanCond string, spanArgs []any,
	fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	events, err := LoadEvents(ctx, q, ids)
	if err != nil {
		return fmt.Errorf("read events: %w", q.MapErr(err))
	}
	in, args := InList(ids)
	cols, scan := q.SpanReader(ctx)
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM spans WHERE doc IN `+in+spanCond+
		` ORDER BY doc, start, "end", id`, append(args, spanArgs...)...)
	if err != nil {
		return fmt.Errorf("read spans: %w", q.MapErr(err))
	}
	defer rows.Close()
	var pending *annotate.Span
	var spans []annotate.Span
	for i, d := range docs {
		spans = spans[:0:0] // a fresh slice: fn may keep the one it was given
		if pending != nil && pending.DocID == d.ID {
			spans = append(spans, *pending)
			pending = nil
		}
		for pending == nil && rows.Next() {
			sp, err := scan(rows)
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
			return fmt.Errorf("read spans: %w", q.MapErr(err))
		}
		if err := fn(d, spans, events[d.ID]); err != nil {
			return err
		}
		docs[i] = nil // let the text go once handed over
	}
	return nil
}

// ReadSpans reads the spans WHERE cond (which may end in ORDER BY) through the
// backend's span reader.
func ReadSpans(ctx context.Context, q Q, cond string, args ...any) ([]annotate.Span, error) {
	cols, scan := q.SpanReader(ctx)
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM spans WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	var spans []annotate.Span
	for rows.Next() {
		sp, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		spans = append(spans, sp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return spans, nil
}
