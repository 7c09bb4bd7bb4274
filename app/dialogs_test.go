package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"evident/export"
)

func TestImportAndExportHooks(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	var gotFiles []string
	w.cfg.Import = func(ctx context.Context, files []string, progress func(done, total int64)) (string, error) {
		gotFiles = files
		progress(50, 100)
		progress(100, 100)
		return "Imported 1 of 1 documents", nil
	}
	w.runImport([]string{"/tmp/a.jsonl"})
	w.Idle()
	if len(gotFiles) != 1 || gotFiles[0] != "/tmp/a.jsonl" {
		t.Errorf("import got %v", gotFiles)
	}
	if w.Status() != "Imported 1 of 1 documents" {
		t.Errorf("status after import %q", w.Status())
	}
	// The information dialog after an import is open; close it.
	for len(w.dialogs) > 0 {
		w.dialogs[len(w.dialogs)-1].escape()
	}

	var args []string
	w.cfg.Export = func(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error) {
		args = []string{string(opts.Format), opts.Status, opts.Out}
		progress(1, 1)
		return "Exported 1 documents", nil
	}
	w.runExport(export.Options{Format: export.FormatCoNLL, Status: "all", Out: "/tmp/out.conll"})
	w.Idle()
	if strings.Join(args, " ") != "conll all /tmp/out.conll" {
		t.Errorf("export got %v", args)
	}
	if w.Status() != "Exported 1 documents" {
		t.Errorf("status after export %q", w.Status())
	}
}

func TestImportCancel(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	started := make(chan struct{})
	w.cfg.Import = func(ctx context.Context, files []string, progress func(done, total int64)) (string, error) {
		close(started)
		<-ctx.Done() // a long import, until cancelled
		return "", ctx.Err()
	}
	w.runImport([]string{"/tmp/big.jsonl"})
	<-started
	if len(w.dialogs) != 1 {
		t.Fatalf("%d dialogs open, want the progress dialog", len(w.dialogs))
	}
	w.dialogs[0].escape() // the progress dialog's Cancel
	w.Idle()
	if s := w.Status(); !strings.Contains(s, "cancelled") {
		t.Errorf("status after cancel %q", s)
	}
	if len(w.dialogs) != 0 {
		t.Errorf("%d dialogs still open", len(w.dialogs))
	}
}

func TestExportErrorShown(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	w.cfg.Export = func(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error) {
		return "", errors.New("disk full")
	}
	w.runExport(export.Options{Format: export.FormatJSONL, Out: "/tmp/x.jsonl"})
	w.Idle()
	if s := w.Status(); !strings.Contains(s, "disk full") {
		t.Errorf("status %q, want the export error", s)
	}
}
