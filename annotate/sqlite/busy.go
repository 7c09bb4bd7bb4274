package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mattn/go-sqlite3"
)

// busyPoll is how often a writer tries again for the write lock another writer holds.
// SQLite's own busy handler sleeps longer and longer between tries (up to 100 ms each),
// so a save waiting on an import kept missing the short gaps between the import's chunks
// and could wait a second or more; trying every millisecond gets in at the first gap.
// The read-write pool therefore has no busy timeout of its own: the retry is here.
const busyPoll = time.Millisecond

// isBusy reports a lock another connection holds.
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// retryBusy runs op until it does not fail for a lock another writer holds, for up to
// the store's busy timeout.
func (s *Store) retryBusy(ctx context.Context, op func() error) error {
	deadline := time.Now().Add(s.busy)
	t := time.NewTimer(busyPoll)
	defer t.Stop()
	for {
		err := op()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		t.Reset(busyPoll)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// exec runs one autocommit statement on the read-write pool, waiting for the write lock
// as retryBusy does.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.retryBusy(ctx, func() (err error) {
		res, err = s.db.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// beginner is a pool or a connection.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// begin starts an IMMEDIATE transaction (the read-write DSN's _txlock), waiting for the
// write lock as retryBusy does.
func (s *Store) begin(ctx context.Context, b beginner) (*sql.Tx, error) {
	var tx *sql.Tx
	err := s.retryBusy(ctx, func() (err error) {
		tx, err = b.BeginTx(ctx, nil)
		return err
	})
	return tx, err
}
