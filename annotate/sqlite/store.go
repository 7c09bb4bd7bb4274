// Package sqlite is Evident's store: annotate.Store over SQLite (github.com/mattn/go-sqlite3).
//
// Every mutating method is one IMMEDIATE transaction that also appends one row to the
// operations log (table ops) with the before- and after-image of every row it changed
// (table op_changes). Undo and Redo replay those images, so they survive restarts; an
// image that no longer matches the current row (someone else changed it) makes the
// undo fail with annotate.EConflict instead of overwriting that change. An import is one
// batch written in short chunk transactions and published, with one op ("imported N
// documents", without images: not undoable), in a last short one; until then its
// documents are left out of every read (see importer and stagedDocIDs).
//
// Two connection pools share the file: a read-write pool whose transactions take the
// write lock at BEGIN (writers queue on the busy timeout, never fail on a lock upgrade),
// and a read-only pool for everything the window reads, which in WAL mode never waits
// for a writer. Schema changes are numbered files in migrations/, applied in order, one
// transaction each, with the version in PRAGMA user_version; a newer file is refused
// before anything is written to it.
//
// Op kinds (ops.kind), which other code may rely on: add_span, update_span, set_status,
// delete_span, add_event, add_argument, remove_argument, delete_event, set_doc_status,
// add_labels, suggest, import.
package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/mattn/go-sqlite3"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.Store = (*Store)(nil)

// Options configure Open.
type Options struct {
	// Schema is the default schema as JSON (callers pass assets.Schema()). Its labels,
	// event types and roles seed a new database; an existing database keeps its own.
	// Nil leaves a new database without labels.
	Schema []byte
	// BusyTimeout is how long a write waits for another writer before failing; values
	// under 5 s are raised to 5 s.
	BusyTimeout time.Duration
	// ReadOnly opens a database whose schema is current without any write: no migration
	// check in a write transaction, no journal-mode switch, both pools read-only. Other
	// processes' writes then never make the open or the reads fail or wait (WAL readers
	// see the last commit). Writes through such a store fail with annotate.EInvalid. A
	// database that needs a migration is migrated first (once, announced by OnMigrate),
	// a new or empty file is created as Open would.
	ReadOnly bool
	// OnMigrate, when set, is called once before an existing database is upgraded from
	// schema version from to version to, so that a command can say why its open takes a
	// write lock. A new database is not announced.
	OnMigrate func(from, to int)

	rebuilt func() // tests: runs when open rebuilds the search index (searchfile.go)
	emptied func() // tests: runs in a rebuild between making every document pending and emptying the index
	logKeep int64  // tests: index_log rows kept (indexLogKeep when 0)
}

// Store is an Evident database. It is safe for concurrent use, and several Stores (in one
// process or several) may share one file.
type Store struct {
	sqlstore.Methods // the methods both backends share, over backend{s}

	path     string
	readOnly bool          // opened with Options.ReadOnly on a current schema: writes are refused
	busy     time.Duration // how long a writer waits for another's write lock (retryBusy)
	db       *sql.DB       // read-write pool: every transaction is BEGIN IMMEDIATE
	ro       *sql.DB       // read-only pool: reads and snapshots never queue behind a writer
	ix       *sql.DB       // the search index file, <db>-search (searchfile.go): read-write pool, nil when read-only
	ixRO     *sql.DB       // and read-only pool
	ixOK     bool          // the index is trusted: searches use it and writers keep it
	rebuilt  func()        // tests: runs when open rebuilds the index
	emptied  func()        // tests: runs in a rebuild before the index is emptied
	logKeep  int64         // index_log rows kept (searchfile.go)
	indexed  func() error  // tests: runs between an index commit and the removal of its pending rows; an error stops there
	between  func()        // tests: runs in a search between reading the pending documents and the index
	now      func() time.Time
	staged   func() // tests: runs between a merge's staging and its publishing (merge.go)
	chunked  func() // tests: runs after each chunk of a merge's new documents is committed
}

