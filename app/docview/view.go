// Package docview is Evident's document view: a read-only, virtualised text widget that
// draws label highlights behind wrapped text, lets the user select with mouse and keys,
// and moves a focus between spans. Fyne's Entry and RichText can neither select in
// read-only text nor draw thousands of highlights, so this widget lays out and draws only
// the paragraphs near the viewport and manages its own vertical scrolling.
//
// Offsets are Unicode code points, half-open, as everywhere in Evident. All methods must
// be called on the Fyne goroutine (use fyne.Do from elsewhere).
package docview

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

var (
	_ fyne.Widget         = (*View)(nil)
	_ fyne.Focusable      = (*View)(nil)
	_ fyne.Tabbable       = (*View)(nil)
	_ desktop.Keyable     = (*View)(nil)
	_ desktop.Mouseable   = (*View)(nil)
	_ fyne.Draggable      = (*View)(nil)
	_ fyne.Tappable       = (*View)(nil)
	_ fyne.DoubleTappable = (*View)(nil)
	_ fyne.Scrollable     = (*View)(nil)
	_ desktop.Cursorable  = (*View)(nil)
)

// View shows one document with its spans.
type View struct {
	widget.BaseWidget

	// Callbacks set by the shell; nil means ignore. OnFocusChanged and OnSelectionChanged
	// fire on every change of the focused span or the selection, whether it came from
	// the user or from a method call, and not when nothing changed.
	OnFocusChanged     func(s annotate.Span, ok bool)
	OnSelectionChanged func(start, end int, ok bool)
	// OnKey gets every key typed while the view has keyboard focus, with the modifiers
	// held. It returns true when it handled the key; otherwise the view scrolls on
	// arrows and page keys, moves between spans on Tab / Shift+Tab, and clears the
	// selection on Escape.
	OnKey func(ev *fyne.KeyEvent, mods fyne.KeyModifier) bool
	// OnRune gets every character typed while the view has keyboard focus.
	OnRune func(r rune) bool

	schema       *annotate.Schema
	showRejected bool
	all          []annotate.Span
	ix           spanIndex

	doc docText
	lay layoutState

	focusID   int64
	hasFocus  bool
	cursor    [2]int // where navigation continues when the focused span went away
	hasCursor bool

	selStart, selEnd int
	marks            [][2]int // search hits, sorted by start
	hasSel           bool

	mods       fyne.KeyModifier
	keyFocused bool
	dragging   bool
	dragBar    bool
	dragAnchor int
	dragChars  bool
	downMods   fyne.KeyModifier
	// clickedDown: MouseDown handled the click, so the delayed Tapped must not.
	clickedDown bool
}

// New returns an empty view.
func New() *View {
	v := &View{}
	v.ExtendBaseWidget(v)
	return v
}

// MinSize is small and constant: the view scrolls itself, whatever the document.
func (v *View) MinSize() fyne.Size {
	s := v.Theme().Size(theme.SizeNameText)
	return fyne.NewSize(s*12, s*6)
}

// SetSchema sets the label colours.
func (v *View) SetSchema(s *annotate.Schema) {
	v.schema = s
	v.Refresh()
}

// SetDocument shows a new document; scroll, focus and selection are reset.
func (v *View) SetDocument(text string, spans []annotate.Span) {
	v.doc = newDocText(text)
	v.lay.reset(len(v.doc.paras))
	v.all = append(v.all[:0:0], spans...)
	v.ix = newSpanIndex(v.all, v.doc.n, v.showRejected)
	v.hasCursor = false
	v.setFocus(-1)
	v.setSelection(0, 0, false)
	v.Refresh()
}

// SetSpans replaces the spans of the current document. Scroll and selection stay; the
// focus stays on the same span id if that span is still shown.
func (v *View) SetSpans(spans []annotate.Span) {
	v.all = append(v.all[:0:0], spans...)
	v.reindex()
}

// SetShowRejected shows or hides rejected spans (shown struck through).
func (v *View) SetShowRejected(show bool) {
	if show == v.showRejected {
		return
	}
	v.showRejected = show
	v.reindex()
}

