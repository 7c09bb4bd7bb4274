package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
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

// askMinConfidence edits the confidence under which the model's suggestions are hidden
// (a setting of the database; it applies to the next suggestions).
func (w *Window) askMinConfidence() {
	st := w.store
	if st == nil {
		return
	}
	e := widget.NewEntry()
	w.jobs.submit(func(ctx context.Context) {
		v, err := st.Setting(ctx, annotate.SettingMinConfidence)
		w.ui(func() {
			if err == nil && v == "" {
				v = strconv.FormatFloat(w.cfg.MinConfidence, 'f', 2, 64)
			}
			e.SetText(v)
		})
	})
	e.Validator = func(s string) error {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f < 0 || f > 1 {
			return errors.New("a number from 0 to 1")
		}
		return nil
	}
	msg := fmt.Sprintf("Suggestions the model gives less confidence than this are hidden. The default, %.2f, was chosen by cross-validation so that most shown suggestions are accepted; 0 shows all.", w.cfg.MinConfidence)
	items := []*widget.FormItem{widget.NewFormItem("", infoLabel(msg)), widget.NewFormItem("Minimum", e)}
	d := dialog.NewForm("Suggestion confidence", "Save", "Cancel", items, func(ok bool) {
		defer w.focusDocument()
		if !ok || e.Validate() != nil {
			return
		}
		val := strings.TrimSpace(e.Text)
		w.jobs.submit(func(ctx context.Context) {
			err := st.SetSetting(ctx, annotate.SettingMinConfidence, val)
			w.ui(func() {
				if err != nil {
					w.fail("save the confidence setting", err)
					return
				}
				w.status.hint("Suggestions under confidence " + val + " are hidden from the next suggestions on")
			})
		})
	}, w.win)
	e.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(480, 240))
	w.showDialog(d, d.Submit)
	w.win.Canvas().Focus(e)
}

// learnMenuItems are the Edit menu's entries for the model.
func (w *Window) learnMenuItems() []*fyne.MenuItem {
	conf := fyne.NewMenuItem("Suggestion confidence…", w.askMinConfidence)
	retrain := fyne.NewMenuItem("Retrain suggestion model now", w.retrain)
	if w.cfg.Train == nil {
		retrain.Disabled = true
	}
	return []*fyne.MenuItem{conf, retrain}
}
