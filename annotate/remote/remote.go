// Package remote runs a user's own model as a suggester: a program speaking JSONL over
// its stdin and stdout (Proc), or a Label Studio ML backend over HTTP (HTTP). Documents go
// to the model in batches; its replies come back as predict.Predictions, which
// predict.Applier stores as suggestions.
//
// The process protocol, one JSON object a line:
//
//	model → Evident, first line:  {"model","model_version","labels"}
//	Evident → model, a request:   {"id","text","labels"}
//	model → Evident, a reply:     {"id","spans":[{"start","end","label","score"}]} or {"id","error"}
//
// Replies may come in any order; the program's stderr is its log.
package remote

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"evident/annotate/predict"
)

// DefaultTimeout is how long a model may take over one document.
const DefaultTimeout = 60 * time.Second

// Info is what a model says about itself.
type Info struct {
	Model   string   `json:"model"`
	Version string   `json:"model_version"`
	Labels  []string `json:"labels"`
}

// Doc is a document sent to a model. ID is the document's external id.
type Doc struct {
	ID   string
	Text string
}

// Model is an outside model.
type Model interface {
	Info() Info
	// Predict asks for every document and calls reply once per document, in any order,
	// with the model's prediction or with a Prediction whose Err says why there is none.
	// It returns an error only when the model cannot go on (switched off, cancelled).
	Predict(ctx context.Context, docs []Doc, labels []string, reply func(*predict.Prediction)) error
	// Warnings returns and clears what the model did wrong beside its replies (garbage
	// lines, replies for ids not asked, restarts).
	Warnings() []string
	Close() error
}

// OffError is returned when a model has failed too often and is switched off.
type OffError struct {
	Reason string
	Stderr []string // its last lines of log
}

func (e *OffError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model switched off: %s", e.Reason)
	if len(e.Stderr) > 0 {
		b.WriteString("; its last lines of stderr:")
		for _, l := range e.Stderr {
			b.WriteString("\n  | ")
			b.WriteString(l)
		}
	}
	return b.String()
}

// IsOff reports whether err says the model was switched off.
func IsOff(err error) bool {
	var o *OffError
	return errors.As(err, &o)
}
