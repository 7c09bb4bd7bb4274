package annotate

import (
	"context"
	"time"
)

// TeamStore is implemented by stores that several annotators use at once (the
// PostgreSQL backend): the window learns of others' changes and shows who is on which
// document. Callers type-assert a Store to it; a single-user store is not one.
type TeamStore interface {
	// Watch calls fn, from its own goroutine, whenever the project changed in another
	// session (doc is the document changed, 0 for several or unknown) and whenever the
	// connection to the server is lost or back (Change.Online). It reconnects by
	// itself and returns when ctx ends.
	Watch(ctx context.Context, fn func(Change)) error
	// SetPresence records that annotator has document doc open (0: none) as of now.
	SetPresence(ctx context.Context, annotator string, doc int64) error
	// Presence returns who had which document open within the last maxAge.
	Presence(ctx context.Context, maxAge time.Duration) ([]Presence, error)
}

// Change is what Watch reports.
type Change struct {
	Doc    int64
	Online bool // false: the server cannot be reached (Watch keeps trying)
	// Status is true for a connection report (Online says which), false for a change.
	Status bool
}

// Presence is one annotator's open document.
type Presence struct {
	Annotator string
	Doc       int64
	Seen      time.Time
}
