package predict

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"evident/annotate"
)

// ApplyOptions say how predictions become suggestions.
type ApplyOptions struct {
	Annotator string
	Units     string   // offsets the model counts in (see ParseUnits)
	Map       Mapping  // nil: each model's saved mapping; else used and saved for each model
	MinScore  *float64 // drop spans scored below it
}

// Unmapped is a model label that no project label took.
type Unmapped struct {
	Model, Label string
	Spans        int
}

// Report is what an import or a model run did.
type Report struct {
	Documents int // documents whose suggestions were stored
	Added     int // new suggestions
	Removed   int // undecided suggestions of an earlier run of the same model that it no longer proposes
	Low       int // spans under the minimum score
	Problems  []*Problem
	unmapped  map[[2]string]int
}

// Unmapped lists the labels no project label took, most frequent first.
func (r *Report) Unmapped() []Unmapped {
	out := make([]Unmapped, 0, len(r.unmapped))
	for k, n := range r.unmapped {
		out = append(out, Unmapped{k[0], k[1], n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Spans != out[j].Spans {
			return out[i].Spans > out[j].Spans
		}
		return out[i].Model+out[i].Label < out[j].Model+out[j].Label
	})
	return out
}

// Applier stores predictions as suggestions, one run per model and version, one action
// per document. Bad predictions become Problems in the report; only a failing store
// stops it.
type Applier struct {
	st     annotate.Store
	ms     annotate.PredictionStore
	opt    ApplyOptions
	byID   map[string]int64
	byHash map[string]int64 // built on first need
	known  map[string]bool
	maps   map[string]Mapping // per model
	mins   map[string]*float64
	runs   map[string]int64 // origin -> run
	seen   map[string]map[int64]int
	queue  []queued // documents resolved, not yet stored (a ModelBatchStore)
	Report Report
}

// queueDocs is how many documents are stored in one transaction at most: a commit per
// document cost more than the model's instant answers (issue 18's 500 documents/s).
const queueDocs = 64

// queued is a prediction resolved and waiting for Flush.
type queued struct {
	p      Problem // where it came from, for a problem found while storing
	origin string
	doc    string
	md     annotate.ModelDoc
}

func problemOf(p *Prediction) Problem {
	return Problem{File: p.File, Line: p.Line, DocID: p.DocID}
}

func (a *Applier) stored(added, removed int) {
	a.Report.Documents++
	a.Report.Added += added
	a.Report.Removed += removed
}

// Flush stores the predictions resolved so far (ApplyDoc queues them when the store
// writes batches), one transaction per model; Close flushes too.
func (a *Applier) Flush(ctx context.Context) error {
	bs, ok := a.ms.(annotate.ModelBatchStore)
	if !ok || len(a.queue) == 0 {
		return nil
	}
	q := a.queue
	a.queue = nil
	for len(q) > 0 {
		// the longest run of one origin: one transaction each
		n := 1
		for n < len(q) && q[n].origin == q[0].origin {
			n++
		}
		docs := make([]annotate.ModelDoc, n)
		for i := range docs {
			docs[i] = q[i].md
		}
		res, err := bs.PutModelBatch(ctx, q[0].origin, docs, a.opt.Annotator)
		if err != nil {
			return fmt.Errorf("store suggestions of %s for %d documents (from %q): %w", q[0].origin, n, q[0].doc, err)
		}
		for i, r := range res {
			if r.Err != nil {
				p := q[i].p
				p.Reason = r.Err.Error()
				a.Problem(&p)
				continue
			}
			a.stored(r.Added, r.Removed)
		}
		q = q[n:]
	}
	return nil
}

// NewApplier reads the document ids and labels of st, which must also be a PredictionStore.
func NewApplier(ctx context.Context, st annotate.Store, opt ApplyOptions) (*Applier, error) {
	ms, ok := st.(annotate.PredictionStore)
	if !ok {
		return nil, fmt.Errorf("this store cannot keep model suggestions")
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return nil, err
	}
	sch, err := st.Schema(ctx)
	if err != nil {
		return nil, err
	}
	a := &Applier{st: st, ms: ms, opt: opt, byID: make(map[string]int64, len(docs)), known: map[string]bool{},
		maps: map[string]Mapping{}, mins: map[string]*float64{}, runs: map[string]int64{}, seen: map[string]map[int64]int{}}
	for _, d := range docs {
		a.byID[d.ExternalID] = d.ID
	}
	for _, l := range sch.Labels {
		a.known[l.Name] = true
	}
	return a, nil
}

// Known reports the project's labels.
func (a *Applier) Known() map[string]bool { return a.known }

// DocID finds the stored document a prediction is for: by id, else by text hash.
func (a *Applier) DocID(ctx context.Context, p *Prediction) (int64, error) {
	if id, ok := a.byID[p.DocID]; ok {
		return id, nil
	}
	if p.SHA256 != "" {
		if a.byHash == nil {
			a.byHash = map[string]int64{}
			err := a.st.EachDocument(ctx, annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{"none"}}},
				func(d *annotate.Document, _ []annotate.Span, _ []annotate.Event) error {
					a.byHash[d.SHA256] = d.ID
					return nil
				})
			if err != nil {
				return 0, err
			}
		}
		if id, ok := a.byHash[p.SHA256]; ok {
			return id, nil
		}
	}
	return 0, nil
}