// dsn builds the connection string. Pragmas go in the DSN so that every pooled
// connection gets them, not only the first one.
//
// synchronous=NORMAL in WAL mode: a commit is appended to the WAL and the WAL is fsynced
// only at checkpoints. Every acknowledged commit is in the WAL file (the OS page cache)
// before Commit returns, so a killed process (kill -9, a crash, a panic) loses nothing
// that was acknowledged; only an OS crash or power cut can lose the last few
// transactions, and even then the database stays consistent. FULL would fsync on every
// commit and cost milliseconds per accept on laptop disks, against the 5 ms target.
func dsn(path string, busy time.Duration, readOnly bool) string {
	v := url.Values{}
	v.Set("_foreign_keys", "on")
	if readOnly {
		v.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
		v.Set("mode", "ro")
		v.Set("_query_only", "on")
		v.Set("_txlock", "deferred")
	} else {
		// No busy timeout: writers wait for the lock in retryBusy, polling every
		// millisecond, instead of in SQLite's handler with its growing sleeps.
		v.Set("_busy_timeout", "0")
		v.Set("_journal_mode", "WAL")
		v.Set("_synchronous", "NORMAL")
		// IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
		// timeout instead of failing with SQLITE_BUSY when a read lock is upgraded.
		v.Set("_txlock", "immediate")
	}
	return "file:" + url.PathEscape(path) + "?" + v.Encode()
}

// Open opens or creates the database at path and brings its schema up to date. A
// database written by a newer Evident is refused with code annotate.ETooNew and left
// untouched.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	busy := opts.BusyTimeout
	if busy < 5*time.Second {
		busy = 5 * time.Second
	}
	var def *annotate.Schema
	if opts.Schema != nil {
		s, err := annotate.ParseSchema(opts.Schema)
		if err != nil {
			return nil, fmt.Errorf("open %s: default schema: %w", path, err)
		}
		def = s
	}
	// Check the version before anything may write: the read-write DSN switches the
	// journal mode to WAL, which rewrites the header of a rollback-journal database. A
	// current schema needs no write transaction at all, so opening never queues behind
	// another process's import.
	version, err := readVersion(ctx, path, busy)
	if err != nil {
		return nil, err
	}
	if opts.ReadOnly && version == SchemaVersion() {
		return openReadOnly(ctx, path, busy)
	}
	db, err := sql.Open("sqlite3", dsn(path, busy, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{path: path, db: db, now: time.Now, busy: busy, rebuilt: opts.rebuilt, emptied: opts.emptied, logKeep: cmp.Or(opts.logKeep, indexLogKeep)}
	s.Methods = sqlstore.NewMethods(backend{s})
	if version < SchemaVersion() {
		if err := s.migrate(ctx, def, version, opts.OnMigrate); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := s.ensureSearch(ctx); err != nil { // search.go
		s.closeIndex()
		db.Close()
		return nil, err
	}
	ro, err := sql.Open("sqlite3", dsn(path, busy, true))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	if err := ro.PingContext(ctx); err != nil {
		s.closeIndex()
		db.Close()
		ro.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, mapErr(err))
	}
	s.ro = ro
	return s, nil
}

// Path returns the database file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close closes the connection pools, the index file's too (searchfile.go).
func (s *Store) Close() error {
	err1 := s.ro.Close()
	err2 := s.db.Close()
	return errors.Join(err1, err2, s.closeIndex())
}

// openReadOnly opens both pools read-only. The "write" pool is read-only too but without
// query_only, which would refuse VACUUM INTO (Backup) although it only reads.
func openReadOnly(ctx context.Context, path string, busy time.Duration) (*Store, error) {
	ro, err := sql.Open("sqlite3", dsn(path, busy, true))
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	if err := ro.PingContext(ctx); err != nil {
		ro.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, mapErr(err))
	}
	v := url.Values{}
	v.Set("mode", "ro")
	v.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	v.Set("_txlock", "deferred")
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?"+v.Encode())
	if err != nil {
		ro.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	s := &Store{path: path, readOnly: true, db: db, ro: ro, now: time.Now, busy: busy}
	s.Methods = sqlstore.NewMethods(backend{s})
	s.openIndexReadOnly(ctx) // searchfile.go
	return s, nil
}

// errReadOnly is what a write through a read-only store returns.
func (s *Store) errReadOnly(what string) error {
	return annotate.Errorf(annotate.EInvalid, "%s: %s was opened read-only", what, s.path)
}

// readVersion returns the schema version (PRAGMA user_version) of the database at path,
// 0 for a missing or empty file, reading it through a read-only connection so that
// neither a refused file is changed nor a writer in another process waited for. A
// version newer than this build's migrations is refused with annotate.ETooNew.
func readVersion(ctx context.Context, path string, busy time.Duration) (int, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	if fi.IsDir() {
		return 0, annotate.Errorf(annotate.EInvalid, "open %s: is a directory, not a database", path)
	}
	if fi.Size() == 0 {
		return 0, nil
	}
	v := url.Values{}
	v.Set("mode", "ro")
	v.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?"+v.Encode())
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, fmt.Errorf("open %s: read schema version: %w", path, mapErr(err))
	}
	return version, tooNew(path, version)
}

