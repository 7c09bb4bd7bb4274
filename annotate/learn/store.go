package learn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"evident/annotate"
)

// Kind is the kind under which tagger models are stored.
const Kind = "tagger"

// LoadExamples reads the documents with decisions: accepted spans (with their events) are
// the gold, rejected suggestions negatives, a done document complete. Documents without a
// decision teach nothing and are left out. It only reads.
func LoadExamples(ctx context.Context, st annotate.Store) ([]Example, error) {
	var exs []Example
	err := st.EachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		ex := Example{ID: d.ExternalID, Text: d.Text, Published: d.Published, Complete: d.Status == annotate.DocDone}
		idx := map[int64]int{}
		for _, sp := range spans {
			switch sp.Status {
			case annotate.StatusAccepted:
				idx[sp.ID] = len(ex.Accepted.Spans)
				ex.Accepted.Spans = append(ex.Accepted.Spans, sp)
			case annotate.StatusRejected:
				ex.Rejected = append(ex.Rejected, sp)
			default:
				ex.Pending = append(ex.Pending, sp)
			}
		}
		for _, ev := range events {
			t, ok := idx[ev.Trigger]
			if !ok || ev.Status == annotate.StatusRejected {
				continue
			}
			de := annotate.DraftEvent{Type: ev.Type, Trigger: t, Origin: ev.Origin}
			for _, a := range ev.Args {
				if k, ok := idx[a.SpanID]; ok {
					de.Args = append(de.Args, annotate.DraftArg{Role: a.Role, Span: k})
				}
			}
			ex.Accepted.Events = append(ex.Accepted.Events, de)
		}
		if len(ex.Accepted.Spans)+len(ex.Rejected) > 0 || ex.Complete {
			exs = append(exs, ex)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("learn: read decisions: %w", err)
	}
	return exs, nil
}

// TrainResult is what TrainStore made.
type TrainResult struct {
	Model  *Model
	Stored annotate.StoredModel
	CV     *CVReport // nil when there were fewer done documents than folds
}

// TrainStore trains a model on every decision in st, cross-validates it with k folds
// when there are enough done documents, and stores it as the next version. It never
// changes a span or a document.
func TrainStore(ctx context.Context, st annotate.Store, ms annotate.ModelStore, rules Rules, k int, progress func(done, total int)) (*TrainResult, error) {
	return TrainStoreBase(ctx, st, ms, rules, k, nil, progress)
}

// TrainStoreBase is TrainStore with a base corpus trained on beside the decisions
// (Options.Base; its figures are in docs/learned-figures.md). The database needs at least
// one decision all the same: the model is the annotator's.
func TrainStoreBase(ctx context.Context, st annotate.Store, ms annotate.ModelStore, rules Rules, k int, base []Example, progress func(done, total int)) (*TrainResult, error) {
	exs, err := LoadExamples(ctx, st)
	if err != nil {
		return nil, err
	}
	if len(exs) == 0 {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: nothing to train on: no document has decisions")
	}
	opt := Options{Base: base}
	version := 1
	if prev, err := ms.LatestModel(ctx, Kind); err == nil {
		version = prev.Version + 1
	} else if annotate.ErrorCode(err) != annotate.ENotFound {
		return nil, err
	}
	res := &TrainResult{}
	complete := 0
	for _, ex := range exs {
		if ex.Complete {
			complete++
		}
	}
	if k >= 2 && complete >= k {
		res.CV, err = CrossValidate(ctx, rules, exs, CVOptions{K: k, MinConfidence: DefaultMinConfidence, Progress: progress, Train: opt})
		if err != nil {
			return nil, err
		}
	}
	m, err := Train(ctx, rules, exs, opt)
	if err != nil {
		return nil, err
	}
	m.Version = version
	blob, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	sm := annotate.StoredModel{Kind: Kind, Version: version, Blob: blob, Docs: m.Docs, Decisions: m.Decisions}
	if res.CV != nil {
		if sm.Metrics, err = json.Marshal(struct {
			K        int     `json:"k"`
			Rules    Summary `json:"rules"`
			Combined Summary `json:"combined"`
		}{res.CV.K, res.CV.RulesSum, res.CV.CombinedSum}); err != nil {
			return nil, fmt.Errorf("learn: metrics: %w", err)
		}
	}
	if res.Stored, err = ms.SaveModel(ctx, sm); err != nil {
		return nil, err
	}
	res.Model = m
	return res, nil
}

// LoadLatest decodes the newest stored model. It returns (nil, nil) when none has been
// trained, and an error saying why when the stored one cannot be used (damaged, newer
// format, no model storage): the caller goes on with the rules alone.
func LoadLatest(ctx context.Context, ms annotate.ModelStore) (*Model, error) {
	sm, err := ms.LatestModel(ctx, Kind)
	if annotate.ErrorCode(err) == annotate.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := Unmarshal(sm.Blob)
	if err != nil {
		var e *annotate.Error
		if errors.As(err, &e) {
			return nil, annotate.Errorf(e.Code, "model %s@%d: %s", Kind, sm.Version, e.Message)
		}
		return nil, err
	}
	m.Version = sm.Version
	return m, nil
}

// DefaultMinConfidence hides suggestions the model gives less than this. It was chosen
// from the threshold table of a 5-fold cross-validation on real news (see BENCHMARKS.md):
// the lowest threshold whose shown suggestions are accepted at least 60% of the time
// (0.15 until the argument tagger, whose calibrated spans took precision to 0.59 there;
// 0.2 until the base corpus, which ranks more argument spans above 0.2: precision 0.56
// at 0.2, 0.61 at 0.3).
const DefaultMinConfidence = 0.3
