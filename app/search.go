package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/query"
)

// searchLimit bounds the hits the search pane lists; narrowing the document list asks
// for every matching document separately.
const searchLimit = 2000

// searchPane is the search pane (Ctrl+Shift+F), under the document in the main window:
// a query box, the hits as keyword-in-context lines, and buttons to narrow the document
// list to the documents hit. It is part of the main window, not a window of its own, so
// the query typed right after Ctrl+Shift+F lands in its box whatever the window manager
// does with new windows (one that kept the focus on the main window sent the letters to
// the document, as label keys). Queries run off the GUI goroutine; each keystroke
// cancels the one before and only the newest answer is shown. All fields are touched on
// the GUI goroutine only.
type searchPane struct {
	obj       fyne.CanvasObject // the pane
	body      fyne.CanvasObject // the main window's body without the pane
	split     *container.Split  // body over the pane, while it is shown
	entry     *filterEntry
	info      *widget.Label
	order     *widget.Select
	list      *listWidget
	hits      []annotate.Hit
	cur       int // the hit F3 stepped to or Enter opened; -1 for none
	seq       int
	cancel    context.CancelFunc
	selecting bool
}

func (w *Window) searcher() annotate.Searcher {
	if s, ok := w.store.(annotate.Searcher); ok {
		return s
	}
	return query.Scan{Store: w.store}
}

// showSearch opens the search pane (or keeps it open) with the query box focused and
// its text selected, so typing replaces the last query.
func (w *Window) showSearch() {
	p := w.panes.search
	if p == nil {
		p = w.newSearchPane()
		w.panes.search = p
	}
	body, _ := w.content.(*fyne.Container) // the body over the status bar (app.go)
	if p.split == nil && body != nil {
		for i, o := range body.Objects {
			if o != w.status.object() {
				p.body = o
				p.split = container.NewVSplit(o, p.obj)
				p.split.Offset = 0.62
				body.Objects[i] = p.split
				body.Refresh()
				break
			}
		}
	}
	w.win.Canvas().Focus(p.entry)
	p.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// closeSearch is Escape in the pane: it goes, the document gets the keys again, and the
// hits stay for F3.
func (w *Window) closeSearch() {
	p := w.panes.search
	if p == nil || p.split == nil {
		return
	}
	if body, ok := w.content.(*fyne.Container); ok {
		for i, o := range body.Objects {
			if o == p.split {
				body.Objects[i] = p.body
			}
		}
		body.Refresh()
	}
	p.split = nil
	w.win.Canvas().Focus(w.view)
}

func (w *Window) newSearchPane() *searchPane {
	p := &searchPane{cur: -1}
	p.entry = newFilterEntry()
	p.entry.SetPlaceHolder(`Search all documents: words, "phrases", -word, label:DEATH, status:accepted, done:no … (? for help)`)
	p.entry.OnChanged = func(string) { w.runSearch() }
	p.entry.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyDown:
			w.win.Canvas().Focus(p.list)
			return true
		case fyne.KeyReturn, fyne.KeyEnter:
			if len(p.hits) > 0 {
				w.openHit(0)
				w.win.Canvas().Focus(w.view) // the hit is labelled or decided there; F3 goes on
			}
			return true
		case fyne.KeyEscape:
			w.closeSearch()
			return true
		case fyne.KeyF3:
			w.stepHit(1)
			return true
		}
		return false
	}
	p.info = widget.NewLabel("Type a query. Enter opens the first hit; F3 / Shift+F3 step through them; Escape closes.")
	p.info.Wrapping = fyne.TextWrapWord
	p.order = widget.NewSelect([]string{"Newest first", "By document"}, func(string) { w.runSearch() })
	p.order.SetSelectedIndex(0)
	p.list = &listWidget{onKey: func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			p.list.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
			return true
		case fyne.KeyEscape:
			w.closeSearch()
			return true
		case fyne.KeyF3:
			w.stepHit(1)
			return true
		}
		return false
	}}
	p.list.Length = func() int { return len(p.hits) }
	p.list.CreateItem = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	p.list.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= 0 && id < len(p.hits) {
			o.(*widget.Label).SetText(kwicLine(p.hits[id]))
		}
	}
	p.list.ExtendBaseWidget(p.list)
	p.list.OnSelected = func(id widget.ListItemID) {
		if !p.selecting {
			w.openHit(id)
		}
	}
	narrow := widget.NewButton("Only these documents in the list", w.narrowToHits)
	all := widget.NewButton("All documents", func() { w.list.narrow(nil) })
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), w.closeSearch)
	closeBtn.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle("Search", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.NewBorder(nil, nil, title, closeBtn, p.entry)
	top := container.NewVBox(head, container.NewBorder(nil, nil, nil, container.NewHBox(p.order, narrow, all), p.info))
	p.obj = container.NewBorder(top, nil, nil, nil, p.list)
	return p
}

// SearchBox returns the search pane's query box while the pane is shown (nil
// otherwise), so tests can type into it.
func (w *Window) SearchBox() fyne.Focusable {
	if w.panes.search == nil || w.panes.search.split == nil {
		return nil
	}
	return w.panes.search.entry
}

// SearchHits returns the hits the search pane lists.
func (w *Window) SearchHits() []annotate.Hit {
	if w.panes.search == nil {
		return nil
	}
	return w.panes.search.hits
}

