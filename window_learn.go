package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"evident/annotate"
	"evident/annotate/learn"
	"evident/annotate/suggest"
	"evident/app"
	"evident/app/overview"
)

// windowCVMaxDocs bounds the databases whose window retraining also cross-validates (3
// folds, for the overview's learning curve): beyond it a retrain would take too long to
// do every few decisions, and `evident train` measures instead.
const windowCVMaxDocs = 300

// train is the window's background retraining: the code path of `evident train`.
func (h *hooks) train(ctx context.Context) (string, error) {
	st := h.current()
	ms, ok := st.(annotate.ModelStore)
	if !ok {
		return "", fmt.Errorf("this database cannot store models")
	}
	rules, err := suggest.New(suggest.Config{})
	if err != nil {
		return "", fmt.Errorf("load suggestion lexicons: %w", err)
	}
	k := 3
	if docs, err := st.Documents(ctx); err != nil {
		return "", err
	} else if len(docs) > windowCVMaxDocs {
		k = 0
	}
	base, err := baseCorpus()
	if err != nil {
		return "", err
	}
	res, err := learn.TrainStoreBase(ctx, st, ms, rules, k, base, nil)
	if err != nil {
		return "", err
	}
	return trainedMessage(res.Model.Origin(), res.Stored.Docs), nil
}

// trainedMessage is the status line after a retrain. The origin reads "model:tagger@3" in
// the inspector; here "model" is already said, so only "tagger@3" is shown.
func trainedMessage(origin string, docs int) string {
	noun := "documents"
	if docs == 1 {
		noun = "document"
	}
	return fmt.Sprintf("Suggestion model %s trained on %d done %s; the next suggestions use it",
		strings.TrimPrefix(origin, "model:"), docs, noun)
}

// modelStale reports whether the decisions changed by app.RetrainEvery or more since the
// newest model was trained (or there are decisions and no model).
func (h *hooks) modelStale(ctx context.Context) (bool, error) {
	st := h.current()
	ms, ok := st.(annotate.ModelStore)
	if !ok {
		return false, nil
	}
	s, err := st.Stats(ctx)
	if err != nil {
		return false, err
	}
	decided := 0
	for _, c := range s.Spans {
		if c.Status == annotate.StatusAccepted || c.Status == annotate.StatusRejected {
			decided += c.Count
		}
	}
	m, err := ms.LatestModel(ctx, learn.Kind)
	if annotate.ErrorCode(err) == annotate.ENotFound {
		return decided > 0, nil
	}
	if err != nil {
		return false, err
	}
	d := decided - m.Decisions
	return d >= app.RetrainEvery || d <= -app.RetrainEvery, nil
}

// learningCurve reads the stored models' figures for the overview.
func (h *hooks) learningCurve(ctx context.Context) ([]overview.LearningPoint, error) {
	ms, ok := h.current().(annotate.ModelStore)
	if !ok {
		return nil, nil
	}
	hist, err := ms.ModelHistory(ctx, learn.Kind)
	if err != nil {
		return nil, err
	}
	var pts []overview.LearningPoint
	for _, m := range hist {
		p := overview.LearningPoint{Model: fmt.Sprintf("model:%s@%d", m.Kind, m.Version), Docs: m.Docs, F1: -1}
		var met struct {
			Rules, Combined learn.Summary
		}
		if len(m.Metrics) > 0 && json.Unmarshal(m.Metrics, &met) == nil {
			p.F1, p.RulesF1 = met.Combined.MicroF1, met.Rules.MicroF1
		}
		pts = append(pts, p)
	}
	return pts, nil
}
