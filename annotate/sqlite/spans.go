package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// spanCols reads a span row (FROM spans, unaliased). A suggestion run writes its spans with
// created = updated = 0 (migration 0007: no bytes on SQLite) and they read as the run's
// start; deciding or editing a span sets updated. The text is read as stored: NULL is the
// document's text[start:end] (migration 0009), which spanReader slices from the document,
// once per document, where the view would slice it row by row.
const spanCols = `id, doc, start, "end", label, status, origin, annotator,
	CASE WHEN created = 0 THEN coalesce((SELECT r.started FROM runs r WHERE r.id = spans.run), 0) ELSE created END,
	CASE WHEN updated = 0 THEN coalesce((SELECT r.started FROM runs r WHERE r.id = spans.run), 0) ELSE updated END,
	attrs, stored_text, confidence, run, proposers`

// newSpanReader returns a reader of span rows (spanCols) that reads the documents of the
// spans that do not store their text through q.
func newSpanReader(ctx context.Context, q txLike) *spanReader {
	return &spanReader{texts: docTexts{ctx: ctx, q: q}}
}

// docTexts slices the texts of spans that do not store theirs from their documents,
// keeping the last document read: a reader's spans come document by document.
type docTexts struct {
	ctx  context.Context
	q    txLike
	doc  int64
	text string
	off  *annotate.Offsets
}

func (d *docTexts) slice(doc int64, start, end int) (string, error) {
	if d.off == nil || d.doc != doc {
		text, off, err := sqlstore.DocText(d.ctx, sq{d.q}, doc)
		if err != nil {
			return "", fmt.Errorf("text of a span of document %d: %w", doc, err)
		}
		d.doc, d.text, d.off = doc, text, off
	}
	// Clamped as the spans view's substr clamps: a text changed behind the store's back
	// (its sha256 no longer matches: `evident check` says so) leaves its spans readable.
	n := d.off.Len()
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	sub, _ := d.off.Slice(d.text, start, max(start, end))
	return sub, nil
}

// spanReader scans span rows into variables it reuses, so a long list costs no
// allocations beyond the strings themselves (Scan's pointer arguments would otherwise
// move every variable to the heap, row after row).
type spanReader struct {
	sp               annotate.Span
	created, updated int64
	attrs            sql.NullString
	confidence       sql.NullFloat64
	run              sql.NullInt64
	proposers        sql.NullString
	text             sql.NullString
	status           string
	dest             []any
	texts            docTexts
}

func (r *spanReader) scan(sc interface{ Scan(...any) error }) (annotate.Span, error) {
	if r.dest == nil {
		sp := &r.sp
		r.dest = []any{&sp.ID, &sp.DocID, &sp.Start, &sp.End, &sp.Label, &r.status, &sp.Origin, &sp.Annotator,
			&r.created, &r.updated, &r.attrs, &r.text, &r.confidence, &r.run, &r.proposers}
	}
	r.attrs, r.confidence, r.run, r.proposers = sql.NullString{}, sql.NullFloat64{}, sql.NullInt64{}, sql.NullString{}
	if err := sc.Scan(r.dest...); err != nil {
		return annotate.Span{}, err
	}
	sp := r.sp
	sp.Text = r.text.String
	if !r.text.Valid {
		text, err := r.texts.slice(sp.DocID, sp.Start, sp.End)
		if err != nil {
			return annotate.Span{}, fmt.Errorf("span %d: %w", sp.ID, err)
		}
		sp.Text = text
	}
	sp.Status = annotate.Status(r.status)
	sp.Created, sp.Updated = fromMicros(r.created), fromMicros(r.updated)
	if r.attrs.Valid {
		sp.Attrs = json.RawMessage(r.attrs.String)
	}
	sp.Confidence, sp.RunID = nil, r.run.Int64
	if r.confidence.Valid {
		c := r.confidence.Float64
		sp.Confidence = &c
	}
	sp.Proposers = nil
	if r.proposers.Valid {
		// A damaged list (Check reports it) reads as the origin alone: the span and the
		// rest of its document stay readable.
		if ps, err := annotate.DecodeProposers(r.proposers.String); err == nil && len(ps) > 0 && ps[0].Origin == sp.Origin {
			sp.Proposers = ps
		}
	}
	return sp, nil
}

// Spans returns a document's spans ordered by start, end and id.
func (s *Store) Spans(ctx context.Context, docID int64, f annotate.SpanFilter) ([]annotate.Span, error) {
	where, args := sqlstore.SpanWhere(f)
	args = append([]any{docID}, args...)
	// One snapshot for the count and the rows; the count (from the index alone) sizes
	// the slice, so 20,000 spans are not copied over and over while it grows.
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("spans of document %d: %w", docID, mapErr(err))
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM spans WHERE doc = ?`+where, args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("spans of document %d: %w", docID, mapErr(err))
	}
	// The order follows the spans_doc index (doc, start, end, label, status, rowid), so
	// SQLite need not sort.
	rows, err := tx.QueryContext(ctx, `SELECT `+spanCols+` FROM spans WHERE doc = ?`+where+
		` ORDER BY start, "end", label, status, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("spans of document %d: %w", docID, mapErr(err))
	}
	defer rows.Close()
	spans := make([]annotate.Span, 0, n)
	r := newSpanReader(ctx, tx)
	for rows.Next() {
		sp, err := r.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("spans of document %d: %w", docID, err)
		}
		spans = append(spans, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("spans of document %d: %w", docID, mapErr(err))
	}
	return spans, nil
}

// SetSpanStatus accepts, rejects or re-suggests spans as one action.
func (s *Store) SetSpanStatus(ctx context.Context, ids []int64, st annotate.Status, annotator string) error {
	if _, err := annotate.ParseStatus(string(st)); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := s.write(ctx, "set_status", annotator, func(a *action) error {
		now := micros(a.at)
		var first annotate.Span
		for i, id := range ids {
			if i == 0 {
				sp, err := sqlstore.GetSpan(ctx, sq{a.tx}, id)
				if err != nil {
					return err
				}
				first = sp
			}
			err := a.update("spans", id, func() error {
				_, err := a.tx.ExecContext(ctx, `UPDATE span_rows SET st = ?, annotator = ?, updated = ? WHERE id = ?`,
					stCode(st), annotator, now, id)
				return err
			})
			if err != nil {
				return err
			}
		}
		verb := map[annotate.Status]string{annotate.StatusAccepted: "accept", annotate.StatusRejected: "reject",
			annotate.StatusSuggested: "reopen"}[st]
		a.doc = first.DocID
		if len(ids) == 1 {
			a.summary = fmt.Sprintf("%s %s %q", verb, first.Label, sqlstore.Clip(first.Text))
		} else {
			a.summary = fmt.Sprintf("%s %d spans", verb, len(ids))
		}
		return nil
	})
	return err
}

// The helpers below are sqlstore's (spans.go), under the names this package's other
// files use.

func checkAttrs(attrs json.RawMessage) (any, error) { return sqlstore.CheckAttrs(attrs) }
