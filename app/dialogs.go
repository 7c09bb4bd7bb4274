package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

// askAnnotator asks for the annotator's name and stores it in the settings. first says
// it is the first start (the dialog cannot be dismissed without a name).
func (w *Window) askAnnotator(first bool) {
	e := widget.NewEntry()
	e.SetText(w.annotator)
	if e.Text == "" {
		if u, err := user.Current(); err == nil {
			e.SetText(u.Username)
		}
	}
	e.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a name is needed")
		}
		return nil
	}
	msg := "Decisions are saved under this name, so undo and the audit trail know who did what."
	items := []*widget.FormItem{
		widget.NewFormItem("", infoLabel(msg)),
		widget.NewFormItem("Name", e),
	}
	title := "Annotator"
	if first {
		title = "Welcome to Evident"
	}
	d := dialog.NewForm(title, "Save", "Cancel", items, func(ok bool) {
		name := strings.TrimSpace(e.Text)
		if !ok || name == "" {
			if first && w.annotator == "" {
				w.status.hint("Set the annotator (bottom left) before making decisions")
			}
			w.focusDocument()
			return
		}
		w.setAnnotator(name)
		w.focusDocument()
	}, w.win)
	e.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(460, 220))
	w.showDialog(d, d.Submit)
	w.win.Canvas().Focus(e)
}

// setAnnotator changes the annotator and stores the name for the next start.
func (w *Window) setAnnotator(name string) {
	w.annotator = name
	w.status.update()
	if len(w.team.journal) == 0 {
		w.openJournal() // this annotator's decisions kept by an earlier session
	}
	if w.store == nil {
		return
	}
	st := w.store
	w.jobs.submit(func(ctx context.Context) {
		err := st.SetSetting(ctx, settingAnnotator, name)
		w.ui(func() {
			if err != nil {
				w.fail("save annotator", err)
			}
		})
	})
}

// SetAnnotator changes the annotator as the status bar does (for tests and scripts).
func (w *Window) SetAnnotator(name string) { w.setAnnotator(strings.TrimSpace(name)) }

// showOverlay shows content in a modal pop-up that Escape closes.
func (w *Window) showOverlay(content fyne.CanvasObject, size fyne.Size, focus fyne.Focusable) {
	w.closeOverlay()
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	pop := widget.NewModalPopUp(container.NewStack(bg, container.NewPadded(content)), w.win.Canvas())
	pop.Resize(size)
	w.overlay = pop.Hide
	pop.Show()
	if focus != nil {
		w.win.Canvas().Focus(focus)
	}
}

func (w *Window) showHelp() {
	if w.overlay != nil {
		w.closeOverlay()
		return
	}
	table := func(rows [][2]string) *fyne.Container {
		grid := container.New(&keyTableLayout{})
		for _, k := range rows {
			grid.Add(widget.NewLabelWithStyle(k[0], fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true, Bold: true}))
			grid.Add(widget.NewLabel(k[1]))
		}
		return grid
	}
	sz := w.win.Canvas().Size()
	var keys fyne.CanvasObject
	size := fyne.NewSize(min(760, sz.Width-40), min(720, sz.Height-40))
	if sz.Width >= 1200 {
		// Two tables side by side, so the whole list fits without scrolling.
		help := keyHelp()
		half := (len(help) + 1) / 2
		keys = container.NewGridWithColumns(2, table(help[:half]), table(help[half:]))
		size = fyne.NewSize(min(1180, sz.Width-60), min(550, sz.Height-40))
	} else {
		keys = table(keyHelp())
	}
	close := widget.NewButton("Close (Esc)", w.closeOverlay)
	title := widget.NewLabelWithStyle("Keyboard shortcuts", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	body := container.NewBorder(title, container.NewHBox(layoutSpacer(), close), nil, nil, container.NewVScroll(keys))
	w.showOverlay(body, size, nil)
}

func layoutSpacer() fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	return container.NewStack(r)
}

// keyTableLayout is two columns: keys right-aligned in a column as wide as the widest
// key, descriptions in the rest.
type keyTableLayout struct{}

func (keyTableLayout) widths(objs []fyne.CanvasObject) (k, d, rowH float32) {
	for i, o := range objs {
		m := o.MinSize()
		if i%2 == 0 {
			k = max(k, m.Width)
		} else {
			d = max(d, m.Width)
		}
		rowH = max(rowH, m.Height)
	}
	return
}

func (l keyTableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	k, d, h := l.widths(objs)
	rows := (len(objs) + 1) / 2
	return fyne.NewSize(k+d, float32(rows)*(h-theme.Padding()))
}

