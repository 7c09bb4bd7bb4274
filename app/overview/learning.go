package overview

import (
	"fmt"

	"fyne.io/fyne/v2/theme"
)

// LearningPoint is one trained model on the learning curve: how many documents it
// learned from and its cross-validated micro F1, beside the rules alone on the same
// folds (negative F1: not measured, too few done documents).
type LearningPoint struct {
	Model   string // e.g. "model:tagger@3"
	Docs    int
	F1      float64
	RulesF1 float64
}

// SetLearning shows the learning curve: one bar per model, in training order, its
// coloured length the model's F1 out of 1 (the rules' F1 in the note). Call it on the GUI goroutine.
func (v *View) SetLearning(pts []LearningPoint) {
	bars := make([]Bar, 0, len(pts))
	for _, p := range pts {
		if p.F1 < 0 {
			continue
		}
		note := fmt.Sprintf("F1 %.2f · rules alone %.2f", p.F1, p.RulesF1)
		bars = append(bars, Bar{Label: fmt.Sprintf("%s docs", num(p.Docs)), Note: note,
			// the pale rest up to 1 keeps every bar on the scale of F1, not of the best model
			Parts: []Part{{Value: p.F1, ColorName: theme.ColorNamePrimary}, {Value: 1 - p.F1, ColorName: theme.ColorNameForeground, Faded: true}},
			Warn:  p.F1 < p.RulesF1})
	}
	v.learning.SetBars(bars)
}

// Learning returns the learning-curve chart, for tests.
func (v *View) Learning() *BarChart { return v.learning }
