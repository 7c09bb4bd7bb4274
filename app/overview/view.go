// Package overview shows where an annotation project stands: progress, which suggestion
// rules earn their keep, throughput per annotator, the label distribution and the
// casualty figures, drawn with Fyne's canvas so it follows the light and dark themes.
package overview

import (
	"context"
	"fmt"
	"image/color"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

var _ fyne.Widget = (*View)(nil)

// MinDecided is how many decisions a rule needs before a low acceptance rate marks it
// as wasting the annotators' time: below that, the rate says little.
const MinDecided = 10

// Sort orders of the rule chart.
const (
	SortVolume     = "volume"
	SortAcceptance = "acceptance (lowest first)"
)

// View is the overview widget. Create it with New, then call Set (on the GUI goroutine)
// or Update (from anywhere) whenever the data may have changed.
type View struct {
	widget.BaseWidget

	schema *annotate.Schema
	ov     *annotate.Overview
	sortBy string

	status      *widget.Label
	docsBar     *widget.ProgressBar
	docsText    *widget.Label
	sugBar      *widget.ProgressBar
	sugText     *widget.Label
	spansText   *widget.Label
	labels      *BarChart
	rules       *BarChart
	casualties  *BarChart
	throughput  *TimeSeries
	learning    *BarChart // learning.go
	annotators  *fyne.Container
	sortChoice  *widget.RadioGroup
	content     fyne.CanvasObject
	updateState struct {
		sync.Mutex
		running, again bool
	}
}

// New makes an empty overview that colours labels as schema says (nil: theme colours).
func New(schema *annotate.Schema) *View {
	v := &View{schema: schema, sortBy: SortVolume}
	v.status = widget.NewLabel("No figures yet")
	v.status.Importance = widget.LowImportance
	v.docsBar = widget.NewProgressBar()
	v.docsText = widget.NewLabel("")
	v.sugBar = widget.NewProgressBar()
	v.sugText = widget.NewLabel("")
	v.spansText = widget.NewLabel("")
	for _, l := range []*widget.Label{v.docsText, v.sugText, v.spansText} {
		l.Wrapping = fyne.TextWrapWord
	}
	v.labels = NewBarChart()
	v.labels.Empty = "No spans yet"
	v.rules = NewBarChart()
	v.rules.Empty = "No suggestions yet: run the suggester"
	v.casualties = NewBarChart()
	v.casualties.Empty = "No casualty figures yet"
	v.learning = NewBarChart()
	v.learning.Empty = "No model measured yet: mark documents done; the model retrains as you work"
	v.throughput = NewTimeSeries()
	v.throughput.Empty = "No decisions yet"
	v.throughput.Unit = "decisions"
	v.annotators = container.New(layout.NewGridLayoutWithColumns(5))
	v.sortChoice = widget.NewRadioGroup([]string{SortVolume, SortAcceptance}, func(s string) {
		if s != "" && s != v.sortBy {
			v.sortBy = s
			v.setRules()
		}
	})
	v.sortChoice.Horizontal = true
	v.sortChoice.Required = true
	v.sortChoice.SetSelected(SortVolume)

	docsCard := card("Documents", "", container.NewVBox(v.docsBar, v.docsText))
	sugCard := card("Suggestions kept", "accepted or edited, of decided", container.NewVBox(v.sugBar, v.sugText))
	spansCard := card("Spans", "", v.spansText)
	top := container.NewGridWithColumns(3, docsCard, sugCard, spansCard)

	labelsCard := card("Label distribution", "accepted, and still suggested (pale)", v.labels)
	throughCard := card("Throughput", "decisions per annotator over time", v.throughput)
	middle := container.NewGridWithColumns(2, labelsCard, throughCard)

	rulesHead := container.NewVBox(
		container.NewHBox(widget.NewLabel("Sort by"), v.sortChoice),
		legend(
			legendItem{"accepted", theme.ColorNameSuccess, false},
			legendItem{"edited", theme.ColorNameWarning, false},
			legendItem{"rejected", theme.ColorNameError, false},
			legendItem{"open", theme.ColorNameForeground, true},
		),
	)
	rulesCard := card("Suggestions by rule",
		fmt.Sprintf("red: fewer than half kept (of %d+ decisions)", MinDecided),
		container.NewBorder(rulesHead, nil, nil, nil, v.rules))
	annCard := card("Annotators", "documents they decided on, by status now", v.annotators)
	casCard := card("Casualty figures", "accepted, and still suggested (pale)", v.casualties)
	bottom := container.NewGridWithColumns(2, rulesCard, container.NewVBox(annCard, casCard))

	learnCard := card("Learning curve", "suggestion model: documents trained on → cross-validated F1 (red: below the rules alone)", v.learning)
	v.content = container.NewVScroll(container.NewVBox(v.status, top, middle, bottom, learnCard))
	v.ExtendBaseWidget(v)
	v.Set(nil)
	return v
}

// CreateRenderer is part of fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// SetSchema changes the label colours (after labels were added).
func (v *View) SetSchema(s *annotate.Schema) {
	v.schema = s
	v.Set(v.ov)
}

// Overview returns the figures shown, or nil.
func (v *View) Overview() *annotate.Overview { return v.ov }

// Charts returns the chart widgets, for tests and for embedding them elsewhere.
func (v *View) Charts() (labels, rules, casualties *BarChart, throughput *TimeSeries) {
	return v.labels, v.rules, v.casualties, v.throughput
}

// SortRules orders the rule chart by SortVolume or SortAcceptance.
func (v *View) SortRules(by string) { v.sortChoice.SetSelected(by) }

// Set shows ov (nil: an empty overview). Call it on the GUI goroutine.
func (v *View) Set(ov *annotate.Overview) {
	v.ov = ov
	if ov == nil {
		ov = &annotate.Overview{}
		v.status.SetText("No figures yet")
	} else {
		v.status.SetText("Updated " + ov.Generated.Local().Format("15:04:05"))
	}
	d := ov.Documents
	v.docsBar.SetValue(ratio(d.Done, d.Total))
	v.docsBar.TextFormatter = func() string { return fmt.Sprintf("%s of %s done", num(d.Done), num(d.Total)) }
	v.docsBar.Refresh()
	v.docsText.SetText(fmt.Sprintf("new %s · in progress %s · done %s", num(d.New), num(d.InProgress), num(d.Done)))

	s := ov.Suggestions
	v.sugBar.SetValue(s.AcceptRate)
	v.sugBar.TextFormatter = func() string {
		if s.Decided() == 0 {
			return "none decided"
		}
		return fmt.Sprintf("%.0f%% of %s decided", 100*s.AcceptRate, num(s.Decided()))
	}
	v.sugBar.Refresh()
	v.sugText.SetText(fmt.Sprintf("accepted %s · edited %s · rejected %s · open %s",
		num(s.Accepted), num(s.Edited), num(s.Rejected), num(s.Open)))
	sp := ov.Spans
	v.spansText.SetText(fmt.Sprintf("%s in all\naccepted %s · suggested %s · rejected %s",
		num(sp.Total()), num(sp.Accepted), num(sp.Suggested), num(sp.Rejected)))

	v.setLabels(ov)
	v.setRules()
	v.setThroughput(ov)
	v.setAnnotators(ov)
	v.setCasualties(ov)
}

// Update computes the overview from src off the GUI goroutine and shows it when ready.
// Calls while one is running are folded into one more run, so refreshing after every
// commit never queues up work or blocks the window.
func (v *View) Update(ctx context.Context, src annotate.OverviewSource, opts annotate.OverviewOptions) {
	st := &v.updateState
	st.Lock()
	if st.running {
		st.again = true
		st.Unlock()
		return
	}
	st.running = true
	st.Unlock()
	go func() {
		for {
			ov, err := src.Overview(ctx, opts)
			fyne.Do(func() {
				if err != nil {
					v.status.SetText("Could not compute the overview: " + err.Error())
					return
				}
				v.Set(ov)
			})
			st.Lock()
			if !st.again || ctx.Err() != nil {
				st.running, st.again = false, false
				st.Unlock()
				return
			}
			st.again = false
			st.Unlock()
		}
	}()
}

func (v *View) labelColour(name string) color.Color {
	if v.schema != nil {
		if l, ok := v.schema.Label(name); ok {
			if c, ok := parseHex(l.Color); ok {
				return c
			}
		}
	}
	return nil // the theme's foreground
}

func (v *View) setLabels(ov *annotate.Overview) {
	bars := make([]Bar, 0, len(ov.Labels))
	for _, l := range ov.Labels {
		c := v.labelColour(l.Label)
		note := num(l.Accepted)
		if l.Suggested > 0 {
			note += " + " + num(l.Suggested) + " open"
		}
		if l.Rejected > 0 {
			note += " · " + num(l.Rejected) + " rejected"
		}
		bars = append(bars, Bar{Label: l.Label, Note: note, Parts: []Part{
			{Value: float64(l.Accepted), Color: c},
			{Value: float64(l.Suggested), Color: c, Faded: true},
		}})
	}
	v.labels.SetBars(bars)
}

func (v *View) setRules() {
	if v.ov == nil {
		v.rules.SetBars(nil)
		return
	}
	rules := append([]annotate.RuleStats(nil), v.ov.Rules...)
	if v.sortBy == SortAcceptance {
		sort.SliceStable(rules, func(i, j int) bool {
			a, b := rules[i], rules[j]
			if (a.Decided() == 0) != (b.Decided() == 0) {
				return b.Decided() == 0 // undecided rules say nothing: last
			}
			if a.AcceptRate != b.AcceptRate {
				return a.AcceptRate < b.AcceptRate
			}
			return a.Total > b.Total
		})
	}
	bars := make([]Bar, 0, len(rules))
	for _, r := range rules {
		note := num(r.Total) + " · undecided"
		if r.Decided() > 0 {
			note = fmt.Sprintf("%s · %.0f%% of %s kept", num(r.Total), 100*r.AcceptRate, num(r.Decided()))
		}
		bars = append(bars, Bar{Label: r.Origin, Note: note, Warn: r.Wasteful(MinDecided), Parts: []Part{
			{Value: float64(r.Accepted), ColorName: theme.ColorNameSuccess},
			{Value: float64(r.Edited), ColorName: theme.ColorNameWarning},
			{Value: float64(r.Rejected), ColorName: theme.ColorNameError},
			{Value: float64(r.Open), ColorName: theme.ColorNameForeground, Faded: true},
		}})
	}
	v.rules.SetBars(bars)
}

func (v *View) setThroughput(ov *annotate.Overview) {
	series := make([]Series, 0, len(ov.Throughput))
	for _, s := range ov.Throughput {
		pts := make([]Point, len(s.Points))
		for i, p := range s.Points {
			pts[i] = Point{At: p.At, Value: float64(p.Decisions)}
		}
		series = append(series, Series{Name: s.Annotator, Points: pts})
	}
	v.throughput.SetSeries(series, time.Duration(ov.Bucket))
}

func (v *View) setAnnotators(ov *annotate.Overview) {
	objs := []fyne.CanvasObject{}
	head := func(s string) {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, l)
	}
	for _, h := range []string{"Annotator", "Decisions", "Done", "In progress", "Last active"} {
		head(h)
	}
	for _, a := range ov.ByAnnotator {
		name := a.Name
		if name == "" {
			name = "(no name)"
		}
		last := a.Last.Local().Format("Jan 2 15:04")
		for _, s := range []string{name, num(a.Decisions), num(a.Documents.Done), num(a.Documents.InProgress), last} {
			l := widget.NewLabel(s)
			l.Truncation = fyne.TextTruncateEllipsis
			objs = append(objs, l)
		}
	}
	if len(ov.ByAnnotator) == 0 {
		objs = append(objs, widget.NewLabel("No decisions yet"))
	}
	v.annotators.Objects = objs
	v.annotators.Refresh()
}

