package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/app/review"
)

// Tabs of the review window.
const (
	tabFigures = iota
	tabProposals
	tabCuration
)

// reviewWin is a window of its own beside the annotation window, so reviewing
// figures and curating never squeeze the document, the list and the inspector. It
// holds three tabs: the casualty figures of incidents (review.View with incident
// actions), incident proposals to accept or reject, and the curation of documents
// where annotators disagree. Everything is touched on the GUI goroutine; store calls go
// through the main window's worker queue, so they are ordered with the annotation
// window's decisions and its Undo.
type reviewWin struct {
	w      *Window
	win    fyne.Window
	tabs   *container.AppTabs
	view   *review.View
	status *widget.Label

	props  *proposalsPane
	cur    *curationPane
	seq    int  // latest incident load; older answers are dropped
	hidden bool // closed by the user: nothing to keep up to date
}

// showReview opens the review window on a tab (creating it the first time) and loads
// what the tab shows.
func (w *Window) showReview(tab int) {
	if w.store == nil {
		w.status.hint("Open a database first")
		return
	}
	if w.review == nil {
		w.review = newReviewWin(w)
	}
	r := w.review
	r.view.Reviewer = w.annotator
	r.tabs.SelectIndex(tab)
	r.hidden = false
	r.win.Show()
	r.win.RequestFocus()
	r.reload()
}

// ShowReview opens the review window on the casualty figures (View > Review figures).
func (w *Window) ShowReview() { w.showReview(tabFigures) }

// ShowCuration opens the review window on the curation of disagreeing documents.
func (w *Window) ShowCuration() { w.showReview(tabCuration) }

// ReviewWindow returns the review window, nil until it was first opened.
func (w *Window) ReviewWindow() fyne.Window {
	if w.review == nil {
		return nil
	}
	return w.review.win
}

// Review returns the review widget, nil until the review window was first opened.
func (w *Window) Review() *review.View {
	if w.review == nil {
		return nil
	}
	return w.review.view
}

// reviewChanged reloads what the review window shows after the store changed behind
// it (undo and redo); the load is queued behind the change.
func (w *Window) reviewChanged() {
	r := w.review
	if r == nil || r.hidden {
		return // showReview reloads when the window comes back
	}
	if r.tabs.SelectedIndex() == tabCuration {
		r.cur.refreshDoc() // a full scan on every Ctrl+Z would hold up the queue
		return
	}
	r.loadIncidents("")
}

// hide puts the review window away; it keeps its filters and selection for the next
// Ctrl+R.
func (r *reviewWin) hide() {
	r.hidden = true
	r.win.Hide()
}

func newReviewWin(w *Window) *reviewWin {
	r := &reviewWin{w: w, win: w.app.NewWindow("Evident — Review")}
	r.view = review.New()
	r.view.OnOpen = w.openAt
	r.view.OnAdjudicate = r.adjudicate

	link := widget.NewButtonWithIcon("Link focused event", theme.ContentAddIcon(), r.linkFocused)
	unlink := widget.NewButtonWithIcon("Unlink…", theme.ContentRemoveIcon(), func() { r.pickEvents(false) })
	split := widget.NewButtonWithIcon("Split off…", theme.ContentCutIcon(), func() { r.pickEvents(true) })
	merge := widget.NewButtonWithIcon("Merge…", theme.ContentPasteIcon(), r.mergeDialog)
	propose := widget.NewButtonWithIcon("Propose incidents", theme.SearchIcon(), func() {
		r.tabs.SelectIndex(tabProposals)
		r.props.run()
	})
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), r.reload)
	bar := container.NewHBox(propose, widget.NewSeparator(), link, unlink, split, merge, layout.NewSpacer(), refresh)
	figures := container.NewBorder(container.NewVBox(bar, widget.NewSeparator()), nil, nil, nil, r.view)

	r.props = newProposalsPane(r)
	r.cur = newCurationPane(r)
	r.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Figures", theme.WarningIcon(), figures),
		container.NewTabItemWithIcon("Proposals", theme.SearchIcon(), r.props.obj),
		container.NewTabItemWithIcon("Curation", theme.DocumentIcon(), r.cur.obj),
	)
	r.tabs.OnSelected = func(*container.TabItem) {
		if r.tabs.SelectedIndex() == tabProposals && !r.props.ran {
			r.props.run()
		}
		r.reload()
	}
	r.status = widget.NewLabel("")
	r.status.SizeName = theme.SizeNameCaptionText
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.win.SetContent(container.NewBorder(nil, r.status, nil, nil, r.tabs))
	// as large as the annotation window: the review is a main view of its own
	r.win.Resize(w.win.Canvas().Size().Max(fyne.NewSize(900, 600)))
	// Closing hides: the window keeps its filters and selection for the next Ctrl+R.
	r.win.SetCloseIntercept(r.hide)
	r.bindShortcuts()
	return r
}

