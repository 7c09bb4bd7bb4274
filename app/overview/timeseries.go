package overview

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*TimeSeries)(nil)

// Point is a value in the bucket that starts at At.
type Point struct {
	At    time.Time
	Value float64
}

// Series is one line of a time series chart.
type Series struct {
	Name   string
	Color  color.Color
	Points []Point // buckets without a point count as zero
}

// maxBuckets bounds the buckets drawn: a longer range is shown in wider buckets, so a
// project of many weeks stays readable and cheap to draw.
const maxBuckets = 240

// TimeSeries draws series of counts per time bucket as lines over a shared time axis,
// with the value axis from zero and a legend. Set its data from the GUI goroutine.
type TimeSeries struct {
	widget.BaseWidget
	series []Series
	bucket time.Duration
	// Empty is shown when there is nothing to draw.
	Empty string
	// Unit names what is counted, shown above the value axis ("decisions").
	Unit string
}

// NewTimeSeries returns an empty chart.
func NewTimeSeries() *TimeSeries {
	t := &TimeSeries{Empty: "Nothing yet", Unit: "count"}
	t.ExtendBaseWidget(t)
	return t
}

// SetSeries replaces the data; bucket is the width of one point's bucket.
func (t *TimeSeries) SetSeries(series []Series, bucket time.Duration) {
	t.series, t.bucket = series, bucket
	t.Refresh()
}

// Grid is the series on one dense time grid, as drawn: the start of the first bucket,
// the bucket width (widened so there are at most maxBuckets), and per series one value
// per bucket, zeros included.
type Grid struct {
	Start  time.Time
	Bucket time.Duration
	Values [][]float64
}

// Grid computes the drawn grid of the current data; ok is false when there is none.
func (t *TimeSeries) Grid() (g Grid, ok bool) {
	var lo, hi time.Time
	for _, s := range t.series {
		for _, p := range s.Points {
			if lo.IsZero() || p.At.Before(lo) {
				lo = p.At
			}
			if hi.IsZero() || p.At.After(hi) {
				hi = p.At
			}
		}
	}
	if lo.IsZero() || t.bucket <= 0 {
		return Grid{}, false
	}
	n := int(hi.Sub(lo)/t.bucket) + 1
	k := (n + maxBuckets - 1) / maxBuckets
	g = Grid{Start: lo, Bucket: t.bucket * time.Duration(k), Values: make([][]float64, len(t.series))}
	n = (n + k - 1) / k
	for i, s := range t.series {
		g.Values[i] = make([]float64, n)
		for _, p := range s.Points {
			g.Values[i][int(p.At.Sub(lo)/g.Bucket)] += p.Value
		}
	}
	return g, true
}

// CreateRenderer is part of fyne.Widget.
func (t *TimeSeries) CreateRenderer() fyne.WidgetRenderer { return &seriesRenderer{t: t} }

type seriesRenderer struct {
	t       *TimeSeries
	size    fyne.Size
	objects []fyne.CanvasObject
}

func (r *seriesRenderer) Destroy()                     {}
func (r *seriesRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *seriesRenderer) Layout(s fyne.Size)           { r.size = s; r.build() }
func (r *seriesRenderer) Refresh()                     { r.build(); canvas.Refresh(r.t) }
func (r *seriesRenderer) MinSize() fyne.Size           { return fyne.NewSize(240, 160) }

// niceMax rounds v up to 1, 2 or 5 times a power of ten, so axis ticks are round.
func niceMax(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// timeLabel formats a bucket start with as much detail as the range needs.
func timeLabel(at time.Time, span time.Duration) string {
	at = at.Local()
	switch {
	case span < 24*time.Hour:
		return at.Format("15:04")
	case span < 60*24*time.Hour:
		return at.Format("Jan 2 15:04")
	default:
		return at.Format("2006-01-02")
	}
}

func (r *seriesRenderer) text(s string, c color.Color, size float32) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	r.objects = append(r.objects, t)
	return t
}

func (r *seriesRenderer) line(c color.Color, w float32, a, b fyne.Position) {
	l := canvas.NewLine(c)
	l.StrokeWidth = w
	l.Position1, l.Position2 = a, b
	r.objects = append(r.objects, l)
}