func (v *View) setCasualties(ov *annotate.Overview) {
	c := v.labelColour("CASUALTY")
	bars := make([]Bar, 0, len(ov.Casualties))
	for _, k := range ov.Casualties {
		kind := k.Kind
		if kind == "" {
			kind = "(no kind)"
		}
		var note []string
		note = append(note, num(k.Accepted)+" in "+num(k.Documents)+" docs")
		if k.Largest != nil {
			note = append(note, "largest "+num(*k.Largest))
		}
		if k.Accepted > 0 {
			note = append(note, fmt.Sprintf("%.0f%% claimed", 100*ratio(k.Claimed, k.Accepted)))
		}
		if k.Suggested > 0 {
			note = append(note, num(k.Suggested)+" open")
		}
		bars = append(bars, Bar{Label: kind, Note: strings.Join(note, " · "), Parts: []Part{
			{Value: float64(k.Accepted), Color: c},
			{Value: float64(k.Suggested), Color: c, Faded: true},
		}})
	}
	v.casualties.SetBars(bars)
}

type legendItem struct {
	name  string
	color fyne.ThemeColorName
	faded bool
}

// legend is a row of colour swatches with names, drawn with the same colours as the
// chart parts so it follows the theme.
func legend(items ...legendItem) fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(items))
	for _, it := range items {
		name := widget.NewLabel(it.name)
		objs = append(objs, container.NewHBox(newSwatch(Part{Value: 1, ColorName: it.color, Faded: it.faded}), name))
	}
	return container.NewHBox(objs...)
}

