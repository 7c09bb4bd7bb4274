package annotate

import "context"

// PredictionStore keeps outside models' suggestions. annotate/sqlite implements it beside
// Store; callers that need it assert it on their Store.
type PredictionStore interface {
	// StartRun records a new run and returns its id; FinishRun marks it finished.
	StartRun(ctx context.Context, r Run) (int64, error)
	FinishRun(ctx context.Context, id int64) error
	// PutModelSuggestions stores one run's suggestions for one document as one action.
	// Every span carries the run's Origin, RunID and (maybe nil) Confidence. Undecided
	// suggestions of the same origin that the run no longer proposes are removed (earlier
	// runs of the same model and version are replaced, nothing else); a span whose range
	// and label already exist in any other status or origin is skipped, so a rejected
	// span stays rejected and a decided one is not proposed again.
	PutModelSuggestions(ctx context.Context, docID int64, origin string, spans []Span, annotator string) (added, removed int, err error)
}

// UncertaintySource is implemented by stores that can say how unsure outside models are
// about each document's open suggestions (the window orders documents by it on request).
type UncertaintySource interface {
	// Uncertainty returns, per document with scored undecided suggestions, the highest
	// uncertainty among them: 1 - |2c - 1| for confidence c (1 at 0.5, 0 at 0 or 1).
	Uncertainty(ctx context.Context) (map[int64]float64, error)
}

// ModelDoc is one document's suggestions from one model, for PutModelBatch.
type ModelDoc struct {
	DocID int64
	Spans []Span
}

// ModelDocResult is what PutModelBatch did with one document.
type ModelDocResult struct {
	Added, Removed int
	Err            error // an EInvalid error: this document was left as it was
}

// ModelBatchStore is implemented by stores that write many documents' model suggestions
// in one transaction: a model answering at once over a pipe gives documents faster than
// one commit each can store.
type ModelBatchStore interface {
	// PutModelBatch stores each document as PutModelSuggestions does, one operations-log
	// entry per document, all in one transaction. A document whose spans are invalid is
	// left as it was and its error is in its result; any other error stores nothing.
	PutModelBatch(ctx context.Context, origin string, docs []ModelDoc, annotator string) ([]ModelDocResult, error)
}
