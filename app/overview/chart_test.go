package overview_test

import (
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"evident/app/overview"
)

var (
	red  = color.NRGBA{0xCC, 0x33, 0x11, 0xFF}
	blue = color.NRGBA{0x00, 0x77, 0xBB, 0xFF}
)

func rects(objs []fyne.CanvasObject) []*canvas.Rectangle {
	var out []*canvas.Rectangle
	for _, o := range objs {
		if r, ok := o.(*canvas.Rectangle); ok {
			out = append(out, r)
		}
	}
	return out
}

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 0.51 }

func TestBarChartProportions(t *testing.T) {
	test.NewTempApp(t)
	c := overview.NewBarChart()
	c.SetBars([]overview.Bar{
		{Label: "ATTACK", Parts: []overview.Part{{Value: 10, Color: red}}, Note: "10"},
		{Label: "ACTOR", Parts: []overview.Part{{Value: 5, Color: blue}, {Value: 5, Color: blue, Faded: true}}},
		{Label: "NONE", Parts: []overview.Part{{Value: 0, Color: red}}},
		{Label: "rule:x", Parts: []overview.Part{{Value: 2, ColorName: theme.ColorNameSuccess}}, Warn: true},
	})
	r := test.WidgetRenderer(c)
	size := fyne.NewSize(500, r.MinSize().Height)
	c.Resize(size)
	r.Layout(size)
	rs := rects(r.Objects())
	if len(rs) != 4 {
		t.Fatalf("%d rectangles, want 4 (the zero part draws nothing)", len(rs))
	}
	a, b1, b2, x := rs[0], rs[1], rs[2], rs[3]
	if !near(b1.Size().Width, a.Size().Width/2) || !near(b2.Size().Width, a.Size().Width/2) {
		t.Errorf("widths %v, %v, %v: want 10 : 5 : 5", a.Size().Width, b1.Size().Width, b2.Size().Width)
	}
	if !near(x.Size().Width, a.Size().Width/5) {
		t.Errorf("width of 2 = %v, want a fifth of %v", x.Size().Width, a.Size().Width)
	}
	if !near(a.Position().X, b1.Position().X) || !near(b2.Position().X, b1.Position().X+b1.Size().Width) {
		t.Errorf("bars do not start on one axis or parts do not stack: %v %v %v", a.Position(), b1.Position(), b2.Position())
	}
	if !(a.Position().Y < b1.Position().Y && b1.Position().Y < x.Position().Y) {
		t.Errorf("rows out of order: %v %v %v", a.Position().Y, b1.Position().Y, x.Position().Y)
	}
	if a.Size().Width < 200 || a.Position().X+a.Size().Width > size.Width {
		t.Errorf("longest bar %v at %v does not fill a 500 px chart", a.Size().Width, a.Position().X)
	}
	if a.FillColor != color.Color(red) {
		t.Errorf("bar colour = %v, want the label colour", a.FillColor)
	}
	if fc := color.NRGBAModel.Convert(b2.FillColor).(color.NRGBA); fc.A >= 255 || fc.R != blue.R {
		t.Errorf("faded part colour = %v", fc)
	}
	want := test.Theme().Color(theme.ColorNameSuccess, theme.VariantLight)
	if x.FillColor != want {
		t.Errorf("theme part colour = %v, want %v", x.FillColor, want)
	}
	var warn *canvas.Text
	for _, o := range r.Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == "rule:x" {
			warn = tx
		}
	}
	if warn == nil || !warn.TextStyle.Bold || warn.Color != test.Theme().Color(theme.ColorNameError, theme.VariantLight) {
		t.Errorf("warned label = %+v", warn)
	}
}

func TestBarChartEmpty(t *testing.T) {
	test.NewTempApp(t)
	c := overview.NewBarChart()
	c.Empty = "No spans yet"
	c.SetBars([]overview.Bar{{Label: "A", Parts: []overview.Part{{Value: 0}}}})
	r := test.WidgetRenderer(c)
	r.Layout(fyne.NewSize(300, 100))
	objs := r.Objects()
	if len(objs) != 1 || objs[0].(*canvas.Text).Text != "No spans yet" {
		t.Fatalf("empty chart draws %d objects", len(objs))
	}
}

