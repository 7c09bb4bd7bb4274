package main

import (
	"context"
	"fmt"
	"time"

	"evident/annotate"
	"evident/annotate/predict"
	"evident/annotate/remote"
)

// cmdSuggestModel is `evident suggest --model-cmd CMD | --model-url URL`: the user's own
// model proposes suggestions for the documents.
func cmdSuggestModel(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "suggest --model-cmd CMD | --model-url URL", "")
	doc := fs.Int64("doc", 0, "only this document id (default: all)")
	cmdFlag := fs.String("model-cmd", "", "a program speaking JSONL on stdin/stdout, started once, e.g. \"python3 tagger.py\"")
	url := fs.String("model-url", "", "a Label Studio ML backend, e.g. http://localhost:9090")
	name := fs.String("model", "", "model name when the backend gives none")
	timeout := fs.Duration("model-timeout", remote.DefaultTimeout, "how long the model may take over one document")
	batch := fs.Int("batch", remote.DefaultBatch, "documents sent to the model at a time")
	remember := fs.Bool("remember", false, "also name this model for the window, which runs it on the documents opened and the next ones")
	forget := fs.Bool("forget-model", false, "stop the window running a model")
	pf := addPredictFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *forget {
		return rememberModel(ctx, env, *db, "", "", 0)
	}
	if (*cmdFlag == "") == (*url == "") {
		return usageError{"give one of --model-cmd or --model-url"}
	}
	opt, err := pf.options(env)
	if err != nil {
		return err
	}
	if *remember {
		if err := rememberModel(ctx, env, *db, *cmdFlag, *url, *timeout); err != nil {
			return err
		}
	}
	st, _, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	ids, err := docIDs(ctx, st, *doc)
	if err != nil {
		return err
	}
	a, err := predict.NewApplier(ctx, st, opt)
	if err != nil {
		return err
	}
	var m remote.Model
	if *cmdFlag != "" {
		m, err = remote.StartProc(ctx, remote.ProcOptions{Command: *cmdFlag, Timeout: *timeout, Log: env.stderr})
	} else {
		labels := make([]string, 0, len(a.Known()))
		for l := range a.Known() {
			labels = append(labels, l)
		}
		m, err = remote.StartHTTP(ctx, remote.HTTPOptions{URL: *url, Timeout: *timeout, Model: *name, Labels: labels})
	}
	if err != nil {
		return err
	}
	defer m.Close()
	info := m.Info()
	pl := newProgress(env)
	began := time.Now()
	err = remote.Run(ctx, st, m, a, ids, remote.RunOptions{
		Batch: *batch,
		Progress: func(done, total int) {
			pl.show("%s: %d of %d documents", predict.Origin(info.Model, info.Version), done, total)
		},
		Warn: func(msg string) { fmt.Fprintf(env.stderr, "model: %s\n", msg) },
	})
	pl.done()
	if cerr := a.Close(context.WithoutCancel(ctx)); err == nil {
		err = cerr
	}
	rerr := printReport(env, &a.Report)
	fmt.Fprintf(env.stdout, "%s over %d documents in %s\n", predict.Origin(info.Model, info.Version), len(ids), time.Since(began).Round(time.Millisecond))
	if err != nil {
		return err // earlier suggestions and all decisions are as they were; what was stored stays
	}
	return rerr
}

// rememberModel names the model the window runs (empty: none).
func rememberModel(ctx context.Context, env *cliEnv, db, command, url string, timeout time.Duration) error {
	st, _, err := openExisting(ctx, env, db)
	if err != nil {
		return err
	}
	defer st.Close()
	t := ""
	if timeout > 0 {
		t = timeout.String()
	}
	for k, v := range map[string]string{remote.SettingCommand: command, remote.SettingURL: url, remote.SettingTimeout: t} {
		if err := st.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	if command == "" && url == "" {
		fmt.Fprintln(env.stdout, "the window runs no model")
	} else {
		fmt.Fprintf(env.stdout, "the window runs %s%s on the documents opened and the next ones\n", command, url)
	}
	return nil
}

// docIDs is one document, or all of them.
func docIDs(ctx context.Context, st annotate.Store, doc int64) ([]int64, error) {
	if doc != 0 {
		return []int64{doc}, nil
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}