func (l keyTableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	k, _, h := l.widths(objs)
	for i, o := range objs {
		row := float32(i/2) * (h - theme.Padding())
		if i%2 == 0 {
			o.Move(fyne.NewPos(0, row))
			o.Resize(fyne.NewSize(k, h))
		} else {
			o.Move(fyne.NewPos(k, row))
			o.Resize(fyne.NewSize(max(size.Width-k, 0), h))
		}
	}
}

// pickerEntry is the label picker's search box: Up/Down move, Enter applies, Escape closes.
type pickerEntry struct {
	widget.Entry
	onKey func(ev *fyne.KeyEvent) bool
}

func (e *pickerEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// showPicker opens the label picker, ranking labels and recently used labels as the
// user types.
func (w *Window) showPicker() {
	if w.doc == nil || w.schema == nil {
		return
	}
	if w.overlay != nil {
		w.closeOverlay()
	}
	e := &pickerEntry{}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("Type a label name or key…")
	var ranked []annotate.Label
	sel := 0
	rows := container.NewVBox()
	render := func() {
		rows.Objects = nil
		for i, l := range ranked {
			rows.Add(pickerRow(l, i == sel, containsStr(w.recent, l.Name)))
		}
		if len(ranked) == 0 {
			rows.Add(infoLabel("No label matches"))
		}
		rows.Refresh()
	}
	update := func(q string) {
		ranked = RankLabels(w.schema, w.recent, q)
		sel = 0
		render()
	}
	pick := func() {
		if sel < len(ranked) {
			name := ranked[sel].Name
			w.closeOverlay()
			w.applyLabel(name)
		}
	}
	e.OnChanged = update
	e.OnSubmitted = func(string) { pick() }
	e.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyDown:
			if sel+1 < len(ranked) {
				sel++
				render()
			}
		case fyne.KeyUp:
			if sel > 0 {
				sel--
				render()
			}
		case fyne.KeyEscape:
			w.closeOverlay()
		case fyne.KeyReturn, fyne.KeyEnter:
			pick()
		default:
			return false
		}
		return true
	}
	update("")
	what := "Label the focused span"
	if s, en, ok := w.view.Selection(); ok && en > s {
		what = "Label the selection"
	}
	title := widget.NewLabelWithStyle(what, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewBorder(container.NewVBox(title, e), nil, nil, nil, container.NewVScroll(rows))
	w.showOverlay(body, fyne.NewSize(440, 470), e)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pickerRow(l annotate.Label, selected, recent bool) fyne.CanvasObject {
	sw := canvas.NewRectangle(parseHex(l.Color))
	sw.CornerRadius = 3
	sw.SetMinSize(fyne.NewSize(14, 14))
	name := widget.NewLabelWithStyle(l.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := l.Key
	if recent {
		hint = "recent  " + hint
	}
	key := widget.NewLabel(hint)
	key.Importance = widget.MediumImportance
	row := container.NewBorder(nil, nil, container.NewHBox(container.NewCenter(sw), name), key)
	if !selected {
		return row
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.CornerRadius = 4
	return container.NewStack(bg, row)
}

// dbFilter limits file dialogs to SQLite files.
func dbFilter() storage.FileFilter {
	return storage.NewExtensionFileFilter([]string{".db", ".sqlite", ".sqlite3", ".evident"})
}

func (w *Window) openDatabase() {
	if w.cfg.OpenStore == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.fail("open database", err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.switchStore(path)
	}, w.win)
	d.SetFilter(dbFilter())
	w.dialogNear(d)
	d.Resize(dialogSize(w))
	w.showDialog(d, nil)
}

func (w *Window) newDatabase() {
	if w.cfg.OpenStore == nil {
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			w.fail("new database", err)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		// The save dialog creates an empty file; SQLite would take it as an empty
		// database anyway, but start from nothing to be sure.
		if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
			os.Remove(path)
		}
		w.switchStore(path)
	}, w.win)
	d.SetFileName("evident.db")
	w.dialogNear(d)
	d.Resize(dialogSize(w))
	w.showDialog(d, nil)
}

func dialogSize(w *Window) fyne.Size {
	sz := w.win.Canvas().Size()
	return fyne.NewSize(min(900, sz.Width-60), min(640, sz.Height-60))
}

// dialogNear starts file dialogs in the database's folder.
func (w *Window) dialogNear(d interface{ SetLocation(fyne.ListableURI) }) {
	if w.dbPath == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(w.dbPath))); err == nil {
		d.SetLocation(l)
	}
}

