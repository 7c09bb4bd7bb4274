package review

import (
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
)

func n(v int) *int { return &v }

func fig(doc, span int64, kind string, lo, hi *int, outlet, published, claimant string) annotate.Figure {
	return annotate.Figure{DocID: doc, SpanID: span, Kind: kind, Low: lo, High: hi, Outlet: outlet, Published: published,
		ClaimantText: claimant, Sentence: "The strike killed 41 people, he said.", SentStart: 18, SentEnd: 27, Text: "41 people"}
}

// umKadada is the sample incident: three outlets, three tolls.
func umKadada() annotate.Incident {
	return annotate.Incident{ID: 7, Title: "Attack in Um Kadada", Place: "Um Kadada", Date: "2026-03-12",
		Events: []annotate.EventRef{{DocID: 11, EventID: 1}, {DocID: 12, EventID: 2}, {DocID: 13, EventID: 3}},
		Figures: []annotate.Figure{
			fig(13, 301, "killed", n(25), n(30), "Continental Report", "2026-03-15", "UN humanitarian office"),
			fig(11, 101, "killed", n(18), nil, "Horizon News Agency", "2026-03-12", "health ministry"),
			fig(12, 201, "killed", n(41), n(41), "The Daily Ledger", "2026-03-13", "Ahmed Hussein Mustafa"),
			fig(11, 102, "injured", n(41), nil, "Horizon News Agency", "2026-03-12", "health ministry"),
		}}
}

func queueIDs(v *View) []int64 {
	var ids []int64
	for _, inc := range v.Queue() {
		ids = append(ids, inc.ID)
	}
	return ids
}

func TestQueueDisputedFirst(t *testing.T) {
	test.NewTempApp(t)
	agreed := annotate.Incident{ID: 1, Title: "Agreed", Place: "Kharkiv", Date: "2026-02-09", Events: []annotate.EventRef{{DocID: 1, EventID: 9}},
		Figures: []annotate.Figure{fig(1, 1, "killed", n(2), n(2), "Meridian Wire", "2026-02-09", ""), fig(2, 2, "killed", n(2), n(2), "Baltic Courier", "2026-02-10", "")}}
	narrow := annotate.Incident{ID: 2, Title: "Narrow", Place: "Mogadishu", Date: "2026-01-22", Events: []annotate.EventRef{{DocID: 3, EventID: 8}},
		Figures: []annotate.Figure{fig(3, 3, "injured", n(20), n(20), "A", "2026-01-22", ""), fig(4, 4, "injured", n(24), n(24), "B", "2026-01-22", "")}}
	none := annotate.Incident{ID: 3, Title: "No figures", Date: "2026-06-01"}
	v := New()
	v.SetIncidents([]annotate.Incident{agreed, none, narrow, umKadada()})
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1200, 800))

	want := []int64{7, 2, 1, 3} // disputed by spread (11, 4), then by figures
	if got := queueIDs(v); !equal(got, want) {
		t.Fatalf("queue %v, want %v", got, want)
	}
	if v.Selected() != nil {
		t.Errorf("an incident is shown before any was picked")
	}

	// filters: by kind, place and date, through the widgets
	v.kindFilter.SetSelected("injured")
	if got := queueIDs(v); !equal(got, []int64{7, 2}) {
		t.Errorf("kind injured: %v", got)
	}
	v.kindFilter.SetSelected(allKinds)
	test.Type(v.placeE, "kad")
	if got := queueIDs(v); !equal(got, []int64{7}) {
		t.Errorf("place kad: %v", got)
	}
	v.placeE.SetText("")
	test.Type(v.fromE, "2026-02-01")
	if got := queueIDs(v); !equal(got, []int64{7, 1, 3}) {
		t.Errorf("from 2026-02-01: %v (%+v)", got, v.Filter())
	}
	v.SetFilter(annotate.IncidentFilter{To: "2026-02-09"})
	if got := queueIDs(v); !equal(got, []int64{2, 1}) || v.fromE.Text != "" || v.toE.Text != "2026-02-09" {
		t.Errorf("to 2026-02-09: %v, entries %q %q", got, v.fromE.Text, v.toE.Text)
	}
	v.SetFilter(annotate.IncidentFilter{})

	// the selection survives new data, and follows the incident, not the position
	var picked int64
	v.OnSelect = func(id int64) { picked = id }
	v.list.Select(1)
	if picked != 2 || v.Selected().ID != 2 {
		t.Fatalf("picked %d, shown %+v", picked, v.Selected())
	}
	v.SetIncidents([]annotate.Incident{narrow, umKadada(), agreed})
	if v.Selected() == nil || v.Selected().ID != 2 {
		t.Errorf("selection lost after SetIncidents: %+v", v.Selected())
	}
	v.SetIncidents([]annotate.Incident{umKadada()})
	if v.Selected() != nil {
		t.Errorf("incident 2 is gone but still shown")
	}
}

