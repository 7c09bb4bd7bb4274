package docview

import (
	"math"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// metrics are the view's measures, derived from the theme's text size.
type metrics struct {
	textSize  float32
	textH     float32 // height of one line of text as the driver renders it
	ascent    float32
	lineH     float32 // line pitch: text plus room for stacked underlines
	textTop   float32 // text box top within a line box
	fillTop   float32 // highlight fill top within a line box
	fillH     float32 // highlight fill height
	ul0       float32 // first underline's top within a line box
	paraGap   float32 // extra space after each paragraph
	marginX   float32
	marginTop float32
	maxColW   float32 // a reading measure: lines longer than this tire the eye
	barW      float32
	spaceW    float32
	tabW      float32
	avgW      float32 // average advance of prose characters, for height estimates
}

// textScale enlarges the theme's text size a little: the view is read for hours.
const textScale = 1.15

// fyneMeasurer measures with the app's driver and caches each string's width; words
// repeat a lot in prose, and the driver costs about 2 µs per call.
type fyneMeasurer struct {
	size  float32
	cache map[string]float32
}

func (m *fyneMeasurer) width(s string) float32 {
	if w, ok := m.cache[s]; ok {
		return w
	}
	w := fyne.MeasureText(s, m.size, fyne.TextStyle{}).Width
	m.cache[s] = w
	return w
}

// visLine is a laid-out line on screen; y is its top in view coordinates.
type visLine struct {
	ln   *line
	y    float32
	para int
}

// layoutState is the virtualised layout: exact layouts for paragraphs that have been
// near the viewport, estimated heights for the rest, and a scroll offset in content
// coordinates.
type layoutState struct {
	m      metrics
	meas   *fyneMeasurer
	colX   float32 // left of the text column in view coordinates
	width  float32 // column width the layouts were made for
	lays   []*paraLayout
	height []float32
	tops   []float64 // tops[p] = content y of paragraph p relative to the top margin
	dirty  bool      // tops needs recomputing

	scrollY float64 // content y at the top of the viewport
	viewW   float32
	viewH   float32
	frame   []visLine

	reveal    [2]int // range to bring into view once the view has a size
	hasReveal bool
	// lastReveal is the range the view last scrolled to by itself; while the user has
	// not scrolled since, a resize reveals it again rather than keeping the top line.
	lastReveal    [2]int
	hasLastReveal bool
}

func (l *layoutState) reset(paras int) {
	l.lays = make([]*paraLayout, paras)
	l.height = make([]float32, paras)
	l.tops = make([]float64, paras+1)
	l.width = -1 // forces estimates at the next frame
	l.scrollY = 0
	l.frame = l.frame[:0]
	l.hasReveal = false
	l.hasLastReveal = false
}

// ensureMetrics reads the theme; a change of text size drops every cached measure.
func (l *layoutState) ensureMetrics(th fyne.Theme) {
	size := th.Size(theme.SizeNameText) * textScale
	if l.meas != nil && l.m.textSize == size {
		return
	}
	l.meas = &fyneMeasurer{size: size, cache: make(map[string]float32, 4096)}
	sz, base := fyne.CurrentApp().Driver().RenderedTextSize("Mg", size, fyne.TextStyle{}, nil)
	m := metrics{textSize: size, textH: sz.Height, ascent: base}
	// A line is 1.9 text sizes: generous for reading, and room under the descenders
	// for three stacked underlines of nested spans.
	m.lineH = float32(math.Ceil(float64(size * 1.9)))
	baseline := float32(math.Round(float64(size*0.95))) + 3 // within the line box
	m.textTop = baseline - base
	m.fillTop = baseline - float32(math.Round(float64(size*0.95)))
	m.fillH = baseline + float32(math.Round(float64(size*0.28))) - m.fillTop
	m.ul0 = m.fillTop + m.fillH + 1
	m.paraGap = float32(math.Round(float64(m.lineH * 0.55)))
	m.marginX = float32(math.Round(float64(size * 1.6)))
	m.marginTop = float32(math.Round(float64(size)))
	m.maxColW = size * 40
	m.barW = float32(math.Max(6, float64(th.Size(theme.SizeNameScrollBarSmall))+2))
	m.spaceW = l.meas.width(" ")
	m.tabW = m.spaceW * 4
	sample := "The ministry said at least twelve people were killed in the strikes on Tuesday."
	m.avgW = l.meas.width(sample) / float32(len(sample))
	l.m = m
	for i := range l.lays {
		l.lays[i] = nil
	}
	l.width = -1
}

// setWidth sets the column for a view width; a new column width drops the layouts and
// re-estimates every paragraph height.
func (l *layoutState) setWidth(viewW float32, d *docText) {
	l.viewW = viewW
	colW := viewW - 2*l.m.marginX - l.m.barW
	if colW > l.m.maxColW {
		colW = l.m.maxColW
	}
	if colW < l.m.textSize*4 {
		colW = l.m.textSize * 4
	}
	l.colX = float32(math.Round(float64((viewW - l.m.barW - colW) / 2)))
	if colW == l.width {
		return
	}
	l.width = colW
	for i := range d.paras {
		l.lays[i] = nil
		l.height[i] = l.estimate(d.paras[i].end-d.paras[i].start, d.paras[i].noGap)
	}
	l.dirty = true
}

// paraHeight is the height of a laid-out paragraph. An empty paragraph (the blank line
// between paragraphs in most news text) takes no room: the gap after each paragraph
// already separates them.
func (l *layoutState) paraHeight(pl *paraLayout, noGap bool) float32 {
	if len(pl.lines) == 1 && len(pl.lines[0].pieces) == 0 {
		return 0
	}
	return float32(len(pl.lines))*l.m.lineH + l.gap(noGap)
}

func (l *layoutState) gap(noGap bool) float32 {
	if noGap {
		return 0
	}
	return l.m.paraGap
}

func (l *layoutState) estimate(chars int, noGap bool) float32 {
	if chars == 0 {
		return 0
	}
	lines := int(math.Ceil(float64(float32(chars) * l.m.avgW / l.width)))
	if lines < 1 {
		lines = 1
	}
	return float32(lines)*l.m.lineH + l.gap(noGap)
}

func (l *layoutState) computeTops() {
	if !l.dirty {
		return
	}
	y := 0.0
	for i, h := range l.height {
		l.tops[i] = y
		y += float64(h)
	}
	l.tops[len(l.height)] = y
	l.dirty = false
}

func (l *layoutState) contentH() float64 {
	l.computeTops()
	return l.tops[len(l.height)] + 2*float64(l.m.marginTop)
}

func (l *layoutState) maxScroll() float64 {
	return math.Max(0, l.contentH()-float64(l.viewH))
}

// ensure lays out paragraph p; when it starts above the viewport, the scroll offset
// absorbs the change of height so that what is on screen does not jump.
func (l *layoutState) ensure(d *docText, p int) *paraLayout {
	if pl := l.lays[p]; pl != nil {
		return pl
	}
	cfg := layoutConfig{width: l.width, spaceW: l.m.spaceW, tabW: l.m.tabW}
	pl := layoutParagraph(d.paraText(p), d.paras[p].start, cfg, l.meas)
	l.lays[p] = &pl
	h := l.paraHeight(&pl, d.paras[p].noGap)
	if delta := h - l.height[p]; delta != 0 {
		l.computeTops()
		above := l.tops[p]+float64(l.m.marginTop) < l.scrollY
		l.height[p] = h
		l.dirty = true
		if above {
			l.scrollY += float64(delta)
		}
	}
	return &pl
}

// paraAtY returns the paragraph at content y (relative to the top margin).
func (l *layoutState) paraAtY(y float64) int {
	l.computeTops()
	n := len(l.height)
	i := sort.Search(n, func(i int) bool { return l.tops[i+1] > y })
	return min(i, n-1)
}

// updateFrame lays out what the viewport shows and lists its lines.
func (v *View) updateFrame() {
	l := &v.lay
	size := v.Size()
	if l.lays == nil {
		l.reset(len(v.doc.paras))
	}
	// Keep the first line on screen where it is across a change of width or theme.
	anchor, anchorY, hasAnchor := 0, float32(0), false
	for _, vl := range l.frame {
		if vl.y >= 0 || vl.y+l.m.lineH > 0 {
			anchor, anchorY, hasAnchor = vl.ln.start, vl.y, true
			break
		}
	}
	oldW, oldH := l.width, l.viewH
	l.ensureMetrics(v.Theme())
	l.viewH = size.Height
	l.frame = l.frame[:0]
	if len(v.doc.paras) == 0 || size.Width <= 0 || size.Height <= 0 {
		return
	}
	l.setWidth(size.Width, &v.doc)
	switch {
	case l.hasLastReveal && (l.width != oldW || l.viewH != oldH):
		v.revealRange(l.lastReveal[0], l.lastReveal[1], true)
	case l.width != oldW && hasAnchor:
		l.scrollY = v.contentYOf(anchor) - float64(anchorY)
	}
	if l.hasReveal {
		l.hasReveal = false
		v.revealRange(l.reveal[0], l.reveal[1], false)
	}
	// Laying out may change heights (and so the end of the content): settle in a few
	// rounds; each round lays out only paragraphs that are now visible.
	clamp := func(y float64) float64 { return math.Max(0, math.Min(y, l.maxScroll())) }
	for round := 0; round < 4; round++ {
		l.scrollY = clamp(l.scrollY)
		l.frame = l.frame[:0]
		mt := float64(l.m.marginTop)
		first := l.paraAtY(l.scrollY - mt)
		gapAbove := false
		for p := first; p < len(v.doc.paras); p++ {
			pl := l.ensure(&v.doc, p)
			l.computeTops()
			top := float32(l.tops[p] + mt - l.scrollY)
			if p == first && p > 0 && top > 0 {
				gapAbove = true // the paragraph shrank past the viewport top
			}
			if top >= l.viewH {
				break
			}
			for i := range pl.lines {
				y := top + float32(i)*l.m.lineH
				if y+l.m.lineH <= 0 || y >= l.viewH {
					continue
				}
				l.frame = append(l.frame, visLine{ln: &pl.lines[i], y: y, para: p})
			}
		}
		if !gapAbove && clamp(l.scrollY) == l.scrollY {
			break
		}
	}
}

// revealRange scrolls so that [s, e) is on screen, putting it a third of the way down
// when it has to move.
func (v *View) revealRange(s, e int, force bool) {
	l := &v.lay
	if len(v.doc.paras) == 0 {
		return
	}
	if l.width <= 0 || v.Size().Height <= 0 {
		l.reveal, l.hasReveal = [2]int{s, e}, true
		return
	}
	l.lastReveal, l.hasLastReveal = [2]int{s, e}, true
	y0 := v.contentYOf(s)
	y1 := y0 + float64(l.m.lineH)
	if e > s {
		y1 = v.contentYOf(max(s, e-1)) + float64(l.m.lineH)
	}
	pad := float64(l.m.lineH)
	view := float64(l.viewH)
	if !force && y0 >= l.scrollY+pad/2 && y1 <= l.scrollY+view-pad/2 {
		return
	}
	l.scrollY = y0 - view/3
	if y1-l.scrollY > view-pad {
		l.scrollY = y0 - pad
	}
}

// contentYOf returns the content y of the top of the line holding cp.
func (v *View) contentYOf(cp int) float64 {
	l := &v.lay
	p := v.doc.paraAt(cp)
	pl := l.ensure(&v.doc, p)
	li := 0
	for li < len(pl.lines)-1 && pl.lines[li].end <= cp && pl.lines[li+1].start <= cp {
		li++
	}
	l.computeTops()
	return l.tops[p] + float64(l.m.marginTop) + float64(li)*float64(l.m.lineH)
}

// topOffset is the offset at the start of the first line on screen.
func (v *View) topOffset() int {
	v.updateFrame()
	if len(v.lay.frame) == 0 {
		return 0
	}
	for _, vl := range v.lay.frame {
		if vl.y >= 0 {
			return vl.ln.start
		}
	}
	return v.lay.frame[0].ln.start
}

// hit maps a point in the view to a text offset; inside reports whether the point is
// over the text of a line rather than beside it.
func (v *View) hit(pos fyne.Position) (int, bool) {
	v.updateFrame()
	return hitFrame(v.lay.frame, pos.X-v.lay.colX, pos.Y, v.lay.m.lineH, v.lay.meas)
}

// hitFrame is hit-testing over the lines on screen: the line under y (the nearest one
// above it in gaps, the first or last beyond them), then the nearest grapheme boundary.
func hitFrame(frame []visLine, x, y, lineH float32, m measurer) (int, bool) {
	if len(frame) == 0 {
		return 0, false
	}
	k := 0
	for k < len(frame)-1 && frame[k+1].y <= y {
		k++
	}
	vl := frame[k]
	cp := hitLine(vl.ln, x, m)
	inside := false
	if ps := vl.ln.pieces; len(ps) > 0 && y >= vl.y && y < vl.y+lineH {
		inside = x >= ps[0].x && x < ps[len(ps)-1].x+ps[len(ps)-1].w
	}
	return cp, inside
}

func (v *View) onScrollBar(pos fyne.Position) bool {
	return pos.X >= v.Size().Width-v.lay.m.barW*2.5 && v.lay.maxScroll() > 0
}

// scrollBarTo centres the scroll thumb on view y.
func (v *View) scrollBarTo(y float32) {
	l := &v.lay
	_, th := v.thumb()
	track := l.viewH - th
	if track <= 0 {
		return
	}
	f := float64((y - th/2) / track)
	l.scrollY = math.Max(0, math.Min(1, f)) * l.maxScroll()
	l.hasLastReveal = false
	v.Refresh()
}

// thumb returns the scroll thumb's top and height.
func (v *View) thumb() (float32, float32) {
	l := &v.lay
	ch := l.contentH()
	if ch <= float64(l.viewH) || l.viewH <= 0 {
		return 0, 0
	}
	h := float32(float64(l.viewH) * float64(l.viewH) / ch)
	if h < 24 {
		h = 24
	}
	ms := l.maxScroll()
	top := float32(0)
	if ms > 0 {
		top = float32(l.scrollY/ms) * (l.viewH - h)
	}
	return top, h
}
