// Package suggestrun pre-annotates documents: a pool of workers reads documents and runs
// a suggester over them, one writer stores the drafts as one suggestion run
// (annotate.SuggestRun: batched, one undoable step). The suggester is the slow part and
// is safe for concurrent use, so it gets every core; the store takes one writer at a
// time anyway, so a single writer batching documents is the fastest way in.
package suggestrun

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"evident/annotate"
	"evident/internal/bytebudget"
)

// Suggester proposes a draft for a text (suggest.Suggester, a learned tagger, ...). It
// must be safe for concurrent use.
type Suggester interface {
	Suggest(ctx context.Context, text, published string, learned []annotate.PhraseStat) (annotate.Draft, error)
}

// Store is what a run needs of the store.
type Store interface {
	Document(ctx context.Context, id int64) (*annotate.Document, error)
	LearnedPhrases(ctx context.Context) ([]annotate.PhraseStat, error)
	AddSuggestions(ctx context.Context, docID int64, d annotate.Draft, annotator string) (int, error)
}

// Options configure a run.
type Options struct {
	Run     annotate.Run
	Workers int // suggesters running at once; 0 means one per core
	// Progress, when set, is called by the writer after each stored document.
	Progress func(Progress)
	// MaxBytes skips documents with a longer text (0: no limit) and reports them in
	// Result.Skipped: the suggestions of one document are stored in one transaction, and
	// a document of tens of megabytes would hold gigabytes of them in memory at once.
	MaxBytes int
	// FirstPart, when set, stores each document's suggestions that start before this
	// code point first, in a transaction of their own, then calls OnFirstPart, then
	// stores the rest: the window shows a long document's first screen at once.
	FirstPart   int
	OnFirstPart func(docID int64)
}

// DefaultMaxBytes bounds a document's text for a run: about 8 MB of news gives some
// 250,000 suggestions (400 MB of memory while they are stored), more than anyone
// reviews in one document; a longer text is better split into parts.
const DefaultMaxBytes = 8 << 20

// Result is what a run stored and what it skipped.
type Result struct {
	annotate.RunTotals
	Skipped []Skipped
}

// Skipped is a document a run left out, and why.
type Skipped struct {
	ID         int64
	ExternalID string
	Bytes      int
	Reason     string
}

// Progress is how far a run has got.
type Progress struct {
	Done, Total int
	Bytes       int64 // text suggested so far
	Elapsed     time.Duration
}

// DocsPerSecond is the rate so far.
func (p Progress) DocsPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// Left estimates the time to finish at the rate so far (0 when unknown).
func (p Progress) Left() time.Duration {
	if p.Done == 0 {
		return 0
	}
	return time.Duration(float64(p.Elapsed) / float64(p.Done) * float64(p.Total-p.Done))
}

type result struct {
	id       int64
	bytes    int
	draft    annotate.Draft
	prepared annotate.PreparedDraft // the draft checked by the worker, or nil
	skipped  *Skipped
	err      error
}

