// Package review is the review view of disputed casualty figures: a queue of incidents,
// disputed ones first, and for one incident every figure as a row, an interval chart of
// the claims on one axis, and an adjudication form. All data comes in through setters;
// the shell feeds them from the store and handles the callbacks. Call every method from
// the GUI goroutine (fyne.Do from workers).
package review

import (
	"fmt"
	"image/color"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/incident"
)

var (
	_ fyne.Widget   = (*View)(nil)
	_ fyne.Widget   = (*figureRow)(nil)
	_ fyne.Tappable = (*figureRow)(nil)
)

const allKinds = "all kinds"

// View is the review view. Its callbacks may be nil.
type View struct {
	widget.BaseWidget

	// OnOpen is called when the reviewer clicks a figure: open that document at that span.
	OnOpen func(docID, spanID int64)
	// OnAdjudicate is called with a validated adjudication of the shown incident and
	// kind; Reviewer and At are filled from Reviewer and the clock (the store may
	// overwrite them).
	OnAdjudicate func(annotate.Adjudication)
	// OnSelect is called when the reviewer picks an incident in the queue.
	OnSelect func(incidentID int64)
	// Reviewer is the name recorded with adjudications.
	Reviewer string

	all      []annotate.Incident
	queue    []annotate.Incident
	sums     map[int64]incident.Summary
	filter   annotate.IncidentFilter
	selected int64
	kind     string
	rows     []*figureRow // figure rows of the shown incident and kind, as drawn

	kindFilter          *widget.Select
	placeE, fromE, toE  *widget.Entry
	list                *widget.List
	count               *widget.Label
	empty               *widget.Label
	title               *widget.Label
	sub                 *widget.Label
	kinds               *widget.RadioGroup
	verdict             *widget.RichText
	chart               *Chart
	rowBox              *fyne.Container
	adjKind             *widget.Label
	bestE, lowE, highE  *widget.Entry
	noteE               *widget.Entry
	record              *widget.Button
	formMsg             *widget.Label
	inEffect            *widget.Label
	detail, placeholder fyne.CanvasObject
	content             *container.Split
	noKindEvents        bool // set while the view itself changes the kind radio
}

// New returns an empty review view.
func New() *View {
	v := &View{sums: map[int64]incident.Summary{}}
	v.ExtendBaseWidget(v)
	v.build()
	return v
}

// CreateRenderer is part of fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

