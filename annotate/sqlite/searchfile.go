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
	"time"

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
//     copy). An index ahead of it (a commit whose pending rows were not removed yet, or an
//     older copy of the .db restored beside a newer index) has the documents of its later
//     commits, listed in index_log, made pending (pendAhead), without a rebuild: another
//     process may be importing into it. A read-only open never rebuilds, nor trusts an
//     index ahead: its searches read the documents instead.
//   - Copies of the .db (Backup) get a stamp of their own, so an index file left at
//     their path is never taken for theirs.

// indexLogKeep is how many index commits index_log remembers (some 20 bytes each): a
// restored copy of the .db that many commits behind its index is caught up without a
// rebuild; one further behind is rebuilt.
const indexLogKeep = 4096

// searchSuffix names the index file: <db>-search (and its -wal and -shm).
const searchSuffix = "-search"

// ftsScheme names what the index holds: a change of query.IndexTokens or of the table
// changes it, and an index of another scheme is rebuilt at open.
const ftsScheme = ftsName + " 2"

// indexFileSchema is the index file's schema: the FTS5 table and its stamp.
const indexFileSchema = ftsTable + `;
CREATE TABLE IF NOT EXISTS index_state (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	stamp  TEXT NOT NULL,    -- the main file's search_state.stamp
	scheme TEXT NOT NULL,    -- ftsScheme
	seq    INTEGER NOT NULL  -- incremented by every transaction that changes the index
);
CREATE TABLE IF NOT EXISTS index_log (
	seq INTEGER PRIMARY KEY, -- an index transaction's sequence number
	lo  INTEGER NOT NULL,    -- the least and greatest document id it wrote (pendAhead)
	hi  INTEGER NOT NULL
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

// indexState reports whether the index file ix belongs to the main file (stamp), holds
// this build's tokens (ftsScheme) and is not behind it (seq), and the index's sequence
// number. Any error reading it (a missing or damaged file) makes it untrusted. An index
// ahead of the main file is trusted only once pendAhead has made the documents of its
// later commits pending.
func indexState(ctx context.Context, ix *sql.DB, stamp string, seq int64) (bool, int64) {
	var st, scheme string
	var iseq int64
	var fts int
	err := ix.QueryRowContext(ctx, `SELECT stamp, scheme, seq, (SELECT count(*) FROM sqlite_master WHERE name = ?)
		FROM index_state WHERE id = 1`, ftsName).Scan(&st, &scheme, &iseq, &fts)
	return err == nil && st == stamp && scheme == ftsScheme && iseq >= seq && fts == 1, iseq
}

// pendAhead makes pending, in the main file, every document the index's commits after
// the main file's sequence wrote, and reports false when the index's log cannot say
// which (then it is rebuilt). The index is ahead while a process (this one, killed, or
// another, still importing) has committed to it and not yet removed the pending rows,
// whose documents are pending already; or when the user restored an older copy of the
// .db beside a newer index, whose later commits hold texts and deletions the old main
// file does not list as pending: searches would miss them. It does not empty the index:
// another process may be writing to it. Rows already pending are left as they are, so an
// import under way still takes its own off the list.
func (s *Store) pendAhead(ctx context.Context, ix *sql.DB) (bool, error) {
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return false, mapErr(err)
	}
	defer tx.Rollback()
	var seq, iseq, logged int64
	if err := tx.QueryRowContext(ctx, `SELECT seq FROM search_state WHERE id = 1`).Scan(&seq); err != nil {
		return false, mapErr(err)
	}
	if err := ix.QueryRowContext(ctx, `SELECT (SELECT seq FROM index_state WHERE id = 1),
		(SELECT count(*) FROM index_log WHERE seq > ?)`, seq).Scan(&iseq, &logged); err != nil {
		return false, mapErr(err)
	}
	if iseq <= seq {
		return true, nil
	}
	if logged != iseq-seq {
		return false, nil
	}
	rows, err := ix.QueryContext(ctx, `SELECT lo, hi FROM index_log WHERE seq > ?`, seq)
	if err != nil {
		return false, mapErr(err)
	}
	var ranges [][2]int64
	for rows.Next() {
		var r [2]int64
		if err := rows.Scan(&r[0], &r[1]); err != nil {
			rows.Close()
			return false, mapErr(err)
		}
		ranges = append(ranges, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, mapErr(err)
	}
	for _, r := range ranges {
		// Documents of the main file, and entries of the index with no document here.
		ids, err := queryColumn[int64](ctx, ix, `SELECT id FROM `+ftsName+`_docsize WHERE id BETWEEN ? AND ?`, r[0], r[1])
		if err != nil {
			return false, mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_pending (doc, stale) SELECT id, 1 FROM documents
			WHERE id BETWEEN ? AND ? ON CONFLICT (doc) DO NOTHING`, r[0], r[1]); err != nil {
			return false, mapErr(err)
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO search_pending (doc, stale) VALUES (?, 1) ON CONFLICT (doc) DO NOTHING`, id); err != nil {
				return false, mapErr(err)
			}
		}
	}
	return true, mapErr(tx.Commit())
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
	ok, iseq := indexState(ctx, ix, stamp, seq)
	if ok && iseq > seq {
		if ok, err = s.pendAhead(ctx, ix); err != nil {
			ix.Close()
			return err
		}
	}
	if !ok {
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

// resetIndex empties the index for a rebuild. Every document is made pending first, in
// the main file: if the process dies before the index is emptied, the next open finds it
// untrusted again and redoes this, and a half-done rebuild only leaves documents pending.
// An index file that cannot even be read as a database is removed and made anew.
func (s *Store) resetIndex(ctx context.Context, ix **sql.DB, path, stamp string) error {
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_pending (doc, stale) SELECT id, 1 FROM documents WHERE true
		ON CONFLICT (doc) DO UPDATE SET stale = 1`); err != nil {
		return err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT seq FROM search_state WHERE id = 1`).Scan(&seq); err != nil {
		return err
	}
	// The main file's write lock is held until the index is emptied: another process's
	// rebuild or catch-up must not index documents and take them off search_pending in
	// between, which the emptying would then lose. Until this transaction commits the
	// emptied index carries a sequence of its own below any (building), so that a
	// failure in between leaves it untrusted.
	building := -1 - time.Now().UnixNano()
	empty := func(db *sql.DB) error {
		itx, err := s.begin(ctx, db)
		if err != nil {
			return err
		}
		defer itx.Rollback()
		for _, q := range []string{`DROP TABLE IF EXISTS ` + ftsName, `DROP TABLE IF EXISTS index_state`, `DROP TABLE IF EXISTS index_log`, indexFileSchema} {
			if _, err := itx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		// See ftsSettings.
		for _, c := range ftsSettings {
			if _, err := itx.ExecContext(ctx, `INSERT INTO `+ftsName+` (`+ftsName+`, rank) VALUES `+c); err != nil {
				return err
			}
		}
		if _, err := itx.ExecContext(ctx, `INSERT INTO index_state (id, stamp, scheme, seq) VALUES (1, ?, ?, ?)`, stamp, ftsScheme, building); err != nil {
			return err
		}
		return itx.Commit()
	}
	if s.emptied != nil {
		s.emptied()
	}
	if err = empty(*ix); err != nil {
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
	if err := tx.Commit(); err != nil {
		return err
	}
	// Another process's import may be committing to the index: wait for it as any
	// writer does (the file's connections have no busy timeout of their own).
	return s.retryBusy(ctx, func() error {
		_, err := (*ix).ExecContext(ctx, `UPDATE index_state SET seq = ? WHERE id = 1 AND seq = ?`, seq, building)
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
	// An index ahead of the main file may hold newer texts than documents it does not
	// list as pending (pendAhead), which a read-only open cannot list.
	if ok, iseq := indexState(ctx, ro, stamp, seq); !ok || iseq != seq {
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
	if len(rows) > 0 { // which documents this commit wrote (pendAhead)
		lo, hi := rows[0].id, rows[0].id
		for _, r := range rows {
			lo, hi = min(lo, r.id), max(hi, r.id)
		}
		if _, err := tx.ExecContext(run, `INSERT INTO index_log (seq, lo, hi) VALUES (?, ?, ?)`, seq, lo, hi); err != nil {
			return 0, fmt.Errorf("search index: %w", mapErr(err))
		}
	}
	// The log is bounded: a main file more than logKeep commits behind the index is
	// rebuilt (pendAhead finds the log short) rather than caught up.
	if _, err := tx.ExecContext(run, `DELETE FROM index_log WHERE seq <= ?`, seq-s.logKeep); err != nil {
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
