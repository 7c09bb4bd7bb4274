package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"

	"evident/annotate/query"
)

// The full-text index lives in a file of its own beside the project, <db>-search, with
// its own WAL, written by its own connections: an import's index writer then runs on a
// second core beside the main file's writer (SQLite has one writer per file). A project
// is the .db file; <db>-search is derived from it and rebuilt at open whenever it cannot
// be trusted. search_pending stays in the main file, kept by its triggers, and is the
// link between the two:
//
//   - A document not in search_pending is in the index. Its pending row is removed only
//     after the index transaction that indexed it has committed; a crash in between leaves
//     it pending (indexed again, never lost), and the index may then be ahead of the main
//     file, so indexing always deletes a document's entry before inserting it.
//   - A search reads the pending set from its snapshot of the main file before it asks
//     the index: whatever was not pending then had been committed to the index before.
//   - Both files carry a stamp (random, made with the main file's bookkeeping) and a
//     sequence number: the index's counts its commits, the main file's is the latest
//     index commit whose pending rows it removed. At open the index is rebuilt (every
//     document pending) when it is missing, unreadable, another file's (foreign stamp),
//     of an older token scheme (ftsScheme) or behind the main file's sequence (an older
//     copy). A read-only open never rebuilds: its searches read the documents instead.
//   - Copies of the .db (Backup) get a stamp of their own, so an index file left at
//     their path is never taken for theirs.

// searchSuffix names the index file: <db>-search (and its -wal and -shm).
const searchSuffix = "-search"

// ftsScheme names what the index holds: a change of query.IndexTokens or of the table
// changes it, and an index of another scheme is rebuilt at open.
const ftsScheme = ftsName + " 1"

// indexFileSchema is the index file's schema: the FTS5 table and its stamp.
const indexFileSchema = ftsTable + `;
CREATE TABLE IF NOT EXISTS index_state (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	stamp  TEXT NOT NULL,    -- the main file's search_state.stamp
	scheme TEXT NOT NULL,    -- ftsScheme
	seq    INTEGER NOT NULL  -- incremented by every transaction that changes the index
)`

