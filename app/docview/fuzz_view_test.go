package docview_test

import (
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
	"evident/app/docview"
)

// FuzzViewOffsets drives the whole view: any text (several paragraphs, CRLF, tabs,
// any script), a span, a scroll, then a point. The offset under the point must be a
// grapheme boundary within the text, a drag must select a range on grapheme
// boundaries, and PositionOf of that offset must be on screen.
func FuzzViewOffsets(f *testing.F) {
	f.Add("The ministry said 12 people were killed.\r\n\r\nقال مسؤولون إن غارة جوية أصابت سوقا.", float32(120), float32(40), float32(10), 3, 9)
	f.Add("a\U0001F469\u200D\U0001F469\u200D\U0001F467b\n\tce\u0301x 中文字中文字", float32(5), float32(70), float32(0), 1, 6)
	f.Add("", float32(0), float32(0), float32(0), 0, 0)
	f.Add("\n\n\n x\u0605 \u0317", float32(300), float32(500), float32(-50), 0, 100)
	test.NewTempApp(f)
	v := docview.New()
	w := test.NewWindow(v)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(320, 200))
	f.Fuzz(func(t *testing.T, text string, x, y, scroll float32, s, e int) {
		if !utf8.ValidString(text) || x != x || y != y || scroll != scroll {
			t.Skip()
		}
		n := utf8.RuneCountInString(text)
		v.SetDocument(text, []annotate.Span{{ID: 1, Start: s, End: e, Label: "ATTACK", Status: annotate.StatusSuggested}})
		v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, scroll)})
		bounds := map[int]bool{}
		for _, b := range annotate.GraphemeBounds(text) {
			bounds[b] = true
		}
		cp := v.OffsetAt(fyne.NewPos(x, y))
		if cp < 0 || cp > n || !bounds[cp] {
			t.Fatalf("OffsetAt(%v,%v) = %d: outside [0,%d] or inside a grapheme", x, y, cp, n)
		}
		if _, ok := v.PositionOf(cp); !ok && n > 0 {
			t.Fatalf("offset %d under the pointer is not on screen", cp)
		}
		v.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierAlt})
		v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, y)}, Dragged: fyne.NewDelta(x, y-20)})
		v.DragEnd()
		if a, b, ok := v.Selection(); ok && (a >= b || !bounds[a] || !bounds[b]) {
			t.Fatalf("selection [%d,%d) not on grapheme boundaries", a, b)
		}
		v.Tapped(&fyne.PointEvent{Position: fyne.NewPos(x, y)})
		v.FocusNext(nil)
	})
}