func (v *View) build() {
	v.kindFilter = widget.NewSelect(append([]string{allKinds}, annotate.CasualtyKinds...), func(s string) {
		f := v.filter
		f.Kind = ""
		if s != allKinds {
			f.Kind = s
		}
		v.SetFilter(f)
	})
	v.kindFilter.SetSelected(allKinds)
	v.placeE = widget.NewEntry()
	v.placeE.SetPlaceHolder("Place")
	v.fromE, v.toE = widget.NewEntry(), widget.NewEntry()
	v.fromE.SetPlaceHolder("From YYYY-MM-DD")
	v.toE.SetPlaceHolder("To YYYY-MM-DD")
	onText := func(string) {
		f := v.filter
		f.Place, f.From, f.To = strings.TrimSpace(v.placeE.Text), strings.TrimSpace(v.fromE.Text), strings.TrimSpace(v.toE.Text)
		v.SetFilter(f)
	}
	v.placeE.OnChanged, v.fromE.OnChanged, v.toE.OnChanged = onText, onText, onText

	v.list = widget.NewList(
		func() int { return len(v.queue) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("Incident title")
			t.TextStyle.Bold = true
			t.Truncation = fyne.TextTruncateEllipsis
			s := widget.NewLabel("details")
			s.Truncation = fyne.TextTruncateEllipsis
			s.SizeName = theme.SizeNameCaptionText
			return container.New(&tightVBox{}, t, s)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.queue) {
				return
			}
			inc := &v.queue[id]
			c := o.(*fyne.Container)
			t, s := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			t.SetText(inc.Title)
			s.Importance = widget.MediumImportance
			if v.sums[inc.ID].Disputed {
				s.Importance = widget.DangerImportance
			}
			s.SetText(queueLine(inc, v.sums[inc.ID]))
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		if id < len(v.queue) && v.queue[id].ID != v.selected {
			v.show(v.queue[id].ID)
			if v.OnSelect != nil {
				v.OnSelect(v.selected)
			}
		}
	}
	v.count = widget.NewLabel("")
	v.count.SizeName = theme.SizeNameCaptionText
	filters := container.NewVBox(
		widget.NewLabelWithStyle("Casualty figures to review", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWithColumns(2, v.kindFilter, v.placeE),
		container.NewGridWithColumns(2, v.fromE, v.toE),
		v.count,
	)
	v.empty = widget.NewLabel("")
	v.empty.Wrapping = fyne.TextWrapWord
	v.empty.Importance = widget.LowImportance
	queue := container.NewBorder(filters, nil, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty)))

	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.sub = widget.NewLabel("")
	v.sub.SizeName = theme.SizeNameCaptionText
	v.sub.Truncation = fyne.TextTruncateEllipsis
	v.kinds = widget.NewRadioGroup(nil, func(k string) {
		if !v.noKindEvents && k != "" {
			v.SetKind(k)
		}
	})
	v.kinds.Horizontal = true
	v.kinds.Required = true
	v.verdict = widget.NewRichText()
	v.verdict.Wrapping = fyne.TextWrapWord
	v.chart = NewChart()
	v.rowBox = container.NewVBox()

	v.adjKind = widget.NewLabelWithStyle("Adjudicate", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.bestE, v.lowE, v.highE = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.bestE.SetPlaceHolder("best")
	v.lowE.SetPlaceHolder("low")
	v.highE.SetPlaceHolder("high")
	for _, e := range []*widget.Entry{v.bestE, v.lowE, v.highE} {
		e.Validator = func(s string) error { _, err := parseCount("value", s); return err }
	}
	v.noteE = widget.NewEntry()
	v.noteE.SetPlaceHolder("Note: why this figure (sources weighed, what is uncertain)")
	// Enter in any field records, as the button does
	for _, e := range []*widget.Entry{v.bestE, v.lowE, v.highE, v.noteE} {
		e.OnSubmitted = func(string) { v.submit() }
	}
	v.record = widget.NewButtonWithIcon("Record", theme.ConfirmIcon(), func() { v.submit() })
	v.record.Importance = widget.HighImportance
	v.formMsg = widget.NewLabel("")
	v.formMsg.Wrapping = fyne.TextWrapWord
	v.inEffect = widget.NewLabel("")
	v.inEffect.Wrapping = fyne.TextWrapWord
	v.inEffect.SizeName = theme.SizeNameCaptionText
	// each number box wide enough for "12,000,000" and its placeholder
	numW := fyne.MeasureText("High", theme.CaptionTextSize(), fyne.TextStyle{}).Width +
		fyne.MeasureText("1,000,000", theme.TextSize(), fyne.TextStyle{}).Width + theme.IconInlineSize() + 8*theme.Padding()
	box := func(name string, e *widget.Entry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(numW, e.MinSize().Height), labelled(name, e))
	}
	numbers := container.NewHBox(box("Best", v.bestE), box("Low", v.lowE), box("High", v.highE))
	form := container.NewVBox(
		widget.NewSeparator(),
		v.adjKind,
		v.inEffect,
		container.NewBorder(nil, nil, nil, v.record, container.NewBorder(nil, nil, numbers, nil, v.noteE)),
		v.formMsg,
	)
	top := container.NewVBox(v.title, v.sub, v.kinds, v.verdict, v.chart, widget.NewSeparator())
	v.detail = container.NewBorder(top, form, nil, nil, container.NewVScroll(v.rowBox))
	v.placeholder = container.NewCenter(widget.NewLabel("No incident selected"))
	v.content = container.NewHSplit(queue, container.NewStack(v.placeholder, v.detail))
	v.content.Offset = 0.3
	v.detail.Hide()
}