// newStamp is a random stamp for search_state.
func newStamp() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// mainState reads the main file's stamp and sequence.
func mainState(ctx context.Context, q txLike) (stamp string, seq int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT stamp, seq FROM search_state WHERE id = 1`).Scan(&stamp, &seq)
	return stamp, seq, mapErr(err)
}

// indexTrusted reports whether the index file ix belongs to the main file (stamp), holds
// this build's tokens (ftsScheme) and is not behind it (seq). Any error reading it (a
// missing or damaged file) makes it untrusted.
func indexTrusted(ctx context.Context, ix *sql.DB, stamp string, seq int64) bool {
	var st, scheme string
	var iseq int64
	var fts int
	err := ix.QueryRowContext(ctx, `SELECT stamp, scheme, seq, (SELECT count(*) FROM sqlite_master WHERE name = ?)
		FROM index_state WHERE id = 1`, ftsName).Scan(&st, &scheme, &iseq, &fts)
	return err == nil && st == stamp && scheme == ftsScheme && iseq >= seq && fts == 1
}

// openIndex opens <db>-search for a writable store, rebuilding it when it cannot be
// trusted, and indexes pending documents. An index file that cannot be written leaves the
// store without an index (searches read the documents): the project itself is sound.
func (s *Store) openIndex(ctx context.Context) error {
	stamp, seq, err := mainState(ctx, s.db)
	if err != nil {
		return err
	}
	path := s.path + searchSuffix
	ix, err := sql.Open("sqlite3", dsn(path, s.busy, false))
	if err != nil {
		return err
	}
	if !indexTrusted(ctx, ix, stamp, seq) {
		if s.rebuilt != nil {
			s.rebuilt()
		}
		if err := s.resetIndex(ctx, &ix, path, stamp); err != nil {
			ix.Close()
			return nil // no index: searches read the documents
		}
	}
	ro, err := sql.Open("sqlite3", dsn(path, s.busy, true))
	if err != nil {
		ix.Close()
		return err
	}
	s.ix, s.ixRO, s.ixOK = ix, ro, true
	return s.indexAllPending(ctx, s.db)
}

// resetIndex empties the index for a rebuild, holding the main file's write lock
// throughout: the index is emptied first under a stamp nobody trusts, then every document
// is made pending in the main file, and only after that commit does the index get the
// main file's stamp back. A crash at any point leaves either an untrusted index (rebuilt
// again at the next open) or every document pending; and no other process indexes
// documents and takes them off search_pending between the emptying and the marking (it
// would need the lock), which would lose them. An index file that cannot even be read as
// a database is removed and made anew.
func (s *Store) resetIndex(ctx context.Context, ix **sql.DB, path, stamp string) error {
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT seq FROM search_state WHERE id = 1`).Scan(&seq); err != nil {
		return err
	}
	empty := func(db *sql.DB) error {
		itx, err := s.begin(ctx, db)
		if err != nil {
			return err
		}
		defer itx.Rollback()
		for _, q := range []string{`DROP TABLE IF EXISTS ` + ftsName, `DROP TABLE IF EXISTS index_state`, indexFileSchema} {
			if _, err := itx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		for _, c := range ftsSettings {
			if _, err := itx.ExecContext(ctx, `INSERT INTO `+ftsName+` (`+ftsName+`, rank) VALUES `+c); err != nil {
				return err
			}
		}
		// No stamp yet: untrusted until every document is pending.
		if _, err := itx.ExecContext(ctx, `INSERT INTO index_state (id, stamp, scheme, seq) VALUES (1, '', ?, ?)`, ftsScheme, seq); err != nil {
			return err
		}
		return itx.Commit()
	}
	if err := empty(*ix); err != nil {
		// Not a database, or damaged beyond a transaction: start a new file.
		(*ix).Close()
		for _, suf := range []string{"", "-wal", "-shm"} {
			if rerr := os.Remove(path + suf); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
				return errors.Join(err, rerr)
			}
		}
		if *ix, err = sql.Open("sqlite3", dsn(path, s.busy, false)); err != nil {
			return err
		}
		if err := empty(*ix); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_pending (doc, stale) SELECT id, 1 FROM documents WHERE true
		ON CONFLICT (doc) DO UPDATE SET stale = 1`); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return s.retryBusy(ctx, func() error {
		_, err := (*ix).ExecContext(ctx, `UPDATE index_state SET stamp = ? WHERE id = 1`, stamp)
		return err
	})
}

// openIndexReadOnly opens the index for a read-only store when it can be trusted;
// otherwise the store searches without it.
func (s *Store) openIndexReadOnly(ctx context.Context) {
	if !s.HasFTS(ctx) {
		return
	}
	stamp, seq, err := mainState(ctx, s.ro)
	if err != nil {
		return
	}
	ro, err := sql.Open("sqlite3", dsn(s.path+searchSuffix, s.busy, true))
	if err != nil {
		return
	}
	if !indexTrusted(ctx, ro, stamp, seq) {
		ro.Close()
		return
	}
	s.ixRO, s.ixOK = ro, true
}

// closeIndex closes the index file's pools; the last connection's close checkpoints its
// WAL into it, as for the main file.
func (s *Store) closeIndex() error {
	var errs []error
	for _, db := range []*sql.DB{s.ixRO, s.ix} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	s.ix, s.ixRO, s.ixOK = nil, nil, false
	return errors.Join(errs...)
}

// indexAllPending indexes every pending document, a bounded chunk per pair of
// transactions (indexSome).
func (s *Store) indexAllPending(ctx context.Context, b interface {
	beginner
	txLike
}) error {
	if !s.ixOK || s.ix == nil {
		return nil
	}
	for {
		var pending int
		if err := b.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending)`).Scan(&pending); err != nil || pending == 0 {
			return mapErr(err)
		}
		more, err := s.indexSome(ctx, b, indexChunk)
		if err != nil || !more {
			return err
		}
	}
}

