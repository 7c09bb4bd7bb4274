package docview_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
	"evident/app/docview"
	"evident/assets"
)

const sample = "The health ministry said at least 12 civilians were killed in Gaza City on Tuesday, " +
	"and rescue teams searched the rubble through the night."

// at returns the code point offset of the nth (0-based) occurrence of phrase in text.
func at(t testing.TB, text, phrase string, nth int) (int, int) {
	t.Helper()
	b := 0
	for k := 0; ; k++ {
		i := strings.Index(text[b:], phrase)
		if i < 0 {
			t.Fatalf("%q not in text", phrase)
		}
		if k == nth {
			s := utf8.RuneCountInString(text[:b+i])
			return s, s + utf8.RuneCountInString(phrase)
		}
		b += i + len(phrase)
	}
}

func span(t testing.TB, text string, id int64, phrase, label string, st annotate.Status) annotate.Span {
	s, e := at(t, text, phrase, 0)
	return annotate.Span{ID: id, Start: s, End: e, Label: label, Status: st}
}

func newView(t testing.TB, text string, spans []annotate.Span, size fyne.Size) (*docview.View, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	schema, err := annotate.ParseSchema(assets.Schema())
	if err != nil {
		t.Fatal(err)
	}
	v := docview.New()
	v.SetSchema(schema)
	v.SetDocument(text, spans)
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(size)
	return v, w
}

// mid returns a point in the middle of the character at offset cp.
func mid(t testing.TB, v *docview.View, cp int) fyne.Position {
	t.Helper()
	p, ok := v.PositionOf(cp)
	if !ok {
		t.Fatalf("offset %d not on screen", cp)
	}
	return p.Add(fyne.NewPos(2, 8))
}

func sampleSpans(t testing.TB) []annotate.Span {
	A, S, R := annotate.StatusAccepted, annotate.StatusSuggested, annotate.StatusRejected
	return []annotate.Span{
		span(t, sample, 5, "Tuesday", "TIME", S),
		span(t, sample, 1, "health ministry", "SOURCE", A),
		span(t, sample, 2, "at least 12 civilians", "CASUALTY", S),
		span(t, sample, 3, "civilians", "VICTIM", S),
		span(t, sample, 4, "killed", "DEATH", R),
		span(t, sample, 6, "Gaza City", "LOCATION", S),
		span(t, sample, 7, "rescue teams", "ACTOR", A),
	}
}

func focusedID(v *docview.View) int64 {
	s, ok := v.Focused()
	if !ok {
		return 0
	}
	return s.ID
}

func TestFocusNextPrevOrderAndWrap(t *testing.T) {
	v, _ := newView(t, sample, sampleSpans(t), fyne.NewSize(600, 300))
	// Reading order by start then end; the rejected span (4) is hidden.
	var got []int64
	for range 7 {
		if !v.FocusNext(nil) {
			t.Fatal("FocusNext found nothing")
		}
		got = append(got, focusedID(v))
	}
	if want := []int64{1, 2, 3, 6, 5, 7, 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("FocusNext order %v, want %v", got, want)
	}
	got = got[:0]
	for range 3 {
		v.FocusPrev(nil)
		got = append(got, focusedID(v))
	}
	if want := []int64{7, 5, 6}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("FocusPrev order %v, want %v", got, want)
	}
	suggested := func(s annotate.Span) bool { return s.Status == annotate.StatusSuggested }
	v.FocusSpan(7)
	v.FocusNext(suggested)
	if id := focusedID(v); id != 2 {
		t.Errorf("next suggestion after the last span wraps to 2, got %d", id)
	}
	if v.FocusNext(func(annotate.Span) bool { return false }) {
		t.Error("FocusNext with no match reported success")
	}
	if id := focusedID(v); id != 2 {
		t.Errorf("a failed FocusNext moved the focus to %d", id)
	}
}

