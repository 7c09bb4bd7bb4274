package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"evident/annotate"
	"evident/app/journal"
)

// decision is one store call the user made, in a form that can be written to the
// journal file and sent again after a restart: Op names the Store method.
type decision struct {
	Op      string             `json:"op"`
	IDs     []int64            `json:"ids,omitempty"`
	Status  annotate.Status    `json:"status,omitempty"`
	Span    *annotate.Span     `json:"span,omitempty"`
	Event   *annotate.Event    `json:"event,omitempty"`
	EventID int64              `json:"event_id,omitempty"`
	Arg     *annotate.Argument `json:"arg,omitempty"`
}

const (
	opSetStatus  = "set_status"
	opAddSpan    = "add_span"
	opUpdateSpan = "update_span"
	opAddEvent   = "add_event"
	opAddArg     = "add_argument"
	opRemoveArg  = "remove_argument"
)

// apply makes the store call under annotator's name; focus is a span created by it.
func (d decision) apply(ctx context.Context, st annotate.Store, ann string) (focus int64, err error) {
	switch d.Op {
	case opSetStatus:
		return 0, st.SetSpanStatus(ctx, d.IDs, d.Status, ann)
	case opAddSpan:
		s := *d.Span
		s.Annotator = ann
		s, err = st.AddSpan(ctx, s)
		return s.ID, err
	case opUpdateSpan:
		_, err = st.UpdateSpan(ctx, *d.Span, ann)
		return 0, err
	case opAddEvent:
		e := *d.Event
		e.Annotator = ann
		_, err = st.AddEvent(ctx, e)
		return 0, err
	case opAddArg:
		return 0, st.AddArgument(ctx, d.EventID, *d.Arg, ann)
	case opRemoveArg:
		return 0, st.RemoveArgument(ctx, d.EventID, *d.Arg, ann)
	}
	return 0, annotate.Errorf(annotate.EInvalid, "unknown kept decision %q", d.Op)
}

// pending is a decision on its way to the store. One the store could not take because
// the server was unreachable is kept in the journal file and sent again, in order, under
// the same request (annotate.WithRequest), so a decision whose first attempt was
// committed just before the connection dropped is not applied twice.
type pending struct {
	What  string   `json:"what"`
	RID   string   `json:"rid"`
	DocID int64    `json:"doc"`
	Ann   string   `json:"annotator"`
	Start bool     `json:"start,omitempty"` // also mark the document in progress first
	D     decision `json:"decision"`

	st annotate.Store
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
	ctx = annotate.WithRequest(ctx, p.RID)
	var startErr error
	if p.Start {
		if startErr = p.st.SetDocumentStatus(ctx, p.DocID, annotate.DocInProgress, p.Ann); unavailable(startErr) {
			return 0, startErr
		}
	}
	focus, err = p.D.apply(ctx, p.st, p.Ann)
	if err == nil && startErr != nil {
		err = fmt.Errorf("mark in progress: %w", startErr)
	}
	return focus, err
}

func unavailable(err error) bool { return annotate.ErrorCode(err) == annotate.EUnavailable }

// journalDir is where journal files live: Config.JournalDir, else the app's own storage
// under the test driver, else DefaultJournalDir.
func (w *Window) journalDir() string {
	if w.cfg.JournalDir != "" {
		return w.cfg.JournalDir
	}
	if root := w.app.Storage().RootURI(); w.deferUI && root != nil && root.Scheme() == "file" {
		return filepath.Join(root.Path(), "journal")
	}
	return DefaultJournalDir()
}

// DefaultJournalDir is the folder of the window's journals in the user's configuration
// folder (~/.config/evident/journal on Linux).
func DefaultJournalDir() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "evident", "journal")
	}
	return filepath.Join(os.TempDir(), "evident-journal")
}

// KeptDecisions says how many decisions an earlier window kept for database db and
// annotator because the server was away, and in which file; main reports them when the
// server still cannot be reached at start.
func KeptDecisions(db, annotator string) (path string, n int, err error) {
	path = journal.PathFor(DefaultJournalDir(), db, annotator)
	n, err = journal.Count(path)
	return path, n, err
}

// openJournal opens the journal of the open team database and annotator (closing
// another one's) and queues what an earlier session kept for sending; GUI goroutine.
// Single-user stores have none: their writes are local.
func (w *Window) openJournal() {
	if _, ok := w.store.(annotate.TeamStore); !ok || w.annotator == "" {
		return
	}
	path := journal.PathFor(w.journalDir(), w.dbPath, w.annotator)
	if w.team.jf != nil && w.team.jf.Path() == path {
		return
	}
	w.closeJournal()
	jf, entries, err := journal.Open(path)
	if err != nil {
		w.fail("open the journal of decisions kept offline", err)
		return
	}
	w.team.jf = jf
	var kept []pending
	for _, e := range entries {
		var p pending
		if err := json.Unmarshal(e.Data, &p); err != nil {
			w.fail("read a kept decision", fmt.Errorf("%s: %s: %w", jf.Path(), e.ID, err))
			continue
		}
		p.st = w.store
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return
	}
	// Before any decision of this session, so the order is kept.
	w.team.journal = append(kept, w.team.journal...)
	w.status.setError(fmt.Sprintf("%d decisions kept from the last session — sending", len(w.team.journal)))
	w.retryJournal()
}

// closeJournal closes the journal file; what it keeps waits for the next open.
func (w *Window) closeJournal() {
	if w.team.jf != nil {
		w.team.jf.Close()
		w.team.jf = nil
	}
	w.team.journal = nil
}

// keep adds a decision to the journal (on disk before it says so) and retries later;
// GUI goroutine.
func (w *Window) keep(p pending) {
	if p.st != w.store {
		return // a decision on a database closed meanwhile: the window reported it
	}
	w.openJournal()
	if jf := w.team.jf; jf != nil {
		data, err := json.Marshal(p)
		if err == nil {
			err = jf.Keep(journal.Entry{ID: p.RID, Data: data})
		}
		if err != nil {
			// Kept in memory still; the user is told it would not survive closing.
			w.fail("write the journal of decisions kept offline (they are kept until the window closes)", err)
		}
	}
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
	jf, st := w.team.jf, w.store
	w.jobs.submit(func(ctx context.Context) {
		sent := 0
		var failed, jerr error
		for _, p := range batch {
			if _, err := p.run(ctx); err != nil {
				if unavailable(err) {
					break
				}
				failed = fmt.Errorf("%s: %w", p.What, err) // refused for good: reported, dropped
			}
			sent++
			if jf != nil && jerr == nil {
				jerr = jf.Done(p.RID) // a crash before this line resends it: the request key skips it
			}
		}
		w.ui(func() {
			w.team.replaying = false
			if st != w.store {
				return
			}
			w.team.journal = w.team.journal[sent:]
			if failed != nil {
				w.fail("saving a kept decision", failed)
			}
			if jerr != nil {
				w.fail("journal of decisions kept offline", jerr)
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