func (v *View) reindex() {
	var old annotate.Span
	had := v.hasFocus
	if had {
		old = v.ix.spans[v.ix.byID[v.focusID]]
	}
	v.ix = newSpanIndex(v.all, v.doc.n, v.showRejected)
	if had {
		if i, ok := v.ix.byID[old.ID]; ok {
			if !sameSpan(old, v.ix.spans[i]) && v.OnFocusChanged != nil {
				v.OnFocusChanged(v.ix.spans[i], true)
			}
		} else {
			v.cursor, v.hasCursor = [2]int{old.Start, old.End}, true
			v.hasFocus = false
			if v.OnFocusChanged != nil {
				v.OnFocusChanged(annotate.Span{}, false)
			}
		}
	}
	v.Refresh()
}

// Focused returns the focused span.
func (v *View) Focused() (annotate.Span, bool) {
	if !v.hasFocus {
		return annotate.Span{}, false
	}
	return v.ix.spans[v.ix.byID[v.focusID]], true
}

// setFocus focuses the span at index i of the index (-1: none) and reports a change.
func (v *View) setFocus(i int) {
	if i < 0 {
		if !v.hasFocus {
			return
		}
		v.hasFocus = false
		if v.OnFocusChanged != nil {
			v.OnFocusChanged(annotate.Span{}, false)
		}
		return
	}
	s := v.ix.spans[i]
	if v.hasFocus && v.focusID == s.ID {
		return
	}
	v.focusID, v.hasFocus, v.hasCursor = s.ID, true, false
	if v.OnFocusChanged != nil {
		v.OnFocusChanged(s, true)
	}
}

// FocusSpan focuses the shown span with the id and scrolls it into view.
func (v *View) FocusSpan(id int64) bool {
	i, ok := v.ix.byID[id]
	if !ok {
		return false
	}
	v.setFocus(i)
	v.revealRange(v.ix.spans[i].Start, v.ix.spans[i].End, false)
	v.Refresh()
	return true
}

// FocusNext focuses the next shown span after the focused one (ordered by start, then
// end) for which match is true (nil matches all), wrapping at the end, and scrolls it
// into view. With no focus it starts from where the last focused span was, or from
// the top of the viewport.
func (v *View) FocusNext(match func(annotate.Span) bool) bool { return v.focusStep(match, 1) }

// FocusPrev is FocusNext backwards.
func (v *View) FocusPrev(match func(annotate.Span) bool) bool { return v.focusStep(match, -1) }

func (v *View) focusStep(match func(annotate.Span) bool, dir int) bool {
	n := len(v.ix.spans)
	if n == 0 {
		return false
	}
	var from int // index of the first candidate
	switch {
	case v.hasFocus:
		from = v.ix.byID[v.focusID] + dir
	case v.hasCursor:
		from = v.ix.firstAtOrAfter(v.cursor[0], v.cursor[1])
		if dir < 0 {
			from--
		}
	default:
		top := v.topOffset()
		from = v.ix.firstAtOrAfter(top, 0)
		if dir < 0 {
			from--
		}
	}
	for k := 0; k < n; k++ {
		i := ((from+dir*k)%n + n) % n
		if match == nil || match(v.ix.spans[i]) {
			v.setFocus(i)
			v.revealRange(v.ix.spans[i].Start, v.ix.spans[i].End, false)
			v.Refresh()
			return true
		}
	}
	return false
}

// Selection returns the selected range in code points, half-open, as the user snapped it.
func (v *View) Selection() (start, end int, ok bool) {
	return v.selStart, v.selEnd, v.hasSel
}

// SetSelection selects [start, end), clamped to the text; an empty range clears it.
func (v *View) SetSelection(start, end int) {
	if start > end {
		start, end = end, start
	}
	start = max(0, min(start, v.doc.n))
	end = max(0, min(end, v.doc.n))
	v.setSelection(start, end, start < end)
	v.Refresh()
}

// SetMarks highlights ranges (code points, half-open, sorted by start) behind the text,
// as search hits are; nil removes them.
func (v *View) SetMarks(ranges [][2]int) {
	v.marks = ranges
	v.Refresh()
}

// Marks returns the ranges SetMarks highlights.
func (v *View) Marks() [][2]int { return v.marks }

