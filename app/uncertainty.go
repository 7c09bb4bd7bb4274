package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"

	"evident/annotate"
)

// uncertaintyMenuItem toggles ordering the document list by how unsure outside models
// are about each document's suggestions, least certain first: the annotator corrects
// where the model needs it most (active learning's usual order).
func (w *Window) uncertaintyMenuItem() *fyne.MenuItem {
	item := fyne.NewMenuItem("Order by model uncertainty", nil)
	item.Action = func() {
		if item.Checked {
			item.Checked = false
			w.uncertain = nil
			w.list.apply()
			return
		}
		w.orderByUncertainty(func() { item.Checked = true })
	}
	return item
}

// orderByUncertainty reads the store's uncertainties off the GUI goroutine and reorders
// the list; done runs on the GUI goroutine when it has.
func (w *Window) orderByUncertainty(done func()) {
	st := w.store
	src, ok := st.(annotate.UncertaintySource)
	if !ok {
		w.fail("order by uncertainty", errors.New("this database cannot say how unsure models are"))
		return
	}
	w.jobs.submit(func(ctx context.Context) {
		u, err := src.Uncertainty(ctx)
		w.ui(func() {
			if err != nil {
				w.fail("order by uncertainty", err)
				return
			}
			if st != w.store {
				return
			}
			w.uncertain = u
			w.list.apply()
			if done != nil {
				done()
			}
			if len(u) == 0 {
				w.status.hint("No document has scored model suggestions yet")
			}
		})
	})
}
