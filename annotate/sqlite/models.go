package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"evident/annotate"
)

var _ annotate.ModelStore = (*Store)(nil)

// modelsErr wraps a models query's error with what was being done.
func modelsErr(what string, err error) error {
	return fmt.Errorf("%s: %w", what, mapErr(err))
}

// SaveModel stores a trained model. Models are derived data, kept out of the operations
// log: undo never removes one, and saving one changes no span.
func (s *Store) SaveModel(ctx context.Context, m annotate.StoredModel) (annotate.StoredModel, error) {
	if m.Kind == "" || m.Version < 1 || len(m.Blob) == 0 {
		return m, annotate.Errorf(annotate.EInvalid, "save model: want a kind, a version of at least 1 and a blob")
	}
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	var metrics any
	if len(m.Metrics) > 0 {
		if !json.Valid(m.Metrics) {
			return m, annotate.Errorf(annotate.EInvalid, "save model: metrics are not JSON")
		}
		metrics = string(m.Metrics)
	}
	res, err := s.exec(ctx, `INSERT INTO models (kind, version, created, blob, docs, decisions, metrics)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.Kind, m.Version, micros(m.Created), m.Blob, m.Docs, m.Decisions, metrics)
	if err != nil {
		return m, modelsErr(fmt.Sprintf("save model %s@%d", m.Kind, m.Version), err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return m, fmt.Errorf("save model: %w", err)
	}
	m.Created = fromMicros(micros(m.Created))
	return m, nil
}

var _ annotate.UncertaintySource = (*Store)(nil)

// Uncertainty implements annotate.UncertaintySource.
func (s *Store) Uncertainty(ctx context.Context) (map[int64]float64, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT doc, MAX(1 - ABS(2 * confidence - 1)) FROM spans
		WHERE status = 'suggested' AND confidence IS NOT NULL GROUP BY doc`)
	if err != nil {
		return nil, fmt.Errorf("uncertainty: %w", mapErr(err))
	}
	defer rows.Close()
	out := map[int64]float64{}
	for rows.Next() {
		var doc int64
		var u float64
		if err := rows.Scan(&doc, &u); err != nil {
			return nil, err
		}
		out[doc] = u
	}
	return out, rows.Err()
}
