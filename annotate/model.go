package annotate

import (
	"context"
	"encoding/json"
	"time"
)

// StoredModel is a trained suggestion model kept in the database: its encoded form, its
// version among the models of its kind, and what it was trained on and scored.
type StoredModel struct {
	ID        int64
	Kind      string // "tagger"
	Version   int    // 1, 2, ... within Kind
	Created   time.Time
	Blob      []byte          // nil in ModelHistory
	Docs      int             // documents trained on
	Decisions int             // accepted and rejected spans trained on
	Metrics   json.RawMessage // a JSON object (cross-validated figures) or nil
}

// SettingMinConfidence is the setting (Store.Setting) holding the confidence under which
// suggestions a model scored are hidden, in [0, 1]; unset means the model's default.
const SettingMinConfidence = "suggest.min_confidence"

// ModelStore keeps trained models. Saving a model never touches an annotator's spans.
type ModelStore interface {
	// SaveModel stores m; its Version must be new for its Kind (EConflict otherwise).
	SaveModel(ctx context.Context, m StoredModel) (StoredModel, error)
	// LatestModel returns the model of kind with the highest version; ENotFound if none.
	LatestModel(ctx context.Context, kind string) (*StoredModel, error)
	// ModelHistory lists the models of kind, oldest first, without their blobs.
	ModelHistory(ctx context.Context, kind string) ([]StoredModel, error)
}
