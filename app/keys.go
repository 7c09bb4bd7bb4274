package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"evident/annotate"
)

// keyHelp is the help overlay's table; keep it in step with onKey, onRune and
// bindShortcuts below.
func keyHelp() [][2]string {
	return [][2]string{
		{"Tab / j", "Next suggestion"},
		{"Shift+Tab / k", "Previous suggestion"},
		{"Enter / a", "Accept the focused span"},
		{"x / Delete", "Reject the focused span"},
		{"1 … 9, 0, v", "Label the selection, or relabel the focused span"},
		{"Ctrl+K or /", "Label picker (type to search, Enter to apply)"},
		{"Shift+Left / Right", "Move the focused span's end by a token"},
		{"Alt+Shift+Left / Right", "Move the focused span's start by a token"},
		{"Shift+A", "Accept all suggestions with the focused span's label"},
		{"Ctrl+Shift+A", "Accept all suggestions in the document"},
		{"Ctrl+Z", "Undo"},
		{"Ctrl+Shift+Z / Ctrl+Y", "Redo"},
		{"Ctrl+Enter", "Mark the document done and open the next"},
		{"n / p, Alt+Down / Up", "Next / previous document"},
		{"Ctrl+F", "Filter documents (Down: list, Esc: back)"},
		{"Ctrl+Shift+F", "Search all documents: words, \"phrases\", -word, label:, status:, annotator:, origin:, doc:, done:yes|no, has:, no:"},
		{"F3 / Shift+F3", "Next / previous search hit, across documents"},
		{"Up / Down, Enter", "In the list: move, open and go to the text"},
		{"Escape", "Clear the selection, close overlays"},
		{"?", "This help"},
		{"F1", "Annotation guideline, at the focused span's label"},
		{"Ctrl+Shift+O", "Overview: progress, rules, throughput"},
		{"Ctrl+R", "Review casualty figures, incidents and proposals"},
		{"Ctrl+Shift+R", "Curation: take annotators' versions into gold"},
		{"Ctrl+O", "Open database"},
		{"Ctrl+I", "Import files"},
		{"Ctrl+E", "Export"},
		{"Ctrl+Q", "Quit"},
	}
}

// onKey handles non-character keys typed in the document view.
func (w *Window) onKey(ev *fyne.KeyEvent, mods fyne.KeyModifier) bool {
	if len(w.dialogs) > 0 {
		w.dialogKey(ev)
		return true
	}
	if w.overlay != nil {
		if ev.Name == fyne.KeyEscape {
			w.closeOverlay()
		}
		return true
	}
	shift := mods&fyne.KeyModifierShift != 0
	alt := mods&fyne.KeyModifierAlt != 0
	ctrl := mods&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
	switch ev.Name {
	case fyne.KeyTab:
		if shift {
			w.focusSuggestion(-1)
		} else {
			w.focusSuggestion(1)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if ctrl {
			w.markDone()
		} else {
			w.decide(annotate.StatusAccepted)
		}
	case fyne.KeyDelete:
		w.decide(annotate.StatusRejected)
	case fyne.KeyLeft, fyne.KeyRight:
		if !shift {
			return false
		}
		dir := 1
		if ev.Name == fyne.KeyLeft {
			dir = -1
		}
		w.resize(alt, dir)
	case fyne.KeyUp, fyne.KeyDown:
		if !alt {
			return false
		}
		if ev.Name == fyne.KeyDown {
			w.gotoDoc(1)
		} else {
			w.gotoDoc(-1)
		}
	case fyne.KeyEscape:
		w.view.ClearSelection()
	case fyne.KeyF1:
		w.showFocusedGuideline()
	case fyne.KeyF3:
		if shift {
			w.stepHit(-1)
		} else {
			w.stepHit(1)
		}
	default:
		return false
	}
	return true
}

// onRune handles characters typed in the document view.
func (w *Window) onRune(r rune) bool {
	if w.overlay != nil || len(w.dialogs) > 0 {
		return true
	}
	switch r {
	case 'j':
		w.focusSuggestion(1)
	case 'k':
		w.focusSuggestion(-1)
	case 'a':
		w.decide(annotate.StatusAccepted)
	case 'x':
		w.decide(annotate.StatusRejected)
	case 'n':
		w.gotoDoc(1)
	case 'p':
		w.gotoDoc(-1)
	case 'A':
		if s, ok := w.view.Focused(); ok {
			w.acceptAll(s.Label)
		} else {
			w.status.hint("Focus a span first: Shift+A accepts all suggestions with its label")
		}
	case '?':
		w.showHelp()
	case '/':
		w.showPicker()
	default:
		if w.schema == nil {
			return false
		}
		for _, l := range w.schema.Labels {
			if l.Key != "" && l.Key == string(r) {
				w.applyLabel(l.Name)
				return true
			}
		}
		return false
	}
	return true
}

// focusSuggestion moves the focus to the next (dir > 0) or previous suggestion.
func (w *Window) focusSuggestion(dir int) {
	var ok bool
	if dir > 0 {
		ok = w.view.FocusNext(isSuggested)
	} else {
		ok = w.view.FocusPrev(isSuggested)
	}
	if !ok {
		w.status.hint("No suggestions left in this document")
	}
}

// bindShortcuts registers window-wide shortcuts. Those also in the menu fire from there
// on desktop drivers; registering them on the canvas too keeps them working with the
// test driver and when the menu is not shown.
func (w *Window) bindShortcuts() {
	c := w.win.Canvas()
	for _, b := range w.shortcuts() {
		f := b.run
		c.AddShortcut(b.sc, func(fyne.Shortcut) {
			if w.overlay != nil && !b.inOverlay {
				return
			}
			f()
		})
	}
}

type binding struct {
	sc        fyne.Shortcut
	run       func()
	inOverlay bool
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func ctrlShift(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

func altKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt}
}

func (w *Window) shortcuts() []binding {
	return []binding{
		{sc: &fyne.ShortcutUndo{}, run: func() { w.undo(false) }},
		{sc: ctrl(fyne.KeyZ), run: func() { w.undo(false) }},
		{sc: &fyne.ShortcutRedo{}, run: func() { w.undo(true) }},
		{sc: ctrl(fyne.KeyY), run: func() { w.undo(true) }},
		{sc: ctrlShift(fyne.KeyZ), run: func() { w.undo(true) }},
		{sc: ctrl(fyne.KeyK), run: w.showPicker},
		{sc: ctrl(fyne.KeyReturn), run: w.markDone},
		{sc: ctrl(fyne.KeyEnter), run: w.markDone},
		{sc: ctrlShift(fyne.KeyA), run: func() { w.acceptAll("") }},
		{sc: ctrl(fyne.KeyF), run: func() { w.win.Canvas().Focus(w.list.filter) }},
		{sc: ctrlShift(fyne.KeyF), run: w.showSearch},
		{sc: ctrl(fyne.KeyL), run: func() { w.win.Canvas().Focus(w.list.filter) }},
		{sc: ctrl(fyne.KeyQ), run: w.quit, inOverlay: true},
		{sc: ctrl(fyne.KeyO), run: w.openDatabase},
		{sc: ctrl(fyne.KeyI), run: w.importFiles},
		{sc: ctrl(fyne.KeyE), run: w.exportDialog},
		{sc: ctrlShift(fyne.KeyO), run: w.showOverview},
		{sc: ctrl(fyne.KeyR), run: w.ShowReview},
		{sc: ctrlShift(fyne.KeyR), run: w.ShowCuration},
		{sc: altKey(fyne.KeyDown), run: func() { w.gotoDoc(1) }},
		{sc: altKey(fyne.KeyUp), run: func() { w.gotoDoc(-1) }},
		{sc: &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift}, run: func() { w.resize(true, -1) }},
		{sc: &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift}, run: func() { w.resize(true, 1) }},
	}
}

