package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"evident/annotate/predict"
)

// hasFlag reports whether args set the named flag (as -name, --name or --name=value).
func hasFlag(args []string, names ...string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimLeft(a, "-")
		a, _, _ = strings.Cut(a, "=")
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

// predictFlags are the flags shared by import --predictions and suggest --model-*.
type predictFlags struct {
	annotator, offsets, mapping, minScore *string
}

func addPredictFlags(fs *flag.FlagSet) *predictFlags {
	return &predictFlags{
		annotator: fs.String("annotator", "", "name recorded on the suggestions (default $EVIDENT_ANNOTATOR)"),
		offsets:   fs.String("offsets", "codepoints", "what the model's offsets count: codepoints, utf16 or bytes"),
		mapping:   fs.String("map", "", "model labels to project labels, e.g. PER=ACTOR,GPE=LOCATION (saved per model; default: the saved one)"),
		minScore:  fs.String("min-score", "", "drop suggestions scored below this (unscored ones are kept)"),
	}
}

func (f *predictFlags) options(env *cliEnv) (predict.ApplyOptions, error) {
	opt := predict.ApplyOptions{Annotator: annotatorName(env, *f.annotator)}
	var err error
	if opt.Units, err = predict.ParseUnits(*f.offsets); err != nil {
		return opt, usageError{err.Error()}
	}
	if *f.mapping != "" {
		if opt.Map, err = predict.ParseMapping(*f.mapping); err != nil {
			return opt, usageError{err.Error()}
		}
	}
	if *f.minScore != "" {
		v, err := strconv.ParseFloat(*f.minScore, 64)
		if err != nil || v != v {
			return opt, usageError{fmt.Sprintf("--min-score %q: want a number", *f.minScore)}
		}
		opt.MinScore = &v
	}
	return opt, nil
}

// printReport lists what a model run or prediction import left out, and why; it returns an
// error when some predictions could not be used, so scripts see it in the exit status.
func printReport(env *cliEnv, rep *predict.Report) error {
	for _, p := range rep.Problems {
		fmt.Fprintf(env.stderr, "%v\n", p)
	}
	for _, u := range rep.Unmapped() {
		fmt.Fprintf(env.stderr, "model %s: label %s has no project label (%d spans not stored; map it with --map %s=LABEL)\n",
			u.Model, u.Label, u.Spans, u.Label)
	}
	if rep.Low > 0 {
		fmt.Fprintf(env.stdout, "%d suggestions under --min-score left out\n", rep.Low)
	}
	fmt.Fprintf(env.stdout, "%d new suggestions in %d documents (%d earlier ones of the same model replaced)\n",
		rep.Added, rep.Documents, rep.Removed)
	if len(rep.Problems) > 0 {
		return fmt.Errorf("%d predictions were not stored (listed above); the others were", len(rep.Problems))
	}
	return nil
}

// cmdImportPredictions is `evident import --predictions FILE...`: a model's output stored
// as suggestions, never as decisions.
func cmdImportPredictions(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "import --predictions", "FILE...")
	fs.Bool("predictions", true, "the files hold a model's predictions (flat JSONL or Label Studio tasks)")
	model := fs.String("model", "", "model name for records that give none (Label Studio tasks carry only a version)")
	pf := addPredictFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"no prediction files (usage: evident import --predictions [--model NAME] FILE...)"}
	}
	opt, err := pf.options(env)
	if err != nil {
		return err
	}
	st, _, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	pl := newProgress(env)
	rep, err := predict.ImportFiles(ctx, st, fs.Args(), *model, opt, func(file string, n int) {
		pl.show("reading %s: %d records", file, n)
	})
	pl.done()
	if err != nil {
		if rep != nil {
			printReport(env, rep)
		}
		return err
	}
	return printReport(env, rep)
}
