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

// TestInspectorNamesEveryProposer: a span the rules and a model both proposed names both,
// each with its own score, and the combined confidence.
func TestInspectorNamesEveryProposer(t *testing.T) {
	w, _, _ := openTestWindow(t, "Rebels shelled Kharkiv.")
	a, b, c := 0.6, 0.5, 0.8
	s := annotate.Span{Start: 0, End: 6, Label: "ACTOR", Text: "Rebels", Status: annotate.StatusSuggested, Origin: "rule:actor",
		Confidence: &c, Proposers: []annotate.Proposer{{Origin: "rule:actor", Confidence: &a}, {Origin: "model:ner@1", Confidence: &b}, {Origin: "model:tagger@2"}}}
	var got strings.Builder
	for _, o := range w.insp.spanSection(s) {
		walk(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				got.WriteString(l.Text + "|")
			}
		})
	}
	want := "rule:actor · 0.60\nmodel ner v1 · 0.50\nmodel tagger v2 · —|Proposers|0.80 combined|Confidence|"
	if !strings.Contains(got.String(), want) {
		t.Errorf("inspector: %q\nwant it to hold %q", got.String(), want)
	}
}