func TestFocusCallbackAndSetSpansKeepsFocus(t *testing.T) {
	spans := sampleSpans(t)
	v, _ := newView(t, sample, spans, fyne.NewSize(600, 300))
	var calls []string
	v.OnFocusChanged = func(s annotate.Span, ok bool) { calls = append(calls, fmt.Sprintf("%d %s %v", s.ID, s.Label, ok)) }
	if !v.FocusSpan(2) {
		t.Fatal("FocusSpan(2) failed")
	}
	v.FocusSpan(2) // no change, no call
	// The store relabels span 2 and reorders nothing else.
	spans[2].Label = "VICTIM"
	v.SetSpans(spans)
	if s, ok := v.Focused(); !ok || s.ID != 2 || s.Label != "VICTIM" {
		t.Errorf("after SetSpans focus = %v %v, want span 2 relabelled", s, ok)
	}
	// Span 2 is rejected and so hidden: the focus goes, and the next FocusNext
	// continues from where it was rather than from the top.
	spans[2].Status = annotate.StatusRejected
	v.SetSpans(spans)
	if _, ok := v.Focused(); ok {
		t.Error("a hidden span kept the focus")
	}
	v.FocusNext(nil)
	if id := focusedID(v); id != 3 {
		t.Errorf("FocusNext after the focused span went away = %d, want 3", id)
	}
	want := []string{"2 CASUALTY true", "2 VICTIM true", "0  false", "3 VICTIM true"}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("OnFocusChanged calls %q, want %q", calls, want)
	}
}

func TestRejectedHiddenUnlessAsked(t *testing.T) {
	v, _ := newView(t, sample, sampleSpans(t), fyne.NewSize(600, 300))
	if v.FocusSpan(4) {
		t.Error("rejected span 4 could be focused while hidden")
	}
	v.SetShowRejected(true)
	if !v.FocusSpan(4) {
		t.Error("rejected span 4 not focusable when shown")
	}
	v.SetShowRejected(false)
	if _, ok := v.Focused(); ok {
		t.Error("hiding rejected spans kept the focus on one")
	}
}

func TestSetDocumentResets(t *testing.T) {
	v, _ := newView(t, sample, sampleSpans(t), fyne.NewSize(600, 300))
	v.FocusSpan(1)
	v.SetSelection(0, 3)
	v.SetDocument("Another text.", nil)
	if _, ok := v.Focused(); ok {
		t.Error("focus survived SetDocument")
	}
	if _, _, ok := v.Selection(); ok {
		t.Error("selection survived SetDocument")
	}
	if v.FocusNext(nil) {
		t.Error("FocusNext found a span in a document without spans")
	}
}

func TestDragSelectsWholeTokens(t *testing.T) {
	v, _ := newView(t, sample, nil, fyne.NewSize(600, 300))
	var events int
	v.OnSelectionChanged = func(int, int, bool) { events++ }
	ms, _ := at(t, sample, "ministry", 0)
	ss, _ := at(t, sample, "said", 0)
	from, to := mid(t, v, ms+3), mid(t, v, ss+1)
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	v.DragEnd()
	s, e, ok := v.Selection()
	if !ok || string([]rune(sample)[s:e]) != "ministry said" {
		t.Errorf("selection %d..%d %q, want \"ministry said\"", s, e, string([]rune(sample)[s:e]))
	}
	if events == 0 {
		t.Error("OnSelectionChanged not called")
	}
	// Dragging backwards gives the same range.
	v.ClearSelection()
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: from}, Dragged: fyne.NewDelta(from.X-to.X, from.Y-to.Y)})
	v.DragEnd()
	if s2, e2, _ := v.Selection(); s2 != s || e2 != e {
		t.Errorf("backward drag selected %d..%d, want %d..%d", s2, e2, s, e)
	}
}

