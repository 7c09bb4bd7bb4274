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
	pf := addPredictFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*cmdFlag == "") == (*url == "") {
		return usageError{"give one of --model-cmd or --model-url"}
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