// ClearSelection removes the selection.
func (v *View) ClearSelection() {
	v.setSelection(0, 0, false)
	v.Refresh()
}

func (v *View) setSelection(s, e int, ok bool) {
	if !ok {
		s, e = 0, 0
	}
	if s == v.selStart && e == v.selEnd && ok == v.hasSel {
		return
	}
	v.selStart, v.selEnd, v.hasSel = s, e, ok
	if v.OnSelectionChanged != nil {
		v.OnSelectionChanged(s, e, ok)
	}
}

// ScrollToOffset scrolls so that code point cp is visible.
func (v *View) ScrollToOffset(cp int) {
	v.revealRange(cp, cp, false)
	v.Refresh()
}

// TokenBoundary returns the token boundary next to cp in direction dir: for dir > 0 the
// end of the first token ending after cp, for dir < 0 the start of the last token
// starting before cp; cp itself when there is none. It is what growing a span by a
// token at its end (dir > 0) or its start (dir < 0) needs; TokenEdge serves shrinking.
func (v *View) TokenBoundary(cp int, dir int) int {
	if dir >= 0 {
		return v.TokenEdge(cp, 1, true)
	}
	return v.TokenEdge(cp, -1, false)
}

// TokenEdge returns the nearest token end (end true) or token start (end false)
// strictly after cp (dir > 0) or strictly before it (dir < 0), or cp if there is none.
// Shrinking a span by a token: its end moves to TokenEdge(end, -1, true), its start to
// TokenEdge(start, +1, false).
func (v *View) TokenEdge(cp int, dir int, end bool) int {
	if len(v.doc.paras) == 0 {
		return cp
	}
	p := v.doc.paraAt(cp)
	for p >= 0 && p < len(v.doc.paras) {
		toks := v.doc.tokens(p)
		if dir > 0 {
			i := sort.Search(len(toks), func(i int) bool { return edge(toks[i], end) > cp })
			if i < len(toks) {
				return edge(toks[i], end)
			}
			p++
		} else {
			i := sort.Search(len(toks), func(i int) bool { return edge(toks[i], end) >= cp })
			if i > 0 {
				return edge(toks[i-1], end)
			}
			p--
		}
	}
	return cp
}

func edge(t annotate.Token, end bool) int {
	if end {
		return t.End
	}
	return t.Start
}

// wordAt returns the token containing cp (or starting at it), if any.
func (v *View) wordAt(cp int) (int, int, bool) {
	if len(v.doc.paras) == 0 {
		return 0, 0, false
	}
	toks := v.doc.tokens(v.doc.paraAt(cp))
	i := sort.Search(len(toks), func(i int) bool { return toks[i].End > cp })
	if i < len(toks) && toks[i].Start <= cp {
		return toks[i].Start, toks[i].End, true
	}
	return 0, 0, false
}

// ---- input ----

// FocusGained is called when the view gets keyboard focus.
func (v *View) FocusGained() { v.keyFocused = true; v.Refresh() }

// FocusLost is called when the view loses keyboard focus.
func (v *View) FocusLost() { v.keyFocused = false; v.mods = 0; v.Refresh() }

// AcceptsTab keeps Tab for the view: it moves to the next suggestion.
func (v *View) AcceptsTab() bool { return true }

// TypedRune passes typed characters to OnRune.
func (v *View) TypedRune(r rune) {
	if v.OnRune != nil {
		v.OnRune(r)
	}
}

// TypedKey passes keys to OnKey and otherwise handles navigation.
func (v *View) TypedKey(ev *fyne.KeyEvent) {
	mods := v.modifiers()
	if v.OnKey != nil && v.OnKey(ev, mods) {
		return
	}
	page := v.Size().Height - 2*v.lay.m.lineH
	switch ev.Name {
	case fyne.KeyDown:
		v.scrollBy(v.lay.m.lineH)
	case fyne.KeyUp:
		v.scrollBy(-v.lay.m.lineH)
	case fyne.KeyPageDown, fyne.KeySpace:
		v.scrollBy(page)
	case fyne.KeyPageUp:
		v.scrollBy(-page)
	case fyne.KeyHome:
		v.scrollBy(-float32(v.lay.scrollY))
	case fyne.KeyEnd:
		v.scrollBy(math.MaxFloat32)
	case fyne.KeyTab:
		if mods&fyne.KeyModifierShift != 0 {
			v.FocusPrev(nil)
		} else {
			v.FocusNext(nil)
		}
	case fyne.KeyEscape:
		v.ClearSelection()
	}
}

