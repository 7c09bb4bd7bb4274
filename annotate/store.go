package annotate

import (
	"context"
	"time"
)

// Store is where annotations live. annotate/sqlite implements it; a team server could
// implement it again without touching the GUI or the exporters.
//
// Every method that changes something is one user action: one transaction and one entry
// in the operations log, which drives Undo, Redo and the audit trail. Methods take the
// acting annotator's name so the log says who did what.
type Store interface {
	Close() error

	// Schema returns the project's labels, event types and roles (the default schema,
	// plus labels added later).
	Schema(ctx context.Context) (*Schema, error)
	// AddLabels adds labels unknown to the schema; known names are left as they are.
	AddLabels(ctx context.Context, labels []Label, annotator string) error

	// BeginImport starts one import transaction: everything added through it lands at
	// Commit or not at all.
	BeginImport(ctx context.Context, annotator string) (Importer, error)

	Documents(ctx context.Context) ([]DocSummary, error)
	Document(ctx context.Context, id int64) (*Document, error)
	Spans(ctx context.Context, docID int64, f SpanFilter) ([]Span, error)
	Events(ctx context.Context, docID int64) ([]Event, error)

	AddSpan(ctx context.Context, s Span) (Span, error)
	// UpdateSpan changes a span's range, label, attributes or status.
	UpdateSpan(ctx context.Context, s Span, annotator string) (Span, error)
	// SetSpanStatus accepts or rejects several spans as one action (e.g. "accept all").
	SetSpanStatus(ctx context.Context, ids []int64, st Status, annotator string) error
	DeleteSpan(ctx context.Context, id int64, annotator string) error
	AddEvent(ctx context.Context, e Event) (Event, error)
	AddArgument(ctx context.Context, eventID int64, a Argument, annotator string) error
	RemoveArgument(ctx context.Context, eventID int64, a Argument, annotator string) error
	DeleteEvent(ctx context.Context, id int64, annotator string) error
	SetDocumentStatus(ctx context.Context, docID int64, st DocStatus, annotator string) error

	// AddSuggestions stores a draft for one document as suggestions. A span whose range
	// and label already exist in the document (in any status) is skipped, so re-running
	// the suggester never duplicates and never touches decided spans.
	AddSuggestions(ctx context.Context, docID int64, d Draft, annotator string) (added int, err error)
	// LearnedPhrases returns, per (text, label), how often spans were accepted and
	// rejected across the database: the learned matcher's memory.
	LearnedPhrases(ctx context.Context) ([]PhraseStat, error)

	// Undo reverts the annotator's latest action that is not undone; nil if none.
	Undo(ctx context.Context, annotator string) (*Op, error)
	// Redo re-applies the annotator's latest undone action, unless a newer action
	// has been taken since; nil if none.
	Redo(ctx context.Context, annotator string) (*Op, error)
	History(ctx context.Context, limit int) ([]Op, error)

	Stats(ctx context.Context) (*Stats, error)
	// EachDocument streams documents with their spans and events, in id order, without
	// holding more than one document in memory.
	EachDocument(ctx context.Context, f ExportFilter, fn func(*Document, []Span, []Event) error) error

	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error

	// Backup writes a consistent copy of the database to path while it is in use.
	Backup(ctx context.Context, path string) error
	// Check runs integrity checks and Evident's own invariants; it returns the problems.
	Check(ctx context.Context) ([]string, error)
}

// Importer adds documents inside one transaction.
type Importer interface {
	// Add stores a document and its draft spans and events (as accepted, origin import).
	// A document with the same external id and text hash as a stored one is skipped and
	// reported with added=false.
	Add(ctx context.Context, doc *Document, d Draft) (added bool, err error)
	Commit() error
	Rollback() error
}

// DocSummary is a document list row.
type DocSummary struct {
	ID         int64
	ExternalID string
	Title      string
	Source     string
	Published  string
	Status     DocStatus
	Suggested  int
	Accepted   int
	Rejected   int
}

// SpanFilter narrows Spans and EachDocument; zero values mean "any".
type SpanFilter struct {
	Statuses  []Status
	Labels    []string
	Annotator string
}

// ExportFilter selects documents and spans for export.
type ExportFilter struct {
	Spans    SpanFilter
	DoneOnly bool
	DocIDs   []int64
}

// PhraseStat counts decisions on one phrase under one label.
type PhraseStat struct {
	Text     string
	Label    string
	Accepted int
	Rejected int
}

// Op is one entry of the operations log.
type Op struct {
	ID        int64
	Kind      string // add_span, update_span, set_status, delete_span, add_event, ...
	Annotator string
	At        time.Time
	DocID     int64
	Summary   string
	Undone    bool
}

// Stats summarises a database.
type Stats struct {
	Documents    int
	DocsByStatus map[DocStatus]int
	Spans        []LabelCount
	Annotators   []AnnotatorCount
}

// LabelCount is the number of spans with one label and status.
type LabelCount struct {
	Label  string
	Status Status
	Count  int
}

// AnnotatorCount is the number of spans an annotator made or decided.
type AnnotatorCount struct {
	Name  string
	Spans int
}