func (r *reviewWin) bindShortcuts() {
	c := r.win.Canvas()
	undo := func(redo bool) func(fyne.Shortcut) {
		return func(fyne.Shortcut) { r.w.undo(redo) }
	}
	c.AddShortcut(&fyne.ShortcutUndo{}, undo(false))
	c.AddShortcut(ctrl(fyne.KeyZ), undo(false))
	c.AddShortcut(&fyne.ShortcutRedo{}, undo(true))
	c.AddShortcut(ctrl(fyne.KeyY), undo(true))
	c.AddShortcut(ctrlShift(fyne.KeyZ), undo(true))
	// Ctrl+R goes back to the documents, where Ctrl+R brings the review forward again.
	c.AddShortcut(ctrl(fyne.KeyR), func(fyne.Shortcut) { r.w.win.RequestFocus() })
	c.AddShortcut(ctrl(fyne.KeyW), func(fyne.Shortcut) { r.hide() })
	c.AddShortcut(ctrl(fyne.KeyQ), func(fyne.Shortcut) { r.w.quit() })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			r.hide()
		}
	})
}

// incidents returns the store's incident side, nil (and a message) if it has none.
func (r *reviewWin) incidents() annotate.IncidentStore {
	is, ok := r.w.store.(annotate.IncidentStore)
	if !ok {
		r.status.SetText("This database keeps no incidents")
	}
	return is
}

// reload fetches what the selected tab shows.
func (r *reviewWin) reload() {
	switch r.tabs.SelectedIndex() {
	case tabCuration:
		r.cur.reload()
	default:
		r.loadIncidents("")
	}
}

// loadIncidents queues a fresh read of every incident; msg, if any, goes in the
// status line when it arrives.
func (r *reviewWin) loadIncidents(msg string) {
	is := r.incidents()
	if is == nil {
		return
	}
	r.seq++
	seq, st := r.seq, r.w.store
	r.w.jobs.submit(func(ctx context.Context) {
		incs, err := is.ListIncidents(ctx, annotate.IncidentFilter{})
		r.w.ui(func() {
			if seq != r.seq || st != r.w.store {
				return
			}
			if err != nil {
				r.fail("load incidents", err)
				return
			}
			r.view.Reviewer = r.w.annotator
			r.view.SetIncidents(incs)
			if r.view.Selected() == nil {
				// open on the most disputed incident rather than an empty page
				if q := r.view.Queue(); len(q) > 0 {
					r.view.Select(q[0].ID)
				}
			}
			if msg != "" {
				r.status.SetText(msg)
			}
		})
	})
}

// act runs one incident action in the worker, then reloads the incidents.
func (r *reviewWin) act(what string, call func(ctx context.Context, is annotate.IncidentStore, ann string) error) {
	is := r.incidents()
	if is == nil {
		return
	}
	if r.w.annotator == "" {
		r.w.askAnnotator(false)
		return
	}
	ann := r.w.annotator
	r.status.SetText(what + "…")
	r.w.jobs.submit(func(ctx context.Context) {
		err := call(ctx, is, ann)
		r.w.ui(func() {
			if err != nil {
				r.fail(what, err)
			}
		})
	})
	r.loadIncidents(what + " ✓ (Ctrl+Z undoes)")
}

// fail shows an error in the review window (the main window may be behind it).
func (r *reviewWin) fail(what string, err error) {
	r.status.SetText(fmt.Sprintf("%s: %v", what, err))
	dialog.ShowError(fmt.Errorf("%s: %w", what, err), r.win)
}