// KeyDown tracks modifiers.
func (v *View) KeyDown(ev *fyne.KeyEvent) { v.mods |= modOf(ev.Name) }

// KeyUp tracks modifiers.
func (v *View) KeyUp(ev *fyne.KeyEvent) { v.mods &^= modOf(ev.Name) }

func modOf(k fyne.KeyName) fyne.KeyModifier {
	switch k {
	case desktop.KeyShiftLeft, desktop.KeyShiftRight:
		return fyne.KeyModifierShift
	case desktop.KeyControlLeft, desktop.KeyControlRight:
		return fyne.KeyModifierControl
	case desktop.KeyAltLeft, desktop.KeyAltRight:
		return fyne.KeyModifierAlt
	case desktop.KeySuperLeft, desktop.KeySuperRight:
		return fyne.KeyModifierSuper
	}
	return 0
}

// modifiers prefers what a desktop driver knows (it also sees keys pressed before the
// view had focus); other drivers (tests, mobile) get the ones tracked through
// KeyDown/KeyUp.
func (v *View) modifiers() fyne.KeyModifier {
	if app := fyne.CurrentApp(); app != nil {
		if d, ok := app.Driver().(desktop.Driver); ok {
			return d.CurrentKeyModifiers()
		}
	}
	return v.mods
}

func (v *View) takeFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil && c.Focused() != v {
		c.Focus(v)
	}
}

// MouseDown takes keyboard focus, remembers the modifiers for a drag that follows and
// acts on the click at once: Fyne delays Tapped on a DoubleTappable to tell the two
// apart, and a focus change that late would feel sluggish (and could undo a Tab typed
// in between).
func (v *View) MouseDown(ev *desktop.MouseEvent) {
	v.downMods = ev.Modifier
	v.takeFocus()
	if ev.Button == desktop.MouseButtonPrimary {
		v.click(ev.Position)
		v.clickedDown = true
	}
}

// Cursor is the text beam: the view is for selecting text.
func (v *View) Cursor() desktop.Cursor { return desktop.TextCursor }

// MouseUp is part of desktop.Mouseable.
func (v *View) MouseUp(*desktop.MouseEvent) {}

// Tapped focuses the innermost span under the pointer and clears the selection, unless
// MouseDown already did (desktop drivers).
func (v *View) Tapped(ev *fyne.PointEvent) {
	v.takeFocus()
	if v.clickedDown {
		v.clickedDown = false
		return
	}
	v.click(ev.Position)
}

// click is a primary click: on the scroll bar it scrolls, on text it clears the
// selection and focuses the innermost span under the pointer.
func (v *View) click(pos fyne.Position) {
	if v.onScrollBar(pos) {
		v.scrollBarTo(pos.Y)
		return
	}
	cp, inside := v.hit(pos)
	v.setSelection(0, 0, false)
	if inside {
		if i := v.ix.innermost(cp); i >= 0 {
			v.setFocus(i)
		}
	}
	v.Refresh()
}

// DoubleTapped selects the word under the pointer.
func (v *View) DoubleTapped(ev *fyne.PointEvent) {
	v.takeFocus()
	cp, _ := v.hit(ev.Position)
	if s, e, ok := v.wordAt(cp); ok {
		v.setSelection(s, e, true)
	} else if cp > 0 {
		if s, e, ok := v.wordAt(cp - 1); ok {
			v.setSelection(s, e, true)
		}
	}
	v.Refresh()
}

