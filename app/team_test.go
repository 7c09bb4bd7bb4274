package app_test

import (
	"context"
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
	"evident/internal/pgtest"
)

// eventually applies background results until ok holds, failing after d.
func eventually(t *testing.T, w *app.Window, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		w.Idle()
		if ok() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v (status bar: %q)", what, d, w.Status())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// teamProject is a throwaway PostgreSQL server with a project of three documents
// (Alpha, Bravo, Charlie), each with one ACTOR suggestion.
type teamProject struct {
	t      *testing.T
	srv    *pgtest.Server
	url    string
	ids    []int64
	schema *annotate.Schema
}

func newTeamProject(t *testing.T) *teamProject {
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	return newTeamProjectOn(t, srv)
}

// newTeamProjectOn makes the project in a new database of srv.
func newTeamProjectOn(t *testing.T, srv *pgtest.Server) *teamProject {
	ctx := context.Background()
	url, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := &teamProject{t: t, srv: srv, url: url}
	st := p.open()
	im, _ := st.BeginImport(ctx, "test")
	for _, title := range []string{"Alpha", "Bravo", "Charlie"} {
		d := &annotate.Document{ExternalID: title, Title: title, Text: report + " " + title}
		if _, err := im.Add(ctx, d, annotate.Draft{Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR", Status: annotate.StatusSuggested}}}); err != nil {
			t.Fatal(err)
		}
		p.ids = append(p.ids, d.ID)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if p.schema, err = st.Schema(ctx); err != nil {
		t.Fatal(err)
	}
	return p
}

// open opens a store on the project, closed at the end of the test.
func (p *teamProject) open() annotate.Store {
	st, err := backend.Open(context.Background(), p.url, backend.Options{Schema: assets.Schema()})
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { st.Close() })
	return st
}

// TestTeamWindows: two annotators' windows on one PostgreSQL database. Ann's window
// shows within seconds which document Bob has open and Bob's decisions in its document
// list, says so in the status bar when the server goes away, and again when it is back.
func TestTeamWindows(t *testing.T) {
	ctx := context.Background()
	p := newTeamProject(t)
	srv, ids, stAnn := p.srv, p.ids, p.open()
	stBob := p.open()
	schema := p.schema
	newWin := func(st annotate.Store, name string) *app.Window {
		w := app.NewWindow(test.NewTempApp(t), app.Config{DBPath: p.url, Annotator: name, Store: st, Schema: schema, JournalDir: t.TempDir()})
		t.Cleanup(func() { w.Close() })
		w.Idle()
		return w
	}
	// The name another member's window stored is not taken for this one's.
	if err := stAnn.SetSetting(ctx, "annotator", "carol"); err != nil {
		t.Fatal(err)
	}
	if w := newWin(stAnn, ""); w.Annotator() != "" {
		t.Fatalf("a team window took the stored name %q", w.Annotator())
	} else {
		w.Close()
	}
	ann := newWin(stAnn, "ann")
	if err := stBob.SetSetting(ctx, "window.last_document", ""); err != nil {
		t.Fatal(err)
	}
	// Bob's window opens the first document (Alpha); he accepts its suggestion.
	newWin(stBob, "bob")
	start := time.Now()
	eventually(t, ann, 5*time.Second, "ann sees bob on Alpha", func() bool {
		return slices.Equal(ann.Others(ids[0]), []string{"bob"})
	})
	t.Logf("presence seen after %v", time.Since(start))
	spans, _ := stBob.Spans(ctx, ids[0], annotate.SpanFilter{})
	if err := stBob.SetSpanStatus(ctx, []int64{spans[0].ID}, annotate.StatusAccepted, "bob"); err != nil {
		t.Fatal(err)
	}
	eventually(t, ann, 5*time.Second, "ann's list shows bob's decision", func() bool {
		for _, d := range ann.Documents() {
			if d.ID == ids[0] {
				return d.Accepted == 1 && d.Suggested == 0
			}
		}
		return false
	})
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	eventually(t, ann, 8*time.Second, "the status bar says the server is unreachable", func() bool {
		return !ann.Online() && ann.Status() == "Server unreachable — reconnecting…"
	})
	// Ann decides while the server is away: the decision is kept, not lost.
	if s, ok := ann.View().Focused(); !ok || s.DocID != ids[0] {
		t.Fatalf("ann's focus %+v, %v; want a span of Alpha", s, ok)
	}
	ann.View().OnKey(&fyne.KeyEvent{Name: fyne.KeyReturn}, 0)
	eventually(t, ann, 10*time.Second, "the decision is kept", func() bool {
		return ann.Kept() == 1 && strings.Contains(ann.Status(), "1 decisions kept")
	})
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	eventually(t, ann, 15*time.Second, "the kept decision is saved and the server is back", func() bool {
		return ann.Online() && ann.Kept() == 0
	})
	// Saved exactly once, under ann.
	hist, err := stAnn.History(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range hist {
		if op.Annotator == "ann" && op.Kind == "set_status" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("ann's decision is in the log %d times, want once: %+v", n, hist)
	}
	spans, _ = stAnn.Spans(ctx, ids[0], annotate.SpanFilter{})
	if spans[0].Annotator != "ann" || spans[0].Status != annotate.StatusAccepted {
		t.Fatalf("span after the replay: %+v", spans[0])
	}
}
