package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

// openDoc loads a document, its spans and events in the background and shows it. When
// it has no spans at all and a suggester is configured, suggestions are run for it.
func (w *Window) openDoc(id int64) {
	if w.store == nil {
		return
	}
	w.loadSeq++
	seq := w.loadSeq
	st, ann := w.store, w.annotator
	w.jobs.submit(func(ctx context.Context) {
		doc, err := st.Document(ctx, id)
		var spans []annotate.Span
		var events []annotate.Event
		if err == nil {
			spans, events, err = loadSpans(ctx, st, id)
		}
		if err == nil {
			err = st.SetSetting(ctx, settingLastDoc, strconv.FormatInt(id, 10))
		}
		if err == nil {
			announce(ctx, st, ann, id)
		}
		w.ui(func() {
			if seq != w.loadSeq || st != w.store {
				return // the user has moved on
			}
			if err != nil {
				w.fail("open document", err)
				return
			}
			w.showDoc(doc, spans, events)
			if len(spans) == 0 && w.cfg.Suggest != nil {
				w.suggest(doc.ID)
			}
		})
	})
}

func loadSpans(ctx context.Context, st annotate.Store, docID int64) ([]annotate.Span, []annotate.Event, error) {
	spans, err := st.Spans(ctx, docID, annotate.SpanFilter{})
	if err != nil {
		return nil, nil, fmt.Errorf("load spans: %w", err)
	}
	events, err := st.Events(ctx, docID)
	if err != nil {
		return nil, nil, fmt.Errorf("load events: %w", err)
	}
	sortSpans(spans)
	return spans, events, nil
}

func sortSpans(spans []annotate.Span) {
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].Start != spans[j].Start {
			return spans[i].Start < spans[j].Start
		}
		return spans[i].End > spans[j].End
	})
}

func (w *Window) showDoc(doc *annotate.Document, spans []annotate.Span, events []annotate.Event) {
	w.doc = doc
	w.offsets = annotate.NewOffsets(doc.Text)
	w.spans, w.events = spans, events
	w.view.SetDocument(doc.Text, spans)
	title := doc.Title
	if title == "" {
		title = doc.ExternalID
	}
	w.win.SetTitle("Evident — " + title)
	w.updateSummary()
	w.list.markCurrent()
	w.list.list.Refresh()
	w.view.SetMarks(nil)
	w.markHits() // search hits in this document, if a search is open (search.go)
	if !w.view.FocusNext(isSuggested) {
		w.refreshInspector()
	}
	w.status.update()
	// Take the keyboard only from nobody: a dialog's entry or the list being browsed
	// with arrow keys keeps it.
	if f := w.win.Canvas().Focused(); w.overlay == nil && (f == nil || f == w.view) {
		w.focusDocument()
	}
}

// applySpans shows spans and events reloaded from the store for the open document.
func (w *Window) applySpans(spans []annotate.Span, events []annotate.Event) {
	w.spans, w.events = spans, events
	w.view.SetSpans(spans)
	w.updateSummary()
	w.refreshInspector()
	w.status.update()
}

// updateSummary recounts the open document's list row from its spans.
func (w *Window) updateSummary() {
	if w.doc == nil {
		return
	}
	for i := range w.docs {
		if w.docs[i].ID != w.doc.ID {
			continue
		}
		d := &w.docs[i]
		d.Suggested, d.Accepted, d.Rejected = countSpans(w.spans)
		d.Status = w.doc.Status
		if row := w.list.rowOf(d.ID); row >= 0 {
			w.list.list.RefreshItem(row)
		}
	}
}

func countSpans(spans []annotate.Span) (sug, acc, rej int) {
	for _, s := range spans {
		switch s.Status {
		case annotate.StatusSuggested:
			sug++
		case annotate.StatusAccepted:
			acc++
		case annotate.StatusRejected:
			rej++
		}
	}
	return
}

func (w *Window) setDocs(docs []annotate.DocSummary) {
	w.docs = docs
	w.list.apply()
}

func isSuggested(s annotate.Span) bool { return s.Status == annotate.StatusSuggested }

