package postgres

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
// start; deciding or editing a span sets updated.
const spanCols = `id, doc, start, "end", label, status, origin, annotator,
	CASE WHEN created = 0 THEN coalesce((SELECT r.started FROM runs r WHERE r.id = spans.run), 0) ELSE created END,
	CASE WHEN updated = 0 THEN coalesce((SELECT r.started FROM runs r WHERE r.id = spans.run), 0) ELSE updated END,
	attrs, text, confidence, run, proposers`

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
	status           string
	dest             []any
}

func (r *spanReader) scan(sc interface{ Scan(...any) error }) (annotate.Span, error) {
	if r.dest == nil {
		sp := &r.sp
		r.dest = []any{&sp.ID, &sp.DocID, &sp.Start, &sp.End, &sp.Label, &r.status, &sp.Origin, &sp.Annotator,
			&r.created, &r.updated, &r.attrs, &sp.Text, &r.confidence, &r.run, &r.proposers}
	}
	r.attrs, r.confidence, r.run, r.proposers = sql.NullString{}, sql.NullFloat64{}, sql.NullInt64{}, sql.NullString{}
	if err := sc.Scan(r.dest...); err != nil {
		return annotate.Span{}, err
	}
	sp := r.sp
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
	// No count first (the SQLite backend sizes the slice from its index): here a count
	// is a second scan, dearer than growing the slice.
	rows, err := s.ro().QueryContext(ctx, `SELECT `+spanCols+` FROM spans WHERE doc = ?`+where+
		` ORDER BY start, "end", label, status, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("spans of document %d: %w", docID, mapErr(err))
	}
	defer rows.Close()
	var spans []annotate.Span
	var r spanReader
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
		// Every span's images and update in one round trip (the hot path of a window).
		befores, err := a.updateAll("spans", ids, func(id int64) (string, []any) {
			return `UPDATE spans SET status = ?, annotator = ?, updated = ? WHERE id = ?`, []any{string(st), annotator, now, id}
		})
		if err != nil {
			return err
		}
		var first struct {
			Doc   int64  `json:"doc"`
			Label string `json:"label"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal([]byte(befores[0]), &first); err != nil {
			return fmt.Errorf("image of span %d: %w", ids[0], err)
		}
		verb := map[annotate.Status]string{annotate.StatusAccepted: "accept", annotate.StatusRejected: "reject",
			annotate.StatusSuggested: "reopen"}[st]
		a.doc = first.Doc
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

func queryIDs(ctx context.Context, q txLike, query string, args ...any) ([]int64, error) {
	return sqlstore.QueryIDs(ctx, sq{q}, query, args...)
}
