// Package postgres is Evident's team store: annotate.Store over PostgreSQL
// (github.com/jackc/pgx/v5), for several annotators working on one database at once.
//
// It keeps the SQLite backend's design (see annotate/sqlite): the same tables, the same
// numbered migrations (its own .sql files in PostgreSQL's dialect, same version
// numbers), the same operations log with before- and after-images per action, undo and
// redo per annotator, the same invariants in Check. Where the SQLite backend takes the
// database's write lock at BEGIN (IMMEDIATE), an action here locks the rows it images
// (SELECT ... FOR UPDATE) when it reads their before-images: another writer cannot
// change such a row before the action commits, which is what undo's conflict detection
// relies on, and annotators working on different documents never wait for each other
// (one global lock held across each commit's fsync queued ten annotators' saves into
// hundreds of milliseconds). Imports, migrations and loads take one advisory lock, so
// they run one at a time. Reads lock nothing; multi-statement reads run in one
// REPEATABLE READ snapshot.
//
// Every committed action sends NOTIFY evident_changes with the document it touched, so
// windows of other annotators refresh within a moment (see Watch).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.Store = (*Store)(nil)

// Options configure Open.
type Options struct {
	// Schema is the default schema as JSON (assets.Schema()), seeding a new database.
	Schema []byte
	// ConnectTimeout bounds connecting (and each reconnect); 0 means 5 s, so a wrong
	// host or password is reported well within 10 s.
	ConnectTimeout time.Duration
	// Backup writes a copy of the project to a file (an SQLite database: see
	// annotate/transfer); the opener passes it so this package does not import the
	// SQLite backend. Nil makes Backup an error.
	Backup func(ctx context.Context, src annotate.Store, path string) error

	tracer pgx.QueryTracer // sees every statement and batch (this package's tests count round trips)
}

// Store is an Evident project in a PostgreSQL database. It is safe for concurrent use;
// any number of Stores, in any number of processes, may share one database.
type Store struct {
	sqlstore.Methods // the methods both backends share, over backend{s}

	url    string // as given, for Backup and messages (see Name)
	name   string // host/database, without password
	pool   *pgxpool.Pool
	now    func() time.Time
	backup func(ctx context.Context, src annotate.Store, path string) error
}

// writeLock is the advisory lock key every write transaction takes: "evid" in ASCII.
const writeLock = 0x65766964

// notifyChannel carries the id of the document an action changed (0: many or none).
const notifyChannel = "evident_changes"

// Open connects to the database at url (postgres://user[:password]@host[:port]/db?...;
// the password may also come from PGPASSWORD or ~/.pgpass, TLS from sslmode) and brings
// its tables up to date. The database must exist (createdb); a database written by a
// newer Evident is refused with code annotate.ETooNew and left untouched.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	var def *annotate.Schema
	if opts.Schema != nil {
		s, err := annotate.ParseSchema(opts.Schema)
		if err != nil {
			return nil, fmt.Errorf("open %s: default schema: %w", url, err)
		}
		def = s
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL with its password: say what is wrong only.
		return nil, annotate.Errorf(annotate.EInvalid, "open PostgreSQL database: the URL is not valid (expected postgres://user@host:port/database?sslmode=...): %v", redactErr(err))
	}
	timeout := opts.ConnectTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	cfg.ConnConfig.ConnectTimeout = timeout
	cfg.MaxConns = 8
	if opts.tracer != nil {
		cfg.ConnConfig.Tracer = opts.tracer
	}
	name := fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, mapErr(err))
	}
	pctx, cancel := context.WithTimeout(ctx, timeout+time.Second)
	err = pool.Ping(pctx)
	cancel()
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", name, connectErr(err))
	}
	s := &Store{url: url, name: name, pool: pool, now: time.Now, backup: opts.Backup}
	s.Methods = sqlstore.NewMethods(backend{s})
	if err := s.migrate(ctx, def); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.ensureSearch(ctx); err != nil { // search.go
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Name is the database as host/port/database and user, without any password.
func (s *Store) Name() string { return s.name }

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// connectErr explains a failure to reach or log in to the server.
func connectErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return &wrapped{annotate.Errorf(annotate.EInvalid,
				"PostgreSQL refused the login (wrong user or password? the password comes from the URL, PGPASSWORD or ~/.pgpass): %s", pe.Message), err}
		case "3D000":
			return &wrapped{annotate.Errorf(annotate.EInvalid,
				"%s (create it first: createdb NAME)", pe.Message), err}
		}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || isConnectError(err) {
		return &wrapped{annotate.Errorf(annotate.EInvalid,
			"cannot reach the PostgreSQL server (is it running, and are host and port right?): %v", redactErr(err)), err}
	}
	return mapErr(err)
}

// isNetErr: the connection broke (reset, closed, EOF) with the outcome unknown; a
// request (annotate.WithRequest) makes retrying it safe.
func isNetErr(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, pgconn.ErrConnClosed)
}

func isConnectError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// redactErr returns err's message; pgx never includes the password in it, but keep
// one place to change should that ever differ.
func redactErr(err error) string { return err.Error() }

