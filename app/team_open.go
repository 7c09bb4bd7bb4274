package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// openTeamDatabase asks for a shared database's URL (a file dialog cannot name one) and
// opens it as File › Open opens a file: the live view of the others' work starts with it.
func (w *Window) openTeamDatabase() {
	if w.cfg.OpenStore == nil {
		return
	}
	e := widget.NewEntry()
	e.SetPlaceHolder("postgres://user@host:5432/project")
	if strings.Contains(w.dbPath, "://") {
		e.SetText(w.dbPath)
	}
	e.Validator = func(s string) error {
		s = strings.TrimSpace(s)
		if !strings.HasPrefix(s, "postgres://") && !strings.HasPrefix(s, "postgresql://") {
			return errors.New("a postgres:// or postgresql:// URL")
		}
		return nil
	}
	items := []*widget.FormItem{
		widget.NewFormItem("", infoLabel("The team's PostgreSQL database. The password comes from the URL, PGPASSWORD or ~/.pgpass.")),
		widget.NewFormItem("URL", e),
	}
	d := dialog.NewForm("Open team database", "Open", "Cancel", items, func(ok bool) {
		if ok {
			w.OpenDatabase(strings.TrimSpace(e.Text))
		}
		w.focusDocument()
	}, w.win)
	e.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(560, 220))
	w.showDialog(d, d.Submit)
	w.win.Canvas().Focus(e)
}

// OpenDatabase opens the database at path or URL in place of the current one, as File ›
// Open does; for tests and scripts.
func (w *Window) OpenDatabase(path string) { w.switchStore(path) }