// kwicLine is one result row: the words before, the hit in brackets and the words after
// first (so a narrow window still shows the hit), then the label and status of a span
// hit, then the document's title.
func kwicLine(h annotate.Hit) string {
	before := []rune(h.Before)
	if len(before) > 40 {
		before = before[len(before)-40:]
	}
	s := fmt.Sprintf("…%s[%s]%s…", string(before), h.Text, h.After)
	if h.SpanID != 0 {
		s = fmt.Sprintf("%s · %s   %s", h.Label, h.Status, s)
	}
	return s + "   — " + h.Title
}

func (p *searchPane) options() annotate.SearchOptions {
	opt := annotate.SearchOptions{Limit: searchLimit}
	if p.order.SelectedIndex() == 1 {
		opt.Order = annotate.SearchByDocument
	}
	return opt
}

// runSearch starts the query in the box; an older one still running is cancelled and
// its answer dropped.
func (w *Window) runSearch() {
	p := w.panes.search
	if p == nil || p.order == nil {
		return
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.seq++
	seq, text, opt, s := p.seq, p.entry.Text, p.options(), w.searcher()
	if text == "" {
		p.setHits(nil)
		p.info.SetText("Type a query.")
		w.markHits()
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	p.cancel = cancel
	p.info.SetText("Searching…")
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		res, err := s.Search(ctx, text, opt)
		w.ui(func() {
			if seq != p.seq {
				return // a newer query is running or shown
			}
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					p.info.SetText(err.Error())
				}
				return
			}
			p.setHits(res.Hits)
			p.info.SetText(searchSummary(res))
			w.markHits()
		})
	}()
}

func searchSummary(res *annotate.SearchResult) string {
	docs := map[int64]bool{}
	for _, h := range res.Hits {
		docs[h.DocID] = true
	}
	s := fmt.Sprintf("%d hits in %d documents", len(res.Hits), len(docs))
	if res.More {
		s = fmt.Sprintf("first %d hits (in %d documents) — there are more", len(res.Hits), len(docs))
	}
	if res.Method == "scan" {
		s += " · read every document (no full-text index in this build)"
	}
	return s
}

func (p *searchPane) setHits(hits []annotate.Hit) {
	p.hits, p.cur = hits, -1
	p.selecting = true
	p.list.UnselectAll()
	p.selecting = false
	p.list.Refresh()
	p.list.ScrollToTop()
}

// openHit opens the document of hit i (or stays in it), highlights its hits and moves
// to hit i: a span hit is focused, a text hit selected (so a label key labels it).
func (w *Window) openHit(i int) {
	p := w.panes.search
	if p == nil || i < 0 || i >= len(p.hits) {
		return
	}
	p.cur = i
	p.selecting = true
	p.list.Select(i)
	p.selecting = false
	p.list.ScrollTo(i)
	if w.doc != nil && w.doc.ID == p.hits[i].DocID {
		w.markHits()
		return
	}
	w.openDoc(p.hits[i].DocID) // showDoc calls markHits when it arrives
}

// markHits highlights the search hits in the open document and goes to the current one.
func (w *Window) markHits() {
	p := w.panes.search
	if w.doc == nil || p == nil {
		return
	}
	var marks [][2]int
	for _, h := range p.hits {
		if h.DocID == w.doc.ID && h.End > h.Start {
			marks = append(marks, [2]int{h.Start, h.End})
		}
	}
	w.view.SetMarks(marks)
	if p.cur < 0 || p.cur >= len(p.hits) || p.hits[p.cur].DocID != w.doc.ID {
		return
	}
	h := p.hits[p.cur]
	if h.SpanID != 0 && w.view.FocusSpan(h.SpanID) {
		w.refreshInspector()
	} else if h.End > h.Start {
		w.view.SetSelection(h.Start, h.End)
	}
	w.view.ScrollToOffset(h.Start)
	w.status.hint(fmt.Sprintf("Search hit %d of %d (F3 next, Shift+F3 previous)", p.cur+1, len(p.hits)))
}

// stepHit is F3 (dir 1) and Shift+F3 (dir -1): the next or previous hit, across
// documents, wrapping around.
func (w *Window) stepHit(dir int) {
	p := w.panes.search
	if p == nil || len(p.hits) == 0 {
		w.status.hint("No search hits: Ctrl+Shift+F searches")
		return
	}
	i := p.cur + dir
	if p.cur < 0 && dir < 0 {
		i = len(p.hits) - 1
	}
	w.openHit((i + len(p.hits)) % len(p.hits))
}

// narrowToHits narrows the document list to every document the query hits (not only
// the listed hits), found in the background.
func (w *Window) narrowToHits() {
	p := w.panes.search
	if p == nil || p.entry.Text == "" {
		return
	}
	text, s, st := p.entry.Text, w.searcher(), w.store
	p.info.SetText("Finding every document…")
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		res, err := s.Search(w.ctx, text, annotate.SearchOptions{})
		w.ui(func() {
			if st != w.store {
				return
			}
			if err != nil {
				p.info.SetText(err.Error())
				return
			}
			ids := map[int64]bool{}
			for _, h := range res.Hits {
				ids[h.DocID] = true
			}
			w.list.narrow(ids)
			p.info.SetText(fmt.Sprintf("The document list shows the %d documents this query hits", len(ids)))
		})
	}()
}
