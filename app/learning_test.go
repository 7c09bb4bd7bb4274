package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/app/overview"
	"evident/assets"
)

// learnWindow opens a window on one document with n suggestions (one per word) and the
// learning hooks given.
func learnWindow(t *testing.T, n int, cfg Config) (*Window, *sqlite.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "l.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	schema, err := st.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	var spans []annotate.Span
	cp := 0
	for i := 0; i < n; i++ {
		w := fmt.Sprintf("Town%02d", i)
		spans = append(spans, annotate.Span{Start: cp, End: cp + len(w), Label: "LOCATION", Status: annotate.StatusSuggested, Origin: "rule:test"})
		words = append(words, w)
		cp += len(w) + 1
	}
	c := 0.75
	spans[0].Confidence = &c
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.Add(ctx, &annotate.Document{ExternalID: "d1", Title: "Doc", Text: strings.Join(words, " ")}, annotate.Draft{}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	docs, _ := st.Documents(ctx)
	if _, err := st.AddSuggestions(ctx, docs[0].ID, annotate.Draft{Spans: spans}, "rules"); err != nil {
		t.Fatal(err)
	}
	cfg.Annotator, cfg.Store, cfg.Schema = "ann", st, schema
	w := NewWindow(test.NewTempApp(t), cfg)
	t.Cleanup(func() { w.Close() })
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.Idle()
	return w, st
}

// TestRetrainsAfterDecisions: the model retrains once RetrainEvery decisions are saved,
// not before, and the status bar says what it made.
func TestRetrainsAfterDecisions(t *testing.T) {
	var calls atomic.Int32
	w, _ := learnWindow(t, RetrainEvery+3, Config{Train: func(ctx context.Context) (string, error) {
		calls.Add(1)
		return "model v9 trained", nil
	}})
	if calls.Load() != 0 {
		t.Fatalf("trained on open without a staleness check: %d", calls.Load())
	}
	for i := 0; i < RetrainEvery-1; i++ {
		w.view.OnKey(&fyne.KeyEvent{Name: fyne.KeyReturn}, 0)
		w.Idle()
	}
	if calls.Load() != 0 {
		t.Fatalf("trained after %d decisions", RetrainEvery-1)
	}
	w.view.OnKey(&fyne.KeyEvent{Name: fyne.KeyReturn}, 0)
	w.Idle()
	if calls.Load() != 1 {
		t.Fatalf("%d trainings after %d decisions, want 1", calls.Load(), RetrainEvery)
	}
	if got := w.status.saved.Text; !strings.Contains(got, "model v9 trained") {
		t.Fatalf("status %q", got)
	}
}

// TestRetrainsWhenStale: opening a database whose model is stale retrains it; a fresh
// one does not.
func TestRetrainsWhenStale(t *testing.T) {
	for _, stale := range []bool{false, true} {
		var calls atomic.Int32
		learnWindow(t, 1, Config{
			Train:      func(context.Context) (string, error) { calls.Add(1); return "", nil },
			ModelStale: func(context.Context) (bool, error) { return stale, nil },
		})
		if want := map[bool]int32{false: 0, true: 1}[stale]; calls.Load() != want {
			t.Errorf("stale=%v: %d trainings, want %d", stale, calls.Load(), want)
		}
	}
}

// TestInspectorShowsConfidence: the focused suggestion's origin and confidence are shown.
func TestInspectorShowsConfidence(t *testing.T) {
	w, _ := learnWindow(t, 2, Config{})
	var texts []string
	walk(w.insp.object(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	all := strings.Join(texts, "|")
	if !strings.Contains(all, "0.75|Confidence") || !strings.Contains(all, "suggested by rule:test") {
		t.Fatalf("inspector shows %s", all)
	}
}

// TestOverviewLearningCurve: the overview draws one bar per measured model.
func TestOverviewLearningCurve(t *testing.T) {
	v := overview.New(nil)
	v.SetLearning([]overview.LearningPoint{{Docs: 5, F1: 0.4, RulesF1: 0.45}, {Docs: 10, F1: -1}, {Docs: 20, F1: 0.6, RulesF1: 0.45}})
	bars := v.Learning().Bars()
	if len(bars) != 2 || bars[0].Label != "5 docs" || !bars[0].Warn || bars[1].Warn || bars[1].Parts[0].Value != 0.6 || bars[1].Total() != 1 {
		t.Fatalf("bars %+v", bars)
	}
}

// TestMinConfidenceSetting: the dialog shows the default when unset, refuses values
// outside [0, 1] and stores a valid one in the database.
func TestMinConfidenceSetting(t *testing.T) {
	w, st := learnWindow(t, 1, Config{MinConfidence: 0.25})
	ctx := context.Background()
	for _, tc := range []struct{ in, want string }{{"1.5", ""}, {"0.4", "0.4"}} {
		w.askMinConfidence()
		w.Idle()
		e, ok := w.win.Canvas().Focused().(*widget.Entry)
		if !ok || len(w.dialogs) != 1 {
			t.Fatalf("no dialog with a focused entry (%d dialogs)", len(w.dialogs))
		}
		if tc.want == "" && e.Text != "0.25" {
			t.Errorf("entry shows %q, want the default 0.25", e.Text)
		}
		e.SetText(tc.in)
		w.dialogs[0].enter()
		w.Idle()
		for len(w.dialogs) > 0 {
			w.dialogs[len(w.dialogs)-1].escape()
		}
		got, err := st.Setting(ctx, annotate.SettingMinConfidence)
		if err != nil || got != tc.want {
			t.Fatalf("after %q: setting %q (%v), want %q", tc.in, got, err, tc.want)
		}
	}
}