func labelled(name string, e *widget.Entry) fyne.CanvasObject {
	l := widget.NewLabel(name)
	l.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, l, nil, e)
}

// queueLine summarises an incident for the queue: documents, the kinds with their
// ranges, and the dispute.
func queueLine(inc *annotate.Incident, s incident.Summary) string {
	parts := []string{}
	if inc.Date != "" {
		parts = append(parts, inc.Date)
	}
	parts = append(parts, plural(len(inc.DocIDs()), "doc", "docs"))
	for _, k := range s.Kinds {
		lo, hi := -1, -1
		for _, f := range inc.Figures {
			if f.Kind != k.Kind {
				continue
			}
			l, h := incident.Bounds(f)
			if f.Low == nil && f.High == nil {
				continue
			}
			if lo < 0 || l < lo {
				lo = l
			}
			if f.High != nil && h > hi {
				hi = h
			}
			if f.High == nil && l > hi {
				hi = l
			}
		}
		if lo >= 0 {
			r := num(lo)
			if hi > lo {
				r += "–" + num(hi)
			}
			parts = append(parts, k.Kind+" "+r)
		}
	}
	if s.Disputed {
		parts = append(parts, "disputed, spread "+num(s.Spread))
	}
	return strings.Join(parts, " · ")
}

// SetIncidents replaces the incidents. The queue is re-sorted and filtered; the shown
// incident stays selected while it is still in the queue (with its new figures).
func (v *View) SetIncidents(incs []annotate.Incident) {
	v.all = slices.Clone(incs)
	v.sums = make(map[int64]incident.Summary, len(incs))
	for i := range v.all {
		v.sums[v.all[i].ID] = incident.Summarize(v.all[i].Figures)
	}
	v.refilter()
}

// SetFilter narrows the queue (Kind, Place, From, To; DocID too) and updates the
// filter widgets to match.
func (v *View) SetFilter(f annotate.IncidentFilter) {
	if f == v.filter {
		return
	}
	v.filter = f
	if k := f.Kind; k == "" && v.kindFilter.Selected != allKinds {
		v.kindFilter.SetSelected(allKinds)
	} else if k != "" && v.kindFilter.Selected != k {
		v.kindFilter.SetSelected(k)
	}
	for _, p := range []struct {
		e *widget.Entry
		s string
	}{{v.placeE, f.Place}, {v.fromE, f.From}, {v.toE, f.To}} {
		if strings.TrimSpace(p.e.Text) != p.s {
			p.e.SetText(p.s)
		}
	}
	v.refilter()
}

// Filter returns the queue's filter.
func (v *View) Filter() annotate.IncidentFilter { return v.filter }

