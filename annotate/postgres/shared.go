package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// sq is a transaction or pool as the shared SQL layer (annotate/sqlstore) takes it,
// with PostgreSQL's side of the dialects' differences.
type sq struct{ q txLike }

var _ sqlstore.Q = sq{}

func (c sq) ExecContext(ctx context.Context, query string, args ...any) (sqlstore.Result, error) {
	return c.q.ExecContext(ctx, query, args...)
}

func (c sq) QueryContext(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	return c.q.QueryContext(ctx, query, args...)
}

func (c sq) QueryRowContext(ctx context.Context, query string, args ...any) sqlstore.Row {
	return c.q.QueryRowContext(ctx, query, args...)
}

func (sq) NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

func (c sq) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := c.q.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// InIDs passes the ids as one array parameter.
func (sq) InIDs(expr string, ids []int64) (string, any, error) {
	return expr + ` = ANY(?)`, ids, nil
}

// shared is an action as the shared SQL layer takes it.
type shared struct{ a *action }

var _ sqlstore.Action = shared{}

func (s shared) Ctx() context.Context                  { return s.a.ctx }
func (s shared) Q() sqlstore.Q                         { return sq{s.a.tx} }
func (s shared) Annotator() string                     { return s.a.annotator }
func (s shared) At() time.Time                         { return s.a.at }
func (s shared) SetDoc(doc int64)                      { s.a.doc = doc }
func (s shared) SetSummary(summary string)             { s.a.summary = summary }
func (s shared) Inserted(table string, id int64) error { return s.a.inserted(table, id) }
func (s shared) Update(table string, id int64, fn func() error) error {
	return s.a.update(table, id, fn)
}
func (s shared) Remove(table string, id int64) error { return s.a.remove(table, id) }

func (s shared) InsertEvent(e annotate.Event) (int64, error) {
	a := s.a
	var id int64
	err := a.tx.QueryRowContext(a.ctx, `INSERT INTO events (doc, type, trigger, status, origin, annotator, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.DocID, e.Type, e.Trigger, string(e.Status), e.Origin, e.Annotator, micros(a.at)).Scan(&id)
	return id, err
}

func (s shared) InsertArg(event int64, role string, span int64) (int64, error) {
	a := s.a
	var id int64
	err := a.tx.QueryRowContext(a.ctx, `INSERT INTO event_args (event, role, span) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING RETURNING id`, event, role, span).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil // already there
	}
	return id, err
}

func (sq) SpanReader(context.Context) (string, func(sc interface{ Scan(...any) error }) (annotate.Span, error)) {
	return spanCols, (&spanReader{}).scan
}

func (sq) MapErr(err error) error { return mapErr(err) }

func (sq) ClaimantIs() string { return `(attrs::jsonb -> 'claimant') = to_jsonb(?::bigint)` }

func (shared) SpanTable() string                             { return "spans" }
func (shared) StatusCol() string                             { return "status" }
func (shared) StatusValue(st annotate.Status) any            { return string(st) }
func (shared) StoredText(_ annotate.Status, text string) any { return text }
func (shared) LabelValue(name string) (any, error)           { return name, nil }
func (shared) OriginValue(name string) (any, error)          { return name, nil }

func (c sq) InsertNew(ctx context.Context, query string, args ...any) (int64, error) {
	id, err := c.InsertID(ctx, query, args...)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// backend is the store as sqlstore.Methods take it.
type backend struct{ s *Store }

func (b backend) Write(ctx context.Context, kind, annotator string, fn func(a sqlstore.Action) error) error {
	_, err := b.s.write(ctx, kind, annotator, func(a *action) error { return fn(shared{a}) })
	return err
}

func (b backend) ReadTx(ctx context.Context, fn func(tx sqlstore.Q) error) error {
	return b.s.readTx(ctx, func(tx txLike) error { return fn(sq{tx}) })
}

func (b backend) Pool() sqlstore.Q                { return sq{b.s.ro()} }
func (backend) MapErr(err error) error            { return mapErr(err) }
func (b backend) Now() time.Time                  { return b.s.now() }
func (backend) OverviewSQL() sqlstore.OverviewSQL { return overviewSQL() }

// The incidents (sqlstore/incidents.go) and the curation view's batch replace
// (sqlstore/curation.go) are among the shared methods.
var (
	_ annotate.IncidentStore  = (*Store)(nil)
	_ annotate.SpanBatchStore = (*Store)(nil)
)