func TestDragThroughCanvas(t *testing.T) {
	v, w := newView(t, sample, nil, fyne.NewSize(600, 300))
	ts, _ := at(t, sample, "Tuesday", 0)
	from := mid(t, v, ts+2)
	abs := v.Position() // the view is the whole unpadded window
	// test.Drag sends one event at pos with the whole delta, so the drag began at
	// pos - delta, as with a real driver's first event.
	test.Drag(w.Canvas(), abs.Add(from).Add(fyne.NewPos(30, 0)), 30, 0)
	s, e, ok := v.Selection()
	if !ok || string([]rune(sample)[s:e]) != "Tuesday" {
		t.Errorf("selection %q, want \"Tuesday\"", string([]rune(sample)[s:e]))
	}
}

func TestAltDragSelectsGraphemes(t *testing.T) {
	text := "Families 👩‍👩‍👧 fled café quarter."
	v, _ := newView(t, text, nil, fyne.NewSize(600, 300))
	fs, _ := at(t, text, "Families", 0)
	cs, ce := at(t, text, "café", 0)
	es, ee := at(t, text, "👩‍👩‍👧", 0)
	bounds := map[int]bool{}
	for _, b := range annotate.GraphemeBounds(text) {
		bounds[b] = true
	}
	drag := func(a, b fyne.Position) (int, int) {
		v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Modifier: fyne.KeyModifierAlt})
		v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-a.X, b.Y-a.Y)})
		v.DragEnd()
		s, e, _ := v.Selection()
		return s, e
	}
	// From the left edge of "Families" to between "caf" and "é": characters only.
	a, _ := v.PositionOf(fs)
	b, _ := v.PositionOf(ce - 1)
	s, e := drag(a.Add(fyne.NewPos(0, 8)), b.Add(fyne.NewPos(0, 8)))
	if s != fs || e != cs+3 {
		t.Errorf("alt-drag selected %d..%d, want %d..%d", s, e, fs, cs+3)
	}
	// Ending anywhere inside the family emoji never splits it.
	pa, _ := v.PositionOf(es)
	pb, _ := v.PositionOf(ee)
	for x := pa.X; x <= pb.X; x += 2 {
		_, e := drag(a.Add(fyne.NewPos(0, 8)), fyne.NewPos(x, pa.Y+8))
		if !bounds[e] || e > es && e < ee {
			t.Fatalf("alt-drag end at x=%v: offset %d splits the emoji [%d,%d)", x, e, es, ee)
		}
	}
}

func TestDoubleTapSelectsWord(t *testing.T) {
	v, _ := newView(t, sample, nil, fyne.NewSize(600, 300))
	cs, ce := at(t, sample, "civilians", 0)
	test.DoubleTap(v) // at the widget's origin: the first word
	if s, e, ok := v.Selection(); !ok || s != 0 || e != 3 {
		t.Errorf("double tap at origin selected %d..%d %v, want 0..3", s, e, ok)
	}
	v.DoubleTapped(&fyne.PointEvent{Position: mid(t, v, cs+4)})
	if s, e, ok := v.Selection(); !ok || s != cs || e != ce {
		t.Errorf("double tap selected %d..%d, want %d..%d", s, e, cs, ce)
	}
}

func TestTapFocusesInnermostSpan(t *testing.T) {
	v, w := newView(t, sample, sampleSpans(t), fyne.NewSize(600, 300))
	cs, _ := at(t, sample, "civilians", 0)
	ls, _ := at(t, sample, "least", 0)
	v.Tapped(&fyne.PointEvent{Position: mid(t, v, cs+2)})
	if id := focusedID(v); id != 3 {
		t.Errorf("tap on civilians focused %d, want 3 (the inner span)", id)
	}
	if w.Canvas().Focused() != v {
		t.Error("tapping did not take keyboard focus")
	}
	v.Tapped(&fyne.PointEvent{Position: mid(t, v, ls+1)})
	if id := focusedID(v); id != 2 {
		t.Errorf("tap on least focused %d, want 2", id)
	}
}

