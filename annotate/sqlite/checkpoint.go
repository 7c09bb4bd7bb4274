package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointer copies the WAL into the database file (a PASSIVE checkpoint) on a
// connection and goroutine of its own, for a long writer such as an import.
//
// SQLite checkpoints on the connection that commits, inside its COMMIT, whenever the WAL
// holds 1,000 pages or more: for an import that was every other chunk, and a seventh of
// the writing goroutine's time (copying the pages, and waiting for two fsyncs each time)
// while the other core had room to spare. The import's connection no longer checkpoints
// (wal_autocheckpoint = 0) and asks this one after each chunk instead. The WAL stays as
// short as before, so a save from the window, whose connection still checkpoints when
// the WAL is long, finds little or nothing to copy: leaving the checkpoints to whoever
// committed next made those saves wait twice as long (a 60,000-document import in
// another process, BenchmarkWritersDuringImport: 62 ms at worst against 113–132 ms).
// A passive checkpoint never waits for the writer and the writer never waits for it.
type checkpointer struct {
	kick chan struct{} // a chunk was committed
	stop chan struct{}
	done chan struct{}
}

// checkpointGap is the least time between two checkpoints: each costs two fsyncs.
const checkpointGap = 100 * time.Millisecond

// startCheckpointer starts checkpointing on a connection of the pool until stop.
func (s *Store) startCheckpointer(ctx context.Context) (*checkpointer, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	cp := &checkpointer{kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go cp.run(conn)
	return cp, nil
}

func (cp *checkpointer) run(conn *sql.Conn) {
	defer close(cp.done)
	defer conn.Close()
	for {
		select {
		case <-cp.kick:
		case <-cp.stop:
			return
		}
		// An error (say a disk full) leaves the WAL longer, which the next checkpoint,
		// here or on any connection, copies: nothing is lost. The import's own writes
		// report such a failure.
		conn.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		select {
		case <-time.After(checkpointGap):
		case <-cp.stop:
			return
		}
	}
}

// poke asks for a checkpoint; it never blocks.
func (cp *checkpointer) poke() {
	select {
	case cp.kick <- struct{}{}:
	default:
	}
}

// close stops the goroutine and waits for it (and a checkpoint in progress).
func (cp *checkpointer) close() {
	close(cp.stop)
	<-cp.done
}
