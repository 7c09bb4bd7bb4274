package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/export"
)

// Export statuses, as `evident export --status` takes them.
var exportStatuses = []string{"accepted", "suggested", "rejected", "all"}

// exportForm is the Export dialog: every choice `evident export` has a flag for, read
// into export.Options so the window and the command line share one code path.
type exportForm struct {
	format    *widget.Select
	formatDoc *widget.Label
	status    *widget.Select
	labels    []*widget.Check
	annotator *widget.Entry
	doneOnly  *widget.Check
	offsets   *widget.Select
	tokens    *widget.Check
	split     *widget.Entry
	seed      *widget.Entry
	out       *widget.Entry
	browse    *widget.Button
	d         *dialog.FormDialog
}

// formatDoc says in a few words what each format writes.
func formatDoc(f export.Format) string {
	switch f {
	case export.FormatJSONL:
		return "one document per line: text, spans, token indices"
	case export.FormatDoccano:
		return "doccano: text with [start, end, label] lists"
	case export.FormatEvents:
		return "one line per event with its arguments"
	case export.FormatCSV:
		return "one row per span, casualty attributes as columns"
	case export.FormatCasualties:
		return "one row per casualty figure, for spreadsheets"
	case export.FormatCoNLL:
		return "token per line with BIO tags"
	case export.FormatBrat:
		return "a folder (or .zip) of DOC.txt and DOC.ann files"
	}
	return ""
}

// exportDialog is File > Export (Ctrl+E).
func (w *Window) exportDialog() { w.openExport() }

// openExport asks what to export and where, then runs the export with a progress
// dialog. It returns the form so tests can fill it in as a user would.
func (w *Window) openExport() *exportForm {
	if w.cfg.Export == nil {
		return nil
	}
	f := &exportForm{}
	formats := make([]string, len(export.Formats))
	for i, x := range export.Formats {
		formats[i] = string(x)
	}
	f.format = widget.NewSelect(formats, nil)
	f.formatDoc = widget.NewLabel("")
	f.formatDoc.Importance = widget.LowImportance
	f.formatDoc.Truncation = fyne.TextTruncateEllipsis
	f.status = widget.NewSelect(exportStatuses, nil)
	f.status.SetSelected(exportStatuses[0])
	statusDoc := widget.NewLabel("the spans with this status: decided, still open, thrown out, or all")
	statusDoc.Importance = widget.LowImportance
	statusDoc.Truncation = fyne.TextTruncateEllipsis

	var checks []fyne.CanvasObject
	if w.schema != nil {
		for _, l := range w.schema.Labels {
			c := widget.NewCheck(l.Name, nil)
			f.labels = append(f.labels, c)
			checks = append(checks, c)
		}
	}
	f.annotator = widget.NewEntry()
	f.annotator.SetPlaceHolder("any annotator")
	f.doneOnly = widget.NewCheck("Only documents marked done", nil)
	f.offsets = widget.NewSelect([]string{string(export.CodePoints), string(export.UTF16), string(export.Bytes)}, nil)
	f.offsets.SetSelected(string(export.CodePoints))
	offsetsDoc := widget.NewLabel("Python: codepoints · JavaScript, Java: utf16 · C, Rust: bytes")
	offsetsDoc.Importance = widget.LowImportance
	offsetsDoc.Truncation = fyne.TextTruncateEllipsis
	f.tokens = widget.NewCheck("Include the token list with offsets (jsonl)", nil)

	f.split = widget.NewEntry()
	f.split.SetPlaceHolder("none, or train=0.8,dev=0.1,test=0.1")
	f.split.Validator = func(s string) error {
		_, err := export.ParseSplit(s)
		return err
	}
	f.seed = widget.NewEntry()
	f.seed.SetPlaceHolder("seed 0")
	f.seed.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err != nil {
			return errors.New("the seed is a whole number")
		}
		return nil
	}

	f.out = widget.NewEntry()
	dir := filepath.Dir(w.dbPath)
	if w.dbPath == "" || strings.Contains(w.dbPath, "://") { // no file beside a team database
		dir, _ = os.Getwd()
	}
	f.out.SetText(filepath.Join(dir, "export.jsonl"))
	f.out.Validator = func(s string) error {
		if s = strings.TrimSpace(s); s == "" || s == "-" {
			return errors.New("choose a file or folder to write")
		}
		return nil
	}
	f.format.OnChanged = func(s string) {
		ft := export.Format(s)
		f.formatDoc.SetText(formatDoc(ft))
		if ft == export.FormatJSONL {
			f.tokens.Enable()
		} else {
			f.tokens.SetChecked(false)
			f.tokens.Disable()
		}
		// Keep the file name, give it the format's extension (none: brat's folder).
		cur := strings.TrimSpace(f.out.Text)
		if cur != "" {
			f.out.SetText(strings.TrimSuffix(cur, filepath.Ext(cur)) + ft.Ext())
		}
	}
	f.format.SetSelected(string(export.FormatJSONL))
	f.browse = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { w.exportBrowse(f) })

	labelBox := container.NewVBox(container.NewGridWithColumns(4, checks...))
	if len(checks) == 0 {
		labelBox = container.NewVBox(infoLabel("The schema has no labels"))
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Format", container.NewBorder(nil, nil, f.format, nil, f.formatDoc)),
		widget.NewFormItem("Spans", container.NewBorder(nil, nil, f.status, nil, statusDoc)),
		{Text: "Labels", Widget: labelBox, HintText: "None ticked: every label"},
		widget.NewFormItem("Annotator", f.annotator),
		widget.NewFormItem("Documents", f.doneOnly),
		widget.NewFormItem("Offsets", container.NewBorder(nil, nil, f.offsets, nil, offsetsDoc)),
		widget.NewFormItem("Tokens", f.tokens),
		{Text: "Split", Widget: container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(120, f.seed.MinSize().Height), f.seed), f.split),
			HintText: "One file per part; an incident's documents stay in one part"},
		widget.NewFormItem("Destination", container.NewBorder(nil, nil, nil, f.browse, f.out)),
	}
	f.d = dialog.NewForm("Export", "Export", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		opts, err := f.options()
		if err != nil {
			w.fail("export", err)
			return
		}
		w.runExport(opts)
	}, w.win)
	f.out.OnSubmitted = func(string) { f.d.Submit() }
	sz := w.win.Canvas().Size()
	f.d.Resize(fyne.NewSize(min(760, sz.Width-40), 0)) // as tall as the form
	w.showDialog(f.d, f.d.Submit)
	return f
}