func TestKeysGoToOnKeyFirst(t *testing.T) {
	v, w := newView(t, sample, sampleSpans(t), fyne.NewSize(600, 300))
	w.Canvas().Focus(v)
	var seen []string
	handled := true
	v.OnKey = func(ev *fyne.KeyEvent, mods fyne.KeyModifier) bool {
		seen = append(seen, fmt.Sprint(ev.Name, mods))
		return handled
	}
	var runes []rune
	v.OnRune = func(r rune) bool { runes = append(runes, r); return true }
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	test.Type(v, "ax")
	if fmt.Sprint(seen) != fmt.Sprint([]string{fmt.Sprint(fyne.KeyTab, fyne.KeyModifierShift)}) {
		t.Errorf("OnKey saw %v", seen)
	}
	if string(runes) != "ax" {
		t.Errorf("OnRune saw %q", string(runes))
	}
	if _, ok := v.Focused(); ok {
		t.Error("a handled Tab still moved the focus")
	}
	handled = false
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if id := focusedID(v); id != 1 {
		t.Errorf("unhandled Tab focused %d, want 1", id)
	}
	if !v.AcceptsTab() {
		t.Error("the view must keep Tab")
	}
}

func TestTokenBoundaries(t *testing.T) {
	v, _ := newView(t, sample, nil, fyne.NewSize(600, 300))
	s, e := at(t, sample, "12 civilians", 0)
	ws, _ := at(t, sample, "were", 0)
	_, le := at(t, sample, "least", 0)
	if got := v.TokenBoundary(e, 1); got != ws+4 {
		t.Errorf("grow end: %d, want %d", got, ws+4)
	}
	if got := v.TokenBoundary(s, -1); got != le-5 {
		t.Errorf("grow start: %d, want %d", got, le-5)
	}
	if got := v.TokenEdge(e, -1, true); got != s+2 {
		t.Errorf("shrink end: %d, want %d", got, s+2)
	}
	if got := v.TokenEdge(s, 1, false); got != s+3 {
		t.Errorf("shrink start: %d, want %d", got, s+3)
	}
	n := utf8.RuneCountInString(sample)
	if got := v.TokenBoundary(n, 1); got != n {
		t.Errorf("past the end: %d, want %d", got, n)
	}
}

func TestScrollAndReveal(t *testing.T) {
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "Paragraph %d. %s\n\n", i, sample)
	}
	text := b.String()
	far, _ := at(t, text, "Paragraph 150.", 0)
	v, _ := newView(t, text, []annotate.Span{{ID: 9, Start: far, End: far + 9, Label: "TIME", Status: annotate.StatusSuggested}}, fyne.NewSize(600, 300))
	if _, ok := v.PositionOf(0); !ok {
		t.Fatal("start of text not on screen")
	}
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -200)})
	if _, ok := v.PositionOf(0); ok {
		t.Error("start still on screen after scrolling down 200")
	}
	v.FocusNext(nil)
	if _, ok := v.PositionOf(far); !ok {
		t.Error("FocusNext did not bring the span into view")
	}
	if v.MinSize().Height > 300 {
		t.Errorf("MinSize %v grows with the document", v.MinSize())
	}
	v.ScrollToOffset(0)
	if _, ok := v.PositionOf(0); !ok {
		t.Error("ScrollToOffset(0) did not scroll back")
	}
}

func TestMouseDownFocusesAtOnce(t *testing.T) {
	v, _ := newView(t, sample, sampleSpans(t), fyne.NewSize(600, 300))
	cs, _ := at(t, sample, "civilians", 0)
	pos := mid(t, v, cs+2)
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Button: desktop.MouseButtonPrimary})
	if id := focusedID(v); id != 3 {
		t.Fatalf("MouseDown on civilians focused %d, want 3", id)
	}
	// Tab before Fyne's delayed Tapped arrives: the Tapped must not take it back.
	v.FocusNext(nil)
	v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Button: desktop.MouseButtonPrimary})
	v.Tapped(&fyne.PointEvent{Position: pos})
	if id := focusedID(v); id != 6 {
		t.Errorf("after Tab and the late Tapped focus is %d, want 6", id)
	}
}
