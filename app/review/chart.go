package review

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*Chart)(nil)

// Claim is one row of the interval chart: a figure drawn as the interval [Low, High] on
// the chart's numeric axis. A nil Low starts at 0 and fades in from the axis start; a nil
// High runs to the end of the axis, fading out, with an arrow.
type Claim struct {
	Label string // left of the axis: publication date and outlet
	Low   *int
	High  *int
	Note  string // beside the interval: the range and who claims it
	Color color.Color
}

// Chart draws claims as horizontal intervals on one axis that starts at 0, one row per
// claim in the order given, with an optional adjudicated band (low–high) and best value
// drawn across all rows. Call its setters from the GUI goroutine.
type Chart struct {
	widget.BaseWidget
	claims []Claim
	// adjudicated range and best value; nil when not adjudicated
	adjLow, adjHigh, adjBest *int
	// Empty is shown when there is no claim with a number.
	Empty string
}

// NewChart returns an empty chart.
func NewChart() *Chart {
	c := &Chart{Empty: "No figures of this kind"}
	c.ExtendBaseWidget(c)
	return c
}

// SetClaims replaces the claims and the adjudicated values (nil: none) and redraws.
func (c *Chart) SetClaims(claims []Claim, low, best, high *int) {
	c.claims, c.adjLow, c.adjBest, c.adjHigh = claims, low, best, high
	c.Refresh()
}

// Claims returns the claims drawn.
func (c *Chart) Claims() []Claim { return c.claims }

// CreateRenderer is part of fyne.Widget.
func (c *Chart) CreateRenderer() fyne.WidgetRenderer { return &chartRenderer{c: c} }

// Scale maps values to x positions: the axis runs from X0 (value 0) to X1 (value Max).
type Scale struct {
	X0, X1 float32
	Max    int
}

// X is the x position of v; values beyond Max are clamped to the axis end.
func (s Scale) X(v int) float32 {
	if s.Max <= 0 {
		return s.X0
	}
	return s.X0 + (s.X1-s.X0)*float32(min(v, s.Max))/float32(s.Max)
}

// axisMax is the end of the axis: a round number above every finite bound, with room
// for open-ended claims to show that they go on.
func axisMax(claims []Claim, extra ...*int) int {
	top := 0
	open := false
	for _, cl := range claims {
		if cl.Low != nil {
			top = max(top, *cl.Low)
		}
		if cl.High != nil {
			top = max(top, *cl.High)
		} else {
			open = true
		}
	}
	for _, p := range extra {
		if p != nil {
			top = max(top, *p)
		}
	}
	if top <= 0 {
		return 10
	}
	want := float64(top) * 1.1
	if open {
		want = float64(top) * 1.3
	}
	return niceMax(want)
}

// niceMax rounds v up to a round number for the end of an axis: fine steps, so that
// the intervals use most of the width.
func niceMax(v float64) int {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return max(int(math.Round(m*p)), 1)
		}
	}
	return int(10 * p)
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) int {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return max(int(math.Round(m*p)), 1)
		}
	}
	return int(10 * p)
}

// ticks returns about n round values from 0 to max inclusive.
func ticks(maxV, n int) []int {
	step := niceCeil(float64(maxV) / float64(max(n, 1)))
	var out []int
	for v := 0; v <= maxV; v += step {
		out = append(out, v)
	}
	return out
}

type chartRenderer struct {
	c       *Chart
	size    fyne.Size
	objects []fyne.CanvasObject
	// bars holds the interval rectangle of each claim (nil for a claim without
	// numbers), in claim order; tests read their geometry.
	bars  []*canvas.Rectangle
	scale Scale
}

func (r *chartRenderer) Destroy()                     {}
func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Layout(s fyne.Size)           { r.size = s; r.build() }
func (r *chartRenderer) Refresh()                     { r.build(); canvas.Refresh(r.c) }

func rowH() float32 {
	return fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.Padding()
}

