package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

// docList is the left pane: a fuzzy filter over titles and the list of documents.
type docList struct {
	w      *Window
	filter *filterEntry
	list   *listWidget
	count  *widget.Label
	order  []int // indices into w.docs, in display order
	seq    int   // counts filter changes, so a slow ranking never overwrites a newer one
	// selecting suppresses OnSelected while the list is re-selected programmatically.
	selecting bool
	obj       fyne.CanvasObject
}

// filterEntry is the filter box: Down or Enter moves on to the list or the first match,
// Escape clears the filter and returns to the document.
type filterEntry struct {
	widget.Entry
	onKey func(ev *fyne.KeyEvent) bool
}

func newFilterEntry() *filterEntry {
	e := &filterEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *filterEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// listWidget is the document list: Enter opens the row under the keyboard cursor and
// moves to the document, Escape goes back to the document.
type listWidget struct {
	widget.List
	onKey func(ev *fyne.KeyEvent) bool
}

func (l *listWidget) TypedKey(ev *fyne.KeyEvent) {
	if l.onKey != nil && l.onKey(ev) {
		return
	}
	l.List.TypedKey(ev)
}

func newDocList(w *Window) *docList {
	d := &docList{w: w}
	d.filter = newFilterEntry()
	d.filter.SetPlaceHolder("Filter documents…")
	d.filter.OnChanged = func(string) { d.apply() }
	d.filter.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyDown:
			w.win.Canvas().Focus(d.list)
			return true
		case fyne.KeyReturn, fyne.KeyEnter:
			if len(d.order) > 0 {
				d.list.Select(0)
				w.focusDocument()
			}
			return true
		case fyne.KeyEscape:
			d.filter.SetText("")
			w.focusDocument()
			return true
		}
		return false
	}
	d.count = widget.NewLabel("")
	d.count.SizeName = theme.SizeNameCaptionText
	d.count.Importance = widget.MediumImportance

	d.list = &listWidget{onKey: func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			d.list.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // selects the row under the cursor
			w.focusDocument()
			return true
		case fyne.KeyEscape:
			w.focusDocument()
			return true
		}
		return false
	}}
	d.list.Length = func() int { return len(d.order) }
	d.list.CreateItem = newDocRow
	d.list.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < 0 || id >= len(d.order) {
			return
		}
		fillDocRow(o, w.docs[d.order[id]], w.doc != nil && w.doc.ID == w.docs[d.order[id]].ID)
	}
	d.list.ExtendBaseWidget(d.list)
	d.list.OnSelected = func(id widget.ListItemID) {
		if d.selecting || id < 0 || id >= len(d.order) {
			return
		}
		w.openDoc(w.docs[d.order[id]].ID)
	}
	head := container.NewBorder(nil, nil, nil, d.count, widget.NewLabelWithStyle("Documents", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	d.obj = container.NewBorder(container.NewVBox(head, d.filter), nil, nil, nil, d.list)
	return d
}

func (d *docList) object() fyne.CanvasObject { return d.obj }

// apply re-ranks the documents for the current filter and keeps the open document
// selected if it is still listed.
func (d *docList) apply() {
	// Ranking 100,000 titles takes ~30 ms (BenchmarkRankDocuments): more than a frame,
	// so large lists are ranked on another goroutine and the latest answer wins.
	d.seq++
	if len(d.w.docs) > 5000 && d.filter.Text != "" {
		seq, docs, q := d.seq, d.w.docs, d.filter.Text
		go func() {
			order := RankDocuments(docs, q)
			d.w.ui(func() {
				if seq == d.seq {
					d.show(order)
				}
			})
		}()
		return
	}
	d.show(RankDocuments(d.w.docs, d.filter.Text))
}

func (d *docList) show(order []int) {
	if d.w.uncertain != nil && d.filter.Text == "" {
		order = OrderByUncertainty(d.w.docs, order, d.w.uncertain) // uncertainty.go
	}
	d.order = order
	if d.filter.Text == "" {
		d.count.SetText(fmt.Sprintf("%d", len(d.w.docs)))
	} else {
		d.count.SetText(fmt.Sprintf("%d of %d", len(d.order), len(d.w.docs)))
	}
	d.list.Refresh()
	d.markCurrent()
}

// markCurrent selects the open document's row without reopening it.
func (d *docList) markCurrent() {
	d.selecting = true
	defer func() { d.selecting = false }()
	if d.w.doc == nil {
		d.list.UnselectAll()
		return
	}
	for i, k := range d.order {
		if d.w.docs[k].ID == d.w.doc.ID {
			d.list.Select(i)
			return
		}
	}
	d.list.UnselectAll()
}

// rowOf returns the list row showing the document with id, or -1.
func (d *docList) rowOf(id int64) int {
	for i, k := range d.order {
		if d.w.docs[k].ID == id {
			return i
		}
	}
	return -1
}

// selectID opens the document with id if it is in the list.
func (d *docList) selectID(id int64) bool {
	for i, k := range d.order {
		if d.w.docs[k].ID == id {
			seq := d.w.loadSeq
			d.list.Select(i) // opens the document through OnSelected unless already selected
			d.list.ScrollTo(i)
			if d.w.loadSeq == seq && (d.w.doc == nil || d.w.doc.ID != id) {
				d.w.openDoc(id)
			}
			return true
		}
	}
	return false
}

// neighbour returns the id of the document delta rows away from the open one in the
// current order, or 0.
func (d *docList) neighbour(delta int) int64 {
	if len(d.order) == 0 {
		return 0
	}
	cur := -1
	if d.w.doc != nil {
		for i, k := range d.order {
			if d.w.docs[k].ID == d.w.doc.ID {
				cur = i
				break
			}
		}
	}
	next := cur + delta
	if cur < 0 {
		next = 0
	}
	if next < 0 || next >= len(d.order) {
		return 0
	}
	return d.w.docs[d.order[next]].ID
}

// nextUndone returns the first document after the open one (wrapping) that is not done,
// falling back to the plain next one.
func (d *docList) nextUndone() int64 {
	n := len(d.order)
	if n == 0 {
		return 0
	}
	cur := -1
	for i, k := range d.order {
		if d.w.doc != nil && d.w.docs[k].ID == d.w.doc.ID {
			cur = i
		}
	}
	for step := 1; step < n; step++ {
		ds := d.w.docs[d.order[(cur+step+n)%n]]
		if ds.Status != annotate.DocDone {
			return ds.ID
		}
	}
	return d.neighbour(1)
}

// docRow: the title on its own line, then "outlet · date" and, on the right, the status
// and the counts of suggested and accepted spans.
func newDocRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Title", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	meta := widget.NewLabel("outlet · date")
	meta.SizeName = theme.SizeNameCaptionText
	meta.Truncation = fyne.TextTruncateEllipsis
	meta.Importance = widget.MediumImportance
	counts := widget.NewLabel("000 sugg · 000 acc")
	counts.SizeName = theme.SizeNameCaptionText
	counts.Alignment = fyne.TextAlignTrailing
	status := widget.NewLabelWithStyle("in progress", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	status.SizeName = theme.SizeNameCaptionText
	right := container.New(&tightHBox{}, counts, status)
	bottom := container.NewBorder(nil, nil, nil, right, meta)
	return container.New(&tightVBox{}, title, bottom)
}

func fillDocRow(o fyne.CanvasObject, d annotate.DocSummary, open bool) {
	c := o.(*fyne.Container)
	title := c.Objects[0].(*widget.Label)
	bottom := c.Objects[1].(*fyne.Container)
	meta := bottom.Objects[0].(*widget.Label)
	right := bottom.Objects[1].(*fyne.Container)
	counts := right.Objects[0].(*widget.Label)
	status := right.Objects[1].(*widget.Label)

	t := d.Title
	if t == "" {
		t = d.ExternalID
	}
	if t == "" {
		t = fmt.Sprintf("Document %d", d.ID)
	}
	title.SetText(t)
	m := d.Source
	if d.Published != "" {
		if m != "" {
			m += " · "
		}
		m += shortDate(d.Published)
	}
	if m == "" {
		m = "—"
	}
	meta.SetText(m)
	switch displayStatus(d) {
	case annotate.DocDone:
		status.Importance = widget.SuccessImportance
		status.SetText("✓ done")
	case annotate.DocInProgress:
		status.Importance = widget.WarningImportance
		status.SetText("in progress")
	default:
		status.Importance = widget.MediumImportance
		status.SetText("new")
	}
	counts.Importance = widget.MediumImportance
	counts.SetText(fmt.Sprintf("%d sugg · %d acc ·", d.Suggested, d.Accepted))
}

// tightHBox places objects side by side without padding between them.
type tightHBox struct{}

func (tightHBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return fyne.NewSize(s.Width-2*theme.Padding()*float32(max(len(objs)-1, 0)), s.Height)
}

func (tightHBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for _, o := range objs {
		m := o.MinSize()
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(m.Width, size.Height))
		x += m.Width - 2*theme.Padding()
	}
}

// displayStatus is the status shown for a document.
func displayStatus(d annotate.DocSummary) annotate.DocStatus { return d.Status }

// shortDate keeps the date part of an RFC 3339 timestamp.
func shortDate(s string) string {
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return s
}

// tightVBox stacks rows without the theme padding between them, so a list row reads as
// one item.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
	}
	pad := theme.Padding()
	return fyne.NewSize(s.Width, s.Height-2*pad*float32(max(len(objs)-1, 0)))
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - 2*pad
	}
}