func TestRowsOpenDocument(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	var gotDoc, gotSpan int64
	v.OnOpen = func(d, s int64) { gotDoc, gotSpan = d, s }
	v.SetIncidents([]annotate.Incident{umKadada()})
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1200, 800))
	if !v.Select(7) {
		t.Fatal("Select(7) failed")
	}
	if v.Kind() != "killed" {
		t.Fatalf("kind %q, want the disputed kind killed", v.Kind())
	}
	// rows in publication order: the ministry (03-12), the armed group (03-13), the UN (03-15)
	if len(v.rows) != 3 {
		t.Fatalf("%d rows, want the 3 killed figures", len(v.rows))
	}
	wantSpans := []int64{101, 201, 301}
	for i, r := range v.rows {
		if r.Figure().SpanID != wantSpans[i] {
			t.Errorf("row %d shows span %d, want %d", i, r.Figure().SpanID, wantSpans[i])
		}
	}
	test.Tap(v.rows[1])
	if gotDoc != 12 || gotSpan != 201 {
		t.Errorf("OnOpen(%d, %d), want (12, 201)", gotDoc, gotSpan)
	}
	test.Tap(v.rows[2])
	if gotDoc != 13 || gotSpan != 301 {
		t.Errorf("OnOpen(%d, %d), want (13, 301)", gotDoc, gotSpan)
	}
	// the chart has a claim per row, in the same order, with the figure's numbers
	cl := v.chart.Claims()
	if len(cl) != 3 || *cl[0].Low != 18 || cl[0].High != nil || *cl[2].Low != 25 || *cl[2].High != 30 {
		t.Errorf("claims %+v", cl)
	}
	if cl[0].Color == cl[1].Color || cl[1].Color == cl[2].Color {
		t.Errorf("claimants share a colour: %v %v %v", cl[0].Color, cl[1].Color, cl[2].Color)
	}
	// other kinds through the radio
	v.kinds.SetSelected("injured")
	if v.Kind() != "injured" || len(v.rows) != 1 || v.rows[0].Figure().SpanID != 102 {
		t.Errorf("injured: kind %q, %d rows", v.Kind(), len(v.rows))
	}
}

func TestChartProportional(t *testing.T) {
	test.NewTempApp(t)
	c := NewChart()
	c.SetClaims([]Claim{
		{Label: "03-12 Horizon", Low: n(18), High: nil},
		{Label: "03-13 Ledger", Low: n(41), High: n(41)},
		{Label: "03-15 Continental", Low: n(25), High: n(30)},
		{Label: "03-16 Nobody", Low: nil, High: n(10)},
		{Label: "no numbers"},
	}, nil, nil, nil)
	c.Resize(fyne.NewSize(800, 240))
	r := test.WidgetRenderer(c).(*chartRenderer)
	r.Layout(c.Size())
	sc := r.scale
	if sc.Max != 60 { // 41 with room for the open end, rounded: 41*1.3=53.3 -> 60
		t.Errorf("axis max %d, want 60", sc.Max)
	}
	if sc.X0 <= 0 || sc.X1 > 800 || sc.X1-sc.X0 < 400 {
		t.Fatalf("axis from %v to %v", sc.X0, sc.X1)
	}
	unit := (sc.X1 - sc.X0) / 60
	near := func(a, b float32) bool { return math.Abs(float64(a-b)) < 0.5 }
	if len(r.bars) != 5 || r.bars[4] != nil {
		t.Fatalf("bars %v", r.bars)
	}
	// 25–30: from 25 units to 30 units along the axis
	b := r.bars[2]
	if !near(b.Position().X, sc.X0+25*unit) || !near(b.Size().Width, 5*unit) {
		t.Errorf("25–30 drawn at x=%v w=%v, want x=%v w=%v", b.Position().X, b.Size().Width, sc.X0+25*unit, 5*unit)
	}
	// 41: a short bar centred on 41
	b = r.bars[1]
	if mid := b.Position().X + b.Size().Width/2; !near(mid, sc.X0+41*unit) {
		t.Errorf("41 centred at %v, want %v", mid, sc.X0+41*unit)
	}
	// at least 18: solid from 18, then a gradient to the axis end
	b = r.bars[0]
	if !near(b.Position().X, sc.X0+18*unit) {
		t.Errorf("≥18 starts at %v, want %v", b.Position().X, sc.X0+18*unit)
	}
	foundFade := false
	for _, o := range r.Objects() {
		if g, ok := o.(*canvas.LinearGradient); ok && near(g.Position().Y, b.Position().Y) {
			foundFade = near(g.Position().X+g.Size().Width, sc.X1) && g.Position().X >= b.Position().X
		}
	}
	if !foundFade {
		t.Error("the open end of ≥18 does not fade out to the axis end")
	}
	// up to 10: solid up to 10, faded in from 0
	b = r.bars[3]
	if !near(b.Position().X+b.Size().Width, sc.X0+10*unit) {
		t.Errorf("≤10 ends at %v, want %v", b.Position().X+b.Size().Width, sc.X0+10*unit)
	}
	// rows top to bottom in claim order
	for i := 1; i < 4; i++ {
		if r.bars[i].Position().Y <= r.bars[i-1].Position().Y {
			t.Errorf("bar %d not below bar %d", i, i-1)
		}
	}
	// the adjudicated best value is a line at its place
	c.SetClaims(c.Claims(), n(25), n(27), n(41))
	r.Layout(c.Size())
	var best *canvas.Line
	for _, o := range r.Objects() {
		if l, ok := o.(*canvas.Line); ok && l.StrokeWidth == 2 && l.Position1.X == l.Position2.X {
			best = l
		}
	}
	if best == nil || !near(best.Position1.X, r.scale.X(27)) {
		t.Errorf("best line %+v, want at x=%v", best, r.scale.X(27))
	}
}