// mapErr turns server errors into domain errors by their SQLSTATE, never by text.
func mapErr(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if pgconn.SafeToRetry(err) || isConnectError(err) || pgconn.Timeout(err) || isNetErr(err) {
			return &wrapped{annotate.Errorf(annotate.EUnavailable, "the PostgreSQL server cannot be reached: %v", err), err}
		}
		return err
	}
	switch pe.Code {
	case "23505":
		return &wrapped{annotate.Errorf(annotate.EConflict, "already exists: %s", pe.Message), err}
	case "23503":
		return &wrapped{annotate.Errorf(annotate.EInvalid, "refers to something that does not exist (unknown label, span or document): %s", pe.Message), err}
	case "23514", "23502", "22P02":
		return &wrapped{annotate.Errorf(annotate.EInvalid, "invalid value: %s", pe.Message), err}
	case "40001", "40P01", "55P03":
		return &wrapped{annotate.Errorf(annotate.EConflict, "the database is busy with another writer; try again: %s", pe.Message), err}
	case "53100":
		return &wrapped{annotate.Errorf(annotate.EInternal, "the server's disk is full; the last change was not saved: %s", pe.Message), err}
	case "57P01", "57P02", "57P03", "08000", "08003", "08006":
		return &wrapped{annotate.Errorf(annotate.EUnavailable, "the PostgreSQL server went away: %s", pe.Message), err}
	}
	return err
}

// wrapped carries a domain error and the driver error it came from.
type wrapped struct {
	domain *annotate.Error
	cause  error
}

func (w *wrapped) Error() string   { return w.domain.Message }
func (w *wrapped) Unwrap() []error { return []error{w.domain, w.cause} }

// micros is the stored form of a time.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// readTx runs fn in one read-only REPEATABLE READ transaction: one snapshot for a count
// and its rows, or for a whole export.
func (s *Store) readTx(ctx context.Context, fn func(tx txLike) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(pgq{tx}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ro is the pool as a txLike, for single-statement reads.
func (s *Store) ro() txLike { return pgq{s.pool} }

// beginWrite starts a write transaction. An exclusive one (migrations, imports, loads)
// holds the write lock until it ends; the short transactions of annotators' actions do
// not take it, and lock the rows they image instead (rowImage: SELECT ... FOR UPDATE),
// so they wait only for actions on the same rows.
func (s *Store) beginWrite(ctx context.Context, exclusive bool) (pgx.Tx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	if !exclusive {
		return tx, nil
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writeLock)); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, mapErr(err)
	}
	return tx, nil
}

// write runs fn in one write transaction and logs it as one op. fn records the rows it
// changes on the action; the op row is written only if fn succeeds, and not at all when
// fn changed nothing.
func (s *Store) write(ctx context.Context, kind, annotator string, fn func(a *action) error) (*action, error) {
	t, err := s.beginPipe(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: begin: %w", kind, err)
	}
	defer t.close(ctx)
	a := &action{ctx: ctx, tx: pgq{t}, pipe: t, kind: kind, annotator: annotator, at: s.now()}
	if done, err := s.applied(ctx, a.tx); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, mapErr(err))
	} else if done {
		return a, nil // applied by an earlier attempt of the same request
	}
	if err := fn(a); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, mapErr(err))
	}
	pc := phraseCounts{}
	for _, c := range a.changes {
		if err := pc.addChange(c.table, c.before, c.after); err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
	}
	// Phrase counts, the op and its changes, COMMIT and the notification: one round
	// trip (pipe.go).
	b := &pgx.Batch{}
	pc.queue(b)
	logged := len(a.changes) > 0 || a.force
	if logged {
		q, args, rest := a.logSQL(false)
		if len(rest) > 0 {
			// A large action: its op id is needed for the changes past the first statement.
			if err := a.log(); err != nil {
				return nil, fmt.Errorf("%s: log: %w", kind, mapErr(err))
			}
			logged = false // told the others inside the transaction
		} else {
			b.Queue(rebind(q), args...)
		}
	}
	var after *pgx.Batch
	if logged {
		// Sent after COMMIT, as a transaction of its own: a NOTIFY inside the decision's
		// transaction takes a lock that every notifying commit in the database waits on
		// until the one before has flushed its WAL, which queued ten annotators' saves
		// behind each other. A notification without writes needs no flush. Lost if this
		// process dies in between: the windows then learn of the change with the next one.
		after = &pgx.Batch{}
		after.Queue(rebind(`SELECT pg_notify(?, ?)`), notifyChannel, fmt.Sprint(a.doc))
	}
	if err := t.commit(ctx, b, after); err != nil {
		return nil, fmt.Errorf("%s: commit: %w", kind, mapErr(err))
	}
	return a, nil
}

// notify tells listening windows that doc changed; delivered at commit, dropped on rollback.
func notify(ctx context.Context, tx txLike, doc int64) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, notifyChannel, fmt.Sprint(doc))
	return err
}

// Backup writes a consistent copy of the project to path, an SQLite file, while the
// database stays in use (one snapshot; see Options.Backup).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.backup == nil {
		return annotate.Errorf(annotate.EInvalid, "backup of %s: not available in this build", s.name)
	}
	if err := s.backup(ctx, s, path); err != nil {
		return fmt.Errorf("backup of %s to %s: %w", s.name, path, err)
	}
	return nil
}
