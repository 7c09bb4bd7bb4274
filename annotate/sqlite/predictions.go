package sqlite

import (
	"context"
	"fmt"

	"evident/annotate"
)

var _ annotate.PredictionStore = (*Store)(nil)

// StartRun records a run. Runs are bookkeeping, not user actions: they are not in the
// operations log, and undoing a run's suggestions leaves the run row (unreferenced).
func (s *Store) StartRun(ctx context.Context, r annotate.Run) (int64, error) {
	var params any
	if len(r.Params) > 0 {
		p, err := checkAttrs(r.Params)
		if err != nil {
			return 0, fmt.Errorf("start run: params: %w", err)
		}
		params = p
	}
	res, err := s.exec(ctx, `INSERT INTO runs (source, version, annotator, started, params) VALUES (?, ?, ?, ?, ?)`,
		r.Source, r.Version, r.Annotator, micros(s.now()), params)
	if err != nil {
		return 0, fmt.Errorf("start run: %w", mapErr(err))
	}
	return res.LastInsertId()
}

// FinishRun marks a run finished.
func (s *Store) FinishRun(ctx context.Context, id int64) error {
	if _, err := s.exec(ctx, `UPDATE runs SET finished = ? WHERE id = ?`, micros(s.now()), id); err != nil {
		return fmt.Errorf("finish run %d: %w", id, mapErr(err))
	}
	return nil
}

// PutModelSuggestions implements annotate.PredictionStore. A span the run proposes again keeps
// its row (its score and run are updated), so the annotator's place in the list holds.
func (s *Store) PutModelSuggestions(ctx context.Context, docID int64, origin string, spans []annotate.Span, annotator string) (int, int, error) {
	added, removed := 0, 0
	_, err := s.write(ctx, "model_suggest", annotator, func(a *action) error {
		text, o, err := docText(ctx, a.tx, docID)
		if err != nil {
			return err
		}
		labels, err := queryStrings(ctx, a.tx, `SELECT name FROM labels`)
		if err != nil {
			return err
		}
		known := make(map[string]bool, len(labels))
		for _, l := range labels {
			known[l] = true
		}
		type row struct {
			id   int64
			own  bool // an undecided suggestion of this origin
			used bool // proposed again by this run
		}
		existing := map[spanKey]*row{}
		rows, err := a.tx.QueryContext(ctx, `SELECT id, start, "end", label, status = 'suggested' AND origin = ?
			AND NOT EXISTS (SELECT 1 FROM events WHERE trigger = spans.id)
			AND NOT EXISTS (SELECT 1 FROM event_args WHERE span = spans.id) FROM spans WHERE doc = ?`, origin, docID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k spanKey
			r := &row{}
			if err := rows.Scan(&r.id, &k.start, &k.end, &k.label, &r.own); err != nil {
				rows.Close()
				return err
			}
			existing[k] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := micros(a.at)
		for i, sp := range spans {
			sub, err := sliceSpan(text, o, sp.Start, sp.End)
			if err != nil {
				return annotate.Errorf(annotate.EInvalid, "span %d: %v", i, err)
			}
			if !known[sp.Label] {
				return annotate.Errorf(annotate.EInvalid, "span %d: unknown label %q", i, sp.Label)
			}
			k := spanKey{sp.Start, sp.End, sp.Label}
			if r, ok := existing[k]; ok {
				if r.own && !r.used {
					r.used = true
					err := a.update("spans", r.id, func() error {
						_, err := a.tx.ExecContext(ctx, `UPDATE spans SET confidence = ?, run = ? WHERE id = ?`,
							confidenceArg(sp.Confidence), runArg(sp.RunID), r.id)
						return err
					})
					if err != nil {
						return err
					}
				}
				continue
			}
			attrs, err := checkAttrs(sp.Attrs)
			if err != nil {
				return annotate.Errorf(annotate.EInvalid, "span %d: %v", i, err)
			}
			res, err := a.tx.ExecContext(ctx, `INSERT INTO spans (doc, start, "end", label, status, origin, annotator, created, updated, attrs, text, confidence, run)
				VALUES (?, ?, ?, ?, 'suggested', ?, ?, ?, ?, ?, ?, ?, ?)`,
				docID, sp.Start, sp.End, sp.Label, origin, annotator, now, now, attrs, sub, confidenceArg(sp.Confidence), runArg(sp.RunID))
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if err := a.inserted("spans", id); err != nil {
				return err
			}
			existing[k] = &row{id: id, used: true}
			added++
		}
		for _, r := range existing {
			if r.own && !r.used {
				if err := clearClaimant(a, docID, r.id); err != nil {
					return err
				}
				if err := a.remove("spans", r.id); err != nil {
					return err
				}
				removed++
			}
		}
		a.doc = docID
		a.summary = fmt.Sprintf("%s: %d suggestions, %d replaced", origin, added, removed)
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return added, removed, nil
}
