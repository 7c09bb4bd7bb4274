package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"evident/annotate"
)

var _ annotate.ModelBatchStore = (*Store)(nil)

// PutModelSuggestions implements annotate.PredictionStore. A span the run proposes again
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
	known, err := labelSet(ctx, tx)
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
		r.Added, r.Removed, err = putModelDoc(a, known, d.DocID, origin, d.Spans, annotator)
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

func labelSet(ctx context.Context, tx txLike) (map[string]bool, error) {
	labels, err := queryStrings(ctx, tx, `SELECT name FROM labels`)
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(labels))
	for _, l := range labels {
		known[l] = true
	}
	return known, nil
}

// putModelDoc stores one model's suggestions for one document inside action a.
func putModelDoc(a *action, known map[string]bool, docID int64, origin string, spans []annotate.Span, annotator string) (added, removed int, err error) {
	ctx := a.ctx
	text, o, err := docText(ctx, a.tx, docID)
	if err != nil {
		return 0, 0, err
	}
	spans = append([]annotate.Span(nil), spans...) // the caller's are left as they were
	subs := make([]string, len(spans))
	for i, sp := range spans {
		if subs[i], err = sliceSpan(text, o, sp.Start, sp.End); err != nil {
			return 0, 0, annotate.Errorf(annotate.EInvalid, "span %d: %v", i, err)
		}
		if !known[sp.Label] {
			return 0, 0, annotate.Errorf(annotate.EInvalid, "span %d: unknown label %q", i, sp.Label)
		}
		spans[i].Text = subs[i]
	}
	stored, err := storedSuggestions(ctx, a.tx, docID)
	if err != nil {
		return 0, 0, err
	}
	plan := annotate.PlanProposals(stored, origin, spans)
	now := micros(a.at)
	origins := nameIDs{}
	for i, sp := range plan.Insert {
		attrs, err := checkAttrs(sp.Attrs)
		if err != nil {
			return 0, 0, annotate.Errorf(annotate.EInvalid, "span %d: %v", i, err)
		}
		originID, err := origins.id(ctx, a.tx, origin)
		if err != nil {
			return 0, 0, err
		}
		// text NULL: an undecided suggestion's text is the document's (rows.go)
		res, err := a.tx.ExecContext(ctx, `INSERT INTO span_rows (doc, start, "end", label, st, origin, annotator, created, updated, attrs, text, confidence, run)
			VALUES (?, ?, ?, `+labelSQL("?")+`, 0, ?, ?, ?, ?, ?, NULL, ?, ?)`,
			docID, sp.Start, sp.End, sp.Label, originID, annotator, now, now, attrs, confidenceArg(sp.Confidence), runArg(sp.RunID))
		if err != nil {
			return 0, 0, err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return 0, 0, err
		}
		if err := a.inserted("spans", id); err != nil {
			return 0, 0, err
		}
	}
	for _, sp := range plan.Update {
		err := a.update("spans", sp.ID, func() error {
			origin, err := origins.id(ctx, a.tx, sp.Origin)
			if err != nil {
				return err
			}
			_, err = a.tx.ExecContext(ctx, `UPDATE span_rows SET origin = ?, confidence = ?, run = ?, proposers = ? WHERE id = ?`,
				origin, confidenceArg(sp.Confidence), runArg(sp.RunID), proposersArg(sp.Proposers), sp.ID)
			return err
		})
		if err != nil {
			return 0, 0, err
		}
	}
	for _, id := range plan.Remove {
		if err := clearClaimant(a, docID, id); err != nil {
			return 0, 0, err
		}
		if err := a.remove("spans", id); err != nil {
			return 0, 0, err
		}
	}
	a.doc = docID
	a.summary = fmt.Sprintf("%s: %d suggestions, %d replaced", origin, len(plan.Insert), len(plan.Remove))
	return len(plan.Insert), len(plan.Remove), nil
}

// storedSuggestions reads a document's spans as annotate.PlanProposals needs them.
func storedSuggestions(ctx context.Context, tx txLike, docID int64) ([]annotate.Suggested, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, start, "end", label, status, origin, confidence, run, proposers,
		EXISTS (SELECT 1 FROM events WHERE trigger = spans.id) OR EXISTS (SELECT 1 FROM event_args WHERE span = spans.id)
		FROM spans WHERE doc = ? ORDER BY id`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Suggested
	for rows.Next() {
		var s annotate.Suggested
		var conf sql.NullFloat64
		var run sql.NullInt64
		var props sql.NullString
		if err := rows.Scan(&s.ID, &s.Start, &s.End, &s.Label, &s.Status, &s.Origin, &conf, &run, &props, &s.Locked); err != nil {
			return nil, err
		}
		if conf.Valid {
			c := conf.Float64
			s.Confidence = &c
		}
		s.RunID = run.Int64
		if s.Proposers, err = annotate.DecodeProposers(props.String); err != nil {
			return nil, fmt.Errorf("span %d: %w", s.ID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
