package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

// statusBar is the bottom line: annotator (click to change), document progress, the
// saved state of the latest commit and the database path.
type statusBar struct {
	w         *Window
	annotator *widget.Button
	progress  *widget.Label
	saved     *widget.Label
	db        *widget.Label
	obj       fyne.CanvasObject
}

func newStatusBar(w *Window) *statusBar {
	b := &statusBar{w: w}
	b.annotator = widget.NewButtonWithIcon("", theme.AccountIcon(), func() { w.askAnnotator(false) })
	b.annotator.Importance = widget.LowImportance
	b.progress = widget.NewLabel("")
	b.saved = widget.NewLabel("")
	b.db = widget.NewLabel("")
	b.db.Importance = widget.MediumImportance
	b.db.Truncation = fyne.TextTruncateEllipsis
	b.db.Alignment = fyne.TextAlignTrailing
	help := widget.NewButtonWithIcon("", theme.HelpIcon(), w.showHelp)
	help.Importance = widget.LowImportance
	left := container.NewHBox(b.annotator, vline(), b.progress, vline(), b.saved)
	b.obj = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, left, help, b.db))
	return b
}

func vline() fyne.CanvasObject {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	r.SetMinSize(fyne.NewSize(1, 18))
	return container.NewCenter(r)
}

func (b *statusBar) object() fyne.CanvasObject { return b.obj }

// update shows the annotator, the open document's counts and the database path.
func (b *statusBar) update() {
	name := b.w.annotator
	if name == "" {
		name = "Set annotator…"
	}
	b.annotator.SetText(name)
	if b.w.doc != nil {
		sug, acc, rej := countSpans(b.w.spans)
		st := displayStatus(annotate.DocSummary{Status: b.w.doc.Status, Rejected: rej})
		b.progress.SetText(fmt.Sprintf("%d suggested · %d accepted · %d rejected · %s", sug, acc, rej, statusWord(st)))
	} else {
		b.progress.SetText("No document open")
	}
	b.db.SetText(b.w.dbPath)
}

func statusWord(s annotate.DocStatus) string {
	switch s {
	case annotate.DocDone:
		return "done"
	case annotate.DocInProgress:
		return "in progress"
	}
	return "new"
}

func (b *statusBar) setSaving() {
	b.saved.Importance = widget.MediumImportance
	b.saved.SetText("Saving…")
}

func (b *statusBar) setSaved() { b.setSavedMsg("Saved ✓") }

// setSavedMsg reports a commit; the overview, when shown, is brought up to date.
func (b *statusBar) setSavedMsg(msg string) {
	b.saved.Importance = widget.SuccessImportance
	b.saved.SetText(msg)
	b.w.refreshOverview()
}

func (b *statusBar) setError(msg string) {
	b.saved.Importance = widget.DangerImportance
	b.saved.SetText(msg)
}

// hint shows a transient note where the saved state goes.
func (b *statusBar) hint(msg string) {
	b.saved.Importance = widget.MediumImportance
	b.saved.SetText(msg)
}

// Status returns the status bar's message (saved state, error or hint); for tests.
func (w *Window) Status() string { return w.status.saved.Text }

// buildLegend lays out one chip per label: colour swatch, name and key.
func (w *Window) buildLegend() *fyne.Container {
	fl := &flowLayout{}
	c := container.New(fl)
	fl.relayout = func() {
		if w.centre != nil {
			w.centre.Refresh()
		}
	}
	w.fillLegend(c)
	return c
}

func (w *Window) fillLegend(c *fyne.Container) {
	c.Objects = nil
	if w.schema != nil {
		for _, l := range w.schema.Labels {
			name := l.Name
			c.Objects = append(c.Objects, newTapChip(legendChip(l), func() {
				w.applyLabel(name)
				w.focusDocument()
			}))
		}
	}
	c.Refresh()
}

func legendChip(l annotate.Label) fyne.CanvasObject {
	col := parseHex(l.Color)
	sw := canvas.NewRectangle(col)
	sw.CornerRadius = 3
	sw.SetMinSize(fyne.NewSize(14, 14))
	name := canvas.NewText(l.Name, theme.Color(theme.ColorNameForeground))
	name.TextSize = theme.CaptionTextSize() + 1
	name.TextStyle = fyne.TextStyle{Bold: true}
	key := canvas.NewText(l.Key, theme.Color(theme.ColorNameForeground))
	key.TextSize = theme.CaptionTextSize()
	key.TextStyle = fyne.TextStyle{Monospace: true}
	keyBg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	keyBg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	keyBg.StrokeWidth = 1
	keyBg.CornerRadius = 3
	keyBox := container.NewStack(keyBg, container.New(layout.NewCustomPaddedLayout(0, 0, 4, 4), key))
	chip := container.NewHBox(container.NewCenter(sw), container.NewCenter(name))
	if l.Key != "" {
		chip.Add(container.NewCenter(keyBox))
	}
	return chip
}

// parseHex reads #RRGGBB; schemas are validated, so anything else is grey.
func parseHex(s string) color.NRGBA {
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
	}
	return color.NRGBA{R: r, G: g, B: b, A: 0xff}
}

// flowLayout places objects left to right and wraps to a new row when the width runs
// out, like words in a paragraph. Fyne asks for MinSize before it gives a width, so the
// layout remembers the last width and asks its parent to lay out again when the number
// of rows changes.
type flowLayout struct {
	width    float32
	relayout func()
}

func (f *flowLayout) height(objs []fyne.CanvasObject, width float32) float32 {
	pad := theme.Padding()
	x, h, rowH := pad, pad, float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > pad && x+m.Width+pad > width {
			h += rowH + pad
			x, rowH = pad, 0
		}
		x += m.Width + 2*pad
		rowH = max(rowH, m.Height)
	}
	return h + rowH + pad
}

func (f *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	width := f.width
	if width == 0 {
		width = 100000
	}
	return fyne.NewSize(w+2*theme.Padding(), f.height(objs, width))
}

func (f *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	x, y, rowH := pad, pad, float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > pad && x+m.Width+pad > size.Width {
			y += rowH + pad
			x, rowH = pad, 0
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(m)
		x += m.Width + 2*pad
		rowH = max(rowH, m.Height)
	}
	old := f.width
	f.width = size.Width
	if old != size.Width && f.relayout != nil && f.height(objs, old) != f.height(objs, size.Width) {
		fyne.Do(f.relayout)
	}
}

// tapChip makes a legend entry clickable: it applies its label to the selection or the
// focused span, like its key.
type tapChip struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

var (
	_ fyne.Tappable      = (*tapChip)(nil)
	_ desktop.Cursorable = (*tapChip)(nil)
)

func newTapChip(content fyne.CanvasObject, onTap func()) *tapChip {
	c := &tapChip{content: content, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

func (c *tapChip) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.content) }
func (c *tapChip) Tapped(*fyne.PointEvent)             { c.onTap() }
func (c *tapChip) Cursor() desktop.Cursor              { return desktop.PointerCursor }
