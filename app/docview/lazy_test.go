package docview

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
)

// TestOnlyVisibleIsLaidOut opens a long document and checks that layout and drawing
// stay proportional to the window, not to the text.
func TestOnlyVisibleIsLaidOut(t *testing.T) {
	test.NewTempApp(t)
	para := strings.Repeat("Officials said that drone strikes hit a market in the north on Tuesday. ", 8)
	text := strings.Repeat(para+"\n\n", 2000) // about 1.2 MB
	var spans []annotate.Span
	for i := 0; i < 20000; i++ {
		s := i * 60
		spans = append(spans, annotate.Span{ID: int64(i + 1), Start: s, End: s + 9, Label: "ATTACK", Status: annotate.StatusSuggested})
	}
	v := New()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(800, 600))
	v.SetDocument(text, spans)
	w.Canvas().Capture()

	laidOut := func() int {
		n := 0
		for _, pl := range v.lay.lays {
			if pl != nil {
				n++
			}
		}
		return n
	}
	if n := laidOut(); n == 0 || n > 10 {
		t.Errorf("%d paragraphs laid out after opening, want a handful", n)
	}
	objs := len(test.WidgetRenderer(v).Objects())
	if objs == 0 || objs > 400 {
		t.Errorf("%d canvas objects for one screen", objs)
	}
	// Scrolling to the end lays out the end, not everything in between.
	v.ScrollToOffset(v.doc.n)
	if n := laidOut(); n > 30 {
		t.Errorf("%d paragraphs laid out after jumping to the end", n)
	}
	if _, ok := v.PositionOf(v.doc.n - 3); !ok {
		t.Error("the end is not on screen after ScrollToOffset")
	}
	if got := len(test.WidgetRenderer(v).Objects()); got > 2*objs+50 {
		t.Errorf("object count grew from %d to %d", objs, got)
	}
}

// TestScrollUpIntoEstimatesDoesNotJump jumps into the middle of a document whose
// paragraph heights are only estimated above, then scrolls up line by line: what is on
// screen must move by exactly the scrolled amount although paragraphs above get laid
// out (and change height) on the way.
func TestScrollUpIntoEstimatesDoesNotJump(t *testing.T) {
	test.NewTempApp(t)
	var b strings.Builder
	for i := 0; i < 400; i++ {
		// Wide capitals take more room than the estimate assumes.
		b.WriteString(strings.Repeat("MMMMMMM WWWWWWWWW ", 3+i%13) + "\n")
	}
	v := New()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(500, 400))
	v.SetDocument(b.String(), nil)
	w.Canvas().Capture()
	v.ScrollToOffset(v.doc.paras[300].start)
	w.Canvas().Capture()
	// The target's y on screen, whether or not it is still inside the window.
	yOf := func() float64 {
		v.updateFrame()
		v.lay.computeTops()
		return v.lay.tops[300] + float64(v.lay.m.marginTop) - v.lay.scrollY
	}
	y0 := yOf()
	step := v.lay.m.lineH
	estimated := 0
	for i := 1; i <= 60; i++ {
		first := v.lay.frame[0].para
		if v.lay.lays[first-1] == nil {
			estimated++ // the next step lays out a paragraph that had an estimate
		}
		v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, step)})
		if want := y0 + float64(i)*float64(step); math.Abs(yOf()-want) > 0.01 {
			t.Fatalf("after %d steps the text is at y=%v, want %v", i, yOf(), want)
		}
	}
	if estimated < 3 {
		t.Fatalf("only %d estimated paragraphs came into view; the test proves nothing", estimated)
	}
}