func (r *seriesRenderer) build() {
	pal := palette(r.t)
	r.objects = r.objects[:0]
	ts := theme.TextSize()
	small := ts * 0.85
	pad := theme.Padding()
	g, ok := r.t.Grid()
	if !ok {
		e := r.text(r.t.Empty, pal.muted, ts)
		e.Move(fyne.NewPos(pad, r.size.Height/2-ts))
		return
	}
	peak := 0.0
	for _, vs := range g.Values {
		for _, v := range vs {
			peak = math.Max(peak, v)
		}
	}
	top := niceMax(peak)
	lineH := fyne.MeasureText("0", small, fyne.TextStyle{}).Height
	yLabelW := fyne.MeasureText(fmt.Sprint(top), small, fyne.TextStyle{}).Width
	// Legend on top, one entry per series.
	lx := yLabelW + 2*pad
	for i, s := range r.t.series {
		sw := canvas.NewRectangle(seriesColour(s, i))
		sw.Move(fyne.NewPos(lx, pad+lineH/2-4))
		sw.Resize(fyne.NewSize(14, 8))
		r.objects = append(r.objects, sw)
		name := s.Name
		if name == "" {
			name = "(no name)"
		}
		lt := r.text(name, pal.fg, small)
		lt.Move(fyne.NewPos(lx+18, pad))
		lx += 18 + fyne.MeasureText(name, small, fyne.TextStyle{}).Width + 3*pad
	}
	unit := r.text(r.t.Unit+" per "+bucketName(g.Bucket), pal.muted, small)
	unit.Alignment = fyne.TextAlignTrailing
	unit.Move(fyne.NewPos(0, pad))
	unit.Resize(fyne.NewSize(r.size.Width-pad, lineH))

	left := yLabelW + 2*pad
	plotTop := 2*pad + lineH + pad
	bottom := r.size.Height - lineH - pad
	right := r.size.Width - pad
	if bottom-plotTop < 20 || right-left < 20 {
		return
	}
	h := bottom - plotTop
	// Value axis: grid lines at 0, half and top, labelled.
	for _, f := range []float64{0, 0.5, 1} {
		y := bottom - float32(f)*h
		r.line(pal.grid, 1, fyne.NewPos(left, y), fyne.NewPos(right, y))
		v := top * f
		lbl := fmt.Sprint(v)
		if v != math.Trunc(v) {
			lbl = fmt.Sprintf("%.1f", v)
		}
		tl := r.text(lbl, pal.muted, small)
		tl.Alignment = fyne.TextAlignTrailing
		tl.Move(fyne.NewPos(0, y-lineH/2))
		tl.Resize(fyne.NewSize(yLabelW+pad/2, lineH))
	}
	r.line(pal.axis, 1, fyne.NewPos(left, plotTop), fyne.NewPos(left, bottom))
	r.line(pal.axis, 1, fyne.NewPos(left, bottom), fyne.NewPos(right, bottom))

	n := len(g.Values[0])
	x := func(i int) float32 {
		if n == 1 {
			return (left + right) / 2
		}
		return left + float32(i)*(right-left)/float32(n-1)
	}
	y := func(v float64) float32 { return bottom - float32(v/top)*h }
	// Time axis: first, middle and last bucket.
	span := time.Duration(n-1) * g.Bucket
	ticks := []int{0}
	if n > 2 {
		ticks = append(ticks, (n-1)/2)
	}
	if n > 1 {
		ticks = append(ticks, n-1)
	}
	for k, i := range ticks {
		tl := r.text(timeLabel(g.Start.Add(time.Duration(i)*g.Bucket), span), pal.muted, small)
		w := fyne.MeasureText(tl.Text, small, fyne.TextStyle{}).Width
		px := x(i) - w/2
		switch {
		case n > 1 && k == 0:
			px = x(i)
		case n > 1 && k == len(ticks)-1:
			px = x(i) - w
		}
		tl.Move(fyne.NewPos(px, bottom+pad/2))
		r.line(pal.axis, 1, fyne.NewPos(x(i), bottom), fyne.NewPos(x(i), bottom+pad/2))
	}
	dots := n <= 60
	for si, vs := range g.Values {
		c := seriesColour(r.t.series[si], si)
		for i := 1; i < n; i++ {
			r.line(c, 2, fyne.NewPos(x(i-1), y(vs[i-1])), fyne.NewPos(x(i), y(vs[i])))
		}
		for i, v := range vs {
			if v == 0 || (!dots && n > 1) {
				continue
			}
			d := canvas.NewCircle(c)
			d.Move(fyne.NewPos(x(i)-3, y(v)-3))
			d.Resize(fyne.NewSize(6, 6))
			r.objects = append(r.objects, d)
		}
	}
}

// bucketName says "hour", "day" or the width, for the unit label.
func bucketName(d time.Duration) string {
	switch d {
	case time.Hour:
		return "hour"
	case 24 * time.Hour:
		return "day"
	case time.Minute:
		return "minute"
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return d.String()
}

// seriesColour is the series' own colour or one of a set that tells lines apart in light
// and dark themes alike (Paul Tol's bright scheme, chosen for colour-blind readers).
func seriesColour(s Series, i int) color.Color {
	if s.Color != nil {
		return s.Color
	}
	tol := [...]color.NRGBA{
		{0x44, 0x77, 0xAA, 0xFF}, {0xEE, 0x66, 0x77, 0xFF}, {0x22, 0x88, 0x33, 0xFF}, {0xCC, 0xBB, 0x44, 0xFF},
		{0x66, 0xCC, 0xEE, 0xFF}, {0xAA, 0x33, 0x77, 0xFF}, {0xBB, 0xBB, 0xBB, 0xFF},
	}
	return tol[i%len(tol)]
}
