package annotate

import (
	"context"
	"encoding/json"
)

// Run describes one pass of one suggester (the rules, a learned tagger, an outside model)
// over some documents. Source and Version say which suggester; a later run of the same
// source replaces that source's undecided suggestions.
type Run struct {
	Source    string // "rules", "tagger", or an outside model's name
	Version   string
	Annotator string          // who started it: the operations log entry is theirs
	Params    json.RawMessage // a JSON object or nil
	// Replace removes, document by document, the undecided suggestions of earlier runs
	// of the same source (and of suggestions stored before runs existed) that this run
	// does not propose again. Decided spans are never touched.
	Replace bool
}

// SuggestRun stores the suggestions of one run. The run is one entry in the operations
// log: undoing it removes the suggestions it added that are still undecided and restores
// those it replaced. Documents are stored in batches, each document atomically, in short
// transactions so that other writers (the window's saves) get in between.
type SuggestRun interface {
	// ID is the run's id (Span.RunID of what it stores).
	ID() int64
	// Add queues one document's draft; it is stored with the batch it falls in. A
	// document may come in parts, one after the other (see suggestrun's FirstPart): the
	// arguments of a later part may use spans of an earlier one.
	Add(ctx context.Context, docID int64, d Draft) error
	// Flush stores the queued documents now.
	Flush(ctx context.Context) error
	// Finish flushes and closes the run; complete=false records a cancelled run (the
	// documents stored so far stay, the run is still one undoable step).
	Finish(ctx context.Context, complete bool) (RunTotals, error)
}

// RunTotals counts what a run stored.
type RunTotals struct {
	Documents, Added, Replaced, Events int
}

// SuggestRunner starts suggestion runs: many documents' suggestions stored in batches as
// one undoable step. The SQLite store implements it; for a store that does not,
// suggestrun stores each document with AddSuggestions (one undoable step per document).
type SuggestRunner interface {
	BeginSuggestRun(ctx context.Context, r Run) (SuggestRun, error)
}

// DraftPreparer is implemented by a SuggestRun that can check a draft against its
// document's text away from the run's single writer: suggestrun's workers call Prepare
// (concurrently), and the writer hands the result to AddPrepared, which queues it as Add
// would. The writer then skips reading the text again and checking the draft.
type DraftPreparer interface {
	Prepare(doc *Document, d Draft) (PreparedDraft, error)
	AddPrepared(ctx context.Context, p PreparedDraft) error
}

// PreparedDraft is a draft checked by DraftPreparer.Prepare; only its run reads it.
type PreparedDraft interface {
	DocID() int64
}
