package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// These tests drive the inspector's widgets (so they live inside the package to reach
// the pane) and assert what lands in the store.

func openTestWindow(t *testing.T, text string, spans ...annotate.Span) (*Window, *sqlite.Store, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "e.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	schema, err := st.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.Add(ctx, &annotate.Document{ExternalID: "d1", Title: "Doc", Text: text}, annotate.Draft{Spans: spans}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	docs, err := st.Documents(ctx)
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents: %v %v", docs, err)
	}
	w := NewWindow(test.NewTempApp(t), Config{Annotator: "ann", Store: st, Schema: schema})
	t.Cleanup(func() { w.Close() })
	w.Idle()
	return w, st, docs[0].ID
}

// walk visits every object under o, looking inside containers, scrolls and forms.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, visit)
		}
	case *container.Scroll:
		walk(x.Content, visit)
	case *widget.Form:
		for _, it := range x.Items {
			walk(it.Widget, visit)
		}
	}
}

func findButton(t *testing.T, w *Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(w.insp.object(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q in the inspector", text)
	}
	return found
}

func spanAt(t *testing.T, st *sqlite.Store, doc int64, start int) annotate.Span {
	t.Helper()
	spans, err := st.Spans(context.Background(), doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range spans {
		if s.Start == start {
			return s
		}
	}
	t.Fatalf("no span at %d", start)
	return annotate.Span{}
}

func TestInspectorEvents(t *testing.T) {
	text := "Rebels shelled Kharkiv on Monday."
	w, st, doc := openTestWindow(t, text,
		annotate.Span{Start: 7, End: 14, Label: "ATTACK"},
		annotate.Span{Start: 15, End: 22, Label: "LOCATION"})
	ctx := context.Background()
	trig := spanAt(t, st, doc, 7)
	place := spanAt(t, st, doc, 15)

	if !w.view.FocusSpan(trig.ID) {
		t.Fatal("cannot focus the trigger")
	}
	test.Tap(findButton(t, w, "Create ATTACK event"))
	w.Idle()
	events, err := st.Events(ctx, doc)
	if err != nil || len(events) != 1 || events[0].Trigger != trig.ID || events[0].Type != "ATTACK" {
		t.Fatalf("events after Create: %+v %v", events, err)
	}

	w.view.FocusSpan(place.ID)
	var role *widget.Select
	walk(w.insp.object(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && s.PlaceHolder == "Add focused span as…" {
			role = s
		}
	})
	if role == nil {
		t.Fatal("no role picker for the focused span")
	}
	role.SetSelected("place")
	w.Idle()
	events, _ = st.Events(ctx, doc)
	if len(events) != 1 || len(events[0].Args) != 1 || events[0].Args[0] != (annotate.Argument{Role: "place", SpanID: place.ID}) {
		t.Fatalf("after adding place: %+v", events)
	}

	var remove *widget.Button
	walk(w.insp.object(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil && b.Icon.Name() == theme.DeleteIcon().Name() {
			remove = b
		}
	})
	if remove == nil {
		t.Fatal("no remove button for the argument")
	}
	test.Tap(remove)
	w.Idle()
	events, _ = st.Events(ctx, doc)
	if len(events) != 1 || len(events[0].Args) != 0 {
		t.Fatalf("after remove: %+v", events)
	}
}

func TestInspectorCasualtyForm(t *testing.T) {
	text := "At least 12 civilians were killed, officials said."
	w, st, doc := openTestWindow(t, text,
		annotate.Span{Start: 0, End: 21, Label: "CASUALTY"},
		annotate.Span{Start: 35, End: 44, Label: "SOURCE"})
	cas := spanAt(t, st, doc, 0)
	src := spanAt(t, st, doc, 35)
	if !w.view.FocusSpan(cas.ID) {
		t.Fatal("cannot focus the figure")
	}
	var form *widget.Form
	walk(w.insp.object(), func(o fyne.CanvasObject) {
		if f, ok := o.(*widget.Form); ok {
			form = f
		}
	})
	if form == nil {
		t.Fatal("no casualty form")
	}
	item := func(name string) fyne.CanvasObject {
		for _, it := range form.Items {
			if it.Text == name {
				return it.Widget
			}
		}
		t.Fatalf("no form item %q", name)
		return nil
	}
	item("Kind").(*widget.Select).SetSelected("killed")
	item("Low").(*widget.Entry).SetText("12")
	// The vague qualifier shows how its words and its number are kept; others hide it.
	hint := func() *widget.Label {
		var l *widget.Label
		walk(w.insp.object(), func(o fyne.CanvasObject) {
			if x, ok := o.(*widget.Label); ok && strings.Contains(x.Text, "convention value") {
				l = x
			}
		})
		return l
	}
	item("Qualifier").(*widget.Select).SetSelected("vague")
	if h := hint(); h == nil || !h.Visible() || !strings.Contains(h.Text, "dozens 12") {
		t.Errorf("no visible vague-word hint after choosing vague: %v", h)
	}
	item("Qualifier").(*widget.Select).SetSelected("at_least")
	if h := hint(); h != nil && h.Visible() {
		t.Error("the vague-word hint stays shown for at_least")
	}
	item("Victims").(*widget.Entry).SetText("civilians")
	claimant := item("Claimant").(*widget.Select)
	for _, opt := range claimant.Options {
		if strings.HasPrefix(opt, "officials") {
			claimant.SetSelected(opt)
		}
	}
	item("Scope").(*widget.Select).SetSelected("incident")
	test.Tap(findButton(t, w, "Save figure"))
	w.Idle()

	got := spanAt(t, st, doc, 0)
	var c annotate.Casualty
	if err := json.Unmarshal(got.Attrs, &c); err != nil {
		t.Fatalf("attrs %s: %v", got.Attrs, err)
	}
	if c.Kind != "killed" || c.Low == nil || *c.Low != 12 || c.High != nil || c.Qualifier != "at_least" ||
		len(c.Victims) != 1 || c.Victims[0] != "civilians" || c.Claimant != src.ID || c.ClaimantText != "officials" || c.Scope != "incident" {
		t.Errorf("saved figure %s", got.Attrs)
	}

	// A bad number is refused and nothing changes.
	w.view.FocusSpan(cas.ID)
	form = nil
	walk(w.insp.object(), func(o fyne.CanvasObject) {
		if f, ok := o.(*widget.Form); ok {
			form = f
		}
	})
	item("High").(*widget.Entry).SetText("ten")
	test.Tap(findButton(t, w, "Save figure"))
	w.Idle()
	if again := spanAt(t, st, doc, 0); string(again.Attrs) != string(got.Attrs) {
		t.Errorf("a bad high changed the figure to %s", again.Attrs)
	}
}

func TestLegendClickLabelsSelection(t *testing.T) {
	w, st, doc := openTestWindow(t, "Rebels shelled Kharkiv on Monday.")
	w.view.SetSelection(15, 22)
	var chip *tapChip
	walk(w.legend, func(o fyne.CanvasObject) {
		if c, ok := o.(*tapChip); ok {
			walk(c.content, func(o fyne.CanvasObject) {
				if tx, ok := o.(*canvas.Text); ok && tx.Text == "LOCATION" {
					chip = c
				}
			})
		}
	})
	if chip == nil {
		t.Fatal("no LOCATION chip in the legend")
	}
	test.Tap(chip)
	w.Idle()
	if s := spanAt(t, st, doc, 15); s.End != 22 || s.Label != "LOCATION" || s.Status != annotate.StatusAccepted {
		t.Errorf("clicking LOCATION made %+v", s)
	}
}
