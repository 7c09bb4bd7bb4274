// Package sqlstore holds the SQL and Go logic the two store backends share:
// annotate/sqlite and annotate/postgres keep the same tables under the same names, write
// their queries with ? placeholders (PostgreSQL's rebinds them), and differ only where
// the dialects or drivers do. Code here is written once against Q, a backend's
// transaction or pool together with those differences, and Action, a backend's logged
// write (its operations-log bookkeeping stays in the backend, with its locking).
//
// The backends keep their own transactions, locking and retries (SQLite's write lock
// at BEGIN and retry on a busy lock, PostgreSQL's row locks and pipelined commits); a
// function here runs inside whatever transaction it is given and never begins one.
package sqlstore

import (
	"context"
	"time"

	"evident/annotate"
)

// Rows is what both drivers' result sets offer (*sql.Rows through an adapter, pgx.Rows).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is one row of QueryRowContext; its Scan reports no row as Q.NoRows says.
type Row interface {
	Scan(dest ...any) error
}

// Result is the part of an Exec's result the shared code uses.
type Result interface {
	RowsAffected() (int64, error)
}

// Q is a backend's transaction or pool with the differences between the dialects. Its
// queries use ? placeholders.
type Q interface {
	ExecContext(ctx context.Context, query string, args ...any) (Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) Row

	// NoRows reports the driver's error for a QueryRow that found no row.
	NoRows(err error) bool
	// InsertID runs an INSERT of one row into a table with an integer id (query
	// without RETURNING) and returns the new row's id.
	InsertID(ctx context.Context, query string, args ...any) (int64, error)
	// InsertNew is InsertID for an INSERT that may insert nothing (ON CONFLICT DO
	// NOTHING): then it returns 0.
	InsertNew(ctx context.Context, query string, args ...any) (int64, error)
	// InIDs returns a condition that expr is one of ids, taking one argument, and that
	// argument (SQLite: a JSON array read by json_each; PostgreSQL: = ANY of an array).
	InIDs(expr string, ids []int64) (cond string, arg any, err error)
	// SpanReader returns the columns to select FROM spans (unaliased) and a scan of one
	// such row into a span (SQLite's fills in, through this Q, the texts its rows do not
	// store). The scan may reuse its variables: one reader per query.
	SpanReader(ctx context.Context) (cols string, scan func(sc interface{ Scan(...any) error }) (annotate.Span, error))
	// MapErr turns a driver error into a domain error (annotate.Error) where it can.
	MapErr(err error) error
	// ClaimantIs is a condition that a spans row's attrs name the span ? as claimant.
	ClaimantIs() string
}

// Action is one logged write of a backend: the transaction of an annotator's action
// and its operations-log entry, which images the rows the action changes.
type Action interface {
	Ctx() context.Context
	Q() Q
	Annotator() string
	At() time.Time
	// SetDoc sets the document the action touched; SetSummary its line in the history.
	SetDoc(doc int64)
	SetSummary(summary string)
	// Inserted records a row just inserted; Update images a row around fn, which
	// changes it; Remove images a row and deletes it.
	Inserted(table string, id int64) error
	Update(table string, id int64, fn func() error) error
	Remove(table string, id int64) error

	// The backends lay rows out differently (SQLite's compact row tables, migration
	// 0009). InsertEvent inserts an events row (without arguments), created at At, and
	// returns its id; InsertArg inserts an event_args row and returns its id, or 0 when
	// the same row is there already.
	InsertEvent(e annotate.Event) (int64, error)
	InsertArg(event int64, role string, span int64) (int64, error)
	// Spans are written to SpanTable, their status to StatusCol: SQLite writes its row
	// table (its spans view's triggers would read each old row whole), with the status
	// as a small integer, label and origin as ids (LabelValue refuses an unknown label
	// as such) and no text for undecided suggestions (StoredText).
	SpanTable() string
	StatusCol() string
	StatusValue(st annotate.Status) any
	StoredText(st annotate.Status, text string) any
	LabelValue(name string) (any, error)
	OriginValue(name string) (any, error)
}

// Micros is the stored form of a time.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// FromMicros reads a stored time.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