func (v *View) refilter() {
	v.queue = v.queue[:0]
	for i := range v.all {
		if incident.Matches(&v.all[i], v.filter) {
			v.queue = append(v.queue, v.all[i])
		}
	}
	incident.SortWith(v.queue, func(inc *annotate.Incident) incident.Summary { return v.sums[inc.ID] })
	disputed := 0
	for i := range v.queue {
		if v.sums[v.queue[i].ID].Disputed {
			disputed++
		}
	}
	v.count.SetText(fmt.Sprintf("%d incidents, %d disputed (of %d)", len(v.queue), disputed, len(v.all)))
	v.list.Refresh()
	if len(v.queue) == 0 {
		v.empty.SetText("No incident matches the filter.")
		if len(v.all) == 0 {
			v.empty.SetText("No incidents yet. An incident groups events from several documents that tell of the same happening.")
		}
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	sel := v.selected
	v.selected = 0
	if i := v.index(sel); i >= 0 {
		v.show(sel)
		v.list.Select(i)
	} else {
		v.list.UnselectAll()
		v.show(0)
	}
}

// Queue returns the incidents of the queue in the order shown.
func (v *View) Queue() []annotate.Incident { return slices.Clone(v.queue) }

func (v *View) index(id int64) int {
	if id == 0 {
		return -1
	}
	return slices.IndexFunc(v.queue, func(inc annotate.Incident) bool { return inc.ID == id })
}

// Select shows the incident with the given id; false if it is not in the queue.
func (v *View) Select(id int64) bool {
	i := v.index(id)
	if i < 0 {
		return false
	}
	v.show(id)
	v.list.Select(i)
	v.list.ScrollTo(i)
	return true
}

// Selected returns the incident shown, nil if none.
func (v *View) Selected() *annotate.Incident {
	if i := v.index(v.selected); i >= 0 {
		inc := v.queue[i]
		return &inc
	}
	return nil
}

// Kind returns the kind of figure the chart and rows show.
func (v *View) Kind() string { return v.kind }

// SetKind shows the figures of another kind of the selected incident.
func (v *View) SetKind(kind string) {
	if kind == v.kind {
		return
	}
	v.kind = kind
	v.showKind()
}

// show fills the detail side for incident id (0: none).
func (v *View) show(id int64) {
	changed := id != v.selected
	v.selected = id
	inc := v.Selected()
	if inc == nil {
		v.detail.Hide()
		v.placeholder.Show()
		v.rows = nil
		return
	}
	v.placeholder.Hide()
	v.detail.Show()
	v.title.SetText(inc.Title)
	var outlets []string
	for _, f := range inc.Figures {
		if f.Outlet != "" && !slices.Contains(outlets, f.Outlet) {
			outlets = append(outlets, f.Outlet)
		}
	}
	sub := plural(len(inc.Events), "event", "events") + " in " + plural(len(inc.DocIDs()), "document", "documents")
	if len(outlets) > 0 {
		sub += " · " + strings.Join(outlets, ", ")
	}
	v.sub.SetText(sub)
	sum := v.sums[inc.ID]
	var kinds []string
	for _, k := range sum.Kinds {
		kinds = append(kinds, k.Kind)
	}
	v.noKindEvents = true
	v.kinds.Options = kinds
	if changed || !slices.Contains(kinds, v.kind) {
		// start on the kind with the widest dispute, else the first
		v.kind = ""
		best := -1
		for _, k := range sum.Kinds {
			if k.Spread > best {
				best, v.kind = k.Spread, k.Kind
			}
		}
		if v.filter.Kind != "" && slices.Contains(kinds, v.filter.Kind) {
			v.kind = v.filter.Kind
		}
	}
	v.kinds.SetSelected(v.kind)
	v.kinds.Refresh()
	v.noKindEvents = false
	if changed {
		for _, e := range []*widget.Entry{v.bestE, v.lowE, v.highE, v.noteE} {
			e.SetText("")
		}
		v.formMsg.SetText("")
	}
	v.showKind()
}

// figuresOf returns the incident's figures of one kind in publication order.
func figuresOf(inc *annotate.Incident, kind string) []annotate.Figure {
	var figs []annotate.Figure
	for _, f := range inc.Figures {
		if f.Kind == kind {
			figs = append(figs, f)
		}
	}
	sort.SliceStable(figs, func(i, j int) bool {
		a, b := figs[i], figs[j]
		if a.Published != b.Published {
			return a.Published < b.Published
		}
		if a.DocID != b.DocID {
			return a.DocID < b.DocID
		}
		return a.Start < b.Start
	})
	return figs
}

func (v *View) showKind() {
	inc := v.Selected()
	if inc == nil {
		return
	}
	figs := figuresOf(inc, v.kind)
	colors := colorsFor(figs)
	disputes := incident.Disputes(figs)
	inDispute := map[int]bool{}
	for _, d := range disputes {
		inDispute[d.Lower], inDispute[d.Upper] = true, true
	}

	// verdict line
	var ks incident.KindSummary
	for _, k := range v.sums[inc.ID].Kinds {
		if k.Kind == v.kind {
			ks = k
		}
	}
	if ks.Disputes > 0 {
		w := disputes[0]
		v.verdict.Segments = []widget.RichTextSegment{
			&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}},
				Text: fmt.Sprintf("Disputed: %d of %d %s figures disagree, spread %s. ", len(inDispute), len(figs), v.kind, num(ks.Spread))},
			&widget.TextSegment{Style: widget.RichTextStyleInline,
				Text: fmt.Sprintf("Widest: %s (%s) against %s (%s).", rangeText(figs[w.Lower].Low, figs[w.Lower].High), orUnstated(figs[w.Lower].ClaimantText),
					rangeText(figs[w.Upper].Low, figs[w.Upper].High), orUnstated(figs[w.Upper].ClaimantText))},
		}
	} else {
		v.verdict.Segments = []widget.RichTextSegment{&widget.TextSegment{Style: widget.RichTextStyleInline,
			Text: fmt.Sprintf("The %d %s figures can all be true.", len(figs), v.kind)}}
	}
	v.verdict.Refresh()

	adj := inc.Adjudicated(v.kind)
	claims := make([]Claim, len(figs))
	for i, f := range figs {
		claims[i] = Claim{
			Label: day(f.Published) + "  " + f.Outlet,
			Low:   f.Low, High: f.High,
			Note:  rangeText(f.Low, f.High) + "  " + orUnstated(f.ClaimantText),
			Color: colors[claimantKey(f)],
		}
	}
	if adj != nil {
		v.chart.SetClaims(claims, adj.Low, adj.Best, adj.High)
		earlier := 0
		for _, a := range inc.Adjudications {
			if a.Kind == v.kind {
				earlier++
			}
		}
		text := fmt.Sprintf("In effect: best %s, range %s, by %s at %s.", ptrText(adj.Best), rangeText(adj.Low, adj.High),
			orUnstated(adj.Reviewer), adj.At.Local().Format("2006-01-02 15:04"))
		if adj.Note != "" {
			text += " " + adj.Note
		}
		if earlier > 1 {
			text += fmt.Sprintf(" (%s before it)", plural(earlier-1, "decision", "decisions"))
		}
		v.inEffect.SetText(text)
		v.inEffect.Show()
	} else {
		v.chart.SetClaims(claims, nil, nil, nil)
		v.inEffect.SetText("")
		v.inEffect.Hide()
	}
	v.adjKind.SetText("Adjudicate " + v.kind)

	v.rows = v.rows[:0]
	objs := make([]fyne.CanvasObject, 0, len(figs))
	for i, f := range figs {
		r := newFigureRow(f, colors[claimantKey(f)], inDispute[i], v.open)
		v.rows = append(v.rows, r)
		objs = append(objs, r)
	}
	v.rowBox.Objects = objs
	v.rowBox.Refresh()
}