func TestAdjudicationForm(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.Reviewer = "ana"
	var got []annotate.Adjudication
	v.OnAdjudicate = func(a annotate.Adjudication) { got = append(got, a) }
	v.SetIncidents([]annotate.Incident{umKadada()})
	w := test.NewWindow(v)
	defer w.Close()
	v.Select(7)
	for _, tc := range []struct {
		best, low, high string
		ok              bool
	}{
		{"abc", "", "", false},
		{"27", "-3", "", false},
		{"2.5", "", "", false},
		{"", "", "", false},
		{"27", "30", "41", false}, // low above best
		{"45", "25", "41", false}, // best above high
		{"", "41", "25", false},   // low above high
		{"27", "25", "41", true},
		{"1,200", "", "", true},
		{"", "25", "", true},
	} {
		got = nil
		v.bestE.SetText(tc.best)
		v.lowE.SetText(tc.low)
		v.highE.SetText(tc.high)
		test.Tap(v.record)
		if tc.ok != (len(got) == 1) {
			t.Errorf("best %q low %q high %q: called %d times, message %q", tc.best, tc.low, tc.high, len(got), v.formMsg.Text)
			continue
		}
		if !tc.ok {
			if v.formMsg.Text == "" {
				t.Errorf("best %q low %q high %q: refused without a message", tc.best, tc.low, tc.high)
			}
			continue
		}
		a := got[0]
		if a.IncidentID != 7 || a.Kind != "killed" || a.Reviewer != "ana" || time.Since(a.At) > time.Minute {
			t.Errorf("adjudication %+v", a)
		}
		if tc.best == "27" && (*a.Best != 27 || *a.Low != 25 || *a.High != 41) {
			t.Errorf("numbers %v %v %v", *a.Best, *a.Low, *a.High)
		}
		if tc.best == "1,200" && (*a.Best != 1200 || a.Low != nil || a.High != nil) {
			t.Errorf("1,200 read as %+v", a)
		}
	}
	// the note and the kind shown go with it
	got = nil
	v.SetKind("injured")
	v.bestE.SetText("41")
	v.lowE.SetText("")
	v.highE.SetText("")
	test.Type(v.noteE, "ministry count")
	v.noteE.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter records too
	if len(got) != 1 || got[0].Kind != "injured" || got[0].Note != "ministry count" {
		t.Errorf("adjudication %+v", got)
	}
}

func TestRangeText(t *testing.T) {
	for _, tc := range []struct {
		lo, hi *int
		want   string
	}{{n(41), n(41), "41"}, {n(25), n(30), "25–30"}, {n(18), nil, "≥ 18"}, {nil, n(10), "≤ 10"}, {nil, nil, "?"}, {n(12000000), n(12000000), "12,000,000"}} {
		if got := rangeText(tc.lo, tc.hi); got != tc.want {
			t.Errorf("rangeText = %q, want %q", got, tc.want)
		}
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestChartFollowsTheme: axis labels take the theme's colours, so the chart reads in
// light and dark.
func TestChartFollowsTheme(t *testing.T) {
	a := test.NewTempApp(t)
	c := NewChart()
	c.SetClaims([]Claim{{Label: "x", Low: n(5), High: n(9)}}, nil, nil, nil)
	c.Resize(fyne.NewSize(400, 100))
	r := test.WidgetRenderer(c)
	tickColour := func() color.Color {
		r.Refresh()
		for _, o := range r.Objects() {
			if tx, ok := o.(*canvas.Text); ok && tx.Text == "0" {
				return tx.Color
			}
		}
		t.Fatal("no tick label 0")
		return nil
	}
	a.Settings().SetTheme(test.Theme())
	light := tickColour()
	a.Settings().SetTheme(test.NewTheme())
	dark := tickColour()
	if light == dark {
		t.Errorf("tick label colour %v did not change with the theme", light)
	}
}