// Apply stores one prediction, reading its document.
func (a *Applier) Apply(ctx context.Context, p *Prediction) error {
	id, err := a.DocID(ctx, p)
	if err != nil {
		return err
	}
	if id == 0 {
		a.problem(p, "no document with this id%s in the database", map[bool]string{true: " or text", false: ""}[p.SHA256 != ""])
		return nil
	}
	doc, err := a.st.Document(ctx, id)
	if err != nil {
		return fmt.Errorf("document %d: %w", id, err)
	}
	return a.ApplyDoc(ctx, p, doc, nil)
}

// ApplyDoc stores one prediction for a document already read (offs may be nil).
func (a *Applier) ApplyDoc(ctx context.Context, p *Prediction, doc *annotate.Document, offs *annotate.Offsets) error {
	if p.Model == "" {
		a.problem(p, "no model name (give one with --model)")
		return nil
	}
	m, err := a.mapping(ctx, p.Model)
	if err != nil {
		return err
	}
	min, err := a.minScore(ctx, p.Model)
	if err != nil {
		return err
	}
	res, err := Resolve(p, doc, offs, Options{Units: a.opt.Units, Map: m, Known: a.known, MinScore: min})
	var prob *Problem
	if errors.As(err, &prob) {
		a.Report.Problems = append(a.Report.Problems, prob)
		return nil
	}
	if err != nil {
		return err
	}
	origin := Origin(p.Model, p.Version)
	seen := a.seen[origin]
	if seen == nil {
		seen = map[int64]int{}
		a.seen[origin] = seen
	}
	if line, dup := seen[doc.ID]; dup {
		a.problem(p, "a second prediction of %s for this document (the first is at line %d): skipped", origin, line)
		return nil
	}
	seen[doc.ID] = p.Line
	run, ok := a.runs[origin]
	if !ok {
		run, err = a.ms.StartRun(ctx, annotate.Run{Source: p.Model, Version: p.Version, Annotator: a.opt.Annotator})
		if err != nil {
			return err
		}
		a.runs[origin] = run
	}
	spans := make([]annotate.Span, len(res.Spans))
	for i, s := range res.Spans {
		spans[i] = annotate.Span{DocID: doc.ID, Start: s.Start, End: s.End, Label: s.Label, Origin: origin,
			Confidence: s.Score, RunID: run, Attrs: s.Attrs}
	}
	a.Report.Low += res.Low
	if _, ok := a.ms.(annotate.ModelBatchStore); ok {
		// stored with the next documents in one transaction (Flush)
		a.queue = append(a.queue, queued{p: problemOf(p), origin: origin, doc: doc.ExternalID,
			md: annotate.ModelDoc{DocID: doc.ID, Spans: spans}})
		if len(a.queue) >= queueDocs {
			return a.Flush(ctx)
		}
	} else {
		added, removed, err := a.ms.PutModelSuggestions(ctx, doc.ID, origin, spans, a.opt.Annotator)
		if err != nil {
			if annotate.ErrorCode(err) == annotate.EInvalid {
				a.problem(p, "%v", err)
				return nil
			}
			return fmt.Errorf("store suggestions for document %q: %w", doc.ExternalID, err)
		}
		a.stored(added, removed)
	}
	for l, n := range res.Unmapped {
		if a.Report.unmapped == nil {
			a.Report.unmapped = map[[2]string]int{}
		}
		a.Report.unmapped[[2]string{p.Model, l}] += n
	}
	return nil
}