// Dragged selects from where the drag began, snapping to whole tokens unless Alt is
// held (then to grapheme clusters). Dragging on the scroll bar scrolls.
func (v *View) Dragged(ev *fyne.DragEvent) {
	if !v.dragging {
		v.dragging = true
		start := ev.Position.Subtract(ev.Dragged)
		v.dragBar = v.onScrollBar(start)
		if !v.dragBar {
			v.takeFocus()
			v.dragAnchor, _ = v.hit(start)
			v.dragChars = (v.modifiers()|v.downMods)&fyne.KeyModifierAlt != 0
		}
	}
	if v.dragBar {
		v.scrollBarTo(ev.Position.Y)
		return
	}
	// Keep the selection going when the pointer leaves the view.
	h := v.Size().Height
	if ev.Position.Y < 0 {
		v.scrollBy(ev.Position.Y)
	} else if ev.Position.Y > h {
		v.scrollBy(ev.Position.Y - h)
	}
	cp, _ := v.hit(ev.Position)
	s, e := v.dragAnchor, cp
	if s > e {
		s, e = e, s
	}
	if !v.dragChars {
		s, e = v.snapTokens(s, e)
	}
	v.setSelection(s, e, s < e)
	v.Refresh()
}

// DragEnd finishes a selection or a scroll bar drag.
func (v *View) DragEnd() {
	v.dragging, v.dragBar, v.downMods = false, false, 0
}

// snapTokens widens [s, e) to whole tokens of the paragraphs it touches.
func (v *View) snapTokens(s, e int) (int, int) {
	if len(v.doc.paras) == 0 {
		return s, e
	}
	if s == e {
		return s, e
	}
	ps, pe := v.doc.paraAt(s), v.doc.paraAt(max(s, e-1))
	ns, ne := s, e
	for p := ps; p <= pe; p++ {
		if p != ps && p != pe {
			continue // interior paragraphs are covered whole
		}
		a, b := annotate.SnapToTokens(v.doc.tokensNear(p, s, e), s, e)
		ns, ne = min(ns, a), max(ne, b)
	}
	// A drag that began or ended in white space does not select it.
	if v.doc.offs == nil {
		v.doc.offs = annotate.NewOffsets(v.doc.text)
	}
	if a, b, ok := annotate.TrimSpace(v.doc.text, v.doc.offs, ns, ne); ok {
		return a, b
	}
	return s, s
}

// Scrolled scrolls by the wheel or touchpad delta.
func (v *View) Scrolled(ev *fyne.ScrollEvent) {
	v.scrollBy(-ev.Scrolled.DY)
}

func (v *View) scrollBy(dy float32) {
	v.lay.scrollY += float64(dy)
	v.lay.hasLastReveal = false
	v.Refresh()
}

// ---- document text ----

// docText is the text cut into paragraphs at line feeds (a CR before the LF belongs to
// the line ending, not the paragraph).
type docText struct {
	offs  *annotate.Offsets // built on first need: O(n) and 8 bytes per code point
	text  string
	n     int // code points
	paras []para
}

type para struct {
	start, end   int // code points of the content
	bstart, bend int // bytes of the content
	toks         []annotate.Token
	toksDone     bool
	noGap        bool // a chunk of a longer paragraph: no gap follows
}

func newDocText(text string) docText {
	d := docText{text: text}
	cp, b := 0, 0
	for {
		i := strings.IndexByte(text[b:], '\n')
		last := i < 0
		end := len(text)
		if !last {
			end = b + i
		}
		content := end
		if content > b && text[content-1] == '\r' {
			content--
		}
		n := utf8.RuneCountInString(text[b:content])
		d.addPara(cp, b, content, n)
		cp += n
		if last {
			cp += utf8.RuneCountInString(text[content:end])
			break
		}
		cp += utf8.RuneCountInString(text[content:end]) + 1
		b = end + 1
	}
	d.n = cp
	return d
}

// maxChunk bounds the code points laid out as one unit. Longer paragraphs (a text
// imported without line breaks) are cut into chunks at a sentence end or a space near
// the limit; a chunk starts a new line but adds no paragraph gap. Without the cut, a
// 1 MB paragraph would be measured whole before anything is drawn.
const maxChunk = 3000

