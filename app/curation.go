package app

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/app/docview"
)

// curationPane shows the documents where annotators disagree and, for one of them, two
// annotators' versions side by side (read-only document views) with the spans they
// differ on. The curator takes one version, the other, or span by span, into the gold
// layer (annotate.GoldAnnotator), each take one undoable action through
// annotate.SpanBatchStore.
type curationPane struct {
	r   *reviewWin
	obj fyne.CanvasObject

	items []annotate.Disagreement
	list  *widget.List
	empty *widget.Label

	doc      *annotate.Document
	spans    []annotate.Span // accepted spans of doc, every annotator
	loadSeq  int
	aSel     *widget.Select
	bSel     *widget.Select
	viewA    *docview.View
	viewB    *docview.View
	title    *widget.Label
	summary  *widget.Label
	takeA    *widget.Button
	takeB    *widget.Button
	takeBoth *widget.Button
	rows     *fyne.Container
	detail   fyne.CanvasObject
	none     fyne.CanvasObject
}

func newCurationPane(r *reviewWin) *curationPane {
	c := &curationPane{r: r}
	c.list = widget.NewList(
		func() int { return len(c.items) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("Document title")
			t.TextStyle.Bold = true
			t.Truncation = fyne.TextTruncateEllipsis
			s := widget.NewLabel("annotators")
			s.SizeName = theme.SizeNameCaptionText
			s.Truncation = fyne.TextTruncateEllipsis
			return container.New(&tightVBox{}, t, s)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(c.items) {
				return
			}
			d := c.items[id]
			objs := o.(*fyne.Container).Objects
			objs[0].(*widget.Label).SetText(d.Title)
			line := fmt.Sprintf("%s · %s differ", joinNames(d.Annotators), plural(d.Differing, "span", "spans"))
			if d.Gold > 0 {
				line += fmt.Sprintf(" · gold %d", d.Gold)
			}
			objs[1].(*widget.Label).SetText(line)
		})
	c.list.OnSelected = func(id widget.ListItemID) {
		if id < len(c.items) && (c.doc == nil || c.doc.ID != c.items[id].DocID) {
			c.open(c.items[id].DocID)
		}
	}
	c.empty = widget.NewLabel("")
	c.empty.Wrapping = fyne.TextWrapWord
	c.empty.Importance = widget.LowImportance
	head := widget.NewLabelWithStyle("Documents where annotators disagree", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	left := container.NewBorder(head, nil, nil, nil, container.NewStack(c.list, container.NewVBox(c.empty)))

	c.aSel = widget.NewSelect(nil, func(string) { c.showVersions() })
	c.bSel = widget.NewSelect(nil, func(string) { c.showVersions() })
	c.viewA, c.viewB = docview.New(), docview.New()
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.summary = widget.NewLabel("")
	c.summary.SizeName = theme.SizeNameCaptionText
	c.summary.Wrapping = fyne.TextWrapWord
	c.takeA = widget.NewButtonWithIcon("Take A's version", theme.DownloadIcon(), func() { c.takeAll(c.aSel.Selected) })
	c.takeB = widget.NewButtonWithIcon("Take B's version", theme.DownloadIcon(), func() { c.takeAll(c.bSel.Selected) })
	c.takeBoth = widget.NewButtonWithIcon("Take what both agree on", theme.ConfirmIcon(), c.takeAgreed)
	side := func(name string, sel *widget.Select, v *docview.View) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewBorder(container.NewBorder(nil, nil, l, nil, sel), nil, nil, nil, v)
	}
	versions := container.NewGridWithColumns(2, side("A", c.aSel, c.viewA), side("B", c.bSel, c.viewB))
	c.rows = container.NewVBox()
	top := container.NewVBox(c.title, c.summary,
		container.NewHBox(c.takeA, c.takeB, c.takeBoth, layout.NewSpacer()))
	split := container.NewVSplit(versions, container.NewVScroll(c.rows))
	split.Offset = 0.55
	c.detail = container.NewBorder(top, nil, nil, nil, split)
	c.none = container.NewCenter(widget.NewLabel("No document selected"))
	main := container.NewHSplit(left, container.NewStack(c.none, c.detail))
	main.Offset = 0.22
	c.detail.Hide()
	c.obj = main
	return c
}

