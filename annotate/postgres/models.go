package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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
