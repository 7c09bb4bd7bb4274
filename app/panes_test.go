package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

const panesText = "Rebels shelled Kharkiv on Monday, killing at least 12 civilians."

func panesSpans() []annotate.Span {
	return []annotate.Span{
		{Start: 7, End: 14, Label: "ATTACK", Status: annotate.StatusSuggested, Origin: "rule:verbs"},
		{Start: 15, End: 22, Label: "LOCATION", Status: annotate.StatusSuggested, Origin: "rule:places"},
		{Start: 42, End: 63, Label: "CASUALTY", Status: annotate.StatusSuggested, Origin: "rule:figures"},
	}
}

// buttonIn returns the button in o whose text is text.
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	switch t := o.(type) {
	case *widget.Button:
		if t.Text == text {
			return t
		}
	case *fyne.Container:
		for _, c := range t.Objects {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// TestGuidelineLinkAndF1: the inspector links the focused span's label to its guideline
// section; F1 opens the same window (not a second one) at the label of the span then in
// focus; ? still opens the keyboard help.
func TestGuidelineLinkAndF1(t *testing.T) {
	w, _, _ := openTestWindow(t, panesText, panesSpans()...)
	s, ok := w.view.Focused()
	if !ok || s.Label != "ATTACK" {
		t.Fatalf("focused %+v %v, want the first suggestion (ATTACK)", s, ok)
	}
	if buttonIn(w.insp.box, "Guideline: LOCATION") != nil {
		t.Fatal("the inspector links to another label's section")
	}
	link := buttonIn(w.insp.box, "Guideline: ATTACK")
	if link == nil {
		t.Fatal("no “Guideline: ATTACK” link in the inspector")
	}
	if w.panes.guideWin != nil {
		t.Fatal("guideline window open before anything asked for it")
	}
	test.Tap(link)
	g := w.panes.guide
	if g == nil || g.CurrentTitle() != "ATTACK" {
		t.Fatalf("link opened %v at %q, want the ATTACK section", g, guideTitle(g))
	}
	win := w.panes.guideWin

	// Move to the casualty figure and press F1 in the document.
	w.view.FocusNext(isSuggested)
	w.view.FocusNext(isSuggested)
	if s, _ := w.view.Focused(); s.Label != "CASUALTY" {
		t.Fatalf("focused %s, want CASUALTY", s.Label)
	}
	pressKey(w, fyne.KeyF1)
	if w.panes.guideWin != win {
		t.Error("F1 opened a second guideline window instead of reusing the first")
	}
	if got := w.panes.guide.CurrentTitle(); got != "CASUALTY" {
		t.Errorf("F1 shows section %q, want CASUALTY", got)
	}
	if w.overlay != nil {
		t.Error("F1 opened the keyboard help overlay")
	}

	// Escape hides the window; the next F1 shows the same one again.
	win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	pressKey(w, fyne.KeyF1)
	if w.panes.guideWin != win {
		t.Error("F1 after Escape made a new window")
	}

	// The test theme has no bold monospace font, which the help table uses.
	w.app.Settings().SetTheme(theme.DefaultTheme())
	w.onRune('?')
	if w.overlay == nil {
		t.Error("? no longer opens the keyboard help")
	}
	w.closeOverlay()
}

func guideTitle(v interface{ CurrentTitle() string }) string {
	if v == nil {
		return ""
	}
	return v.CurrentTitle()
}

func pressKey(w *Window, name fyne.KeyName) {
	w.onKey(&fyne.KeyEvent{Name: name}, 0)
	w.Idle()
}

// TestOverviewRefreshesAfterAccept: the overview window shows the store's figures and,
// while shown, follows each commit.
func TestOverviewRefreshesAfterAccept(t *testing.T) {
	w, _, _ := openTestWindow(t, panesText, panesSpans()...)
	w.showOverview()
	w.Idle()
	ov := w.panes.over.Overview()
	if ov == nil {
		t.Fatal("no overview after opening it")
	}
	if ov.Spans.Accepted != 0 || ov.Spans.Suggested != 3 {
		t.Fatalf("before: accepted %d suggested %d, want 0 and 3", ov.Spans.Accepted, ov.Spans.Suggested)
	}
	if ov.Documents.New != 1 {
		t.Fatalf("before: %d new documents, want 1", ov.Documents.New)
	}

	pressKey(w, fyne.KeyReturn) // accept the focused ATTACK suggestion
	ov = w.panes.over.Overview()
	if ov.Spans.Accepted != 1 || ov.Spans.Suggested != 2 {
		t.Errorf("after accept: accepted %d suggested %d, want 1 and 2", ov.Spans.Accepted, ov.Spans.Suggested)
	}
	if ov.Documents.InProgress != 1 {
		t.Errorf("after accept: %d documents in progress, want 1", ov.Documents.InProgress)
	}

	// A burst of decisions ends with figures that include all of them.
	w.onRune('x')
	w.onRune('a')
	w.Idle()
	ov = w.panes.over.Overview()
	if ov.Spans.Accepted != 2 || ov.Spans.Rejected != 1 || ov.Spans.Suggested != 0 {
		t.Errorf("after a burst: %+v, want 2 accepted, 1 rejected, 0 suggested", ov.Spans)
	}

	// Hidden, it is not recomputed; shown again, it catches up.
	w.panes.overWin.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.panes.overShown {
		t.Fatal("Escape did not hide the overview")
	}
	w.undo(false)
	w.Idle()
	if got := w.panes.over.Overview(); got.Spans.Accepted != 2 {
		t.Errorf("hidden overview was recomputed: %+v", got.Spans)
	}
	w.showOverview()
	w.Idle()
	if got := w.panes.over.Overview(); got.Spans.Accepted != 1 {
		t.Errorf("shown again after an undo: %+v, want 1 accepted", got.Spans)
	}
}