func ptrText(p *int) string {
	if p == nil {
		return "–"
	}
	return num(*p)
}

func (v *View) open(docID, spanID int64) {
	if v.OnOpen != nil {
		v.OnOpen(docID, spanID)
	}
}

// Adjudication reads the form: the numbers must be whole numbers and low ≤ best ≤ high.
func (v *View) adjudication() (annotate.Adjudication, error) {
	inc := v.Selected()
	if inc == nil {
		return annotate.Adjudication{}, fmt.Errorf("no incident selected")
	}
	a := annotate.Adjudication{IncidentID: inc.ID, Kind: v.kind, Note: strings.TrimSpace(v.noteE.Text), Reviewer: v.Reviewer, At: time.Now()}
	var err error
	if a.Best, err = parseCount("best", v.bestE.Text); err != nil {
		return a, err
	}
	if a.Low, err = parseCount("low", v.lowE.Text); err != nil {
		return a, err
	}
	if a.High, err = parseCount("high", v.highE.Text); err != nil {
		return a, err
	}
	if err := a.Validate(); err != nil {
		msg := err.Error()
		return a, fmt.Errorf("%s", strings.TrimPrefix(msg, "adjudication: "))
	}
	return a, nil
}

func (v *View) submit() {
	a, err := v.adjudication()
	if err != nil {
		v.formMsg.Importance = widget.DangerImportance
		v.formMsg.SetText(err.Error())
		return
	}
	v.formMsg.Importance = widget.SuccessImportance
	v.formMsg.SetText(fmt.Sprintf("Recorded %s: best %s, range %s.", a.Kind, ptrText(a.Best), rangeText(a.Low, a.High)))
	if v.OnAdjudicate != nil {
		v.OnAdjudicate(a)
	}
}