// Problem records a problem with a prediction (used by callers that find one first).
func (a *Applier) Problem(p *Problem) { a.Report.Problems = append(a.Report.Problems, p) }

func (a *Applier) problem(p *Prediction, format string, args ...any) {
	a.Problem(&Problem{File: p.File, Line: p.Line, DocID: p.DocID, Reason: fmt.Sprintf(format, args...)})
}

// mapping returns a model's label mapping: the one given (saved for next time), else the
// one saved for the model.
func (a *Applier) mapping(ctx context.Context, model string) (Mapping, error) {
	if m, ok := a.maps[model]; ok {
		return m, nil
	}
	m := a.opt.Map
	if m != nil {
		if err := a.st.SetSetting(ctx, MappingKey(model), m.String()); err != nil {
			return nil, fmt.Errorf("save label mapping of %s: %w", model, err)
		}
	} else {
		s, err := a.st.Setting(ctx, MappingKey(model))
		if err != nil {
			return nil, err
		}
		if m, err = ParseMapping(s); err != nil {
			return nil, fmt.Errorf("saved label mapping of %s: %w", model, err)
		}
	}
	a.maps[model] = m
	return m, nil
}

// MinScoreKey is the setting that keeps a model's minimum score between runs.
func MinScoreKey(model string) string { return "predict.min_score." + model }

// minScore returns a model's minimum score: the one given (saved), else the saved one.
func (a *Applier) minScore(ctx context.Context, model string) (*float64, error) {
	if v, ok := a.mins[model]; ok {
		return v, nil
	}
	v := a.opt.MinScore
	if v != nil {
		if err := a.st.SetSetting(ctx, MinScoreKey(model), strconv.FormatFloat(*v, 'g', -1, 64)); err != nil {
			return nil, fmt.Errorf("save minimum score of %s: %w", model, err)
		}
	} else if s, err := a.st.Setting(ctx, MinScoreKey(model)); err != nil {
		return nil, err
	} else if s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("saved minimum score of %s: %w", model, err)
		}
		v = &f
	}
	a.mins[model] = v
	return v, nil
}

// RequestLabels are the labels to ask a model for: those of its labels that map to a
// project label, or, when it names none, the project's labels.
func (a *Applier) RequestLabels(ctx context.Context, model string, modelLabels []string) ([]string, error) {
	m, err := a.mapping(ctx, model)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range modelLabels {
		if a.known[m.Map(l)] {
			out = append(out, l)
		}
	}
	if len(modelLabels) == 0 {
		for l := range a.known {
			out = append(out, l)
		}
		sort.Strings(out)
	}
	return out, nil
}

// Close marks the runs finished.
func (a *Applier) Close(ctx context.Context) error {
	if err := a.Flush(ctx); err != nil {
		return err
	}
	for _, id := range a.runs {
		if err := a.ms.FinishRun(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