// switchStore opens another database and shows it. It runs on the worker, after the
// calls already queued on the old store. The OpenStore hook owns the stores: it closes
// the old one, and main.go closes the last one after Run returns.
func (w *Window) switchStore(path string) {
	w.status.hint("Opening " + path + "…")
	open := w.cfg.OpenStore
	w.jobs.submit(func(context.Context) {
		st, schema, err := open(path)
		w.ui(func() {
			if err != nil {
				w.fail("open "+path, err)
				return
			}
			w.leaveTeam()
			w.store, w.schema, w.dbPath = st, schema, path
			w.doc, w.spans, w.events, w.docs = nil, nil, nil, nil
			w.loadSeq++
			w.view.SetSchema(schema)
			w.view.SetDocument("", nil)
			w.fillLegend(w.legend)
			w.list.apply()
			w.refreshInspector()
			w.status.update()
			w.overviewStoreChanged()
			w.retrainIfStale()
			w.startup()
		})
	})
}

// progressDialog shows a progress bar; its Cancel button cancels the work.
type progressDialog struct {
	d     *dialog.CustomDialog
	bar   *widget.ProgressBar
	inf   *widget.ProgressBarInfinite
	label *widget.Label
	done  bool
}

func (w *Window) newProgress(title string, cancel func()) *progressDialog {
	p := &progressDialog{bar: widget.NewProgressBar(), inf: widget.NewProgressBarInfinite(), label: widget.NewLabel("Starting…")}
	p.bar.Hide()
	body := container.NewVBox(p.label, container.NewStack(p.bar, p.inf))
	p.d = dialog.NewCustom(title, "Cancel", body, w.win)
	p.d.SetOnClosed(func() {
		if !p.done {
			cancel()
		}
	})
	p.d.Resize(fyne.NewSize(420, 160))
	w.showDialog(p.d, nil)
	return p
}

func (p *progressDialog) set(done, total int64, unit string) {
	if total > 0 {
		p.inf.Stop()
		p.inf.Hide()
		p.bar.Show()
		p.bar.SetValue(float64(done) / float64(total))
		p.label.SetText(fmt.Sprintf("%d of %d %s", done, total, unit))
		return
	}
	p.label.SetText(fmt.Sprintf("%d %s", done, unit))
}

func (p *progressDialog) finish() {
	p.done = true
	p.d.Hide()
}

// showDialog shows d with the keyboard taken away from the document, so keys typed
// while it is open never reach spans behind it. Enter runs enter (if any), Escape
// closes it; the document gets the keyboard back when the last dialog closes.
func (w *Window) showDialog(d dialog.Dialog, enter func()) {
	w.dialogs = append(w.dialogs, dialogKeys{d: d, enter: enter, escape: d.Hide})
	w.win.Canvas().Unfocus()
	d.SetOnClosed(func() {
		// Remove this dialog's entry, not the last one: a form's callback runs before
		// its OnClosed and may already have opened the next dialog (Export, then its
		// progress), whose Escape must stay the one that cancels.
		for i := len(w.dialogs) - 1; i >= 0; i-- {
			if w.dialogs[i].d == d {
				w.dialogs = append(w.dialogs[:i], w.dialogs[i+1:]...)
				break
			}
		}
		if len(w.dialogs) == 0 && w.overlay == nil {
			w.focusDocument()
		}
	})
	d.Show()
}

type dialogKeys struct {
	d             dialog.Dialog
	enter, escape func()
}

// dialogKey handles a key typed while a dialog is open and nothing in it has focus.
func (w *Window) dialogKey(ev *fyne.KeyEvent) {
	top := w.dialogs[len(w.dialogs)-1]
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if top.enter != nil {
			top.enter()
		}
	case fyne.KeyEscape:
		top.escape()
	}
}

// importFiles asks for a file and imports it with a cancellable progress dialog.
func (w *Window) importFiles() {
	if w.cfg.Import == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.fail("import", err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.runImport([]string{path})
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".txt", ".jsonl", ".csv"}))
	d.Resize(dialogSize(w))
	w.showDialog(d, nil)
}

func (w *Window) runImport(files []string) {
	ctx, cancel := context.WithCancel(w.ctx)
	p := w.newProgress("Importing "+filepath.Base(files[0]), cancel)
	imp := w.cfg.Import
	st := w.store
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		defer cancel()
		summary, err := imp(ctx, files, func(done, total int64) {
			w.ui(func() { p.set(done, total, "bytes") })
		})
		var docs []annotate.DocSummary
		if err == nil && st != nil {
			docs, err = st.Documents(w.ctx)
		}
		w.ui(func() {
			p.finish()
			if errors.Is(err, context.Canceled) {
				w.status.hint("Import cancelled; nothing was added")
				return
			}
			if err != nil {
				w.fail("import", err)
				return
			}
			if st == w.store {
				w.setDocs(docs)
			}
			w.status.setSavedMsg(summary)
			dialog.ShowInformation("Import finished", summary, w.win)
		})
	}()
}
