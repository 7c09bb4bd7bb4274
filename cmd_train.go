package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"evident/annotate"
	"evident/annotate/evaluate"
	"evident/annotate/learn"
	"evident/annotate/suggest"
)

// cmdTrain trains the tagger on the database's decisions and stores it.
func cmdTrain(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "train", "")
	k := fs.Int("cv", 5, "folds of the cross-validation printed (0: none)")
	asJSON := fs.Bool("json", false, "print the cross-validation as one JSON object")
	useBase := fs.Bool("base", true, "train beside the project's own annotated articles (weighted less)")
	if err := parse(fs, args); err != nil {
		return err
	}
	base, err := baseIf(*useBase)
	if err != nil {
		return err
	}
	st, path, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	ms, ok := st.(annotate.ModelStore)
	if !ok {
		return fmt.Errorf("%s: this database cannot keep trained models", path)
	}
	rules, err := suggest.New(suggest.Config{})
	if err != nil {
		return fmt.Errorf("load suggestion lexicons: %w", err)
	}
	pl := newProgress(env)
	start := time.Now()
	res, err := learn.TrainStoreBase(ctx, st, ms, rules, *k, base, func(done, total int) {
		pl.show("cross-validating: %d of %d training runs", done, total)
	})
	pl.done()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.CV)
	}
	fmt.Fprintf(env.stdout, "trained %s on %d documents (%d decisions) in %.1fs; stored in %s\n",
		res.Model.Origin(), res.Stored.Docs, res.Stored.Decisions, time.Since(start).Seconds(), path)
	if len(base) > 0 {
		fmt.Fprintf(env.stdout, "beside the %d annotated articles of the base corpus, weighted %.1f (--base=false: without)\n", len(base), learn.DefaultBaseWeight)
	}
	if res.CV == nil {
		if *k >= 2 {
			fmt.Fprintf(env.stdout, "fewer than %d done documents: no cross-validated figures (mark finished documents done)\n", *k)
		}
		return nil
	}
	fmt.Fprintln(env.stdout)
	res.CV.Print(env.stdout)
	return nil
}

// cmdEvalCV is `evident eval --cv K`: rules alone against rules + model by K-fold
// cross-validation over the database's done documents, per label, with a learning curve.
func cmdEvalCV(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "eval", "--cv K")
	k := fs.Int("cv", 5, "number of folds")
	minConf := fs.Float64("min-confidence", learn.DefaultMinConfidence, "hide suggestions the model gives less")
	asJSON := fs.Bool("json", false, "print one JSON object")
	useBase := fs.Bool("base", true, "train beside the project's own annotated articles (weighted less)")
	if err := parse(fs, args); err != nil {
		return err
	}
	base, err := baseIf(*useBase)
	if err != nil {
		return err
	}
	st, _, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	rules, err := suggest.New(suggest.Config{})
	if err != nil {
		return fmt.Errorf("load suggestion lexicons: %w", err)
	}
	exs, err := learn.LoadExamples(ctx, st)
	if err != nil {
		return err
	}
	pl := newProgress(env)
	rep, err := learn.CrossValidate(ctx, rules, exs, learn.CVOptions{K: *k, MinConfidence: *minConf, Curve: true, Train: learn.Options{Base: base},
		Progress: func(done, total int) { pl.show("cross-validating: %d of %d training runs", done, total) }})
	pl.done()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.Print(env.stdout)
	return nil
}

// wantsCV reports whether eval's arguments ask for cross-validation.
func wantsCV(args []string) bool {
	for _, a := range args {
		if a == "--cv" || a == "-cv" || strings.HasPrefix(a, "--cv=") || strings.HasPrefix(a, "-cv=") {
			return true
		}
	}
	return false
}

// suggesterFor is the rules combined with the database's newest model, hiding what the
// model gives less than minConf (nil: the database's setting, else the default), and the
// model's origin ("" without one). Without a usable model it is the rules alone; why is
// written to warn (if not nil).
func suggesterFor(ctx context.Context, st annotate.Store, minConf *float64, warn io.Writer) (evaluate.Suggester, string, error) {
	rules, err := suggest.New(suggest.Config{})
	if err != nil {
		return nil, "", fmt.Errorf("load suggestion lexicons: %w", err)
	}
	ms, ok := st.(annotate.ModelStore)
	if !ok {
		return rules, "", nil
	}
	m, err := learn.LoadLatest(ctx, ms)
	if err != nil {
		if warn != nil {
			fmt.Fprintf(warn, "warning: %v; suggesting with the rules alone\n", err)
		}
		return rules, "", nil
	}
	if m == nil {
		return rules, "", nil
	}
	schema, err := st.Schema(ctx)
	if err != nil {
		return nil, "", err
	}
	c := learn.Combined{Rules: rules, Model: m, MinConfidence: learn.DefaultMinConfidence, Schema: schema}
	if minConf != nil {
		c.MinConfidence = *minConf
	} else if v, err := st.Setting(ctx, annotate.SettingMinConfidence); err == nil && v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
			c.MinConfidence = f
		}
	}
	return c, m.Origin(), nil
}