// swatch is a small square of a part's colour, resolved from the theme when drawn.
type swatch struct {
	widget.BaseWidget
	part Part
}

func newSwatch(p Part) *swatch {
	s := &swatch{part: p}
	s.ExtendBaseWidget(s)
	return s
}

func (s *swatch) CreateRenderer() fyne.WidgetRenderer {
	r := canvas.NewRectangle(nil)
	r.CornerRadius = 2
	return &swatchRenderer{s: s, rect: r}
}

type swatchRenderer struct {
	s    *swatch
	rect *canvas.Rectangle
}

func (r *swatchRenderer) Destroy()                     {}
func (r *swatchRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *swatchRenderer) MinSize() fyne.Size           { return fyne.NewSize(12, 12) }
func (r *swatchRenderer) Layout(size fyne.Size) {
	side := float32(12)
	r.rect.Move(fyne.NewPos((size.Width-side)/2, (size.Height-side)/2))
	r.rect.Resize(fyne.NewSize(side, side))
	r.Refresh()
}
func (r *swatchRenderer) Refresh() {
	r.rect.FillColor = palette(r.s).part(r.s.part)
	r.rect.Refresh()
}

// card groups a chart under a compact header: a bold title and a muted note, on one
// line (Fyne's Card title is a heading, too large for a dashboard of many cards).
func card(title, note string, body fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	n := widget.NewLabelWithStyle(note, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	n.Truncation = fyne.TextTruncateEllipsis
	return widget.NewCard("", "", container.NewBorder(container.NewBorder(nil, nil, t, nil, n), nil, nil, nil, body))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// num writes a count with thousands separators: 12,345.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// parseHex reads a schema colour "#RRGGBB".
func parseHex(s string) (color.NRGBA, bool) {
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{}, false
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xFF}, true
}