// mainMenu is File, Edit, View and Help. Menu shortcuts fire whatever has the focus.
func (w *Window) mainMenu() *fyne.MainMenu {
	quit := fyne.NewMenuItem("Quit", w.quit)
	quit.IsQuit = true
	quit.Shortcut = ctrl(fyne.KeyQ)
	open := fyne.NewMenuItem("Open database…", w.openDatabase)
	open.Shortcut = ctrl(fyne.KeyO)
	newDB := fyne.NewMenuItem("New database…", w.newDatabase)
	openTeam := fyne.NewMenuItem("Open team database…", w.openTeamDatabase) // team_open.go
	imp := fyne.NewMenuItem("Import files…", w.importFiles)
	imp.Shortcut = ctrl(fyne.KeyI)
	exp := fyne.NewMenuItem("Export…", w.exportDialog)
	exp.Shortcut = ctrl(fyne.KeyE)
	if w.cfg.OpenStore == nil {
		open.Disabled, newDB.Disabled, openTeam.Disabled = true, true, true
	}
	if w.cfg.Import == nil {
		imp.Disabled = true
	}
	if w.cfg.Export == nil {
		exp.Disabled = true
	}
	file := fyne.NewMenu("File", open, openTeam, newDB, fyne.NewMenuItemSeparator(), imp, exp, fyne.NewMenuItemSeparator(), quit)

	undo := fyne.NewMenuItem("Undo", func() { w.undo(false) })
	// Ctrl+Z reaches the window as fyne.ShortcutUndo, matched by name.
	undo.Shortcut = &fyne.ShortcutUndo{}
	redo := fyne.NewMenuItem("Redo", func() { w.undo(true) })
	redo.Shortcut = ctrlShift(fyne.KeyZ)
	picker := fyne.NewMenuItem("Apply label…", w.showPicker)
	picker.Shortcut = ctrl(fyne.KeyK)
	acceptAll := fyne.NewMenuItem("Accept all suggestions in document", func() { w.acceptAll("") })
	acceptAll.Shortcut = ctrlShift(fyne.KeyA)
	done := fyne.NewMenuItem("Mark done and open next", w.markDone)
	done.Shortcut = ctrl(fyne.KeyReturn)
	showRej := fyne.NewMenuItem("Show rejected spans", nil)
	showRej.Action = func() {
		showRej.Checked = !showRej.Checked
		w.view.SetShowRejected(showRej.Checked)
	}
	annot := fyne.NewMenuItem("Change annotator…", func() { w.askAnnotator(false) })
	edit := fyne.NewMenu("Edit", append([]*fyne.MenuItem{undo, redo, fyne.NewMenuItemSeparator(), picker, acceptAll, done,
		fyne.NewMenuItemSeparator(), showRej, annot, fyne.NewMenuItemSeparator()}, w.learnMenuItems()...)...)

	ovItem := fyne.NewMenuItem("Overview", w.showOverview)
	ovItem.Shortcut = ctrlShift(fyne.KeyO)
	view := fyne.NewMenu("View", append([]*fyne.MenuItem{ovItem, w.uncertaintyMenuItem()}, w.reviewMenuItems()...)...)

	keys := fyne.NewMenuItem("Keyboard shortcuts", w.showHelp)
	guide := fyne.NewMenuItem("Annotation guideline", w.showFocusedGuideline)
	help := fyne.NewMenu("Help", keys, guide)
	return fyne.NewMainMenu(file, edit, view, help)
}