// act queues one store call made by the user on the open document, then reloads the
// document's spans and events and shows them. focus, when non-zero, is the span to
// focus afterwards (e.g. a span just created).
func (w *Window) act(what string, d decision) {
	if w.doc == nil || w.store == nil {
		return
	}
	if w.annotator == "" {
		w.askAnnotator(false)
		return
	}
	st, docID, ann := w.store, w.doc.ID, w.annotator
	// The first decision in a new document puts it in progress. It is its own action,
	// logged before the decision, so undoing everything returns the document to new.
	start := w.doc.Status == annotate.DocNew
	if start {
		w.doc.Status = annotate.DocInProgress
		w.updateSummary()
	}
	p := pending{What: what, RID: newRequestID(), st: st, DocID: docID, Ann: ann, Start: start, D: d}
	if len(w.team.journal) > 0 {
		w.keep(p) // after the decisions already waiting, in order
		return
	}
	w.inflight++
	w.status.setSaving()
	w.jobs.submit(func(ctx context.Context) {
		focus, err := p.run(ctx)
		if unavailable(err) {
			// The server is away: keep the decision and send it again later.
			w.ui(func() {
				w.inflight--
				w.keep(p)
			})
			return
		}
		spans, events, rerr := loadSpans(ctx, st, docID)
		w.ui(func() {
			w.inflight--
			if err != nil {
				w.fail(what, err)
			} else if rerr != nil {
				w.fail("reload document", rerr)
			} else if w.inflight == 0 {
				w.status.setSaved()
			}
			if err == nil && st == w.store {
				w.noteDecision()
			}
			// Apply only the last reload of a burst: earlier ones would briefly show
			// the store before decisions still queued behind them.
			if rerr != nil || st != w.store || w.doc == nil || w.doc.ID != docID {
				return
			}
			if w.inflight == 0 || err != nil {
				w.applySpans(spans, events)
			}
			if focus != 0 {
				w.view.FocusSpan(focus)
			}
		})
	})
}

// setLocal changes spans in the open document before the store has answered, so the
// next key press already sees the decision.
func (w *Window) setLocal(id int64, change func(*annotate.Span)) {
	for i := range w.spans {
		if w.spans[i].ID == id {
			change(&w.spans[i])
		}
	}
	sortSpans(w.spans)
	w.view.SetSpans(w.spans)
	w.updateSummary()
	w.status.update()
}

// nextSuggestion returns the first suggestion after s in reading order, wrapping, other
// than s itself.
func (w *Window) nextSuggestion(s annotate.Span) (annotate.Span, bool) {
	var first *annotate.Span
	for i := range w.spans {
		c := &w.spans[i]
		if c.ID == s.ID || c.Status != annotate.StatusSuggested {
			continue
		}
		if first == nil {
			first = c
		}
		if c.Start > s.Start || (c.Start == s.Start && c.End < s.End) {
			return *c, true
		}
	}
	if first != nil {
		return *first, true
	}
	return annotate.Span{}, false
}

// decide accepts or rejects the focused span and moves on to the next suggestion.
func (w *Window) decide(st annotate.Status) {
	s, ok := w.view.Focused()
	if !ok {
		w.status.hint("No span in focus: Tab moves to the next suggestion")
		return
	}
	next, hasNext := w.nextSuggestion(s)
	if s.Status != st {
		id := s.ID
		w.setLocal(id, func(sp *annotate.Span) { sp.Status = st; sp.Annotator = w.annotator })
		verb := "accept"
		if st == annotate.StatusRejected {
			verb = "reject"
		}
		w.act(verb, decision{Op: opSetStatus, IDs: []int64{id}, Status: st})
	}
	if hasNext {
		w.view.FocusSpan(next.ID)
	} else {
		w.status.hint("No suggestions left: Ctrl+Enter marks the document done")
	}
}

