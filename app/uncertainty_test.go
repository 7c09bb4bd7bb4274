package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

// TestInspectorNamesModelAndScore: a span from an outside model shows the model, its
// version and its score; one without a score says so instead of showing certainty.
func TestInspectorNamesModelAndScore(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	text := func(s annotate.Span) string {
		var b strings.Builder
		for _, o := range w.insp.spanSection(s) {
			walk(o, func(o fyne.CanvasObject) {
				if l, ok := o.(*widget.Label); ok {
					b.WriteString(l.Text + "|")
				}
			})
		}
		return b.String()
	}
	c := 0.8
	got := text(annotate.Span{Start: 0, End: 6, Label: "ACTOR", Text: "Rebels", Status: annotate.StatusAccepted, Origin: "model:ner@1", Confidence: &c})
	if !strings.Contains(got, "suggested by your model ner, version 1") || !strings.Contains(got, "0.80") {
		t.Errorf("inspector: %s", got)
	}
	got = text(annotate.Span{Start: 0, End: 6, Label: "ACTOR", Text: "Rebels", Status: annotate.StatusSuggested, Origin: "model:ner"})
	if !strings.Contains(got, "suggested by your model ner|") || strings.Contains(got, "1.00") {
		t.Errorf("inspector without a score: %s", got)
	}
}
