package postgres

import (
	"context"
	"fmt"

	"evident/annotate"
)

var _ annotate.PredictionStore = (*Store)(nil)

// StartRun records a run. Runs are bookkeeping, not user actions: they are not in the
// operations log, and undoing a run's suggestions leaves the run row (unreferenced), as
// on SQLite.
func (s *Store) StartRun(ctx context.Context, r annotate.Run) (int64, error) {
	var params any
	if len(r.Params) > 0 {
		p, err := checkAttrs(r.Params)
		if err != nil {
			return 0, fmt.Errorf("start run: params: %w", err)
		}
		params = p
	}
	var id int64
	err := s.ro().QueryRowContext(ctx, `INSERT INTO runs (source, version, annotator, started, params) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		r.Source, r.Version, r.Annotator, micros(s.now()), params).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("start run: %w", mapErr(err))
	}
	return id, nil
}

// FinishRun marks a run finished.
func (s *Store) FinishRun(ctx context.Context, id int64) error {
	if _, err := s.ro().ExecContext(ctx, `UPDATE runs SET finished = ? WHERE id = ?`, micros(s.now()), id); err != nil {
		return fmt.Errorf("finish run %d: %w", id, mapErr(err))
	}
	return nil
}
