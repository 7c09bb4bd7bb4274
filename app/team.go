package app

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/assign"
	"evident/app/journal"
)

// team is the live state of a database shared with other annotators (a store that is an
// annotate.TeamStore: PostgreSQL). Touched on the GUI goroutine only.
type team struct {
	queue   []int64            // the annotator's own queue (evident assign): listed first
	others  map[int64][]string // document -> other annotators who have it open
	offline bool               // the server cannot be reached (Watch or a decision said so)
	cancel  context.CancelFunc // stops the watchers of the current store; nil: none started
	wg      *sync.WaitGroup    // the watcher goroutines of every store opened

	journal      []pending     // decisions kept while the server is away, oldest first (journal.go)
	jf           *journal.File // the same on disk, for the open database and annotator
	replaying    bool
	retryPlanned bool
}

const (
	// presenceAge is how long an annotator counts as being on a document after their
	// window last said so; windows say so on every open and every presenceBeat.
	presenceAge  = 2 * time.Minute
	presenceBeat = time.Minute
	// refreshDelay gathers a burst of changes into one reload of the document list.
	refreshDelay = 300 * time.Millisecond
)

// startTeam follows the other annotators' work when the store is shared: the document
// list (status and counts) and who is on which document are reloaded within a moment
// of a change anywhere, and the status bar says when the server is unreachable.
func (w *Window) startTeam() {
	ts, ok := w.store.(annotate.TeamStore)
	if !ok || w.team.cancel != nil {
		return
	}
	// The watchers live as long as this store is the window's: switching databases
	// (File › Open) stops them and starts new ones for the new store.
	ctx, cancel := context.WithCancel(w.ctx)
	w.team.cancel = cancel
	st := w.store
	kick := make(chan struct{}, 1)
	poke := func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	w.team.wg.Add(2)
	watchDone := make(chan struct{})
	go func() {
		defer w.team.wg.Done()
		defer close(watchDone)
		ts.Watch(ctx, func(c annotate.Change) {
			if c.Status {
				w.ui(func() {
					if st == w.store {
						w.setOnline(c.Online)
					}
				})
				return
			}
			poke()
		})
	}()
	go func() {
		defer w.team.wg.Done()
		defer func() { <-watchDone }()
		beat := time.NewTicker(presenceBeat)
		defer beat.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-beat.C:
				w.ui(func() {
					if w.doc != nil && st == w.store {
						id, ann := w.doc.ID, w.annotator
						go announce(ctx, st, ann, id)
					}
				})
				continue
			case <-kick:
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(refreshDelay):
			}
			docs, err := st.Documents(ctx)
			var ps []annotate.Presence
			if err == nil {
				ps, err = ts.Presence(ctx, presenceAge)
			}
			if err != nil {
				continue // Watch reports the server lost; the next change retries
			}
			w.ui(func() {
				if st == w.store {
					w.applyTeam(docs, ps)
				}
			})
		}
	}()
	w.openJournal()
}

// leaveTeam stops following the store the window is leaving (File › Open): its watchers
// end in the background, its journal file is closed (what it keeps is sent the next time
// that database is opened) and the team state is cleared; GUI goroutine.
func (w *Window) leaveTeam() {
	if w.team.cancel != nil {
		w.team.cancel()
	}
	w.closeJournal()
	w.team = team{wg: w.team.wg}
}

// stopTeam waits for the watchers to end (after w.ctx is cancelled).
func (w *Window) stopTeam() { w.team.wg.Wait() }

// announce tells the others which document annotator has open. A failure is not the
// user's concern (presence is a courtesy): the status bar reports a lost server anyway.
func announce(ctx context.Context, st annotate.Store, annotator string, doc int64) {
	if ts, ok := st.(annotate.TeamStore); ok && annotator != "" {
		ts.SetPresence(ctx, annotator, doc)
	}
}

// applyTeam shows a fresh document list and who is where.
func (w *Window) applyTeam(docs []annotate.DocSummary, ps []annotate.Presence) {
	others := map[int64][]string{}
	for _, p := range ps {
		if p.Annotator != w.annotator && p.Doc != 0 {
			others[p.Doc] = append(others[p.Doc], p.Annotator)
		}
	}
	w.team.others = others
	docs, _ = assign.OwnFirst(docs, w.team.queue)
	w.setDocs(docs)
}

// setOnline reports the server's state in the status bar.
func (w *Window) setOnline(online bool) {
	switch {
	case !online && !w.team.offline:
		w.team.offline = true
		w.status.setError("Server unreachable — reconnecting…")
	case online && w.team.offline:
		if len(w.team.journal) > 0 {
			w.retryJournal() // says "back" once the kept decisions are saved
			return
		}
		w.team.offline = false
		w.status.hint("Server back — connected")
	}
}

// Online reports whether the shared server is reachable, as the status bar shows; for tests.
func (w *Window) Online() bool { return !w.team.offline }

// Others returns the other annotators who have document id open; for tests.
func (w *Window) Others(id int64) []string { return slices.Clone(w.team.others[id]) }

// markOthers adds who else is on a document to its row in the list.
func (w *Window) markOthers(o fyne.CanvasObject, id int64) {
	names := w.team.others[id]
	if len(names) == 0 {
		return
	}
	meta := o.(*fyne.Container).Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	// First: the row truncates its end (a screenshot showed the names cut off there).
	meta.SetText("👤 " + strings.Join(names, ", ") + " · " + meta.Text)
}

// Documents returns the document list as shown; for tests.
func (w *Window) Documents() []annotate.DocSummary { return slices.Clone(w.docs) }
