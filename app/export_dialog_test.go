package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/export"
)

// TestExportDialogOptions fills in every choice of the Export dialog as a user would
// and checks that each reaches export.Options unchanged.
func TestExportDialogOptions(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	var got []export.Options
	w.cfg.Export = func(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error) {
		got = append(got, opts)
		return "ok", nil
	}
	out := filepath.Join(t.TempDir(), "train.csv")

	f := w.openExport()
	if len(f.format.Options) != len(export.Formats) {
		t.Fatalf("format choices %v, want every export format %v", f.format.Options, export.Formats)
	}
	if len(f.labels) != len(w.schema.Labels) {
		t.Fatalf("%d label boxes for %d schema labels", len(f.labels), len(w.schema.Labels))
	}
	f.format.SetSelected("csv")
	if !f.tokens.Disabled() {
		t.Error("the tokens box is enabled for csv; only jsonl has tokens")
	}
	if !strings.HasSuffix(f.out.Text, ".csv") {
		t.Errorf("destination %q did not take the csv extension", f.out.Text)
	}
	f.status.SetSelected("all")
	for _, c := range f.labels {
		if c.Text == "ATTACK" || c.Text == "CASUALTY" {
			c.SetChecked(true)
		}
	}
	f.annotator.SetText(" maria ")
	f.doneOnly.SetChecked(true)
	f.offsets.SetSelected("utf16")
	f.split.SetText("train=0.8,dev=0.1,test=0.1")
	f.seed.SetText("42")
	f.out.SetText(out)
	f.d.Submit()
	w.Idle()

	want := export.Options{
		Format: export.FormatCSV, Status: "all", Labels: []string{"ATTACK", "CASUALTY"},
		Annotator: "maria", DoneOnly: true, Offsets: export.UTF16,
		Split: "train=0.8,dev=0.1,test=0.1", Seed: 42, Out: out,
	}
	if len(got) != 1 {
		t.Fatalf("export hook called %d times, want once", len(got))
	}
	g := got[0]
	slices.Sort(g.Labels)
	if g.Format != want.Format || g.Status != want.Status || !slices.Equal(g.Labels, want.Labels) ||
		g.Annotator != want.Annotator || g.DoneOnly != want.DoneOnly || g.Offsets != want.Offsets ||
		g.Tokens || g.Split != want.Split || g.Seed != want.Seed || g.Out != want.Out {
		t.Errorf("options\n got %+v\nwant %+v", g, want)
	}
	if w.Status() != "ok" {
		t.Errorf("status bar %q, want the hook's summary", w.Status())
	}

	// jsonl with tokens, brat's folder, and a bad split that must not reach the hook.
	f = w.openExport()
	f.format.SetSelected("jsonl")
	f.tokens.SetChecked(true)
	f.out.SetText(filepath.Join(t.TempDir(), "x.jsonl"))
	f.d.Submit()
	w.Idle()
	if len(got) != 2 || !got[1].Tokens || got[1].Format != export.FormatJSONL || got[1].Offsets != export.CodePoints || len(got[1].Labels) != 0 {
		t.Errorf("jsonl with tokens: %+v", got[len(got)-1])
	}
	f = w.openExport()
	f.format.SetSelected("brat")
	if filepath.Ext(f.out.Text) != "" {
		t.Errorf("brat destination %q has a file extension; brat writes a folder", f.out.Text)
	}
	f.split.SetText("train=abc")
	if _, err := f.options(); err == nil {
		t.Error("a malformed split was accepted")
	}
	f.d.Submit() // validation fails: the dialog stays and nothing runs
	w.Idle()
	if len(got) != 2 {
		t.Errorf("export ran with a malformed split: %+v", got[len(got)-1])
	}
}

// TestExportDialogRealExport runs the dialog's choices through export.Run, as main.go's
// hook does, and checks that the file holds exactly the filtered spans.
func TestExportDialogRealExport(t *testing.T) {
	text := "Rebels shelled Kharkiv on Monday, killing 3 civilians."
	w, st, _ := openTestWindow(t, text,
		annotate.Span{Start: 0, End: 6, Label: "ACTOR", Status: annotate.StatusAccepted},
		annotate.Span{Start: 7, End: 14, Label: "ATTACK", Status: annotate.StatusAccepted},
		annotate.Span{Start: 15, End: 22, Label: "LOCATION", Status: annotate.StatusAccepted},
		annotate.Span{Start: 26, End: 32, Label: "TIME", Status: annotate.StatusSuggested},
		annotate.Span{Start: 34, End: 41, Label: "DEATH", Status: annotate.StatusSuggested},
	)
	w.cfg.Export = func(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error) {
		res, err := export.Run(ctx, st, opts, progress)
		if err != nil {
			return "", err
		}
		return strings.Join(res.Files, ","), nil
	}
	out := filepath.Join(t.TempDir(), "spans.jsonl")
	f := w.openExport()
	f.format.SetSelected("jsonl")
	f.status.SetSelected("all")
	for _, c := range f.labels {
		c.SetChecked(c.Text == "ATTACK" || c.Text == "DEATH" || c.Text == "TIME")
	}
	f.offsets.SetSelected("bytes")
	f.out.SetText(out)
	f.d.Submit()
	w.Idle()
	if w.Status() != out {
		t.Fatalf("status %q, want the written file %s", w.Status(), out)
	}

	fh, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var labels []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Text  string `json:"text"`
			Spans []struct {
				Start, End int
				Label      string
			} `json:"spans"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		for _, s := range rec.Spans {
			labels = append(labels, s.Label)
			if s.Start < 0 || s.End > len(rec.Text) || s.Start > s.End {
				t.Fatalf("byte offsets %d-%d outside the text", s.Start, s.End)
			}
		}
	}
	slices.Sort(labels)
	if want := []string{"ATTACK", "DEATH", "TIME"}; !slices.Equal(labels, want) {
		t.Errorf("exported labels %v, want %v (labels filter, all statuses)", labels, want)
	}
}

// TestExportDialogCancel: the progress dialog's Cancel reaches the export's context and
// the window says nothing was written.
func TestExportDialogCancel(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	started := make(chan struct{})
	w.cfg.Export = func(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error) {
		close(started)
		select { // a long export, until cancelled
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(10 * time.Second):
			return "", errors.New("the export ran on: Cancel did not reach it")
		}
	}
	f := w.openExport()
	f.out.SetText(filepath.Join(t.TempDir(), "big.jsonl"))
	f.d.Submit()
	select { // fail, rather than hang the package, if the export never starts
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("the export hook was not called within 20 s of Submit")
	}
	if len(w.dialogs) != 1 {
		t.Fatalf("%d dialogs open, want the progress dialog alone", len(w.dialogs))
	}
	w.dialogs[0].escape() // the progress dialog's Cancel
	w.Idle()
	if s := w.Status(); !strings.Contains(s, "cancelled") {
		t.Errorf("status after cancel %q", s)
	}
}