// selected returns the incident shown, or nil with a hint in the status line.
func (r *reviewWin) selected() *annotate.Incident {
	inc := r.view.Selected()
	if inc == nil {
		r.status.SetText("Select an incident in the queue first")
	}
	return inc
}

func (r *reviewWin) adjudicate(a annotate.Adjudication) {
	r.act("adjudicate "+a.Kind, func(ctx context.Context, is annotate.IncidentStore, ann string) error {
		_, err := is.Adjudicate(ctx, a, ann)
		return err
	})
}

// openAt shows a document in the annotation window with a span focused: the review's
// way from a figure to the text it came from.
func (w *Window) openAt(docID, spanID int64) {
	if w.store == nil {
		return
	}
	w.loadSeq++
	seq, st := w.loadSeq, w.store
	w.jobs.submit(func(ctx context.Context) {
		doc, err := st.Document(ctx, docID)
		var spans []annotate.Span
		var events []annotate.Event
		if err == nil {
			spans, events, err = loadSpans(ctx, st, docID)
		}
		w.ui(func() {
			if seq != w.loadSeq || st != w.store {
				return
			}
			if err != nil {
				w.fail("open document", err)
				return
			}
			if w.doc == nil || w.doc.ID != doc.ID {
				w.showDoc(doc, spans, events)
			} else {
				w.doc = doc
				w.applySpans(spans, events)
			}
			if !w.view.FocusSpan(spanID) {
				w.status.hint("That span is no longer in the document")
			}
			w.win.RequestFocus()
			w.focusDocument()
		})
	})
}

// linkFocused links the event of the span focused in the annotation window (the event
// it triggers, else the first event it is an argument of) to the selected incident.
func (r *reviewWin) linkFocused() {
	inc := r.selected()
	if inc == nil {
		return
	}
	s, ok := r.w.view.Focused()
	if !ok || r.w.doc == nil {
		r.status.SetText("Focus an event's trigger or argument in the document first")
		return
	}
	var ev *annotate.Event
	for i := range r.w.events {
		e := &r.w.events[i]
		if e.Trigger == s.ID {
			ev = e
			break
		}
		if ev == nil && slices.ContainsFunc(e.Args, func(a annotate.Argument) bool { return a.SpanID == s.ID }) {
			ev = e
		}
	}
	if ev == nil {
		r.status.SetText(fmt.Sprintf("%q is in no event", s.Text))
		return
	}
	ref := annotate.EventRef{DocID: r.w.doc.ID, EventID: ev.ID}
	id := inc.ID
	r.act("link event", func(ctx context.Context, is annotate.IncidentStore, ann string) error {
		return is.LinkEvent(ctx, id, ref, ann)
	})
}

// eventLine describes an event for a reviewer picking among them.
type eventLine struct {
	ref  annotate.EventRef
	text string
}

// pickEvents asks which events of the selected incident to split off (split) or to
// unlink, after loading their triggers.
func (r *reviewWin) pickEvents(split bool) {
	inc := r.selected()
	if inc == nil {
		return
	}
	st, refs, id := r.w.store, slices.Clone(inc.Events), inc.ID
	titles := map[int64]string{}
	for _, d := range r.w.docs {
		// outlet and date tell a document's events apart better than a long headline
		name := strings.TrimSpace(d.Source + "  " + shortDate(d.Published))
		if d.Source == "" {
			name = strings.TrimSpace(d.Title)
		}
		titles[d.ID] = orDash(name)
	}
	r.w.jobs.submit(func(ctx context.Context) {
		lines, err := describeEvents(ctx, st, refs, titles)
		r.w.ui(func() {
			if err != nil {
				r.fail("load events", err)
				return
			}
			r.eventDialog(id, lines, split)
		})
	})
}

