package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"evident/annotate"
	"evident/internal/bytebudget"
)

// Options control an import.
type Options struct {
	Annotator string // recorded on the imported spans and in the operations log
	AddLabels bool   // accept labels the schema lacks, adding them to the schema
	// Done marks every imported document done: an annotator's finished work, complete
	// (text outside its spans is "outside"), which the learned tagger trains on.
	Done bool
}

// Progress is reported while importing.
type Progress struct {
	File       string // the file being read
	Bytes      int64  // bytes read so far, over all files
	TotalBytes int64  // size of all files
	Documents  int    // documents read so far
	Added      int
	Skipped    int
}

// Skipped names a document that was already stored (same id and text) and so was not
// added again.
type Skipped struct {
	File string
	Line int
	ID   string
}

// Result is what an import did.
type Result struct {
	Files     int
	Documents int // documents read
	Added     int
	Skipped   []Skipped
	NewLabels []annotate.Label // labels added to the schema (AddLabels only)
}

// progressEvery bounds how often progress is reported: often enough for a smooth bar,
// rarely enough that a GUI redraw per report costs nothing.
const progressEvery = 100 * time.Millisecond

// input is one file to import, from the OS or from an fs.FS.
type input struct {
	name string
	size int64
	open func() (io.ReadCloser, error)
}

// ImportFiles imports the files, in order, as one batch: either every document is
// stored (or found already stored and skipped) or, on the first error, nothing is and the
// error says FILE:LINE: what is wrong. progress may be nil; it is called at most ten
// times a second and once at the end, never twice at once, from a goroutine of the
// import (not necessarily the caller's).
func ImportFiles(ctx context.Context, store annotate.Store, files []string, opts Options, progress func(Progress)) (Result, error) {
	ins := make([]input, 0, len(files))
	for _, name := range files {
		if _, err := FormatOf(name); err != nil {
			return Result{}, err
		}
		st, err := os.Stat(name)
		if err != nil {
			return Result{}, fmt.Errorf("import: %w", err)
		}
		if st.IsDir() {
			return Result{}, annotate.Errorf(annotate.EInvalid, "import: %s is a directory", name)
		}
		ins = append(ins, input{name: name, size: st.Size(), open: func() (io.ReadCloser, error) { return os.Open(name) }})
	}
	return run(ctx, store, ins, opts, progress)
}

// ImportFS imports the named files of fsys (all importable files, see FSFiles, when names
// is nil), as ImportFiles does. The app uses it for the embedded sample corpus.
func ImportFS(ctx context.Context, store annotate.Store, fsys fs.FS, names []string, opts Options, progress func(Progress)) (Result, error) {
	if names == nil {
		var err error
		if names, err = FSFiles(fsys); err != nil {
			return Result{}, err
		}
	}
	ins := make([]input, 0, len(names))
	for _, name := range names {
		if _, err := FormatOf(name); err != nil {
			return Result{}, err
		}
		st, err := fs.Stat(fsys, name)
		if err != nil {
			return Result{}, fmt.Errorf("import: %w", err)
		}
		ins = append(ins, input{name: name, size: st.Size(), open: func() (io.ReadCloser, error) { return fsys.Open(name) }})
	}
	return run(ctx, store, ins, opts, progress)
}

// FSFiles lists the files of fsys that can be imported (.txt, .jsonl, .csv), in lexical
// order, leaving out README files, which describe a corpus rather than belong to it.
func FSFiles(fsys fs.FS) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(strings.ToUpper(path.Base(p)), "README") {
			return nil
		}
		if _, err := FormatOf(p); err == nil {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	return names, nil
}