// applyLabel creates a span from the selection, or relabels the focused span.
func (w *Window) applyLabel(name string) {
	if w.doc == nil {
		return
	}
	if _, ok := w.schema.Label(name); !ok {
		return
	}
	w.recent = pushRecent(w.recent, name, 5)
	if start, end, ok := w.view.Selection(); ok && end > start {
		if s, e, ok := annotate.TrimSpace(w.doc.Text, w.offsets, start, end); ok {
			start, end = s, e
		}
		span := annotate.Span{
			DocID: w.doc.ID, Start: start, End: end, Label: name,
			Status: annotate.StatusAccepted, Origin: annotate.OriginManual, Annotator: w.annotator,
		}
		w.view.ClearSelection()
		w.act("create span", decision{Op: opAddSpan, Span: &span})
		return
	}
	s, ok := w.view.Focused()
	if !ok {
		w.status.hint("Select text or focus a span to apply " + name)
		return
	}
	if s.Label == name && s.Status == annotate.StatusAccepted {
		return
	}
	s.Label = name
	s.Status = annotate.StatusAccepted
	w.setLocal(s.ID, func(sp *annotate.Span) { sp.Label = name; sp.Status = annotate.StatusAccepted })
	s.Annotator = w.annotator
	w.act("change label", decision{Op: opUpdateSpan, Span: &s})
}

// resize moves the focused span's start (start=true) or end by one token: dir > 0
// moves it right, dir < 0 left. Growing goes to the next token's far edge, shrinking to
// the near edge of the token inside the span, so the span never ends in a space.
func (w *Window) resize(start bool, dir int) {
	s, ok := w.view.Focused()
	if !ok || w.doc == nil {
		return
	}
	switch {
	case start && dir < 0: // grow to the left
		s.Start = w.view.TokenEdge(s.Start, -1, false)
	case start: // shrink from the left
		ns := w.view.TokenEdge(s.Start, 1, false)
		if ns >= s.End {
			return
		}
		s.Start = ns
	case dir > 0: // grow to the right
		s.End = w.view.TokenEdge(s.End, 1, true)
	default: // shrink from the right
		ne := w.view.TokenEdge(s.End, -1, true)
		if ne <= s.Start {
			return
		}
		s.End = ne
	}
	if cur, _ := w.view.Focused(); cur.Start == s.Start && cur.End == s.End {
		return // already at the edge of the text
	}
	if t, ok := w.offsets.Slice(w.doc.Text, s.Start, s.End); ok {
		s.Text = t
	}
	w.setLocal(s.ID, func(sp *annotate.Span) { sp.Start, sp.End, sp.Text = s.Start, s.End, s.Text })
	w.act("resize span", decision{Op: opUpdateSpan, Span: &s})
}

// acceptAll accepts every suggestion in the document, or of one label, after asking.
func (w *Window) acceptAll(label string) {
	if w.doc == nil {
		return
	}
	var ids []int64
	for _, s := range w.spans {
		if s.Status == annotate.StatusSuggested && (label == "" || s.Label == label) {
			ids = append(ids, s.ID)
		}
	}
	what := "suggestions in this document"
	if label != "" {
		what = label + " suggestions in this document"
	}
	if len(ids) == 0 {
		w.status.hint("No " + what)
		return
	}
	msg := fmt.Sprintf("Accept all %d %s?", len(ids), what)
	w.confirm("Accept all", msg, func() {
		set := map[int64]bool{}
		for _, id := range ids {
			set[id] = true
		}
		for i := range w.spans {
			if set[w.spans[i].ID] {
				w.spans[i].Status = annotate.StatusAccepted
			}
		}
		w.setLocal(0, func(*annotate.Span) {})
		w.act("accept all", decision{Op: opSetStatus, IDs: ids, Status: annotate.StatusAccepted})
	})
}

// confirm asks once; tests replace it to answer without a dialog.
func (w *Window) confirm(title, msg string, yes func()) {
	if w.confirmHook != nil {
		if w.confirmHook(title, msg) {
			yes()
		}
		return
	}
	d := dialog.NewConfirm(title, msg+"\n\nEnter accepts, Escape cancels.", func(ok bool) {
		if ok {
			yes()
		}
	}, w.win)
	d.SetConfirmText("Accept")
	d.SetConfirmImportance(widget.HighImportance)
	w.showDialog(d, d.Confirm)
}

// SetConfirm makes confirmations answer through f instead of a dialog (for tests and
// scripted runs).
func (w *Window) SetConfirm(f func(title, msg string) bool) { w.confirmHook = f }