// addPara appends the paragraph of n code points at bytes [b, e), cut into chunks.
func (d *docText) addPara(cp, b, e, n int) {
	for n > maxChunk {
		cut, cutCP := chunkCut(d.text[b:e], maxChunk)
		if cut <= 0 || cut >= e-b {
			break
		}
		d.paras = append(d.paras, para{start: cp, end: cp + cutCP, bstart: b, bend: b + cut, noGap: true})
		cp, b, n = cp+cutCP, b+cut, n-cutCP
	}
	d.paras = append(d.paras, para{start: cp, end: cp + n, bstart: b, bend: e})
}

// chunkCut picks where to cut s near limit code points: after the last ". " (or other
// sentence end) in the final quarter, else after the last space, else at the limit;
// never before a combining mark or a joiner, so no grapheme is split. It returns the
// byte and code point offsets of the cut.
func chunkCut(s string, limit int) (int, int) {
	type pos struct{ b, cp int }
	var sentence, space, hard pos
	prev := rune(0)
	cp := 0
	for b, r := range s {
		if cp == limit {
			break
		}
		if cp > 0 && !unicode.Is(unicode.M, r) && r != 0x200D && prev != 0x200D && !(r >= 0xFE00 && r <= 0xFE0F) {
			hard = pos{b, cp}
			if unicode.IsSpace(prev) {
				space = pos{b, cp}
				if cp > limit*3/4 && b >= 2 && strings.ContainsRune(".!?。؟", lastNonSpace(s[:b])) {
					sentence = pos{b, cp}
				}
			}
		}
		prev = r
		cp++
	}
	switch {
	case sentence.b > 0:
		return sentence.b, sentence.cp
	case space.b > 0:
		return space.b, space.cp
	}
	return hard.b, hard.cp
}

func lastNonSpace(s string) rune {
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if !unicode.IsSpace(r) {
			return r
		}
		s = s[:len(s)-size]
	}
	return 0
}

// paraAt returns the paragraph holding offset cp (a line ending belongs to the
// paragraph before it).
func (d *docText) paraAt(cp int) int {
	i := sort.Search(len(d.paras), func(i int) bool { return d.paras[i].start > cp })
	return max(i-1, 0)
}

func (d *docText) paraText(p int) string { return d.text[d.paras[p].bstart:d.paras[p].bend] }

// tokens returns the paragraph's tokens with absolute offsets, computed once.
func (d *docText) tokens(p int) []annotate.Token {
	pp := &d.paras[p]
	if !pp.toksDone {
		pp.toks = annotate.Tokens(d.paraText(p))
		for i := range pp.toks {
			pp.toks[i].Start += pp.start
			pp.toks[i].End += pp.start
		}
		pp.toksDone = true
	}
	return pp.toks
}

// tokensNear returns the paragraph's tokens overlapping [s, e).
func (d *docText) tokensNear(p, s, e int) []annotate.Token {
	toks := d.tokens(p)
	i := sort.Search(len(toks), func(i int) bool { return toks[i].End > s })
	j := sort.Search(len(toks), func(i int) bool { return toks[i].Start >= e })
	if i > j {
		return nil
	}
	return toks[i:j]
}

// OffsetAt returns the text offset (a grapheme boundary) nearest to a point in the view.
func (v *View) OffsetAt(pos fyne.Position) int {
	cp, _ := v.hit(pos)
	return cp
}

// PositionOf returns where offset cp is drawn, in view coordinates: the left edge of
// its character (the right edge in right-to-left text) at the top of the line's text.
// ok is false when cp is not on screen. The shell uses it to place pop-ups next to a
// span.
func (v *View) PositionOf(cp int) (pos fyne.Position, ok bool) {
	v.updateFrame()
	l := &v.lay
	for k := range l.frame {
		vl := &l.frame[k]
		ln := vl.ln
		if cp < ln.start || cp > ln.end || cp == ln.end && k+1 < len(l.frame) && l.frame[k+1].ln.start == cp {
			continue
		}
		x := float32(0)
		for i := range ln.pieces {
			p := &ln.pieces[i]
			if cp >= p.start && cp <= p.end {
				x = p.xAt(cp, l.meas)
				if cp < p.end {
					break
				}
			}
		}
		return fyne.NewPos(l.colX+x, vl.y+l.m.fillTop), true
	}
	return fyne.Position{}, false
}
