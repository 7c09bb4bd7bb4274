// Package docview is Evident's document view: a read-only, virtualised text widget that
// draws label highlights behind wrapped text, lets the user select with mouse and keys,
// and moves a focus between spans. Fyne's Entry and RichText cannot select in read-only
// text nor draw millions of highlights, so this widget lays out only what is visible.
package docview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

var (
	_ fyne.Widget         = (*View)(nil)
	_ fyne.Focusable      = (*View)(nil)
	_ fyne.Tabbable       = (*View)(nil)
	_ desktop.Keyable     = (*View)(nil)
	_ fyne.Draggable      = (*View)(nil)
	_ fyne.Tappable       = (*View)(nil)
	_ fyne.DoubleTappable = (*View)(nil)
	_ fyne.Scrollable     = (*View)(nil)
)

// View shows one document with its spans.
type View struct {
	widget.BaseWidget

	// Callbacks set by the shell; nil means ignore.
	OnFocusChanged     func(s annotate.Span, ok bool)
	OnSelectionChanged func(start, end int, ok bool)
	// OnKey gets every key typed while the view has focus, with the modifiers held.
	// It returns true when it handled the key.
	OnKey  func(ev *fyne.KeyEvent, mods fyne.KeyModifier) bool
	OnRune func(r rune) bool

	schema *annotate.Schema
	text   string
	spans  []annotate.Span
	mods   fyne.KeyModifier
}

// New returns an empty view.
func New() *View {
	v := &View{}
	v.ExtendBaseWidget(v)
	return v
}

// SetSchema sets the label colours.
func (v *View) SetSchema(s *annotate.Schema) { v.schema = s; v.Refresh() }

// SetDocument shows a new document; scroll, focus and selection are reset.
func (v *View) SetDocument(text string, spans []annotate.Span) {
	v.text, v.spans = text, spans
	v.Refresh()
}

// SetSpans replaces the spans of the current document, keeping scroll and focus.
func (v *View) SetSpans(spans []annotate.Span) { v.spans = spans; v.Refresh() }

// SetShowRejected shows or hides rejected spans.
func (v *View) SetShowRejected(show bool) {}

// Focused returns the focused span.
func (v *View) Focused() (annotate.Span, bool) { return annotate.Span{}, false }

// FocusSpan focuses the span with the id and scrolls it into view.
func (v *View) FocusSpan(id int64) bool { return false }

// FocusNext focuses the next matching span after the focused one, wrapping.
func (v *View) FocusNext(match func(annotate.Span) bool) bool { return false }

// FocusPrev focuses the previous matching span before the focused one, wrapping.
func (v *View) FocusPrev(match func(annotate.Span) bool) bool { return false }

// Selection returns the selected range in code points, half-open.
func (v *View) Selection() (start, end int, ok bool) { return 0, 0, false }

// SetSelection selects [start, end).
func (v *View) SetSelection(start, end int) {}

// ClearSelection removes the selection.
func (v *View) ClearSelection() {}

// ScrollToOffset scrolls so that code point cp is visible.
func (v *View) ScrollToOffset(cp int) {}

// TokenBoundary returns the next (dir > 0) or previous (dir < 0) token boundary from cp.
func (v *View) TokenBoundary(cp int, dir int) int { return cp }

func (v *View) FocusGained()                     {}
func (v *View) FocusLost()                       {}
func (v *View) TypedRune(r rune)                 {}
func (v *View) TypedKey(ev *fyne.KeyEvent)       {}
func (v *View) AcceptsTab() bool                 { return true }
func (v *View) KeyDown(ev *fyne.KeyEvent)        {}
func (v *View) KeyUp(ev *fyne.KeyEvent)          {}
func (v *View) Dragged(ev *fyne.DragEvent)       {}
func (v *View) DragEnd()                         {}
func (v *View) Tapped(ev *fyne.PointEvent)       {}
func (v *View) DoubleTapped(ev *fyne.PointEvent) {}
func (v *View) Scrolled(ev *fyne.ScrollEvent)    {}
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(widget.NewLabel(""))
}
