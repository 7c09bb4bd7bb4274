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
	id    int64
	bytes int
	draft annotate.Draft
	err   error
}

// Run suggests for the documents ids and stores the drafts as one run. When ctx is
// cancelled, the documents already suggested are stored, the run is recorded as
// cancelled and ctx's error is returned with the totals so far: the database stays
// consistent and the run stays one undoable step.
func Run(ctx context.Context, st Store, sug Suggester, ids []int64, opt Options) (annotate.RunTotals, error) {
	learned, err := st.LearnedPhrases(ctx)
	if err != nil {
		return annotate.RunTotals{}, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = max(1, min(workers, len(ids)))
	run, err := begin(ctx, st, opt.Run)
	if err != nil {
		return annotate.RunTotals{}, err
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan int64)
	results := make(chan result, workers) // bounded: drafts waiting for the writer
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
				r := suggestOne(wctx, st, sug, id, learned)
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
	for r := range results {
		if r.err == nil {
			r.err = run.Add(wctx, r.id, r.draft)
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
	switch {
	case runErr != nil:
		return totals, runErr
	case ferr != nil:
		return totals, ferr
	case ctx.Err() != nil:
		return totals, ctx.Err()
	}
	return totals, nil
}

func suggestOne(ctx context.Context, st Store, sug Suggester, id int64, learned []annotate.PhraseStat) result {
	d, err := st.Document(ctx, id)
	if err != nil {
		return result{id: id, err: fmt.Errorf("document %d: %w", id, err)}
	}
	draft, err := sug.Suggest(ctx, d.Text, d.Published, learned)
	if err != nil {
		return result{id: id, err: fmt.Errorf("suggest for document %d (%s): %w", id, d.ExternalID, err)}
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
