package app_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/app"
	"evident/assets"
)

// acceptCount counts annotator's accept/reject decisions in the operations log.
func acceptCount(t *testing.T, st annotate.Store, annotator string) int {
	t.Helper()
	hist, err := st.History(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range hist {
		if op.Annotator == annotator && op.Kind == "set_status" {
			n++
		}
	}
	return n
}

// journalFile returns the one journal file in dir and its contents.
func journalFile(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "journal-*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journal files in %s: %v", dir, files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return files[0], b
}

// TestJournalSurvivesClosing: a decision made while the server is away is written to the
// journal file at once; the window is closed, opened again with the server still away
// (it says it has kept decisions from the last session), and once the server is back the
// decision is saved exactly once. A replay after a crash that lost the journal's "done"
// mark (the file as it was before the replay) does not apply it a second time.
func TestJournalSurvivesClosing(t *testing.T) {
	ctx := context.Background()
	p := newTeamProject(t)
	st := p.open()
	if err := st.SetSetting(ctx, "window.last_document", ""); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	newWin := func() *app.Window {
		w := app.NewWindow(test.NewTempApp(t), app.Config{DBPath: p.url, Annotator: "ann", Store: st, Schema: p.schema, JournalDir: dir})
		t.Cleanup(func() { w.Close() })
		w.Idle()
		return w
	}
	w := newWin()
	if s, ok := w.View().Focused(); !ok || s.DocID != p.ids[0] {
		t.Fatalf("focus %+v, %v; want Alpha's suggestion", s, ok)
	}
	if err := p.srv.Pause(); err != nil {
		t.Fatal(err)
	}
	w.View().OnKey(&fyne.KeyEvent{Name: fyne.KeyReturn}, 0)
	eventually(t, w, 10*time.Second, "the decision is kept", func() bool { return w.Kept() == 1 })
	path, kept := journalFile(t, dir)
	if n := strings.Count(string(kept), "\n"); n != 1 || !strings.Contains(string(kept), `"set_status"`) {
		t.Fatalf("journal after one kept decision:\n%s", kept)
	}
	w.Close() // the window is closed while the server is away

	w = newWin()
	eventually(t, w, 10*time.Second, "the restarted window holds the kept decision", func() bool {
		return w.Kept() == 1 && strings.Contains(w.Status(), "kept")
	})
	t.Logf("status with the server away: %q", w.Status())
	if err := p.srv.Resume(); err != nil {
		t.Fatal(err)
	}
	eventually(t, w, 20*time.Second, "the kept decision is saved once the server is back", func() bool {
		return w.Kept() == 0 && w.Online()
	})
	if !strings.Contains(w.Status(), "kept decisions saved") {
		t.Fatalf("status after the replay: %q", w.Status())
	}
	if n := acceptCount(t, st, "ann"); n != 1 {
		t.Fatalf("the decision is in the log %d times, want once", n)
	}
	spans, _ := st.Spans(ctx, p.ids[0], annotate.SpanFilter{})
	if spans[0].Status != annotate.StatusAccepted || spans[0].Annotator != "ann" {
		t.Fatalf("span after the replay: %+v", spans[0])
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("journal with nothing left to send is %d bytes", fi.Size())
	}
	w.Close()

	// A crash after the store committed and before the journal said so.
	if err := os.WriteFile(path, kept, 0o600); err != nil {
		t.Fatal(err)
	}
	w = newWin()
	eventually(t, w, 10*time.Second, "the journal is sent again", func() bool { return w.Kept() == 0 })
	if n := acceptCount(t, st, "ann"); n != 1 {
		t.Fatalf("a resent decision was applied again: %d times in the log", n)
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("journal after the resend is %d bytes", fi.Size())
	}
}

// TestOpenTeamDatabaseStartsLiveView: File › Open of another team database follows the
// new database (who is where), not the one the window left.
func TestOpenTeamDatabaseStartsLiveView(t *testing.T) {
	ctx := context.Background()
	first := newTeamProject(t)
	second := newTeamProjectOn(t, first.srv)
	open := func(path string) (annotate.Store, *annotate.Schema, error) {
		st, err := backend.Open(ctx, path, backend.Options{Schema: assets.Schema()})
		if err != nil {
			return nil, nil, err
		}
		t.Cleanup(func() { st.Close() })
		sc, err := st.Schema(ctx)
		return st, sc, err
	}
	st, sc, err := open(first.url)
	if err != nil {
		t.Fatal(err)
	}
	w := app.NewWindow(test.NewTempApp(t), app.Config{DBPath: first.url, Annotator: "ann", Store: st, Schema: sc,
		OpenStore: open, JournalDir: t.TempDir()})
	t.Cleanup(func() { w.Close() })
	w.Idle()
	w.OpenDatabase(second.url)
	eventually(t, w, 5*time.Second, "the second database's documents are listed", func() bool {
		d := w.Documents()
		return len(d) == 3 && d[0].ID == second.ids[0]
	})
	bob := second.open()
	if err := bob.(annotate.TeamStore).SetPresence(ctx, "bob", second.ids[1]); err != nil {
		t.Fatal(err)
	}
	eventually(t, w, 5*time.Second, "ann sees bob on the second database's Bravo", func() bool {
		return slices.Equal(w.Others(second.ids[1]), []string{"bob"})
	})
	if err := first.srv.Pause(); err != nil {
		t.Fatal(err)
	}
	eventually(t, w, 8*time.Second, "the status bar says the server is unreachable", func() bool {
		return !w.Online()
	})
	first.srv.Resume()
}
