package annotate

import (
	"context"
	"time"
)

// StagedBatch is an import batch not yet published: an import running in another
// process, or one that was interrupted (its staged rows are invisible and the next
// import removes them).
type StagedBatch struct {
	ID        int64
	Annotator string
	PID       int
	Started   time.Time
	Documents int  // documents in its committed chunks
	Running   bool // its process is still alive
}

// BatchLister lists unpublished import batches; a store that stages imports implements
// it, and `evident check` reports what it says.
type BatchLister interface {
	StagedBatches(ctx context.Context) ([]StagedBatch, error)
}