// indexSome indexes up to limit pending documents and reports whether any are left. It
// holds the main file's write lock throughout, so no document changes between being read
// here and its pending row being removed: it reads the documents, indexes them in one
// index transaction (removing each one's entry first: the index may hold an older text,
// or this one already if a crash came between the two commits), commits it, and only
// then removes their pending rows and records the index's sequence in the main file.
// Staged documents are indexed but not found, as Search leaves them out.
func (s *Store) indexSome(ctx context.Context, b beginner, limit int) (more bool, err error) {
	tx, err := s.begin(ctx, b)
	if err != nil {
		return false, mapErr(err)
	}
	defer tx.Rollback()
	type pend struct {
		id   int64
		text sql.NullString
	}
	var batch []pend
	rows, err := tx.QueryContext(ctx, `SELECT p.doc, d.text FROM search_pending p
		LEFT JOIN documents d ON d.id = p.doc ORDER BY p.doc LIMIT ?`, limit+1)
	if err != nil {
		return false, mapErr(err)
	}
	for rows.Next() {
		var p pend
		if err := rows.Scan(&p.id, &p.text); err != nil {
			rows.Close()
			return false, mapErr(err)
		}
		batch = append(batch, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, mapErr(err)
	}
	if more = len(batch) > limit; more {
		batch = batch[:limit]
	}
	if len(batch) == 0 {
		return false, nil
	}
	var ix query.Indexer
	rowsOut := make([]indexRow, 0, len(batch))
	for _, p := range batch {
		r := indexRow{id: p.id, deleted: !p.text.Valid}
		if p.text.Valid {
			r.tokens = ix.Tokens(p.text.String)
		}
		rowsOut = append(rowsOut, r)
	}
	seq, err := s.writeIndex(ctx, rowsOut, true)
	if err != nil {
		return false, err
	}
	if s.indexed != nil {
		if err := s.indexed(); err != nil {
			return false, err
		}
	}
	run := context.WithoutCancel(ctx) // the index has committed: finish the pair
	if _, err := tx.ExecContext(run, `DELETE FROM search_pending WHERE doc BETWEEN ? AND ?`, batch[0].id, batch[len(batch)-1].id); err != nil {
		return false, mapErr(err)
	}
	if err := setMainSeq(run, tx, seq); err != nil {
		return false, err
	}
	return more, mapErr(tx.Commit())
}

// setMainSeq records in the main file that the pending rows of index commit seq (and
// earlier) were removed.
func setMainSeq(ctx context.Context, tx txLike, seq int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE search_state SET seq = max(seq, ?) WHERE id = 1`, seq)
	return mapErr(err)
}

// writeIndex writes rows into the index in one transaction of its own and returns the
// index's sequence number after it. With replace, each document's entry is removed
// first. Its statements run whatever the caller's cancellation (checked before): with a
// cancellable context the driver starts a goroutine per statement.
func (s *Store) writeIndex(ctx context.Context, rows []indexRow, replace bool) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tx, err := s.begin(ctx, s.ix)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", mapErr(err))
	}
	defer tx.Rollback()
	run := context.WithoutCancel(ctx)
	ins, err := tx.PrepareContext(run, `INSERT INTO `+ftsName+` (rowid, body) VALUES (?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", mapErr(err))
	}
	defer ins.Close()
	var del *sql.Stmt
	if replace {
		if del, err = tx.PrepareContext(run, `DELETE FROM `+ftsName+` WHERE rowid = ?`); err != nil {
			return 0, fmt.Errorf("search index: %w", mapErr(err))
		}
		defer del.Close()
	}
	for _, r := range rows {
		if replace {
			if _, err := del.ExecContext(run, r.id); err != nil {
				return 0, fmt.Errorf("search index: %w", mapErr(err))
			}
		}
		if !r.deleted {
			if _, err := ins.ExecContext(run, r.id, r.tokens); err != nil {
				return 0, fmt.Errorf("search index: %w", mapErr(err))
			}
		}
	}
	var seq int64
	if err := tx.QueryRowContext(run, `UPDATE index_state SET seq = seq + 1 WHERE id = 1 RETURNING seq`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("search index: %w", mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("search index: %w", mapErr(err))
	}
	return seq, nil
}

// restamp gives the copy of a project at path (Backup's) a stamp of its own, so that no
// index file, one left at <path>-search included, is taken for its index: the copy's is
// built when it is first opened.
func restamp(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path))
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'search_state'`).Scan(&n); err != nil || n == 0 {
		return mapErr(err) // no search bookkeeping: the first open makes it, with a new stamp
	}
	_, err = db.ExecContext(ctx, `UPDATE search_state SET stamp = ?, seq = 0 WHERE id = 1`, newStamp())
	return mapErr(err)
}
