package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/app"
)

// report holds one stored ATTACK event with a casualties argument.
type stored struct {
	doc, event, casualty int64
}

// addReport imports report under title and annotates it as alice would: the trigger,
// the place and a CASUALTY claiming low–high killed, tied together in one event.
func (f *fixture) addReport(title string, low, high int) stored {
	f.t.Helper()
	ctx := context.Background()
	id := f.addDoc(title, report)
	add := func(s annotate.Span, attrs string) annotate.Span {
		f.t.Helper()
		s.DocID, s.Annotator, s.Status = id, "alice", annotate.StatusAccepted
		if attrs != "" {
			s.Attrs = json.RawMessage(attrs)
		}
		out, err := f.st.AddSpan(ctx, s)
		if err != nil {
			f.t.Fatal(err)
		}
		return out
	}
	trig := add(shelled, "")
	place := add(kharkiv, "")
	cas := add(civilian, fmt.Sprintf(`{"kind":"killed","low":%d,"high":%d,"qualifier":"exact","victims":["civilians"]}`, low, high))
	ev, err := f.st.AddEvent(ctx, annotate.Event{DocID: id, Type: "ATTACK", Trigger: trig.ID, Annotator: "alice",
		Args: []annotate.Argument{{Role: "casualties", SpanID: cas.ID}, {Role: "place", SpanID: place.ID}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return stored{id, ev.ID, cas.ID}
}

func (f *fixture) incident(title string, reps ...stored) annotate.Incident {
	f.t.Helper()
	inc := annotate.Incident{Title: title, Type: "ATTACK"}
	for _, r := range reps {
		inc.Events = append(inc.Events, annotate.EventRef{DocID: r.doc, EventID: r.event})
	}
	out, err := f.st.CreateIncident(context.Background(), inc, "setup")
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) listIncidents() []annotate.Incident {
	f.t.Helper()
	incs, err := f.st.ListIncidents(context.Background(), annotate.IncidentFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return incs
}

// find returns the first visible object in win's content (or its overlays) that match
// accepts.
func find[T fyne.CanvasObject](t *testing.T, win fyne.Window, match func(T) bool) T {
	t.Helper()
	var found T
	var ok bool
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if ok || o == nil || !o.Visible() {
			return
		}
		if v, is := o.(T); is && match(v) {
			found, ok = v, true
			return
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				walk(ch)
			}
		}
	}
	for _, o := range win.Canvas().Overlays().List() {
		walk(o)
	}
	walk(win.Canvas().Content())
	if !ok {
		t.Fatalf("no matching %T in window %q", found, win.Title())
	}
	return found
}

func button(t *testing.T, win fyne.Window, text string) *widget.Button {
	t.Helper()
	return find(t, win, func(b *widget.Button) bool { return b.Text == text })
}

func reviewShortcut(w *app.Window, s fyne.Shortcut) {
	w.ReviewWindow().Canvas().(fyne.Shortcutable).TypedShortcut(s)
	w.Idle()
}

func disputedFixture(t *testing.T) (*fixture, annotate.Incident, annotate.Incident) {
	f := newFixture(t)
	agree := f.incident("Agreed toll", f.addReport("a1", 12, 12), f.addReport("a2", 12, 12))
	disputed := f.incident("Disputed toll", f.addReport("d1", 12, 12), f.addReport("d2", 40, 40))
	return f, agree, disputed
}

func TestReviewQueueDisputedFirst(t *testing.T) {
	f, agree, disputed := disputedFixture(t)
	w := f.window("alice")
	shortcut(w, &fyne.ShortcutUndo{}) // nothing of alice's to undo yet; must not break the review
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(ctrlKey(fyne.KeyR))
	w.Idle()
	if w.ReviewWindow() == nil {
		t.Fatal("Ctrl+R opened no review window")
	}
	q := w.Review().Queue()
	if len(q) != 2 || q[0].ID != disputed.ID || q[1].ID != agree.ID {
		t.Fatalf("queue = %v, want disputed %d before agreed %d", ids(q), disputed.ID, agree.ID)
	}
	if got := len(q[0].Figures); got != 2 {
		t.Fatalf("disputed incident shows %d figures, want 2", got)
	}
}

func TestReviewAdjudicateAndUndo(t *testing.T) {
	f, _, disputed := disputedFixture(t)
	w := f.window("alice")
	w.ShowReview()
	w.Idle()
	if !w.Review().Select(disputed.ID) {
		t.Fatal("disputed incident not in the queue")
	}
	rw := w.ReviewWindow()
	best := find(t, rw, func(e *widget.Entry) bool { return e.PlaceHolder == "best" })
	test.Type(best, "30")
	low := find(t, rw, func(e *widget.Entry) bool { return e.PlaceHolder == "low" })
	test.Type(low, "12")
	test.Tap(button(t, rw, "Record"))
	w.Idle()

	inc, err := f.st.Incident(context.Background(), disputed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Adjudications) != 1 {
		t.Fatalf("stored adjudications = %+v, want one", inc.Adjudications)
	}
	a := inc.Adjudications[0]
	if a.Kind != "killed" || a.Best == nil || *a.Best != 30 || a.Low == nil || *a.Low != 12 || a.Reviewer != "alice" {
		t.Fatalf("stored %+v, want killed best 30 low 12 by alice", a)
	}
	if sel := w.Review().Selected(); sel == nil || len(sel.Adjudications) != 1 {
		t.Fatalf("view shows %+v after adjudicating, want the stored adjudication", sel)
	}

	reviewShortcut(w, &fyne.ShortcutUndo{})
	inc, err = f.st.Incident(context.Background(), disputed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Adjudications) != 0 {
		t.Fatalf("after Ctrl+Z the store still has %+v", inc.Adjudications)
	}
	if sel := w.Review().Selected(); sel == nil || len(sel.Adjudications) != 0 {
		t.Fatalf("view still shows an adjudication after undo: %+v", sel)
	}
	// Redo from the annotation window refreshes the review too.
	shortcut(w, ctrlShiftKey(fyne.KeyZ))
	if sel := w.Review().Selected(); sel == nil || len(sel.Adjudications) != 1 {
		t.Fatalf("after redo the view shows %+v, want the adjudication back", sel)
	}
}

func TestReviewAcceptProposal(t *testing.T) {
	f := newFixture(t)
	f.addReport("first", 12, 12)
	f.addReport("second", 14, 14)
	w := f.window("alice")
	w.ShowReview()
	w.Idle()
	rw := w.ReviewWindow()
	test.Tap(button(t, rw, "Propose incidents"))
	w.Idle()
	test.Tap(button(t, rw, "Accept"))
	w.Idle()
	incs := f.listIncidents()
	if len(incs) != 1 || len(incs[0].Events) != 2 || incs[0].Annotator != "alice" {
		t.Fatalf("incidents after accepting = %+v, want one of both events by alice", incs)
	}
	if q := w.Review().Queue(); len(q) != 1 || q[0].ID != incs[0].ID {
		t.Fatalf("queue = %v, want the new incident", ids(q))
	}
	reviewShortcut(w, &fyne.ShortcutUndo{})
	if incs := f.listIncidents(); len(incs) != 0 {
		t.Fatalf("undo left %+v", incs)
	}
}

func TestReviewRejectProposal(t *testing.T) {
	f := newFixture(t)
	f.addReport("first", 12, 12)
	f.addReport("second", 14, 14)
	w := f.window("alice")
	w.ShowReview()
	w.Idle()
	rw := w.ReviewWindow()
	test.Tap(button(t, rw, "Propose incidents"))
	w.Idle()
	test.Tap(button(t, rw, "Reject"))
	w.Idle()
	pairs, err := f.st.RejectedPairs(context.Background())
	if err != nil || len(pairs) != 1 {
		t.Fatalf("rejected pairs = %v, %v; want one", pairs, err)
	}
	test.Tap(button(t, rw, "Propose again"))
	w.Idle()
	find(t, rw, func(l *widget.Label) bool { return len(l.Text) > 12 && l.Text[:12] == "No proposals" })
}

func TestReviewOpensFigure(t *testing.T) {
	f, _, disputed := disputedFixture(t)
	w := f.window("alice")
	w.ShowReview()
	w.Idle()
	fig := disputed.Figures[len(disputed.Figures)-1]
	if s, ok := w.View().Focused(); ok && s.DocID == fig.DocID {
		t.Fatalf("fixture: document %d already open", fig.DocID)
	}
	w.Review().OnOpen(fig.DocID, fig.SpanID)
	w.Idle()
	s, ok := w.View().Focused()
	if !ok || s.ID != fig.SpanID || s.DocID != fig.DocID {
		t.Fatalf("focused %+v (%v), want span %d of document %d", s, ok, fig.SpanID, fig.DocID)
	}
}

func TestReviewMergeAndSplit(t *testing.T) {
	f, agree, disputed := disputedFixture(t)
	w := f.window("alice")
	w.ShowReview()
	w.Idle()
	rw := w.ReviewWindow()
	w.Review().Select(disputed.ID)
	test.Tap(button(t, rw, "Merge…"))
	check := find(t, rw, func(c *widget.Check) bool { return c.Text != "" })
	test.Tap(check)
	test.Tap(button(t, rw, "Merge"))
	w.Idle()
	incs := f.listIncidents()
	if len(incs) != 1 || incs[0].ID != disputed.ID || len(incs[0].Events) != 4 {
		t.Fatalf("after merge: %+v, want incident %d with 4 events (agreed %d merged in)", incs, disputed.ID, agree.ID)
	}
	test.Tap(button(t, rw, "Split off…"))
	w.Idle() // the dialog lists the events after loading their triggers
	check = find(t, rw, func(c *widget.Check) bool { return c.Text != "" })
	test.Tap(check)
	test.Tap(button(t, rw, "Split"))
	w.Idle()
	if incs := f.listIncidents(); len(incs) != 2 || len(incs[0].Events)+len(incs[1].Events) != 4 {
		t.Fatalf("after split: %+v", incs)
	}
	reviewShortcut(w, &fyne.ShortcutUndo{})
	reviewShortcut(w, &fyne.ShortcutUndo{})
	if incs := f.listIncidents(); len(incs) != 2 || len(w.Review().Queue()) != 2 {
		t.Fatalf("after two undos: %d incidents, queue %v; want the two originals", len(incs), ids(w.Review().Queue()))
	}
}

func TestCurationTakeVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	add := func(doc int64, s annotate.Span, ann string) {
		t.Helper()
		s.DocID, s.Annotator, s.Status = doc, ann, annotate.StatusAccepted
		if _, err := f.st.AddSpan(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	same := f.addDoc("Agreed", report)
	differ := f.addDoc("Disputed", report+" ")
	for _, ann := range []string{"alice", "bob"} {
		add(same, shelled, ann)
		add(differ, shelled, ann)
	}
	add(differ, kharkiv, "alice")
	add(differ, annotate.Span{Start: 15, End: 32, Label: "LOCATION"}, "bob") // "Kharkiv on Monday"
	add(differ, monday, "bob")

	w := f.window("carol")
	w.ShowCuration()
	w.Idle()
	docs := w.CurationDocuments()
	if len(docs) != 1 || docs[0].DocID != differ || docs[0].Differing != 3 {
		t.Fatalf("curation lists %+v, want only document %d with 3 differing spans", docs, differ)
	}
	test.Tap(button(t, w.ReviewWindow(), "Take all of alice"))
	w.Idle()
	gold, err := f.st.Spans(ctx, differ, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) != 2 {
		t.Fatalf("gold = %+v, want alice's 2 spans", gold)
	}
	for _, g := range gold {
		if g.Origin != "curation:alice" || g.Status != annotate.StatusAccepted {
			t.Errorf("gold span %+v: want accepted, origin curation:alice", g)
		}
	}
	if docs := w.CurationDocuments(); len(docs) != 1 || docs[0].Gold != 2 {
		t.Fatalf("list after taking = %+v, want gold 2", docs)
	}
	// Span by span: bob's longer LOCATION replaces alice's in gold, the rest stays.
	test.Tap(buttonBeside(t, w.ReviewWindow(), "Kharkiv on Monday", "Take"))
	w.Idle()
	gold, _ = f.st.Spans(ctx, differ, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 2 || gold[0].Text != "shelled" || gold[1].Text != "Kharkiv on Monday" || gold[1].Origin != "curation:bob" {
		t.Fatalf("gold after taking bob's LOCATION = %+v, want alice's ATTACK and bob's LOCATION", gold)
	}
	reviewShortcut(w, &fyne.ShortcutUndo{})
	gold, _ = f.st.Spans(ctx, differ, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 2 || gold[1].Text != "Kharkiv" {
		t.Fatalf("undo of the span take left %+v", gold)
	}

	// Taking bob's version replaces the gold layer in one action.
	test.Tap(button(t, w.ReviewWindow(), "Take all of bob"))
	w.Idle()
	gold, _ = f.st.Spans(ctx, differ, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 3 || gold[0].Origin != "curation:bob" {
		t.Fatalf("gold after taking bob's = %+v, want bob's 3 spans", gold)
	}
	reviewShortcut(w, &fyne.ShortcutUndo{})
	gold, _ = f.st.Spans(ctx, differ, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 2 || gold[0].Origin != "curation:alice" {
		t.Fatalf("after one undo gold = %+v, want alice's 2 back", gold)
	}
	reviewShortcut(w, &fyne.ShortcutUndo{})
	gold, _ = f.st.Spans(ctx, differ, annotate.SpanFilter{Annotator: annotate.GoldAnnotator})
	if len(gold) != 0 {
		t.Fatalf("after two undos gold = %+v, want none", gold)
	}
	if docs := w.CurationDocuments(); len(docs) != 1 || docs[0].Gold != 0 {
		t.Fatalf("list after undo = %+v, want gold 0", docs)
	}
}

func ids(incs []annotate.Incident) []int64 {
	out := make([]int64, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}

func ctrlKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func ctrlShiftKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

// buttonBeside returns the button labelled text in the innermost container that also
// holds a label containing near: the Take button of one curation row.
func buttonBeside(t *testing.T, win fyne.Window, near, text string) *widget.Button {
	t.Helper()
	children := func(o fyne.CanvasObject) []fyne.CanvasObject {
		switch c := o.(type) {
		case *fyne.Container:
			return c.Objects
		case *widget.Button, *widget.Label:
			return nil
		case fyne.Widget:
			return test.WidgetRenderer(c).Objects()
		}
		return nil
	}
	var hasLabel func(o fyne.CanvasObject) bool
	hasLabel = func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			return strings.Contains(l.Text, near)
		}
		return slices.ContainsFunc(children(o), hasLabel)
	}
	var search func(o fyne.CanvasObject) *widget.Button
	search = func(o fyne.CanvasObject) *widget.Button {
		if !o.Visible() {
			return nil
		}
		for _, ch := range children(o) {
			if b := search(ch); b != nil {
				return b
			}
		}
		if c, ok := o.(*fyne.Container); ok && hasLabel(c) {
			for _, ch := range c.Objects {
				if b, ok := ch.(*widget.Button); ok && b.Text == text {
					return b
				}
			}
		}
		return nil
	}
	if b := search(win.Canvas().Content()); b != nil {
		return b
	}
	t.Fatalf("no %q button beside %q", text, near)
	return nil
}
