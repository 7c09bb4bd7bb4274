package docview_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"evident/annotate"
)

// TestGoldenRenders draws a paragraph with accepted, suggested, nested and rejected
// spans, a focused span and a selection, in the light and the dark theme. The master
// images in testdata were looked at by eye; the text keeps to Latin script so that only
// Fyne's bundled font is used (other scripts fall back to system fonts, which differ
// between machines); regenerate them from testdata/failed after
// a deliberate change of look.
func TestGoldenRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("renders images")
	}
	text := "The health ministry said at least 12 civilians were killed in Gaza City on Tuesday, " +
		"and rescue teams searched the rubble through the night.\n\n" +
		"Families fled the café district while\tthe shelling continued."
	spans := sampleSpansIn(t, text)
	for _, c := range []struct {
		name string
		th   fyne.Theme
	}{{"light", theme.LightTheme()}, {"dark", theme.DarkTheme()}} { //nolint:staticcheck // fixed variants for stable images
		t.Run(c.name, func(t *testing.T) {
			v, w := newView(t, text, spans, fyne.NewSize(560, 260))
			test.ApplyTheme(t, c.th)
			v.SetShowRejected(true)
			v.FocusSpan(2)
			ts, te := at(t, text, "rescue teams searched", 0)
			v.SetSelection(ts+7, te)
			test.AssertRendersToImage(t, "docview_"+c.name+".png", w.Canvas())
		})
	}
}

func sampleSpansIn(t testing.TB, text string) []annotate.Span {
	spans := sampleSpans(t)
	A, S := annotate.StatusAccepted, annotate.StatusSuggested
	return append(spans,
		span(t, text, 10, "shelling", "ATTACK", A),
		span(t, text, 11, "café district", "TARGET", S),
		span(t, text, 12, "Families", "VICTIM", S),
		span(t, text, 13, "health ministry said at least 12", "SOURCE", S), // overlaps two spans
	)
}