// Run suggests for the documents ids and stores the drafts as one run. When ctx is
// cancelled, the documents already suggested are stored, the run is recorded as
// cancelled and ctx's error is returned with the totals so far: the database stays
// consistent and the run stays one undoable step.
func Run(ctx context.Context, st Store, sug Suggester, ids []int64, opt Options) (Result, error) {
	if len(ids) == 0 {
		return Result{}, ctx.Err() // no documents: no run, no empty step in the history
	}
	learned, err := st.LearnedPhrases(ctx)
	if err != nil {
		return Result{}, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = max(1, min(workers, len(ids)))
	run, err := begin(ctx, st, opt.Run)
	if err != nil {
		return Result{}, err
	}
	// A run that checks drafts away from its writer has the workers do it (not for a
	// document stored in parts: the parts are cut by the writer).
	prep, _ := run.(annotate.DraftPreparer)
	if opt.FirstPart > 0 {
		prep = nil
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan int64)
	// Drafts wait for the writer in a queue bounded by their text, not by a few slots:
	// while the writer stores a batch (tens of milliseconds), the workers keep
	// suggesting instead of waiting, so every core stays busy.
	results := make(chan result, resultSlots)
	budget := bytebudget.New(inFlightBytes)
	var wg sync.WaitGroup
	go func() {
		defer close(jobs)
		for _, id := range ids {
			select {
			case jobs <- id:
			case <-wctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				r := suggestOne(wctx, st, sug, prep, id, learned, opt.MaxBytes)
				if !budget.Acquire(wctx, r.bytes) {
					return
				}
				select {
				case results <- r:
				case <-wctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	start := time.Now()
	p := Progress{Total: len(ids)}
	var runErr error
	var skipped []Skipped
	for r := range results {
		budget.Release(r.bytes)
		if r.skipped != nil {
			skipped = append(skipped, *r.skipped)
		} else if r.err == nil && r.prepared != nil {
			r.err = prep.AddPrepared(wctx, r.prepared)
		} else if r.err == nil {
			r.err = add(wctx, run, r.id, r.draft, opt)
		}
		if r.err != nil {
			if runErr == nil && !errors.Is(r.err, context.Canceled) {
				runErr = r.err
			}
			stop() // the workers end; results still in flight are drained below
			continue
		}
		p.Done++
		p.Bytes += int64(r.bytes)
		p.Elapsed = time.Since(start)
		if opt.Progress != nil {
			opt.Progress(p)
		}
	}
	// Store what is queued even when cancelled: those documents are done.
	complete := runErr == nil && ctx.Err() == nil && p.Done == len(ids)
	totals, ferr := run.Finish(context.WithoutCancel(ctx), complete)
	res := Result{RunTotals: totals, Skipped: skipped}
	switch {
	case runErr != nil:
		return res, runErr
	case ferr != nil:
		return res, ferr
	case ctx.Err() != nil:
		return res, ctx.Err()
	}
	return res, nil
}

func suggestOne(ctx context.Context, st Store, sug Suggester, prep annotate.DraftPreparer, id int64, learned []annotate.PhraseStat, maxBytes int) result {
	d, err := st.Document(ctx, id)
	if err != nil {
		return result{id: id, err: fmt.Errorf("document %d: %w", id, err)}
	}
	if maxBytes > 0 && len(d.Text) > maxBytes {
		parts := (len(d.Text) + maxBytes - 1) / maxBytes
		return result{id: id, bytes: len(d.Text), skipped: &Skipped{ID: id, ExternalID: d.ExternalID, Bytes: len(d.Text),
			Reason: fmt.Sprintf("its text is %.1f MB, over the %.1f MB a document is suggested for at once; split it into %d or more documents (by chapter, day or section) and import those",
				float64(len(d.Text))/(1<<20), float64(maxBytes)/(1<<20), parts)}}
	}
	draft, err := sug.Suggest(ctx, d.Text, d.Published, learned)
	if err != nil {
		return result{id: id, err: fmt.Errorf("suggest for document %d (%s): %w", id, d.ExternalID, err)}
	}
	if prep != nil {
		p, err := prep.Prepare(d, draft)
		if err != nil {
			return result{id: id, err: fmt.Errorf("suggestions for document %d (%s): %w", id, d.ExternalID, err)}
		}
		return result{id: id, bytes: len(d.Text), prepared: p}
	}
	return result{id: id, bytes: len(d.Text), draft: draft}
}

// begin starts a run on a store that keeps runs, else one that stores each document as
// its own action.
func begin(ctx context.Context, st Store, r annotate.Run) (annotate.SuggestRun, error) {
	if sr, ok := st.(annotate.SuggestRunner); ok {
		return sr.BeginSuggestRun(ctx, r)
	}
	return &perDocument{st: st, annotator: r.Annotator}, nil
}

// perDocument is a run for a store without runs: each document's draft is stored at once
// by AddSuggestions, its own undoable action. It replaces nothing.
type perDocument struct {
	st        Store
	annotator string
	totals    annotate.RunTotals
}

func (p *perDocument) ID() int64 { return 0 }

func (p *perDocument) Add(ctx context.Context, docID int64, d annotate.Draft) error {
	n, err := p.st.AddSuggestions(ctx, docID, d, p.annotator)
	if err != nil {
		return fmt.Errorf("store suggestions for document %d: %w", docID, err)
	}
	p.totals.Documents++
	p.totals.Added += n
	return nil
}

func (p *perDocument) Flush(context.Context) error { return nil }

func (p *perDocument) Finish(context.Context, bool) (annotate.RunTotals, error) { return p.totals, nil }

// add hands one document's draft to the run, its first part first when asked.
func add(ctx context.Context, run annotate.SuggestRun, id int64, d annotate.Draft, opt Options) error {
	if opt.FirstPart <= 0 {
		return run.Add(ctx, id, d)
	}
	first, rest := splitDraft(d, opt.FirstPart)
	if err := run.Add(ctx, id, first); err != nil {
		return err
	}
	if err := run.Flush(ctx); err != nil {
		return err
	}
	if opt.OnFirstPart != nil {
		opt.OnFirstPart(id)
	}
	if len(rest.Spans) == 0 {
		return nil
	}
	return run.Add(ctx, id, rest)
}

// The queue between the workers and the writer: at most resultSlots drafts and
// inFlightBytes of their text (one document larger than that still goes, alone). A
// draft takes about ten times its text in memory.
const (
	resultSlots   = 1024
	inFlightBytes = 16 << 20
)
