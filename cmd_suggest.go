package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"evident/annotate"
	"evident/annotate/learn"
	"evident/annotate/suggestrun"
)

func cmdSuggest(ctx context.Context, env *cliEnv, args []string) error {
	if hasFlag(args, "model-cmd", "model-url", "forget-model") {
		return cmdSuggestModel(ctx, env, args) // cmd_model.go
	}
	fs, db := newFlags(env, "suggest", "")
	doc := fs.Int64("doc", 0, "only this document id (default: all)")
	workers := fs.Int("workers", runtime.NumCPU(), "documents suggested at once")
	maxMB := fs.Float64("max-doc-mb", float64(suggestrun.DefaultMaxBytes)/(1<<20), "skip documents with more text than this many MB (0: no limit)")
	keep := fs.Bool("keep", false, "keep the undecided suggestions of earlier runs that this run does not propose again")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the run to this file")
	minConf := fs.Float64("min-confidence", -1, "with a trained model, hide suggestions it gives less (default: the database's setting, else "+fmt.Sprint(learn.DefaultMinConfidence)+")")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *workers < 1 {
		return usageError{"suggest: --workers must be at least 1"}
	}
	st, _, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var ids []int64
	if *doc != 0 {
		ids = []int64{*doc}
	} else {
		docs, err := st.Documents(ctx)
		if err != nil {
			return err
		}
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("suggest: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("suggest: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 64 << 10
		defer writeHeapProfile(env, *memProfile)
	}
	pl := newProgress(env)
	start := time.Now()
	var bytes int64
	var mc *float64
	if *minConf >= 0 {
		mc = minConf
	}
	totals, err := runSuggest(ctx, st, ids, mc, env.stderr, suggestrun.Options{
		Run:      annotate.Run{Replace: !*keep},
		Workers:  *workers,
		MaxBytes: int(*maxMB * (1 << 20)),
		Progress: func(p suggestrun.Progress) {
			bytes = p.Bytes
			pl.show("suggesting: %d of %d documents, %.0f documents/s, %s left", p.Done, p.Total, p.DocsPerSecond(), p.Left().Round(time.Second))
		},
	})
	pl.done()
	el := time.Since(start)
	fmt.Fprintf(env.stdout, "%d new suggestions, %d events in %d documents (%.1f MB/s, %.0f documents/s)",
		totals.Added, totals.Events, totals.Documents, float64(bytes)/1e6/el.Seconds(), float64(totals.Documents)/el.Seconds())
	if totals.Replaced > 0 {
		fmt.Fprintf(env.stdout, "; %d older suggestions replaced", totals.Replaced)
	}
	fmt.Fprintln(env.stdout)
	for _, sk := range totals.Skipped {
		fmt.Fprintf(env.stderr, "suggest: skipped document %d (%s): %s (or raise --max-doc-mb)\n", sk.ID, sk.ExternalID, sk.Reason)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("suggest: stopped after %d of %d documents; those are stored, undo removes the run: %w", totals.Documents, len(ids), err)
		}
		return err
	}
	return nil
}

func writeHeapProfile(env *cliEnv, path string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "suggest: allocation profile: %v\n", err)
	}
}

// runSuggest runs the rules (with the database's newest trained model, when there is
// one: suggesterFor in cmd_train.go, hiding what it gives less than minConf) over
// documents as one suggestion run; spans that already exist in any status are left alone
// by the store, and with opt.Run.Replace the earlier undecided suggestions that are not
// proposed again go.
func runSuggest(ctx context.Context, st annotate.Store, ids []int64, minConf *float64, warn io.Writer,
	opt suggestrun.Options) (suggestrun.Result, error) {
	sug, model, err := suggesterFor(ctx, st, minConf, warn)
	if err != nil {
		return suggestrun.Result{}, err
	}
	// The run stays the rules' source, with the model in its version, so it replaces the
	// rules' earlier suggestions.
	opt.Run.Source, opt.Run.Version = "rules", version()
	if model != "" {
		opt.Run.Version += "+" + model
	}
	return suggestrun.Run(ctx, st, sug, ids, opt)
}

// skippedErr turns the window's skipped document into an error it shows.
func skippedErr(res suggestrun.Result, err error) error {
	if err == nil && len(res.Skipped) > 0 {
		sk := res.Skipped[0]
		err = annotate.Errorf(annotate.EInvalid, "no suggestions for document %d (%s): %s", sk.ID, sk.ExternalID, sk.Reason)
	}
	return err
}

// suggestDocs is runSuggest for the window's sample corpus: every core, earlier
// undecided suggestions replaced, the number of new spans.
func suggestDocs(ctx context.Context, st annotate.Store, ids []int64, annotator string, progress func(done, total int)) (int, error) {
	opt := suggestrun.Options{Run: annotate.Run{Annotator: annotator, Replace: true}, MaxBytes: suggestrun.DefaultMaxBytes}
	if progress != nil {
		opt.Progress = func(pr suggestrun.Progress) { progress(pr.Done, pr.Total) }
	}
	res, err := runSuggest(ctx, st, ids, nil, nil, opt)
	return res.Added, skippedErr(res, err)
}

// firstScreen is how much of a document (code points) the window shows before
// scrolling, with some margin: its suggestions are stored first.
const firstScreen = 6000

// suggestOpenDoc suggests for the document open in the window, storing (and announcing
// through firstScreenDone) those of its first screen before the rest.
func suggestOpenDoc(ctx context.Context, st annotate.Store, docID int64, firstScreenDone func()) (int, error) {
	res, err := runSuggest(ctx, st, []int64{docID}, nil, nil, suggestrun.Options{
		Run:       annotate.Run{Replace: true},
		MaxBytes:  suggestrun.DefaultMaxBytes,
		FirstPart: firstScreen,
		OnFirstPart: func(int64) {
			if firstScreenDone != nil {
				firstScreenDone()
			}
		},
	})
	return res.Added, skippedErr(res, err)
}
