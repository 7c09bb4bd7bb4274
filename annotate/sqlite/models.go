package sqlite

import (
	"context"
	"database/sql"
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

// LatestModel returns the newest model of a kind.
func (s *Store) LatestModel(ctx context.Context, kind string) (*annotate.StoredModel, error) {
	m := annotate.StoredModel{Kind: kind}
	var created int64
	var metrics sql.NullString
	err := s.ro.QueryRowContext(ctx, `SELECT id, version, created, blob, docs, decisions, metrics FROM models
		WHERE kind = ? ORDER BY version DESC LIMIT 1`, kind).Scan(&m.ID, &m.Version, &created, &m.Blob, &m.Docs, &m.Decisions, &metrics)
	if err == sql.ErrNoRows {
		return nil, annotate.Errorf(annotate.ENotFound, "no %s model has been trained (run `evident train`)", kind)
	}
	if err != nil {
		return nil, modelsErr("latest model", err)
	}
	m.Created = fromMicros(created)
	if metrics.Valid {
		m.Metrics = json.RawMessage(metrics.String)
	}
	return &m, nil
}

// ModelHistory lists a kind's models, oldest first, without blobs.
func (s *Store) ModelHistory(ctx context.Context, kind string) ([]annotate.StoredModel, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, version, created, docs, decisions, metrics FROM models
		WHERE kind = ? ORDER BY version`, kind)
	if err != nil {
		return nil, modelsErr("model history", err)
	}
	defer rows.Close()
	var out []annotate.StoredModel
	for rows.Next() {
		m := annotate.StoredModel{Kind: kind}
		var created int64
		var metrics sql.NullString
		if err := rows.Scan(&m.ID, &m.Version, &created, &m.Docs, &m.Decisions, &metrics); err != nil {
			return nil, modelsErr("model history", err)
		}
		m.Created = fromMicros(created)
		if metrics.Valid {
			m.Metrics = json.RawMessage(metrics.String)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, modelsErr("model history", err)
	}
	return out, nil
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