func describeEvents(ctx context.Context, st annotate.Store, refs []annotate.EventRef, titles map[int64]string) ([]eventLine, error) {
	byDoc := map[int64][]annotate.Event{}
	text := map[int64]string{}
	out := make([]eventLine, 0, len(refs))
	for _, ref := range refs {
		if _, ok := byDoc[ref.DocID]; !ok {
			evs, err := st.Events(ctx, ref.DocID)
			if err != nil {
				return nil, fmt.Errorf("events of document %d: %w", ref.DocID, err)
			}
			byDoc[ref.DocID] = evs
			spans, err := st.Spans(ctx, ref.DocID, annotate.SpanFilter{})
			if err != nil {
				return nil, fmt.Errorf("spans of document %d: %w", ref.DocID, err)
			}
			for _, s := range spans {
				text[s.ID] = s.Text
			}
		}
		line := fmt.Sprintf("%s — event %d", titles[ref.DocID], ref.EventID)
		for _, e := range byDoc[ref.DocID] {
			if e.ID == ref.EventID {
				line = fmt.Sprintf("%s — %s “%s”", clip(titles[ref.DocID], 60), e.Type, clip(text[e.Trigger], 40))
			}
		}
		out = append(out, eventLine{ref, line})
	}
	return out, nil
}

func (r *reviewWin) eventDialog(id int64, lines []eventLine, split bool) {
	opts := make([]string, len(lines))
	for i, l := range lines {
		opts[i] = fmt.Sprintf("%d. %s", i+1, l.text) // numbered: two lines may read alike
	}
	chosen := func(sel []string) []annotate.EventRef {
		var refs []annotate.EventRef
		for i, o := range opts {
			if slices.Contains(sel, o) {
				refs = append(refs, lines[i].ref)
			}
		}
		return refs
	}
	if split {
		group := widget.NewCheckGroup(opts, nil)
		d := dialog.NewCustomConfirm("Split off into a new incident", "Split", "Cancel",
			container.NewVScroll(group), func(ok bool) {
				refs := chosen(group.Selected)
				if !ok || len(refs) == 0 {
					return
				}
				r.act("split incident", func(ctx context.Context, is annotate.IncidentStore, ann string) error {
					_, err := is.SplitIncident(ctx, id, refs, ann)
					return err
				})
			}, r.win)
		d.Resize(fyne.NewSize(640, 420))
		d.Show()
		return
	}
	radio := widget.NewRadioGroup(opts, nil)
	d := dialog.NewCustomConfirm("Take an event out of the incident", "Unlink", "Cancel",
		container.NewVScroll(radio), func(ok bool) {
			refs := chosen([]string{radio.Selected})
			if !ok || len(refs) == 0 {
				return
			}
			r.act("unlink event", func(ctx context.Context, is annotate.IncidentStore, ann string) error {
				return is.UnlinkEvent(ctx, id, refs[0], ann)
			})
		}, r.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

// mergeDialog asks which incidents to merge into the selected one.
func (r *reviewWin) mergeDialog() {
	inc := r.selected()
	if inc == nil {
		return
	}
	if len(r.view.Queue()) < 2 {
		r.status.SetText("No other incident in the queue to merge")
		return
	}
	var opts []string
	var ids []int64
	for _, o := range r.view.Queue() {
		if o.ID == inc.ID {
			continue
		}
		opts = append(opts, fmt.Sprintf("#%d %s (%s)", o.ID, o.Title, plural(len(o.DocIDs()), "document", "documents")))
		ids = append(ids, o.ID)
	}
	group := widget.NewCheckGroup(opts, nil)
	into := inc.ID
	d := dialog.NewCustomConfirm(fmt.Sprintf("Merge into #%d %s", inc.ID, inc.Title), "Merge", "Cancel",
		container.NewVScroll(group), func(ok bool) {
			var others []int64
			for i, o := range opts {
				if slices.Contains(group.Selected, o) {
					others = append(others, ids[i])
				}
			}
			if !ok || len(others) == 0 {
				return
			}
			r.act("merge incidents", func(ctx context.Context, is annotate.IncidentStore, ann string) error {
				_, err := is.MergeIncidents(ctx, into, others, ann)
				return err
			})
		}, r.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// reviewMenuItems are the View menu's entries for the review window.
func (w *Window) reviewMenuItems() []*fyne.MenuItem {
	rev := fyne.NewMenuItem("Review figures", w.ShowReview)
	rev.Shortcut = ctrl(fyne.KeyR)
	cur := fyne.NewMenuItem("Curation", w.ShowCuration)
	cur.Shortcut = ctrlShift(fyne.KeyR)
	return []*fyne.MenuItem{rev, cur}
}
