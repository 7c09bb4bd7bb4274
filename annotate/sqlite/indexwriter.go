package sqlite

import (
	"context"
	"sync"
)

// indexWriter writes an import's index batches into the index file on a goroutine (and
// so a core) of its own, while the import's writer goes on with the next chunks of the
// main file (SQLite has one writer per file; the index's inserts and the commits that
// write its segments were a third of the writer's time). The writer hands it each batch
// (flushIndex) and takes the committed ones back (indexed) to remove their documents from
// search_pending in its next transaction: never before the index has them (searchfile.go).
//
// A failure (a full disk, a cancelled import) is kept and stops the batches after it;
// the import sees it at its next chunk or at Commit and is rolled back. finish stops the
// goroutine and waits for it, so none outlives its import.
type indexWriter struct {
	s      *Store
	ctx    context.Context
	in     chan indexJob
	exited chan struct{}
	closed bool // in is closed (the importer's goroutine only)

	mu   sync.Mutex
	done []indexDone // committed batches not yet taken
	err  error
}

// indexJob is a batch of documents to index: their tokens, and the id ranges of their
// chunks, whose pending rows are removed once it has committed.
type indexJob struct {
	rows   []indexRow
	ranges [][2]int64
}

// indexDone is a committed batch: its ranges and the index's sequence number after it.
type indexDone struct {
	ranges [][2]int64
	seq    int64
}

func (s *Store) startIndexWriter(ctx context.Context) *indexWriter {
	// One batch queued beside the one being written: the import's writer waits for the
	// index only when the index falls two batches behind, which bounds the memory held.
	w := &indexWriter{s: s, ctx: ctx, in: make(chan indexJob, 1), exited: make(chan struct{})}
	go w.run()
	return w
}

func (w *indexWriter) run() {
	defer close(w.exited)
	for job := range w.in {
		w.mu.Lock()
		failed := w.err != nil
		w.mu.Unlock()
		if failed {
			continue // drain, so the importer never blocks on a send
		}
		seq, err := w.s.writeIndex(w.ctx, job.rows, false)
		if err == nil && w.s.indexed != nil {
			err = w.s.indexed()
		}
		w.mu.Lock()
		if err != nil {
			w.err = err
		} else {
			w.done = append(w.done, indexDone{job.ranges, seq})
		}
		w.mu.Unlock()
	}
}

// send queues a batch, waiting while two are ahead of it.
func (w *indexWriter) send(ctx context.Context, job indexJob) error {
	if err := w.failed(); err != nil {
		return err
	}
	select {
	case w.in <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// failed returns the goroutine's failure, if any.
func (w *indexWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// take returns the batches committed since the last call, or the failure.
func (w *indexWriter) take() ([]indexDone, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return nil, w.err
	}
	done := w.done
	w.done = nil
	return done, nil
}

// finish stops the goroutine after the queued batches and waits for it. It may be
// called more than once.
func (w *indexWriter) finish() ([]indexDone, error) {
	if !w.closed {
		close(w.in)
		w.closed = true
	}
	<-w.exited
	return w.take()
}