func run(ctx context.Context, store annotate.Store, ins []input, opts Options, progress func(Progress)) (Result, error) {
	schema, err := store.Schema(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	imp, err := store.BeginImport(ctx, opts.Annotator)
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	labeler, _ := imp.(annotate.ImportLabeler)
	var preAdded []annotate.Label
	if opts.AddLabels && labeler == nil {
		// The store can only learn labels outside the import transaction. Check every file
		// first so a bad file still changes nothing, then add the labels, then import.
		if err := imp.Rollback(); err != nil {
			return Result{}, fmt.Errorf("import: %w", err)
		}
		if preAdded, err = collectLabels(ctx, ins, schema); err != nil {
			return Result{}, err
		}
		if len(preAdded) > 0 {
			if err := store.AddLabels(ctx, preAdded, opts.Annotator); err != nil {
				return Result{}, fmt.Errorf("import: add labels: %w", err)
			}
			if schema, err = store.Schema(ctx); err != nil {
				return Result{}, fmt.Errorf("import: %w", err)
			}
		}
		if imp, err = store.BeginImport(ctx, opts.Annotator); err != nil {
			return Result{}, fmt.Errorf("import: %w", err)
		}
	}
	defer imp.Rollback() // a no-op after Commit

	ls := newLabelSet(schema, opts.AddLabels)
	// Checking a document and hashing its text run on the reading goroutine when the
	// store can do them apart from writing (not when it learns labels mid-import: a
	// label is known to it only once the writing goroutine has added it).
	var prep func(*Record) (any, error)
	if preparer, ok := imp.(annotate.ImportPreparer); ok && labeler == nil {
		prep = func(rec *Record) (any, error) { return preparer.Prepare(&rec.Doc, rec.Draft) }
	}
	res := Result{Files: len(ins)}
	var p Progress
	for _, in := range ins {
		p.TotalBytes += in.size
	}
	var last time.Time
	report := func(force bool) {
		if progress == nil {
			return
		}
		if now := time.Now(); force || now.Sub(last) >= progressEvery {
			last = now
			progress(p)
		}
	}
	seen := make(map[string]Skipped)
	var newLabels []annotate.Label
	err = pipeline(ctx, ins, ls, prep, func(it item) error {
		rec := it.rec
		p.File, p.Bytes = rec.File, it.bytes
		id := rec.Doc.ExternalID
		if first, dup := seen[id]; dup {
			return newError(rec.File, rec.Line, "duplicate id %q (first at %s:%d)", id, first.File, first.Line)
		}
		seen[id] = Skipped{File: rec.File, Line: rec.Line, ID: id}
		if len(it.labels) > 0 {
			if labeler == nil {
				// Cannot happen: without a labeler every new label was added before.
				return fmt.Errorf("%s:%d: label %s is not in the schema", rec.File, rec.Line, it.labels[0].Name)
			}
			if err := labeler.AddLabels(ctx, it.labels); err != nil {
				return fmt.Errorf("%s:%d: add labels: %w", rec.File, rec.Line, err)
			}
			newLabels = append(newLabels, it.labels...)
		}
		if opts.Done {
			// rec.Doc is what a prepared record points at too: this reaches both paths.
			rec.Doc.Status = annotate.DocDone
		}
		var added bool
		if it.prepared != nil {
			added, err = imp.(annotate.ImportPreparer).AddPrepared(ctx, it.prepared)
		} else {
			added, err = imp.Add(ctx, &rec.Doc, rec.Draft)
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", rec.File, rec.Line, err)
		}
		p.Documents++
		if added {
			p.Added++
		} else {
			p.Skipped++
			res.Skipped = append(res.Skipped, seen[id])
		}
		report(false)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if err := imp.Commit(); err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	res.Documents, res.Added = p.Documents, p.Added
	res.NewLabels = append(preAdded, newLabels...)
	p.Bytes = p.TotalBytes
	report(true)
	return res, nil
}

// item is a record on its way from the reading goroutine to the storing one.
type item struct {
	rec    *Record
	bytes  int64            // input bytes read so far, over all files
	labels []annotate.Label // labels this record is the first to use (AddLabels)
	// prepared is the store's checked form of the record (annotate.ImportPreparer), made
	// on the reading goroutine; nil when the store does not prepare.
	prepared any
}

// inFlight bounds the text held between reading and storing. Reading a document costs
// about a third of storing it, so a little slack lets both cores work; a byte budget
// rather than a count keeps a file of huge documents from piling up in memory.
const inFlight = 32 << 20

// pipeline reads the inputs in one goroutine, prepares each record there (prep, if not
// nil) and hands it to store, in order, on a second goroutine (the store's transaction
// stays on one goroutine). The first error of either side stops both and is returned.
func pipeline(ctx context.Context, ins []input, ls *labelSet, prep func(*Record) (any, error), store func(item) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan item, 256)
	budget := bytebudget.New(inFlight)
	errc := make(chan error, 1)
	go func() {
		defer close(ch)
		var done int64
		for _, in := range ins {
			err := eachRecord(ctx, in, ls, func(rec *Record, read int64) error {
				it := item{rec: rec, bytes: done + read}
				it.labels = ls.takeNew()
				if prep != nil {
					p, err := prep(rec)
					if err != nil {
						return fmt.Errorf("%s:%d: %w", rec.File, rec.Line, err)
					}
					it.prepared = p
				}
				if !budget.Acquire(ctx, len(rec.Doc.Text)) {
					return fmt.Errorf("import cancelled: %w", context.Cause(ctx))
				}
				select {
				case ch <- it:
					return nil
				case <-ctx.Done():
					return fmt.Errorf("import cancelled: %w", context.Cause(ctx))
				}
			})
			if err != nil {
				errc <- err
				return
			}
			done += in.size
		}
		errc <- nil
	}()
	// The storing loop runs on a goroutine of its own, not the caller's: the caller may be
	// locked to its OS thread (the GUI toolkit locks the main goroutine, and the CLI's
	// commands run on it), and then every hand-off between reader and writer became a
	// thread switch; measured on `evident import`, that doubled the import's CPU time.
	stored := make(chan error, 1)
	go func() {
		var err error
		for it := range ch {
			budget.Release(len(it.rec.Doc.Text))
			if err == nil {
				if err = store(it); err != nil {
					cancel() // the reader stops; keep draining so it is never stuck sending
				}
			}
		}
		stored <- err
	}()
	err := <-stored
	if rerr := <-errc; err == nil {
		err = rerr
	}
	return err
}

// eachRecord reads one input and calls fn with every record and the bytes read so far.
func eachRecord(ctx context.Context, in input, ls *labelSet, fn func(*Record, int64) error) error {
	rc, err := in.open()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer rc.Close()
	f, err := FormatOf(in.name)
	if err != nil {
		return err
	}
	rd, err := NewFormatReader(rc, in.name, f, ReadOptions{labels: ls})
	if err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("import cancelled: %w", err)
		}
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec, rd.BytesRead()); err != nil {
			return err
		}
	}
}

// collectLabels reads every input, checking it completely, and returns the labels it
// uses that the schema lacks.
func collectLabels(ctx context.Context, ins []input, schema *annotate.Schema) ([]annotate.Label, error) {
	ls := newLabelSet(schema, true)
	seen := make(map[string]Skipped)
	for _, in := range ins {
		err := eachRecord(ctx, in, ls, func(rec *Record, _ int64) error {
			id := rec.Doc.ExternalID
			if first, dup := seen[id]; dup {
				return newError(rec.File, rec.Line, "duplicate id %q (first at %s:%d)", id, first.File, first.Line)
			}
			seen[id] = Skipped{File: rec.File, Line: rec.Line}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return ls.added, nil
}
