package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// sq is a transaction or pool as the shared SQL layer (annotate/sqlstore) takes it,
// with SQLite's side of the dialects' differences.
type sq struct{ q txLike }

var _ sqlstore.Q = sq{}

func (c sq) ExecContext(ctx context.Context, query string, args ...any) (sqlstore.Result, error) {
	return c.q.ExecContext(ctx, query, args...)
}

func (c sq) QueryContext(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (c sq) QueryRowContext(ctx context.Context, query string, args ...any) sqlstore.Row {
	return c.q.QueryRowContext(ctx, query, args...)
}

func (sq) NoRows(err error) bool { return err == sql.ErrNoRows }

func (c sq) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// InIDs passes the ids as one JSON array: any number of them in one parameter.
func (sq) InIDs(expr string, ids []int64) (string, any, error) {
	j, err := json.Marshal(ids)
	if err != nil {
		return "", nil, err
	}
	return expr + ` IN (SELECT value FROM json_each(?))`, string(j), nil
}

// sqlRows is *sql.Rows as sqlstore.Rows (whose Close reports nothing: the error, if
// any, is the one Err reports).
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

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

// InsertEvent writes event_rows itself: an INSERT through the events view's trigger
// has no LastInsertId.
func (s shared) InsertEvent(e annotate.Event) (int64, error) {
	a := s.a
	origin, err := nameID(a.ctx, a.tx, e.Origin)
	if err != nil {
		return 0, err
	}
	res, err := a.tx.ExecContext(a.ctx, `INSERT INTO event_rows (doc, type, trigger, st, origin, annotator, created)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.DocID, e.Type, e.Trigger, stCode(e.Status), origin, e.Annotator, micros(a.at))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (s shared) InsertArg(event int64, role string, span int64) (int64, error) {
	a := s.a
	rid, err := nameID(a.ctx, a.tx, role)
	if err != nil {
		return 0, err
	}
	// no unique index on event_args (0009): a repeated argument is skipped here
	res, err := a.tx.ExecContext(a.ctx, `INSERT INTO arg_rows (event, role, span) SELECT ?1, ?2, ?3
		WHERE NOT EXISTS (SELECT 1 FROM arg_rows WHERE event = ?1 AND role = ?2 AND span = ?3)`, event, rid, span)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
}

func (c sq) SpanReader(ctx context.Context) (string, func(sc interface{ Scan(...any) error }) (annotate.Span, error)) {
	return spanCols, newSpanReader(ctx, c.q).scan
}

// readTx runs fn in one read transaction on the read-only pool: one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx txLike) error) error {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	return fn(tx)
}

func (sq) MapErr(err error) error { return mapErr(err) }

func (sq) ClaimantIs() string { return `json_extract(attrs, '$.claimant') = ?` }

func (shared) SpanTable() string                              { return "span_rows" }
func (shared) StatusCol() string                              { return "st" }
func (shared) StatusValue(st annotate.Status) any             { return stCode(st) }
func (shared) StoredText(st annotate.Status, text string) any { return storedText(st, text) }

// LabelValue finds the id of a label, remembering it for the rest of the action.
func (s shared) LabelValue(name string) (any, error) {
	if id, ok := s.a.labels[name]; ok {
		return id, nil
	}
	id, err := labelID(s.a.ctx, s.a.tx, name)
	if err != nil {
		return nil, err
	}
	if s.a.labels == nil {
		s.a.labels = map[string]int64{}
	}
	s.a.labels[name] = id
	return id, nil
}

// OriginValue finds (adding when new) the id of an origin name, remembering it for the
// rest of the action.
func (s shared) OriginValue(name string) (any, error) {
	if s.a.names == nil {
		s.a.names = nameIDs{}
	}
	id, err := s.a.names.id(s.a.ctx, s.a.tx, name)
	if err != nil {
		return nil, err
	}
	return id, nil
}

func (c sq) InsertNew(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
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

func (b backend) Pool() sqlstore.Q                { return sq{b.s.ro} }
func (backend) MapErr(err error) error            { return mapErr(err) }
func (b backend) Now() time.Time                  { return b.s.now() }
func (backend) OverviewSQL() sqlstore.OverviewSQL { return overviewSQL() }

// The incidents (sqlstore/incidents.go) and the curation view's batch replace
// (sqlstore/curation.go) are among the shared methods.
var (
	_ annotate.IncidentStore  = (*Store)(nil)
	_ annotate.SpanBatchStore = (*Store)(nil)
)
