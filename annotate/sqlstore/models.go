package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// LatestModel returns the newest model of a kind.
func (m Methods) LatestModel(ctx context.Context, kind string) (*annotate.StoredModel, error) {
	sm := annotate.StoredModel{Kind: kind}
	var created int64
	var metrics sql.NullString
	err := m.b.Pool().QueryRowContext(ctx, `SELECT id, version, created, blob, docs, decisions, metrics FROM models
		WHERE kind = ? ORDER BY version DESC LIMIT 1`, kind).Scan(&sm.ID, &sm.Version, &created, &sm.Blob, &sm.Docs, &sm.Decisions, &metrics)
	if m.b.Pool().NoRows(err) {
		return nil, annotate.Errorf(annotate.ENotFound, "no %s model has been trained (run `evident train`)", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("latest model: %w", m.b.MapErr(err))
	}
	sm.Created = FromMicros(created)
	if metrics.Valid {
		sm.Metrics = json.RawMessage(metrics.String)
	}
	return &sm, nil
}

// ModelHistory lists a kind's models, oldest first, without blobs.
func (m Methods) ModelHistory(ctx context.Context, kind string) ([]annotate.StoredModel, error) {
	rows, err := m.b.Pool().QueryContext(ctx, `SELECT id, version, created, docs, decisions, metrics FROM models
		WHERE kind = ? ORDER BY version`, kind)
	if err != nil {
		return nil, fmt.Errorf("model history: %w", m.b.MapErr(err))
	}
	defer rows.Close()
	var out []annotate.StoredModel
	for rows.Next() {
		sm := annotate.StoredModel{Kind: kind}
		var created int64
		var metrics sql.NullString
		if err := rows.Scan(&sm.ID, &sm.Version, &created, &sm.Docs, &sm.Decisions, &metrics); err != nil {
			return nil, fmt.Errorf("model history: %w", m.b.MapErr(err))
		}
		sm.Created = FromMicros(created)
		if metrics.Valid {
			sm.Metrics = json.RawMessage(metrics.String)
		}
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("model history: %w", m.b.MapErr(err))
	}
	return out, nil
}