// undo and redo go through the store's operations log for this annotator; if the
// change was in another document, that document is opened.
func (w *Window) undo(redo bool) {
	if w.store == nil || w.annotator == "" {
		return
	}
	st, ann := w.store, w.annotator
	var docID int64
	if w.doc != nil {
		docID = w.doc.ID
	}
	w.inflight++
	w.jobs.submit(func(ctx context.Context) {
		var op *annotate.Op
		var err error
		if redo {
			op, err = st.Redo(ctx, ann)
		} else {
			op, err = st.Undo(ctx, ann)
		}
		var doc *annotate.Document
		var spans []annotate.Span
		var events []annotate.Event
		target := docID
		if op != nil && op.DocID != 0 {
			target = op.DocID
		}
		if err == nil && target != 0 {
			doc, err = st.Document(ctx, target)
			if err == nil {
				spans, events, err = loadSpans(ctx, st, target)
			}
		}
		w.ui(func() {
			w.inflight--
			verb := "Undo"
			if redo {
				verb = "Redo"
			}
			if err != nil {
				w.fail(verb, err)
				return
			}
			if st != w.store {
				return
			}
			if doc != nil {
				focus, hasFocus := w.view.Focused()
				if w.doc == nil || w.doc.ID != doc.ID {
					w.loadSeq++
					w.showDoc(doc, spans, events)
				} else {
					w.doc = doc
					w.applySpans(spans, events)
					if hasFocus {
						w.view.FocusSpan(focus.ID)
					}
				}
			}
			if op == nil {
				w.status.hint("Nothing to " + map[bool]string{false: "undo", true: "redo"}[redo])
				return
			}
			w.status.setSavedMsg(fmt.Sprintf("%s: %s ✓", verb, opText(op)))
		})
	})
	w.reviewChanged() // queued behind the undo
}

func opText(op *annotate.Op) string {
	if op.Summary != "" {
		return op.Summary
	}
	return op.Kind
}

// markDone marks the open document done and opens the next one not yet done.
func (w *Window) markDone() {
	if w.doc == nil || w.store == nil {
		return
	}
	if w.annotator == "" {
		w.askAnnotator(false)
		return
	}
	id := w.doc.ID
	w.doc.Status = annotate.DocDone
	w.updateSummary()
	next := w.list.nextUndone()
	st, ann := w.store, w.annotator
	w.inflight++
	w.status.setSaving()
	w.jobs.submit(func(ctx context.Context) {
		err := st.SetDocumentStatus(ctx, id, annotate.DocDone, ann)
		w.ui(func() {
			w.inflight--
			if err != nil {
				w.fail("mark done", err)
				return
			}
			w.status.setSavedMsg("Marked done ✓")
			if st == w.store {
				w.noteDecision()
			}
		})
	})
	if next != 0 && next != id {
		w.list.selectID(next)
	} else {
		w.status.hint("All documents are done")
	}
}

// gotoDoc opens the document delta rows away in the list.
func (w *Window) gotoDoc(delta int) {
	if id := w.list.neighbour(delta); id != 0 {
		w.list.selectID(id)
	}
}

// suggest runs the suggester for a document in the background and shows the result.
func (w *Window) suggest(docID int64) {
	if w.cfg.Suggest == nil {
		return
	}
	st := w.store
	w.status.hint("Suggesting…")
	bg := w.ctx
	// show applies the document's stored spans if it is still the one on screen.
	show := func(spans []annotate.Span, events []annotate.Event) bool {
		if st != w.store || w.doc == nil || w.doc.ID != docID {
			return false
		}
		w.applySpans(spans, events)
		if _, ok := w.view.Focused(); !ok {
			w.view.FocusNext(isSuggested)
		}
		return true
	}
	// A long document's first screen is stored first: show it while the rest is stored.
	firstScreen := func() {
		spans, events, err := loadSpans(bg, st, docID)
		if err != nil || bg.Err() != nil {
			return // the full load below reports errors
		}
		w.ui(func() {
			if show(spans, events) {
				w.status.hint("Suggesting the rest…")
			}
		})
	}
	w.jobs.submit(func(context.Context) {
		n, err := w.cfg.Suggest(bg, docID, firstScreen)
		var spans []annotate.Span
		var events []annotate.Event
		if err == nil {
			spans, events, err = loadSpans(bg, st, docID)
		}
		if bg.Err() != nil {
			return // quitting
		}
		w.ui(func() {
			if err != nil {
				w.fail("suggest", err)
				return
			}
			if show(spans, events) {
				w.status.hint(fmt.Sprintf("%d suggestions added", n))
			}
		})
	})
}
