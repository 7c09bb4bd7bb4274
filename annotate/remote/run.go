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
		// One read for the batch, its statements not watching ctx: go-sqlite3 starts a
		// goroutine per statement that does, which cost more than the reads (a user's
		// Ctrl+C still stops the run between batches and inside the model's round).
		err := st.EachDocument(context.WithoutCancel(ctx), annotate.ExportFilter{DocIDs: ids[start:end],
			Spans: annotate.SpanFilter{Statuses: []annotate.Status{"none"}}},
			func(d *annotate.Document, _ []annotate.Span, _ []annotate.Event) error {
				byExt[d.ExternalID] = d
				batch = append(batch, Doc{ID: d.ExternalID, Text: d.Text})
				return nil
			})
		if err != nil {
			return fmt.Errorf("documents %d to %d: %w", ids[start], ids[end-1], err)
		}
		if len(batch) != end-start {
			return fmt.Errorf("documents %d to %d: %d of %d are missing", ids[start], ids[end-1], end-start-len(batch), end-start)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var storeErr error
		err = m.Predict(ctx, batch, labels, func(p *predict.Prediction) {
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
