package overview

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*BarChart)(nil)

// Part is one piece of a stacked bar. Its colour is Color, or the theme colour ColorName
// when that is set (so that it follows the light or dark theme). A faded part is drawn
// at a third of its colour's strength: "suggested, not yet decided".
type Part struct {
	Value     float64
	Color     color.Color
	ColorName fyne.ThemeColorName
	Faded     bool
}

// Bar is one row of a horizontal bar chart: a label, stacked parts, and a note after the
// bar. A Warn bar has its label in the theme's error colour.
type Bar struct {
	Label string
	Parts []Part
	Note  string
	Warn  bool
}

// Total is the length of the bar: the sum of its parts.
func (b Bar) Total() float64 {
	t := 0.0
	for _, p := range b.Parts {
		t += p.Value
	}
	return t
}

// BarChart draws labelled horizontal stacked bars, all on one scale (the longest bar
// fills the space between the label column and its note). Set its bars from the GUI
// goroutine.
type BarChart struct {
	widget.BaseWidget
	bars []Bar
	// Empty is shown instead of the chart when there is no bar or every bar is zero.
	Empty string
}

// NewBarChart returns an empty bar chart.
func NewBarChart() *BarChart {
	c := &BarChart{Empty: "Nothing yet"}
	c.ExtendBaseWidget(c)
	return c
}

// SetBars replaces the bars and redraws.
func (c *BarChart) SetBars(bars []Bar) {
	c.bars = bars
	c.Refresh()
}

// Bars returns the bars drawn.
func (c *BarChart) Bars() []Bar { return c.bars }

// CreateRenderer is part of fyne.Widget.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	return &barRenderer{c: c}
}

type barRenderer struct {
	c       *BarChart
	size    fyne.Size
	objects []fyne.CanvasObject
}

func (r *barRenderer) Destroy()                     {}
func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barRenderer) Layout(s fyne.Size)           { r.size = s; r.build() }
func (r *barRenderer) Refresh()                     { r.build(); canvas.Refresh(r.c) }

// rowHeight is the height of one bar row: a line of text and some air.
func rowHeight() float32 {
	return fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height + theme.Padding()
}

func (r *barRenderer) MinSize() fyne.Size {
	rows := len(r.c.bars)
	if rows == 0 {
		rows = 1
	}
	return fyne.NewSize(160, float32(rows)*rowHeight())
}

// build makes the canvas objects for the current bars and size. Charts hold tens of
// rows, so rebuilding on every layout is cheaper than keeping pools in step.
func (r *barRenderer) build() {
	pal := palette(r.c)
	r.objects = r.objects[:0]
	ts := theme.TextSize()
	pad := theme.Padding()
	rowH := rowHeight()
	maxTotal, labelW, noteW := 0.0, float32(0), float32(0)
	for _, b := range r.c.bars {
		maxTotal = max(maxTotal, b.Total())
		labelW = max(labelW, fyne.MeasureText(b.Label, ts, fyne.TextStyle{Bold: b.Warn}).Width)
		noteW = max(noteW, fyne.MeasureText(b.Note, ts*0.9, fyne.TextStyle{}).Width)
	}
	if maxTotal <= 0 {
		t := canvas.NewText(r.c.Empty, pal.muted)
		t.TextSize = ts
		t.Move(fyne.NewPos(pad, (r.size.Height-rowH)/2))
		r.objects = append(r.objects, t)
		return
	}
	labelW = min(labelW, r.size.Width*0.45)
	barX := labelW + 2*pad
	barMax := r.size.Width - barX - noteW - 2*pad
	if barMax < 10 {
		barMax = 10
	}
	axis := canvas.NewLine(pal.axis)
	axis.StrokeWidth = 1
	axis.Position1 = fyne.NewPos(barX, 0)
	axis.Position2 = fyne.NewPos(barX, float32(len(r.c.bars))*rowH)
	r.objects = append(r.objects, axis)
	for i, b := range r.c.bars {
		y := float32(i) * rowH
		lc := pal.fg
		if b.Warn {
			lc = pal.warn
		}
		label := canvas.NewText(b.Label, lc)
		label.TextSize = ts
		label.TextStyle.Bold = b.Warn
		label.Alignment = fyne.TextAlignTrailing
		label.Move(fyne.NewPos(pad, y))
		label.Resize(fyne.NewSize(labelW, rowH-pad))
		r.objects = append(r.objects, label)
		x := barX
		for _, p := range b.Parts {
			if p.Value <= 0 {
				continue
			}
			w := float32(p.Value/maxTotal) * barMax
			rect := canvas.NewRectangle(pal.part(p))
			rect.Move(fyne.NewPos(x, y+pad/2))
			rect.Resize(fyne.NewSize(w, rowH-2*pad))
			r.objects = append(r.objects, rect)
			x += w
		}
		if b.Note != "" {
			note := canvas.NewText(b.Note, pal.muted)
			note.TextSize = ts * 0.9
			note.Move(fyne.NewPos(x+pad, y+ts*0.05))
			r.objects = append(r.objects, note)
		}
	}
}

// colours are the theme colours a chart uses in one frame.
type colours struct {
	th                          fyne.Theme
	variant                     fyne.ThemeVariant
	fg, muted, axis, grid, warn color.Color
}

func palette(w fyne.Widget) colours {
	th := theme.Current()
	if t, ok := w.(interface{ Theme() fyne.Theme }); ok {
		th = t.Theme()
	}
	v := fyne.CurrentApp().Settings().ThemeVariant()
	return colours{
		th: th, variant: v,
		fg:    th.Color(theme.ColorNameForeground, v),
		muted: th.Color(theme.ColorNamePlaceHolder, v),
		axis:  th.Color(theme.ColorNameDisabled, v),
		grid:  th.Color(theme.ColorNameSeparator, v),
		warn:  th.Color(theme.ColorNameError, v),
	}
}

func (p colours) part(pt Part) color.Color {
	c := pt.Color
	if pt.ColorName != "" {
		c = p.th.Color(pt.ColorName, p.variant)
	}
	if c == nil {
		c = p.fg
	}
	if pt.Faded {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		n.A = uint8(uint16(n.A) * 85 / 255)
		return n
	}
	return c
}
