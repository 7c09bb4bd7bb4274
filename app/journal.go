package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"evident/annotate"
)

// pending is a decision the store could not take because the server was unreachable.
// It is sent again, in order, under the same request (annotate.WithRequest), so a
// decision whose first attempt was committed just before the connection dropped is not
// applied twice.
type pending struct {
	what  string
	rid   string
	st    annotate.Store
	docID int64
	ann   string
	start bool // also mark the document in progress first
	call  func(ctx context.Context, st annotate.Store, annotator string) (int64, error)
}

// retryEvery is how often kept decisions are sent again while the server is away
// (besides at once when Watch reports it back).
const retryEvery = 2 * time.Second

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// run makes the decision's store calls under its request.
func (p pending) run(ctx context.Context) (focus int64, err error) {
	ctx = annotate.WithRequest(ctx, p.rid)
	var startErr error
	if p.start {
		if startErr = p.st.SetDocumentStatus(ctx, p.docID, annotate.DocInProgress, p.ann); unavailable(startErr) {
			return 0, startErr
		}
	}
	focus, err = p.call(ctx, p.st, p.ann)
	if err == nil && startErr != nil {
		err = fmt.Errorf("mark in progress: %w", startErr)
	}
	return focus, err
}

func unavailable(err error) bool { return annotate.ErrorCode(err) == annotate.EUnavailable }

// keep adds a decision to the journal and says so; GUI goroutine.
func (w *Window) keep(p pending) {
	w.team.journal = append(w.team.journal, p)
	w.team.offline = true
	w.status.setError(fmt.Sprintf("Server unreachable — %d decisions kept, retrying", len(w.team.journal)))
	w.scheduleRetry()
}

func (w *Window) scheduleRetry() {
	if w.team.retryPlanned {
		return
	}
	w.team.retryPlanned = true
	time.AfterFunc(retryEvery, func() {
		w.ui(func() {
			w.team.retryPlanned = false
			w.retryJournal()
		})
	})
}

// retryJournal sends the kept decisions again, oldest first, stopping at the first that
// still finds the server away; GUI goroutine.
func (w *Window) retryJournal() {
	if len(w.team.journal) == 0 || w.team.replaying || w.ctx.Err() != nil {
		return
	}
	w.team.replaying = true
	batch := append([]pending(nil), w.team.journal...)
	w.jobs.submit(func(ctx context.Context) {
		sent := 0
		var failed error
		for _, p := range batch {
			if _, err := p.run(ctx); err != nil {
				if unavailable(err) {
					break
				}
				failed = fmt.Errorf("%s: %w", p.what, err) // refused for good: reported, dropped
			}
			sent++
		}
		w.ui(func() {
			w.team.replaying = false
			w.team.journal = w.team.journal[sent:]
			if failed != nil {
				w.fail("saving a kept decision", failed)
			}
			if len(w.team.journal) > 0 {
				w.status.setError(fmt.Sprintf("Server unreachable — %d decisions kept, retrying", len(w.team.journal)))
				w.scheduleRetry()
				return
			}
			w.team.offline = false
			if failed == nil {
				w.status.setSavedMsg(fmt.Sprintf("Server back — %d kept decisions saved ✓", len(batch)))
			}
			if w.doc != nil {
				w.reloadOpen(w.store, w.doc.ID)
			}
		})
	})
}

// Kept returns how many decisions wait for the server; for tests.
func (w *Window) Kept() int { return len(w.team.journal) }