func TestBarChartGolden(t *testing.T) {
	test.NewTempApp(t)
	c := overview.NewBarChart()
	c.SetBars([]overview.Bar{
		{Label: "ATTACK", Parts: []overview.Part{{Value: 34, Color: red}, {Value: 64, Color: red, Faded: true}}, Note: "34 + 64 open"},
		{Label: "ACTOR", Parts: []overview.Part{{Value: 15, Color: blue}, {Value: 95, Color: blue, Faded: true}}, Note: "15 + 95 open"},
		{Label: "rule:bad", Warn: true, Parts: []overview.Part{
			{Value: 3, ColorName: theme.ColorNameSuccess}, {Value: 1, ColorName: theme.ColorNameWarning},
			{Value: 9, ColorName: theme.ColorNameError}, {Value: 20, ColorName: theme.ColorNameForeground, Faded: true}},
			Note: "33 · 31% kept"},
	})
	w := test.NewWindow(c)
	defer w.Close()
	w.Resize(fyne.NewSize(420, 100))
	test.AssertImageMatches(t, "barchart.png", w.Canvas().Capture())
}

func TestTimeSeriesGrid(t *testing.T) {
	test.NewTempApp(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ts := overview.NewTimeSeries()
	ts.SetSeries([]overview.Series{
		{Name: "ann", Color: red, Points: []overview.Point{{t0, 3}, {t0.Add(2 * time.Hour), 1}}},
		{Name: "bob", Color: blue, Points: []overview.Point{{t0.Add(time.Hour), 2}}},
	}, time.Hour)
	g, ok := ts.Grid()
	if !ok || !g.Start.Equal(t0) || g.Bucket != time.Hour || len(g.Values) != 2 {
		t.Fatalf("grid = %+v, %v", g, ok)
	}
	if a, b := g.Values[0], g.Values[1]; len(a) != 3 || a[0] != 3 || a[1] != 0 || a[2] != 1 || b[0] != 0 || b[1] != 2 || b[2] != 0 {
		t.Fatalf("values = %v", g.Values)
	}

	r := test.WidgetRenderer(ts)
	size := fyne.NewSize(400, 240)
	ts.Resize(size)
	r.Layout(size)
	// ann's two segments: (0,3)->(1,0) and (1,0)->(2,1). Heights above the baseline are
	// proportional to the values, and x steps are even.
	var ann []*canvas.Line
	for _, o := range r.Objects() {
		if l, ok := o.(*canvas.Line); ok && l.StrokeColor == color.Color(red) {
			ann = append(ann, l)
		}
	}
	if len(ann) != 2 {
		t.Fatalf("%d line segments for ann, want 2", len(ann))
	}
	base := ann[0].Position2.Y // value 0
	h3 := base - ann[0].Position1.Y
	h1 := base - ann[1].Position2.Y
	if h3 <= 0 || !near(h3, 3*h1) {
		t.Errorf("heights %v and %v for 3 and 1", h3, h1)
	}
	if dx1, dx2 := ann[0].Position2.X-ann[0].Position1.X, ann[1].Position2.X-ann[1].Position1.X; dx1 <= 0 || !near(dx1, dx2) {
		t.Errorf("x steps %v, %v", dx1, dx2)
	}
	if ann[1].Position2.X > size.Width || ann[0].Position1.Y < 0 {
		t.Errorf("line leaves the chart: %v %v", ann[0].Position1, ann[1].Position2)
	}
}

func TestTimeSeriesCoarsens(t *testing.T) {
	test.NewTempApp(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var pts []overview.Point
	total := 0.0
	for i := 0; i < 1000; i++ {
		pts = append(pts, overview.Point{At: t0.Add(time.Duration(i) * time.Hour), Value: float64(i % 7)})
		total += float64(i % 7)
	}
	ts := overview.NewTimeSeries()
	ts.SetSeries([]overview.Series{{Name: "ann", Points: pts}}, time.Hour)
	g, _ := ts.Grid()
	if g.Bucket != 5*time.Hour || len(g.Values[0]) != 200 {
		t.Fatalf("grid of 1000 hours: bucket %v, %d values", g.Bucket, len(g.Values[0]))
	}
	sum := 0.0
	for _, v := range g.Values[0] {
		sum += v
	}
	if sum != total {
		t.Fatalf("coarsening lost counts: %v, want %v", sum, total)
	}
}

func TestTimeSeriesGolden(t *testing.T) {
	test.NewTempApp(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.Local)
	ts := overview.NewTimeSeries()
	ts.Unit = "decisions"
	ts.SetSeries([]overview.Series{
		{Name: "ann", Color: red, Points: []overview.Point{{t0, 12}, {t0.Add(time.Hour), 20}, {t0.Add(3 * time.Hour), 7}}},
		{Name: "bob", Color: blue, Points: []overview.Point{{t0.Add(time.Hour), 4}, {t0.Add(2 * time.Hour), 9}}},
	}, time.Hour)
	w := test.NewWindow(ts)
	defer w.Close()
	w.Resize(fyne.NewSize(420, 220))
	test.AssertImageMatches(t, "timeseries.png", w.Canvas().Capture())
}
