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
