package annotate

import "context"

// ImportPreparer is implemented by an Importer that can check a document and compute
// what it derives from it (text hash, span texts) apart from storing it. An import then
// does that work on the goroutine that reads the input, beside the one that writes, and
// the writer does nothing but write. Prepare may run concurrently with AddPrepared (one
// goroutine each); its result goes to AddPrepared of the same Importer, in order.
type ImportPreparer interface {
	// Prepare checks doc and d as Add would, writing nothing.
	Prepare(doc *Document, d Draft) (any, error)
	// AddPrepared stores a prepared document as Add would.
	AddPrepared(ctx context.Context, prepared any) (added bool, err error)
}
