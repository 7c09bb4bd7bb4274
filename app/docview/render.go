package docview

import (
	"image/color"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"evident/annotate"
)

// CreateRenderer is part of fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return &renderer{v: v, colors: map[string]color.NRGBA{}}
}

// renderer owns the canvas objects: pools of rectangles, texts and dashed-underline
// rasters reused frame after frame, so a scroll allocates nothing once warm.
type renderer struct {
	v *View

	sel, fills, solid, strikes, rings, bar rectPool
	frame                                  canvas.Rectangle // outline while the view has keyboard focus
	texts                                  textPool
	dashes                                 dashPool
	objects                                []fyne.CanvasObject

	schema *annotate.Schema
	colors map[string]color.NRGBA
	ivs    []xInterval
	sb     strings.Builder
}

func (r *renderer) Destroy()                     {}
func (r *renderer) MinSize() fyne.Size           { return r.v.MinSize() }
func (r *renderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *renderer) Layout(fyne.Size)             { r.build() }

func (r *renderer) Refresh() {
	r.build()
	canvas.Refresh(r.v)
}

// style holds the colours of one frame.
type style struct {
	fg, sel, ring, bar, grey, focus color.Color
	mark                            color.Color // search hits
	dark                            bool
}

func (r *renderer) style() style {
	th := r.v.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	bg := th.Color(theme.ColorNameBackground, variant)
	st := style{
		fg:    th.Color(theme.ColorNameForeground, variant),
		sel:   th.Color(theme.ColorNameSelection, variant),
		mark:  color.NRGBA{R: 0xff, G: 0xd4, B: 0x00, A: 0x70},
		ring:  th.Color(theme.ColorNameForeground, variant),
		bar:   th.Color(theme.ColorNameScrollBar, variant),
		grey:  th.Color(theme.ColorNameDisabled, variant),
		focus: th.Color(theme.ColorNameFocus, variant),
		dark:  luminance(bg) < 0.5,
	}
	return st
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

func (r *renderer) labelColor(label string) color.NRGBA {
	if r.schema != r.v.schema {
		r.schema = r.v.schema
		clear(r.colors)
	}
	if c, ok := r.colors[label]; ok {
		return c
	}
	c := color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	if r.schema != nil {
		if l, ok := r.schema.Label(label); ok {
			c = parseHex(l.Color, c)
		}
	}
	r.colors[label] = c
	return c
}

func parseHex(s string, def color.NRGBA) color.NRGBA {
	if len(s) != 7 || s[0] != '#' {
		return def
	}
	n, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return def
	}
	return color.NRGBA{R: uint8(n >> 16), G: uint8(n >> 8), B: uint8(n), A: 0xff}
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// build lays out the visible lines and fills the pools for them.
func (r *renderer) build() {
	v := r.v
	v.updateFrame()
	l := &v.lay
	m := &l.m
	st := r.style()
	r.sel.reset()
	r.fills.reset()
	r.solid.reset()
	r.strikes.reset()
	r.rings.reset()
	r.bar.reset()
	r.texts.reset()
	r.dashes.reset()

	fillAcc, fillSug := uint8(0x5c), uint8(0x1c)
	if st.dark {
		fillAcc, fillSug = 0x78, 0x30
	}
	x0 := l.colX
	ulStep := float32(3.5)
	for _, vl := range l.frame {
		ln := vl.ln
		top := vl.y + m.fillTop
		bottom := vl.y + m.lineH + 2
		// Search hits: marks overlapping this line, found by binary search on start.
		for k := sort.Search(len(v.marks), func(k int) bool { return v.marks[k][1] > ln.start }); k < len(v.marks) && v.marks[k][0] < ln.end; k++ {
			r.ivs = rangeIntervals(ln, v.marks[k][0], v.marks[k][1], l.meas, r.ivs)
			for _, iv := range r.ivs {
				rect := r.sel.next()
				rect.FillColor = st.mark
				place(rect, x0+iv.x0, top, iv.x1-iv.x0, m.fillH)
			}
		}
		if v.hasSel {
			r.ivs = rangeIntervals(ln, v.selStart, v.selEnd, l.meas, r.ivs)
			for _, iv := range r.ivs {
				rect := r.sel.next()
				rect.FillColor = st.sel
				place(rect, x0+iv.x0, top, iv.x1-iv.x0, m.fillH)
			}
		}
		v.ix.overlapping(ln.start, ln.end, func(i int) {
			sp := &v.ix.spans[i]
			col := r.labelColor(sp.Label)
			r.ivs = rangeIntervals(ln, sp.Start, sp.End, l.meas, r.ivs)
			uy := vl.y + m.ul0 + float32(v.ix.level[i])*ulStep
			for uy+2 > bottom && uy > vl.y+m.ul0 {
				uy -= ulStep // deeper than the line has room for: share the last level
			}
			for _, iv := range r.ivs {
				w := iv.x1 - iv.x0
				switch sp.Status {
				case annotate.StatusAccepted:
					f := r.fills.next()
					f.FillColor = withAlpha(col, fillAcc)
					place(f, x0+iv.x0, top, w, m.fillH)
					u := r.solid.next()
					u.FillColor = col
					place(u, x0+iv.x0, uy, w, 2)
				case annotate.StatusRejected:
					s := r.strikes.next()
					s.FillColor = withAlpha(col, 0xd0)
					place(s, x0+iv.x0, top+m.fillH*0.55, w, 1.5)
					r.dashes.next(x0+iv.x0, uy, w, 2, st.grey, 2, 3)
				default: // suggested
					f := r.fills.next()
					f.FillColor = withAlpha(col, fillSug)
					place(f, x0+iv.x0, top, w, m.fillH)
					r.dashes.next(x0+iv.x0, uy, w, 2, col, 4, 3)
				}
			}
			if v.hasFocus && sp.ID == v.focusID {
				for _, iv := range r.ivs {
					ring := r.rings.next()
					ring.FillColor = color.Transparent
					ring.StrokeColor = st.ring
					ring.StrokeWidth = 2
					ring.CornerRadius = 3
					place(ring, x0+iv.x0-3, top-3, iv.x1-iv.x0+6, m.ul0-m.fillTop+3+ulStep+3)
				}
			}
		})
		r.lineTexts(ln, x0, vl.y+m.textTop, st.fg, m.textSize)
	}
	if ty, th := v.thumb(); th > 0 {
		b := r.bar.next()
		b.FillColor = st.bar
		b.CornerRadius = m.barW / 2
		place(b, l.viewW-m.barW-2, ty+2, m.barW, th-4)
	}

	r.objects = r.objects[:0]
	if v.keyFocused {
		// Keys go where this outline is: the list and the view both take keys.
		r.frame.FillColor = color.Transparent
		r.frame.StrokeColor = st.focus
		r.frame.StrokeWidth = 2
		r.frame.CornerRadius = 4
		place(&r.frame, 1, 1, l.viewW-2, l.viewH-2)
		r.objects = append(r.objects, &r.frame)
	}
	r.objects = r.sel.appendTo(r.objects)
	r.objects = r.fills.appendTo(r.objects)
	r.objects = r.texts.appendTo(r.objects)
	r.objects = r.solid.appendTo(r.objects)
	r.objects = r.dashes.appendTo(r.objects)
	r.objects = r.strikes.appendTo(r.objects)
	r.objects = r.rings.appendTo(r.objects)
	r.objects = r.bar.appendTo(r.objects)
}

// lineTexts draws the line's words as few texts as possible: one per run of pieces at
// the same bidi level between tabs. A right-to-left run is handed over in logical
// order; the text shaper lays it out right to left.
func (r *renderer) lineTexts(ln *line, x0, top float32, fg color.Color, size float32) {
	ps := ln.pieces
	for i := 0; i < len(ps); {
		if ps[i].kind != pieceWord {
			i++
			continue
		}
		j := i + 1
		lastWord := i
		// Right-to-left words each get their own text: a run's shaped width can differ
		// from the sum of its words (fallback fonts, joining), and highlights are placed
		// by the words' measured positions.
		for j < len(ps) && ps[j].kind != pieceTab && ps[j].level == ps[i].level && !ps[i].rtl() {
			if ps[j].kind == pieceWord {
				lastWord = j
			}
			j++
		}
		r.sb.Reset()
		if ps[i].rtl() {
			for k := lastWord; k >= i; k-- {
				r.sb.WriteString(ps[k].text)
			}
		} else {
			for k := i; k <= lastWord; k++ {
				r.sb.WriteString(ps[k].text)
			}
		}
		t := r.texts.next()
		t.Text = r.sb.String()
		t.Color = fg
		t.TextSize = size
		t.Move(fyne.NewPos(x0+ps[i].x, top))
		t.Resize(fyne.NewSize(ps[lastWord].x+ps[lastWord].w-ps[i].x, 0))
		i = lastWord + 1
	}
}

func place(o fyne.CanvasObject, x, y, w, h float32) {
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(w, h))
}