// exportBrowse picks the destination: a file for the single-file formats, the folder
// to write brat's folder into.
func (w *Window) exportBrowse(f *exportForm) {
	cur := strings.TrimSpace(f.out.Text)
	if export.Format(f.format.Selected) == export.FormatBrat {
		fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil || u == nil {
				return
			}
			name := filepath.Base(cur)
			if name == "" || name == "." || name == string(filepath.Separator) {
				name = "export"
			}
			f.out.SetText(filepath.Join(u.Path(), name))
		}, w.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(cur))); err == nil {
			fd.SetLocation(l)
		}
		fd.Resize(dialogSize(w))
		w.showDialog(fd, nil)
		return
	}
	fd := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		// The save dialog creates the file; the export writes a temporary file and
		// renames it over this one, so an empty placeholder must not stay behind if
		// the export is cancelled.
		if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
			os.Remove(path)
		}
		f.out.SetText(path)
	}, w.win)
	fd.SetFileName(filepath.Base(cur))
	if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(cur))); err == nil {
		fd.SetLocation(l)
	}
	fd.Resize(dialogSize(w))
	w.showDialog(fd, nil)
}

// options reads the form into export.Options.
func (f *exportForm) options() (export.Options, error) {
	ft, err := export.ParseFormat(f.format.Selected)
	if err != nil {
		return export.Options{}, err
	}
	unit, err := export.ParseUnit(f.offsets.Selected)
	if err != nil {
		return export.Options{}, err
	}
	opts := export.Options{
		Format:    ft,
		Status:    f.status.Selected,
		Annotator: strings.TrimSpace(f.annotator.Text),
		DoneOnly:  f.doneOnly.Checked,
		Offsets:   unit,
		Tokens:    ft == export.FormatJSONL && f.tokens.Checked,
		Split:     strings.TrimSpace(f.split.Text),
		Out:       strings.TrimSpace(f.out.Text),
	}
	for _, c := range f.labels {
		if c.Checked {
			opts.Labels = append(opts.Labels, c.Text)
		}
	}
	if err := f.split.Validator(f.split.Text); err != nil {
		return export.Options{}, err
	}
	if s := strings.TrimSpace(f.seed.Text); s != "" {
		if opts.Seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			return export.Options{}, fmt.Errorf("seed %q is not a whole number", s)
		}
	}
	if err := f.out.Validator(f.out.Text); err != nil {
		return export.Options{}, err
	}
	return opts, nil
}

// runExport exports through the Export hook with a progress dialog whose Cancel stops it.
func (w *Window) runExport(opts export.Options) {
	ctx, cancel := context.WithCancel(w.ctx)
	p := w.newProgress("Exporting "+string(opts.Format), cancel)
	exp := w.cfg.Export
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		defer cancel()
		summary, err := exp(ctx, opts, func(done, total int) {
			w.ui(func() { p.set(int64(done), int64(total), "documents") })
		})
		w.ui(func() {
			p.finish()
			if errors.Is(err, context.Canceled) {
				w.status.hint("Export cancelled; nothing was written")
				return
			}
			if err != nil {
				w.fail("export", err)
				return
			}
			w.status.setSavedMsg(summary)
		})
	}()
}
