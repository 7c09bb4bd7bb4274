package app

import (
	"context"

	"evident/app/overview"
)

// RetrainEvery is how many decisions (accept, reject, edit, new span, document done) the
// window lets pass before it retrains the model in the background: often enough that the
// next document's suggestions have learned from this one, rarely enough that training
// does not run all the time.
const RetrainEvery = 10

// learner is the state of background retraining (GUI goroutine only).
type learner struct {
	decisions      int  // decisions since the last training started
	running, again bool // a training runs; another was asked for meanwhile
}

// noteDecision counts a saved decision and retrains after RetrainEvery of them.
func (w *Window) noteDecision() {
	if w.cfg.Train == nil {
		return
	}
	w.learn.decisions++
	if w.learn.decisions >= RetrainEvery {
		w.retrain()
	}
}

// retrain trains and stores a new model off the GUI goroutine; typing goes on, and the
// next suggestions use the new model. Requests while one runs fold into one more run.
func (w *Window) retrain() {
	l := &w.learn
	if w.cfg.Train == nil {
		return
	}
	if l.running {
		l.again = true
		return
	}
	l.running, l.decisions = true, 0
	ctx, st := w.ctx, w.store
	w.status.hint("Retraining the suggestion model in the background…")
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		msg, err := w.cfg.Train(ctx)
		w.ui(func() {
			l.running = false
			if ctx.Err() != nil {
				return // quitting
			}
			switch {
			case err != nil:
				w.status.hint("Model not retrained: " + err.Error())
			case msg != "":
				w.status.hint(msg)
			}
			if st == w.store {
				w.refreshOverview()
			}
			if l.again {
				l.again = false
				w.retrain()
			}
		})
	}()
}

// retrainIfStale retrains on opening a database whose model has not seen its latest
// decisions.
func (w *Window) retrainIfStale() {
	if w.cfg.Train == nil || w.cfg.ModelStale == nil {
		return
	}
	ctx := w.ctx
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		stale, err := w.cfg.ModelStale(ctx)
		if err != nil || !stale || ctx.Err() != nil {
			return // no model storage, or nothing new: the rules and the old model go on
		}
		w.ui(w.retrain)
	}()
}

// learningCurve reads the points for the overview's learning-curve chart (off the GUI
// goroutine); none without the hook.
func (w *Window) learningCurve(ctx context.Context) []overview.LearningPoint {
	if w.cfg.LearningCurve == nil {
		return nil
	}
	pts, err := w.cfg.LearningCurve(ctx)
	if err != nil {
		return nil
	}
	return pts
}