// tightVBox stacks objects with no gap: two lines of one queue entry.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - theme.Padding()
	}
	return s
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.Padding()
	}
}

// figureRow is one figure: a claimant colour swatch, a line of facts and the sentence
// with the figure highlighted. Tapping it opens the document at the span.
type figureRow struct {
	widget.BaseWidget
	fig     annotate.Figure
	onTap   func(docID, spanID int64)
	content fyne.CanvasObject
}

func newFigureRow(f annotate.Figure, col color.Color, disputed bool, onTap func(int64, int64)) *figureRow {
	r := &figureRow{fig: f, onTap: onTap}
	r.ExtendBaseWidget(r)
	sw := canvas.NewRectangle(col)
	sw.SetMinSize(fyne.NewSize(6, 6))
	sw.CornerRadius = 2

	facts := []widget.RichTextSegment{
		&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}, Text: orUnstated(f.Outlet)},
		&widget.TextSegment{Style: widget.RichTextStyleInline, Text: "  " + day(f.Published) + "  ·  "},
		&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}, Text: f.Kind + " " + rangeText(f.Low, f.High)},
	}
	var more []string
	if q := qualifierText(f.Qualifier); q != "" {
		more = append(more, q)
	}
	if len(f.Victims) > 0 {
		more = append(more, strings.Join(f.Victims, ", "))
	}
	if f.Scope != "" {
		more = append(more, f.Scope)
	}
	if f.ClaimantText != "" {
		more = append(more, "claimed by "+f.ClaimantText)
	} else {
		more = append(more, "no claimant named")
	}
	facts = append(facts, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: "  ·  " + strings.Join(more, "  ·  ")})
	if disputed {
		facts = append(facts, &widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}}, Text: "  ·  disputed"})
	}
	head := widget.NewRichText(facts...)
	head.Wrapping = fyne.TextWrapWord

	sr := []rune(f.Sentence)
	a, b := min(max(f.SentStart, 0), len(sr)), min(max(f.SentEnd, 0), len(sr))
	if a > b {
		a, b = b, a
	}
	sent := widget.NewRichText(
		&widget.TextSegment{Style: widget.RichTextStyleInline, Text: string(sr[:a])},
		&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}}, Text: string(sr[a:b])},
		&widget.TextSegment{Style: widget.RichTextStyleInline, Text: string(sr[b:])},
	)
	sent.Wrapping = fyne.TextWrapWord
	r.content = container.NewBorder(nil, nil, sw, nil, container.New(&tightVBox{}, head, sent))
	return r
}

// Figure returns the figure the row shows.
func (r *figureRow) Figure() annotate.Figure { return r.fig }

// Tapped opens the document at the figure.
func (r *figureRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap(r.fig.DocID, r.fig.SpanID)
	}
}

// Cursor shows a hand over a row: it is a link.
func (r *figureRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (r *figureRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
