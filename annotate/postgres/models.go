package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
)

var _ annotate.ModelStore = (*Store)(nil)

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
	err := s.ro().QueryRowContext(ctx, `INSERT INTO models (kind, version, created, blob, docs, decisions, metrics)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.Kind, m.Version, micros(m.Created), m.Blob, m.Docs, m.Decisions, metrics).Scan(&m.ID)
	if err != nil {
		return m, fmt.Errorf("save model %s@%d: %w", m.Kind, m.Version, mapErr(err))
	}
	m.Created = fromMicros(micros(m.Created))
	return m, nil
}

// LatestModel returns the newest model of a kind.
func (s *Store) LatestModel(ctx context.Context, kind string) (*annotate.StoredModel, error) {
	m := annotate.StoredModel{Kind: kind}
	var created int64
	var metrics sql.NullString
	err := s.ro().QueryRowContext(ctx, `SELECT id, version, created, blob, docs, decisions, metrics FROM models
		WHERE kind = ? ORDER BY version DESC LIMIT 1`, kind).Scan(&m.ID, &m.Version, &created, &m.Blob, &m.Docs, &m.Decisions, &metrics)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, annotate.Errorf(annotate.ENotFound, "no %s model has been trained (run `evident train`)", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("latest model: %w", mapErr(err))
	}
	m.Created = fromMicros(created)
	if metrics.Valid {
		m.Metrics = json.RawMessage(metrics.String)
	}
	return &m, nil
}

// ModelHistory lists a kind's models, oldest first, without blobs.
func (s *Store) ModelHistory(ctx context.Context, kind string) ([]annotate.StoredModel, error) {
	rows, err := s.ro().QueryContext(ctx, `SELECT id, version, created, docs, decisions, metrics FROM models
		WHERE kind = ? ORDER BY version`, kind)
	if err != nil {
		return nil, fmt.Errorf("model history: %w", mapErr(err))
	}
	defer rows.Close()
	var out []annotate.StoredModel
	for rows.Next() {
		m := annotate.StoredModel{Kind: kind}
		var created int64
		var metrics sql.NullString
		if err := rows.Scan(&m.ID, &m.Version, &created, &m.Docs, &m.Decisions, &metrics); err != nil {
			return nil, fmt.Errorf("model history: %w", mapErr(err))
		}
		m.Created = fromMicros(created)
		if metrics.Valid {
			m.Metrics = json.RawMessage(metrics.String)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("model history: %w", mapErr(err))
	}
	return out, nil
}