func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := names[0]
	for _, n := range names[1 : len(names)-1] {
		out += ", " + n
	}
	return out + " and " + names[len(names)-1]
}

// reload finds the disagreeing documents again and reloads the open one.
func (c *curationPane) reload() {
	w := c.r.w
	st := w.store
	if st == nil {
		return
	}
	c.loadSeq++
	seq := c.loadSeq
	var docID int64
	if c.doc != nil {
		docID = c.doc.ID
	}
	w.jobs.submit(func(ctx context.Context) {
		var items []annotate.Disagreement
		var doc *annotate.Document
		var spans []annotate.Span
		f := annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusAccepted}}}
		err := st.EachDocument(ctx, f, func(d *annotate.Document, sp []annotate.Span, _ []annotate.Event) error {
			if dis, ok := annotate.Disagreements(d, sp); ok {
				items = append(items, dis)
			}
			if d.ID == docID {
				doc, spans = d, sp
			}
			return nil
		})
		w.ui(func() {
			if seq != c.loadSeq || st != w.store {
				return
			}
			if err != nil {
				c.r.fail("find disagreements", err)
				return
			}
			c.setItems(items)
			if doc != nil {
				c.show(doc, spans)
			} else if len(items) > 0 && c.doc == nil {
				c.list.Select(0)
			}
		})
	})
}

func (c *curationPane) setItems(items []annotate.Disagreement) {
	c.items = items
	c.list.Refresh()
	if len(items) == 0 {
		c.empty.SetText("No document has versions from two annotators that differ. Import or merge another annotator's work (evident import --annotator NAME, evident merge) to curate it here.")
		c.empty.Show()
	} else {
		c.empty.Hide()
	}
	if c.doc != nil {
		if i := slices.IndexFunc(items, func(d annotate.Disagreement) bool { return d.DocID == c.doc.ID }); i >= 0 {
			c.list.Select(i)
		}
	}
}

// CurationDocuments returns the documents the curation tab lists, nil until it was
// first opened.
func (w *Window) CurationDocuments() []annotate.Disagreement {
	if w.review == nil {
		return nil
	}
	return slices.Clone(w.review.cur.items)
}

// acceptedOf reads a document and its accepted spans: the versions curation compares.
func acceptedOf(ctx context.Context, st annotate.Store, docID int64) (*annotate.Document, []annotate.Span, error) {
	doc, err := st.Document(ctx, docID)
	if err != nil {
		return nil, nil, err
	}
	spans, err := st.Spans(ctx, docID, annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusAccepted}})
	return doc, spans, err
}

// open loads one document's accepted spans.
func (c *curationPane) open(docID int64) {
	c.load(c.r.w.store, docID, "open document", c.show)
}

// load reads a document's versions off the GUI goroutine and hands them to done, unless
// another load started or the database changed meanwhile.
func (c *curationPane) load(st annotate.Store, docID int64, what string, done func(*annotate.Document, []annotate.Span)) {
	w := c.r.w
	c.loadSeq++
	seq := c.loadSeq
	w.jobs.submit(func(ctx context.Context) {
		doc, spans, err := acceptedOf(ctx, st, docID)
		w.ui(func() {
			if seq != c.loadSeq || st != w.store {
				return
			}
			if err != nil {
				c.r.fail(what, err)
				return
			}
			done(doc, spans)
		})
	})
}