func tooNew(path string, version int) error {
	if known := len(migrationFiles()); version > known {
		return annotate.Errorf(annotate.ETooNew,
			"%s was written by a newer version of Evident (schema version %d; this build knows up to %d). "+
				"Update Evident to open it; the file was not changed.", path, version, known)
	}
	return nil
}

// mapErr turns driver errors into domain errors by their extended code, never by text.
func mapErr(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		return &wrapped{annotate.Errorf(annotate.EConflict, "already exists: %v", se), err}
	case sqlite3.ErrConstraintForeignKey:
		return &wrapped{annotate.Errorf(annotate.EInvalid, "refers to something that does not exist (unknown label, span or document): %v", se), err}
	case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
		return &wrapped{annotate.Errorf(annotate.EInvalid, "invalid value: %v", se), err}
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return &wrapped{annotate.Errorf(annotate.EConflict, "the database is busy with another writer for too long; try again: %v", se), err}
	case sqlite3.ErrCantOpen:
		return &wrapped{annotate.Errorf(annotate.EInvalid, "cannot open the database file (does its folder exist, and may Evident write there?): %v", se), err}
	case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
		return &wrapped{annotate.Errorf(annotate.EInvalid, "the file is not an Evident database or is damaged: %v", se), err}
	case sqlite3.ErrReadonly:
		return &wrapped{annotate.Errorf(annotate.EInvalid, "the database file is read-only: %v", se), err}
	case sqlite3.ErrFull:
		return &wrapped{annotate.Errorf(annotate.EInternal, "the disk is full; the last change was not saved: %v", se), err}
	}
	return err
}

// wrapped carries a domain error and the driver error it came from, so both
// annotate.ErrorCode and errors.As(err, *sqlite3.Error) work.
type wrapped struct {
	domain *annotate.Error
	cause  error
}

func (w *wrapped) Error() string   { return w.domain.Message }
func (w *wrapped) Unwrap() []error { return []error{w.domain, w.cause} }

// micros is the stored form of a time.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// write runs fn in one IMMEDIATE transaction and logs it as one op. fn records the rows it
// changes on the action; the op row is written only if fn succeeds, and not at all when
// fn changed nothing.
func (s *Store) write(ctx context.Context, kind, annotator string, fn func(a *action) error) (*action, error) {
	if s.readOnly {
		return nil, s.errReadOnly(kind)
	}
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("%s: begin: %w", kind, mapErr(err))
	}
	defer tx.Rollback()
	a := &action{ctx: ctx, tx: tx, kind: kind, annotator: annotator, at: s.now()}
	if err := fn(a); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, mapErr(err))
	}
	pc := phraseCounts{}
	for _, c := range a.changes {
		if err := pc.addChange(c.table, c.before, c.after); err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
	}
	if err := pc.flush(ctx, tx); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, mapErr(err))
	}
	if len(a.changes) > 0 || a.force {
		if err := a.log(); err != nil {
			return nil, fmt.Errorf("%s: log: %w", kind, mapErr(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s: commit: %w", kind, mapErr(err))
	}
	return a, nil
}
