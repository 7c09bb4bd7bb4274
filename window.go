package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/annotate/ingest"
	"evident/annotate/learn"
	"evident/annotate/remote"
	"evident/app"
	"evident/assets"
	"evident/export"
)

// cmdWindow opens the window: `evident [--db PATH] [--annotator NAME] [--samples]`.
func cmdWindow(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "", "")
	annot := fs.String("annotator", "", "annotator name (default $EVIDENT_ANNOTATOR, else asked once)")
	samples := fs.Bool("samples", false, "load the sample corpus (with suggestions) if the database has no documents")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unknown command %q (see evident --help)", fs.Arg(0))}
	}
	st, path, err := openStore(ctx, env, *db)
	if err != nil {
		return withKept(env, *db, *annot, err)
	}
	if *samples {
		if err := loadSamples(ctx, st, env); err != nil {
			st.Close()
			return err
		}
	}
	schema, err := st.Schema(ctx)
	if err != nil {
		st.Close()
		return err
	}
	h := &hooks{st: st}
	h.model.Others = func(ctx context.Context, st annotate.Store, ids []int64) error {
		_, err := suggestDocs(ctx, st, ids, "", nil)
		return err
	}
	cfg := app.Config{
		Done:      ctx.Done(), // SIGTERM or Ctrl+C quits the window as Ctrl+Q does
		DBPath:    path,
		Annotator: annotatorName(env, *annot),
		Store:     st,
		Schema:    schema,
		Import:    h.importFiles,
		Export:    h.export,
		Suggest:   h.suggest,
		OpenStore: h.open,
		// window_learn.go
		Train:         h.train,
		ModelStale:    h.modelStale,
		LearningCurve: h.learningCurve,
		MinConfidence: learn.DefaultMinConfidence,
	}
	err = app.Run(cfg)
	h.model.Close()
	if cerr := h.current().Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

// withKept adds to a failure to open a team database the decisions an earlier window
// kept while its server was away: they are safe, and sent when the window next opens it.
func withKept(env *cliEnv, dbFlag, annot string, err error) error {
	db, name := dbFlag, annotatorName(env, annot)
	if db == "" {
		db = env.getenv("EVIDENT_DB")
	}
	if kind, perr := backend.Parse(db); perr != nil || kind == backend.SQLite || name == "" {
		return err
	}
	if file, n, jerr := app.KeptDecisions(db, name); jerr == nil && n > 0 {
		return fmt.Errorf("%w\n%d decisions %s made while the server was away are kept in %s; "+
			"they are saved when the window next opens this database", err, n, name, file)
	}
	return err
}

// loadSamples imports the embedded sample corpus into an empty database and suggests
// spans for it, so `make run` opens on articles ready to label.
func loadSamples(ctx context.Context, st annotate.Store, env *cliEnv) error {
	docs, err := st.Documents(ctx)
	if err != nil {
		return err
	}
	if len(docs) > 0 {
		return nil
	}
	res, err := ingest.ImportFS(ctx, st, assets.Samples(), nil, ingest.Options{Annotator: "evident"}, nil)
	if err != nil {
		return fmt.Errorf("load sample corpus: %w", err)
	}
	docs, err = st.Documents(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	n, err := suggestDocs(ctx, st, ids, "", nil)
	if err != nil {
		return fmt.Errorf("suggest for the sample corpus: %w", err)
	}
	fmt.Fprintf(env.stderr, "loaded %d sample articles with %d suggestions\n", res.Added, n)
	return nil
}

// hooks are what the window calls for work that needs the adapters (import, export,
// suggestions, opening another database). They act on whichever store is current.
type hooks struct {
	mu    sync.Mutex
	st    annotate.Store
	model remote.Session // the user's own model, when the database names one (cmd_model.go)
}

func (h *hooks) current() annotate.Store {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.st
}

func (h *hooks) importFiles(ctx context.Context, files []string, progress func(done, total int64)) (string, error) {
	res, err := ingest.ImportFiles(ctx, h.current(), files, ingest.Options{}, func(p ingest.Progress) {
		if progress != nil {
			progress(p.Bytes, p.TotalBytes)
		}
	})
	if err != nil {
		return "", fmt.Errorf("%w (nothing was imported)", err)
	}
	return fmt.Sprintf("Imported %d of %d documents (%d already there)", res.Added, res.Documents, len(res.Skipped)), nil
}

func (h *hooks) export(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error) {
	res, err := export.Run(ctx, h.current(), opts, progress)
	if err != nil {
		return "", err
	}
	names := make([]string, len(res.Files))
	for i, f := range res.Files {
		names[i] = filepath.Base(f)
	}
	msg := fmt.Sprintf("Exported %d documents, %d spans to %s", res.Documents, res.Spans, strings.Join(names, ", "))
	if res.Dropped > 0 {
		msg += fmt.Sprintf(" (%d overlapping spans left out)", res.Dropped)
	}
	return msg, nil
}

func (h *hooks) suggest(ctx context.Context, docID int64, firstScreen func()) (int, error) {
	n, err := suggestOpenDoc(ctx, h.current(), docID, firstScreen)
	if err != nil {
		return n, err
	}
	m, err := h.model.Suggest(ctx, h.current(), docID) // and the next documents, in the background
	return n + m, err
}

// open switches to another database (File > Open or New); the old one is closed.
func (h *hooks) open(path string) (annotate.Store, *annotate.Schema, error) {
	ctx := context.Background()
	st, err := backend.Open(ctx, path, backend.Options{Schema: assets.Schema()})
	if err != nil {
		return nil, nil, err // backend.Open names the database
	}
	schema, err := st.Schema(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	h.mu.Lock()
	old := h.st
	h.st = st
	h.mu.Unlock()
	old.Close()
	return st, schema, nil
}
