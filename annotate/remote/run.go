package remote

import (
	"context"
	"fmt"

	"evident/annotate"
	"evident/annotate/predict"
)

// DefaultBatch is how many documents go to a model at a time: enough to keep a pipe or
// an HTTP request busy, few enough to keep memory flat.
const DefaultBatch = 64

// RunOptions configure a model run over stored documents.
type RunOptions struct {
	Batch    int                   // documents a batch (DefaultBatch if 0)
	Progress func(done, total int) // after each batch
	Warn     func(msg string)      // the model's misbehaviour beside its replies
}

// Run sends the documents to the model in batches and stores its replies through a as
// suggestions. Bad replies end up in a.Report.Problems; Run stops on a store error, a
// model switched off, or ctx.
func Run(ctx context.Context, st annotate.Store, m Model, a *predict.Applier, ids []int64, opt RunOptions) error {
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	info := m.Info()
	labels, err := a.RequestLabels(ctx, info.Model, info.Labels)
	if err != nil {
		return err
	}
	warn := func() {
		for _, w := range m.Warnings() {
			if opt.Warn != nil {
				opt.Warn(w)
			}
		}
	}
	defer warn()
	byExt := make(map[string]*annotate.Document, opt.Batch)
	batch := make([]Doc, 0, opt.Batch)
	for start := 0; start < len(ids); start += opt.Batch {
		end := min(start+opt.Batch, len(ids))
		clear(byExt)
		batch = batch[:0]
		for _, id := range ids[start:end] {
			d, err := st.Document(ctx, id)
			if err != nil {
				return fmt.Errorf("document %d: %w", id, err)
			}
			byExt[d.ExternalID] = d
			batch = append(batch, Doc{ID: d.ExternalID, Text: d.Text})
		}
		var storeErr error
		err := m.Predict(ctx, batch, labels, func(p *predict.Prediction) {
			if storeErr != nil {
				return
			}
			if p.Model == "" {
				p.Model = info.Model
			}
			storeErr = a.ApplyDoc(ctx, p, byExt[p.DocID], nil)
		})
		if storeErr == nil {
			// what the model answered is stored even when the run was cancelled meanwhile
			storeErr = a.Flush(context.WithoutCancel(ctx))
		}
		if storeErr != nil {
			return storeErr
		}
		warn()
		if err != nil {
			return err
		}
		if opt.Progress != nil {
			opt.Progress(end, len(ids))
		}
	}
	return nil
}