// pool reuses canvas objects across frames: next hands out the n-th object (making it
// on first use) and appendTo lists the ones handed out since reset.
type pool[T any, P interface {
	*T
	fyne.CanvasObject
}] struct {
	objs []P
	n    int
}

func (p *pool[T, P]) reset() { p.n = 0 }

func (p *pool[T, P]) next() P {
	if p.n == len(p.objs) {
		p.objs = append(p.objs, P(new(T)))
	}
	o := p.objs[p.n]
	p.n++
	return o
}

func (p *pool[T, P]) appendTo(objs []fyne.CanvasObject) []fyne.CanvasObject {
	for _, o := range p.objs[:p.n] {
		objs = append(objs, o)
	}
	return objs
}

type (
	rectPool = pool[canvas.Rectangle, *canvas.Rectangle]
	textPool = pool[canvas.Text, *canvas.Text]
)

// dash is a dashed line drawn by a raster; its pixels depend only on its state, so a
// reused raster is refreshed only when the state changes.
type dash struct {
	r     *canvas.Raster
	col   color.Color
	on    float32 // dash length
	off   float32 // gap length
	width float32 // in device-independent pixels, to find the scale
}

type dashPool struct {
	objs []*dash
	n    int
}

func (p *dashPool) reset() { p.n = 0 }

func (p *dashPool) next(x, y, w, h float32, col color.Color, on, off float32) {
	if p.n == len(p.objs) {
		d := &dash{}
		d.r = canvas.NewRasterWithPixels(func(px, _, pw, _ int) color.Color {
			scale := float32(1)
			if d.width > 0 && pw > 0 {
				scale = float32(pw) / d.width
			}
			period := (d.on + d.off) * scale
			if period <= 0 {
				return d.col
			}
			pos := float32(px) - period*float32(int(float32(px)/period))
			if pos < d.on*scale {
				return d.col
			}
			return color.Transparent
		})
		p.objs = append(p.objs, d)
	}
	d := p.objs[p.n]
	p.n++
	changed := d.col != col || d.on != on || d.off != off || d.width != w
	d.col, d.on, d.off, d.width = col, on, off, w
	place(d.r, x, y, w, h)
	if changed {
		canvas.Refresh(d.r)
	}
}

func (p *dashPool) appendTo(objs []fyne.CanvasObject) []fyne.CanvasObject {
	for _, d := range p.objs[:p.n] {
		objs = append(objs, d.r)
	}
	return objs
}
