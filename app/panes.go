package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"evident/annotate"
	"evident/app/guide"
	"evident/app/overview"
	"evident/docs"
)

// panes are the windows that sit beside the main one: the annotation guideline and the
// project overview. Each is made once and hidden, not destroyed, when closed, so it
// keeps its search, section and scroll position for the next time.
type panes struct {
	guideWin fyne.Window
	guide    *guide.Viewer
	sections map[string]bool // upper-cased guideline section titles, for the inspector's link

	overWin   fyne.Window
	over      *overview.View
	overShown bool
	// The overview is computed off the GUI goroutine; a refresh asked for while one
	// runs is folded into one more run after it (both fields on the GUI goroutine).
	overRunning, overAgain bool
}

// guideHas reports whether the guideline has a section for label.
func (w *Window) guideHas(label string) bool {
	p := &w.panes
	if p.sections == nil {
		p.sections = map[string]bool{}
		for _, s := range guide.Split(docs.Guideline()) {
			p.sections[strings.ToUpper(s.Title)] = true
		}
	}
	return p.sections[strings.ToUpper(strings.TrimSpace(label))]
}

// showGuideline opens the guideline window, or brings it to the front, at the section
// of label ("" keeps the section it shows).
func (w *Window) showGuideline(label string) {
	p := &w.panes
	if p.guideWin == nil {
		win, v := guide.NewWindow(w.app, label)
		win.SetCloseIntercept(win.Hide)
		win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
			if e.Name == fyne.KeyEscape {
				win.Hide()
			}
		})
		p.guideWin, p.guide = win, v
		win.Show()
		v.FocusSearch(win.Canvas())
		return
	}
	if label != "" {
		p.guide.ShowLabel(label)
	}
	p.guideWin.Show()
	p.guideWin.RequestFocus()
}

// showFocusedGuideline is F1: the guideline at the focused span's label.
func (w *Window) showFocusedGuideline() {
	label := ""
	if s, ok := w.view.Focused(); ok && w.guideHas(s.Label) {
		label = s.Label
	}
	w.showGuideline(label)
}

// showOverview opens the overview window (or brings it to the front) and computes its
// figures. While it is shown, every commit refreshes it.
func (w *Window) showOverview() {
	if _, ok := w.store.(annotate.OverviewSource); !ok {
		w.status.hint("This database cannot compute an overview")
		return
	}
	p := &w.panes
	if p.overWin == nil {
		win := w.app.NewWindow("Evident — overview")
		p.over = overview.New(w.schema)
		// The overview scrolls vertically itself; its cards want about 1,300 px across,
		// so on a 1280-wide screen it scrolls sideways rather than pushing the window
		// past the screen's edge.
		win.SetContent(container.NewHScroll(p.over))
		win.Resize(fyne.NewSize(1240, 760))
		hide := func() {
			p.overShown = false
			win.Hide()
		}
		win.SetCloseIntercept(hide)
		win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
			if e.Name == fyne.KeyEscape {
				hide()
			}
		})
		p.overWin = win
	}
	p.overShown = true
	p.overWin.Show()
	p.overWin.RequestFocus()
	w.refreshOverview()
}

// refreshOverview recomputes the overview if it is shown. Bursts of commits cost one
// computation running and at most one more after it; the window never waits for it.
func (w *Window) refreshOverview() {
	p := &w.panes
	if p.over == nil || !p.overShown {
		return
	}
	src, ok := w.store.(annotate.OverviewSource)
	if !ok {
		return
	}
	if p.overRunning {
		p.overAgain = true
		return
	}
	p.overRunning = true
	ctx, st := w.ctx, w.store
	// Not overview.View.Update: its result comes back through fyne.Do, which the test
	// driver runs on the computing goroutine, and Idle could not wait for it. This is the
	// same folding, with the window's own hand-over (w.ui) and wait group.
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		ov, err := src.Overview(ctx, annotate.OverviewOptions{})
		curve := w.learningCurve(ctx)
		w.ui(func() {
			p.overRunning = false
			switch {
			case ctx.Err() != nil:
				return // quitting
			case err != nil:
				w.status.setError("overview: " + err.Error())
			case st == w.store:
				p.over.Set(ov)
				p.over.SetLearning(curve)
			}
			if p.overAgain || st != w.store {
				p.overAgain = false
				w.refreshOverview()
			}
		})
	}()
}

// overviewStoreChanged shows the figures of a database just opened.
func (w *Window) overviewStoreChanged() {
	if p := &w.panes; p.over != nil {
		p.over.SetSchema(w.schema)
		p.over.Set(nil)
		w.refreshOverview()
	}
}