func axisH() float32 {
	return fyne.MeasureText("0", theme.CaptionTextSize(), fyne.TextStyle{}).Height + 3*theme.Padding()
}

func (r *chartRenderer) MinSize() fyne.Size {
	rows := max(len(r.c.claims), 1)
	return fyne.NewSize(300, float32(rows)*rowH()+axisH()+theme.Padding())
}

func (r *chartRenderer) build() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	muted := th.Color(theme.ColorNamePlaceHolder, v)
	axisC := th.Color(theme.ColorNameDisabled, v)
	grid := th.Color(theme.ColorNameSeparator, v)
	primary := th.Color(theme.ColorNamePrimary, v)
	ts, cs, pad := theme.TextSize(), theme.CaptionTextSize(), theme.Padding()

	r.objects = r.objects[:0]
	r.bars = r.bars[:0]
	hasNumber := false
	for _, cl := range r.c.claims {
		hasNumber = hasNumber || cl.Low != nil || cl.High != nil
	}
	if !hasNumber {
		t := canvas.NewText(r.c.Empty, muted)
		t.TextSize = ts
		t.Move(fyne.NewPos(pad, pad))
		r.objects = append(r.objects, t)
		for range r.c.claims {
			r.bars = append(r.bars, nil)
		}
		return
	}

	// label column: as wide as the widest label, at most a third of the chart
	labelW := float32(0)
	for _, cl := range r.c.claims {
		labelW = max(labelW, fyne.MeasureText(cl.Label, cs, fyne.TextStyle{}).Width)
	}
	labelW = min(labelW, r.size.Width/3)
	x0 := labelW + 3*pad
	x1 := max(r.size.Width-2*pad, x0+20)
	maxV := axisMax(r.c.claims, r.c.adjLow, r.c.adjHigh, r.c.adjBest)
	sc := Scale{X0: x0, X1: x1, Max: maxV}
	r.scale = sc
	rh := rowH()
	plotH := float32(len(r.c.claims)) * rh

	// grid lines and tick labels
	for _, tv := range ticks(maxV, max(int((x1-x0)/90), 2)) {
		x := sc.X(tv)
		gl := canvas.NewLine(grid)
		gl.StrokeWidth = 1
		gl.Position1, gl.Position2 = fyne.NewPos(x, 0), fyne.NewPos(x, plotH)
		r.objects = append(r.objects, gl)
		lbl := canvas.NewText(num(tv), muted)
		lbl.TextSize = cs
		w := fyne.MeasureText(lbl.Text, cs, fyne.TextStyle{}).Width
		lbl.Move(fyne.NewPos(min(x-w/2, r.size.Width-w), plotH+pad))
		r.objects = append(r.objects, lbl)
	}
	axis := canvas.NewLine(axisC)
	axis.StrokeWidth = 1
	axis.Position1, axis.Position2 = fyne.NewPos(x0, plotH), fyne.NewPos(x1, plotH)
	r.objects = append(r.objects, axis)

	// the adjudicated range behind the claims, the best value as a line over them
	if r.c.adjLow != nil || r.c.adjHigh != nil {
		lo, hi := 0, maxV
		if r.c.adjLow != nil {
			lo = *r.c.adjLow
		}
		if r.c.adjHigh != nil {
			hi = *r.c.adjHigh
		}
		band := canvas.NewRectangle(withAlpha(primary, 40))
		band.Move(fyne.NewPos(sc.X(lo), 0))
		band.Resize(fyne.NewSize(max(sc.X(hi)-sc.X(lo), 2), plotH))
		r.objects = append(r.objects, band)
	}

	barH := rh - 2*pad
	for i, cl := range r.c.claims {
		y := float32(i) * rh
		lbl := canvas.NewText(ellipsize(cl.Label, cs, labelW), fg)
		lbl.TextSize = cs
		lbl.Move(fyne.NewPos(pad, y+(rh-fyne.MeasureText("Mg", cs, fyne.TextStyle{}).Height)/2))
		r.objects = append(r.objects, lbl)
		if cl.Low == nil && cl.High == nil {
			r.bars = append(r.bars, nil)
			continue
		}
		col := cl.Color
		if col == nil {
			col = fg
		}
		lo, hi := 0, maxV
		if cl.Low != nil {
			lo = *cl.Low
		}
		if cl.High != nil {
			hi = *cl.High
		}
		xa, xb := sc.X(lo), sc.X(hi)
		// a point figure ("41") is a short bar centred on its value, so it is visible
		minW := float32(6)
		if xb-xa < minW {
			mid := (xa + xb) / 2
			xa, xb = mid-minW/2, mid+minW/2
		}
		bar := canvas.NewRectangle(col)
		bar.CornerRadius = 2
		// open ends fade out: the solid part covers what is stated, the gradient the rest
		solidA, solidB := xa, xb
		if cl.High == nil {
			solidB = xa + min(8, (xb-xa)/3)
		}
		if cl.Low == nil {
			solidA = xb - min(8, (xb-xa)/3)
		}
		bar.Move(fyne.NewPos(solidA, y+pad))
		bar.Resize(fyne.NewSize(max(solidB-solidA, minW), barH))
		if cl.High == nil {
			g := canvas.NewHorizontalGradient(withAlpha(col, 150), withAlpha(col, 0))
			g.Move(fyne.NewPos(solidB, y+pad))
			g.Resize(fyne.NewSize(max(x1-solidB, 0), barH))
			r.objects = append(r.objects, g)
			r.objects = append(r.objects, arrow(x1, y+rh/2, barH/2, col, true)...)
		}
		if cl.Low == nil {
			g := canvas.NewHorizontalGradient(withAlpha(col, 0), withAlpha(col, 150))
			g.Move(fyne.NewPos(x0, y+pad))
			g.Resize(fyne.NewSize(max(solidA-x0, 0), barH))
			r.objects = append(r.objects, g)
		}
		r.objects = append(r.objects, bar)
		r.bars = append(r.bars, bar)

		if cl.Note != "" {
			note := canvas.NewText(cl.Note, fg)
			note.TextSize = cs
			nw := fyne.MeasureText(cl.Note, cs, fyne.TextStyle{}).Width
			ny := y + (rh-fyne.MeasureText("Mg", cs, fyne.TextStyle{}).Height)/2
			nx := xb + pad
			switch {
			case cl.High == nil:
				nx = solidB + pad // over the faded part, which is light
			case nx+nw > r.size.Width && xa-pad-nw >= x0:
				nx = xa - pad - nw
			}
			note.Move(fyne.NewPos(min(nx, r.size.Width-nw), ny))
			r.objects = append(r.objects, note)
		}
	}
	if r.c.adjBest != nil {
		x := sc.X(*r.c.adjBest)
		best := canvas.NewLine(primary)
		best.StrokeWidth = 2
		best.Position1, best.Position2 = fyne.NewPos(x, 0), fyne.NewPos(x, plotH)
		r.objects = append(r.objects, best)
	}
}

// arrow draws a small arrow head pointing right (or left) at x, centred on y.
func arrow(x, y, half float32, col color.Color, right bool) []fyne.CanvasObject {
	d := half
	if !right {
		d = -half
	}
	a := canvas.NewLine(col)
	a.StrokeWidth = 2
	a.Position1, a.Position2 = fyne.NewPos(x-d, y-half), fyne.NewPos(x, y)
	b := canvas.NewLine(col)
	b.StrokeWidth = 2
	b.Position1, b.Position2 = fyne.NewPos(x-d, y+half), fyne.NewPos(x, y)
	return []fyne.CanvasObject{a, b}
}

func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// ellipsize cuts s with "…" so that it fits width at text size ts.
func ellipsize(s string, ts, width float32) string {
	if fyne.MeasureText(s, ts, fyne.TextStyle{}).Width <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if fyne.MeasureText(string(r)+"…", ts, fyne.TextStyle{}).Width <= width {
			break
		}
	}
	return string(r) + "…"
}