func (c *curationPane) show(doc *annotate.Document, spans []annotate.Span) {
	changed := c.doc == nil || c.doc.ID != doc.ID
	c.doc, c.spans = doc, spans
	c.none.Hide()
	c.detail.Show()
	title := doc.Title
	if title == "" {
		title = doc.ExternalID
	}
	c.title.SetText(title)
	names := c.annotators()
	// Keep the curator's choice of A and B while both still have a version.
	a, b := c.aSel.Selected, c.bSel.Selected
	if changed || !slices.Contains(names, a) || !slices.Contains(names, b) || a == b {
		a, b = "", ""
		if len(names) > 0 {
			a = names[0]
		}
		if len(names) > 1 {
			b = names[1]
		}
	}
	c.aSel.Options, c.bSel.Options = names, names
	c.aSel.Selected, c.bSel.Selected = a, b
	c.aSel.Refresh()
	c.bSel.Refresh()
	schema := c.r.w.schema
	c.viewA.SetSchema(schema)
	c.viewB.SetSchema(schema)
	if changed {
		c.viewA.SetDocument(doc.Text, nil)
		c.viewB.SetDocument(doc.Text, nil)
	}
	c.showVersions()
}

// annotators returns those with a version of the open document, gold left out.
func (c *curationPane) annotators() []string {
	var names []string
	for name := range annotate.Versions(c.spans, annotate.GoldAnnotator) {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (c *curationPane) gold() []annotate.Span {
	return annotate.Versions(c.spans)[annotate.GoldAnnotator]
}

// showVersions draws A's and B's spans and lists where they differ.
func (c *curationPane) showVersions() {
	if c.doc == nil {
		return
	}
	vs := annotate.Versions(c.spans)
	a, b := c.aSel.Selected, c.bSel.Selected
	c.viewA.SetSpans(vs[a])
	c.viewB.SetSpans(vs[b])
	c.takeA.SetText(fmt.Sprintf("Take all of %s", orDash(a)))
	c.takeB.SetText(fmt.Sprintf("Take all of %s", orDash(b)))
	diff := annotate.Diff(vs[a], vs[b])
	gold := map[annotate.SpanKey]bool{}
	for _, g := range vs[annotate.GoldAnnotator] {
		gold[annotate.KeyOf(g)] = true
	}
	inGold := 0
	for _, s := range diff.Both {
		if gold[annotate.KeyOf(s)] {
			inGold++
		}
	}
	c.summary.SetText(fmt.Sprintf("%s and %s agree on %s (%d in gold) and differ on %d. Gold has %s. Each take is one action: Ctrl+Z undoes it.",
		orDash(a), orDash(b), plural(len(diff.Both), "span", "spans"), inGold, len(diff.OnlyA)+len(diff.OnlyB),
		plural(len(vs[annotate.GoldAnnotator]), "span", "spans")))
	for _, btn := range []*widget.Button{c.takeA, c.takeB, c.takeBoth} {
		btn.Enable()
	}
	if a == "" || b == "" || a == b {
		c.takeBoth.Disable()
	}
	if a == "" {
		c.takeA.Disable()
	}
	if b == "" {
		c.takeB.Disable()
	}

	objs := []fyne.CanvasObject{}
	if len(diff.OnlyA)+len(diff.OnlyB) > 0 {
		objs = append(objs, container.NewGridWithColumns(2,
			widget.NewLabelWithStyle("Only "+orDash(a)+" (A)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabelWithStyle("Only "+orDash(b)+" (B)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})))
	}
	for _, row := range pairUp(diff.OnlyA, diff.OnlyB) {
		objs = append(objs, c.diffRow(row, a, b, gold))
	}
	if golds := vs[annotate.GoldAnnotator]; len(golds) > 0 {
		objs = append(objs, widget.NewSeparator(), widget.NewLabelWithStyle("Gold layer", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, g := range golds {
			g := g
			rm := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() {
				c.apply(fmt.Sprintf("remove gold %s", g.Label), []int64{g.ID}, nil)
			})
			from := annotate.CuratedFrom(g.Origin)
			objs = append(objs, container.NewBorder(nil, nil, nil, rm,
				c.spanLabel(g, "from "+orDash(from), func() { c.reveal(g) })))
		}
	}
	c.rows.Objects = objs
	c.rows.Refresh()
}

// diffPair is one place where versions differ: A's span(s) and B's overlapping ones.
type diffPair struct{ a, b []annotate.Span }

// pairUp puts each span only A has beside the spans only B has that overlap it, so a
// range or label disagreement reads as one row; spans without a counterpart get a row
// of their own. Rows are in reading order.
func pairUp(onlyA, onlyB []annotate.Span) []diffPair {
	usedB := make([]bool, len(onlyB))
	var rows []diffPair
	for _, s := range onlyA {
		row := diffPair{a: []annotate.Span{s}}
		for j, t := range onlyB {
			if !usedB[j] && t.Start < s.End && s.Start < t.End {
				usedB[j] = true
				row.b = append(row.b, t)
			}
		}
		rows = append(rows, row)
	}
	for j, t := range onlyB {
		if !usedB[j] {
			rows = append(rows, diffPair{b: []annotate.Span{t}})
		}
	}
	slices.SortStableFunc(rows, func(x, y diffPair) int { return rowStart(x) - rowStart(y) })
	return rows
}

func rowStart(p diffPair) int {
	if len(p.a) > 0 {
		return p.a[0].Start
	}
	return p.b[0].Start
}

func (c *curationPane) diffRow(row diffPair, a, b string, gold map[annotate.SpanKey]bool) fyne.CanvasObject {
	side := func(spans []annotate.Span, name string, other []annotate.Span) fyne.CanvasObject {
		if len(spans) == 0 {
			l := widget.NewLabel("—")
			l.Importance = widget.LowImportance
			take := widget.NewButton("Take none", func() { c.take(nil, other) })
			return container.NewBorder(nil, nil, nil, take, l)
		}
		var items []fyne.CanvasObject
		allIn := true
		for _, s := range spans {
			s := s
			mark := ""
			if gold[annotate.KeyOf(s)] {
				mark = "✓ gold"
			} else {
				allIn = false
			}
			items = append(items, c.spanLabel(s, mark, func() { c.reveal(s) }))
		}
		take := widget.NewButtonWithIcon("Take", theme.DownloadIcon(), func() { c.take(spans, other) })
		if allIn && !anyIn(other, gold) {
			take.Disable()
		}
		return container.NewBorder(nil, nil, nil, take, container.NewVBox(items...))
	}
	return container.NewVBox(
		container.NewGridWithColumns(2, side(row.a, "A "+a, row.b), side(row.b, "B "+b, row.a)),
		widget.NewSeparator())
}

func anyIn(spans []annotate.Span, gold map[annotate.SpanKey]bool) bool {
	return slices.ContainsFunc(spans, func(s annotate.Span) bool { return gold[annotate.KeyOf(s)] })
}

// spanLabel is a clickable line naming a span: its label, text and range.
func (c *curationPane) spanLabel(s annotate.Span, note string, onTap func()) fyne.CanvasObject {
	text := fmt.Sprintf("%s “%s”  [%d, %d)", s.Label, clip(s.Text, 60), s.Start, s.End)
	if note != "" {
		text = note + " · " + text // first, so truncating a long span never hides it
	}
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return newTapChip(l, onTap)
}

// reveal focuses the spans at s's place in both versions.
func (c *curationPane) reveal(s annotate.Span) {
	for _, v := range []*docview.View{c.viewA, c.viewB} {
		v.ScrollToOffset(s.Start)
		v.FocusSpan(s.ID)
	}
}

// take puts spans into gold in place of the gold copies of their alternatives (the
// other version's spans at that place), as one action.
func (c *curationPane) take(spans, alternatives []annotate.Span) {
	gold := c.gold()
	var remove []int64
	have := map[annotate.SpanKey]bool{}
	for _, g := range gold {
		have[annotate.KeyOf(g)] = true
		if slices.ContainsFunc(alternatives, func(s annotate.Span) bool { return annotate.KeyOf(s) == annotate.KeyOf(g) }) {
			remove = append(remove, g.ID)
		}
	}
	var missing []annotate.Span
	for _, s := range spans {
		if !have[annotate.KeyOf(s)] {
			missing = append(missing, s)
		}
	}
	add := goldCopies(missing)
	what := "take into gold"
	if len(spans) == 0 {
		what = "leave out of gold"
	}
	c.apply(what, remove, add)
}

// takeAll makes the gold layer of the document exactly annotator's version.
func (c *curationPane) takeAll(annotator string) {
	if c.doc == nil || annotator == "" {
		return
	}
	vs := annotate.Versions(c.spans)
	var remove []int64
	for _, g := range vs[annotate.GoldAnnotator] {
		remove = append(remove, g.ID)
	}
	c.apply("take "+annotator+"'s version", remove, goldCopies(vs[annotator]))
}

// takeAgreed adds to gold the spans both A and B have, leaving the rest of gold alone.
func (c *curationPane) takeAgreed() {
	vs := annotate.Versions(c.spans)
	diff := annotate.Diff(vs[c.aSel.Selected], vs[c.bSel.Selected])
	have := map[annotate.SpanKey]bool{}
	for _, g := range vs[annotate.GoldAnnotator] {
		have[annotate.KeyOf(g)] = true
	}
	var both []annotate.Span
	for _, s := range diff.Both {
		if !have[annotate.KeyOf(s)] {
			both = append(both, s)
		}
	}
	if len(both) == 0 {
		c.r.status.SetText("Gold already has every span both agree on")
		return
	}
	c.apply("take agreed spans", nil, goldCopies(both))
}

// goldCopies copies a whole version: claimants inside it stay linked (to the copies).
func goldCopies(spans []annotate.Span) []annotate.Span {
	keep := make(map[int64]bool, len(spans))
	for _, s := range spans {
		keep[s.ID] = true
	}
	out := make([]annotate.Span, len(spans))
	for i, s := range spans {
		out[i] = annotate.GoldCopy(s, keep)
	}
	return out
}

// apply stores one curation step and reloads the pane and, if it shows the same
// document, the annotation window.
func (c *curationPane) apply(what string, remove []int64, add []annotate.Span) {
	w := c.r.w
	if c.doc == nil {
		return
	}
	bs, ok := w.store.(annotate.SpanBatchStore)
	if !ok {
		c.r.status.SetText("This database cannot store a gold layer")
		return
	}
	if len(remove) == 0 && len(add) == 0 {
		c.r.status.SetText("Gold already has that")
		return
	}
	if w.annotator == "" {
		w.askAnnotator(false)
		return
	}
	st, ann, docID := w.store, w.annotator, c.doc.ID
	c.r.status.SetText(what + "…")
	w.jobs.submit(func(ctx context.Context) {
		_, err := bs.ReplaceSpans(ctx, docID, remove, add, ann)
		w.ui(func() {
			if err != nil {
				c.r.fail(what, err)
				return
			}
			c.r.status.SetText(what + " ✓ (Ctrl+Z undoes)")
			w.reloadOpen(st, docID)
		})
	})
	c.refreshDoc()
}

// refreshDoc reloads the open document's spans and its row in the list (after a take
// or an undo), without scanning every document again.
func (c *curationPane) refreshDoc() {
	w := c.r.w
	if c.doc == nil || w.store == nil {
		return
	}
	docID := c.doc.ID
	c.load(w.store, docID, "reload document", func(doc *annotate.Document, spans []annotate.Span) {
		if i := slices.IndexFunc(c.items, func(d annotate.Disagreement) bool { return d.DocID == docID }); i >= 0 {
			if d, ok := annotate.Disagreements(doc, spans); ok {
				c.items[i] = d
			} else {
				c.items[i].Gold = d.Gold // agreeing now (an annotator's span undone): kept until the next scan
			}
			c.list.RefreshItem(i)
		}
		c.show(doc, spans)
	})
}

// reloadOpen refreshes the annotation window when it shows document docID.
func (w *Window) reloadOpen(st annotate.Store, docID int64) {
	if st != w.store || w.doc == nil || w.doc.ID != docID {
		return
	}
	w.jobs.submit(func(ctx context.Context) {
		spans, events, err := loadSpans(ctx, st, docID)
		w.ui(func() {
			if err != nil || st != w.store || w.doc == nil || w.doc.ID != docID || w.inflight > 0 {
				return
			}
			w.applySpans(spans, events)
		})
	})
}
