package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/annotate/evaluate"
	"evident/annotate/ingest"
	"evident/annotate/suggest"
	"evident/assets"
	"evident/export"
)

// newFlags makes a command's flag set with the shared --db flag.
func newFlags(env *cliEnv, name, args string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	db := fs.String("db", "", "database file (default $EVIDENT_DB, else evident.db in the user's data directory)")
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: evident %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs, db
}

// parse parses flags, turning flag errors into usage errors (exit status 2).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// openStore opens (or creates) the database: an SQLite file (its folder made first) or,
// for a postgres:// URL, a PostgreSQL database (annotate/backend). The name returned is
// for messages: a URL without its password.
func openStore(ctx context.Context, env *cliEnv, dbFlag string) (annotate.Store, string, error) {
	return openTarget(ctx, env, dbFlag, false, false)
}

// openExisting opens a database that must already exist (read-mostly commands must not
// create an empty file at a mistyped path).
func openExisting(ctx context.Context, env *cliEnv, dbFlag string) (annotate.Store, string, error) {
	return openTarget(ctx, env, dbFlag, true, false)
}

// openReading opens an existing database for a command that only reads (stats, export,
// check, backup, agree, incidents without changes): read-only when its schema is current,
// so that it never waits for nor fails on another process's import.
func openReading(ctx context.Context, env *cliEnv, dbFlag string) (annotate.Store, string, error) {
	return openTarget(ctx, env, dbFlag, true, true)
}

func openExistingWith(ctx context.Context, env *cliEnv, dbFlag string, readOnly bool) (annotate.Store, string, error) {
	return openTarget(ctx, env, dbFlag, true, readOnly)
}

// openTarget opens the database; a migration, when one is needed, is announced on stderr.
func openTarget(ctx context.Context, env *cliEnv, dbFlag string, mustExist, readOnly bool) (annotate.Store, string, error) {
	target, err := dbPath(env, dbFlag)
	if err != nil {
		return nil, "", err
	}
	name := backend.Redact(target)
	st, err := backend.Open(ctx, target, backend.Options{Schema: assets.Schema(), MustExist: mustExist, ReadOnly: readOnly,
		OnMigrate: func(from, to int) {
			fmt.Fprintf(env.stderr, "evident: upgrading %s from schema version %d to %d (once; older Evident builds cannot open it afterwards)\n", name, from, to)
		}})
	if err != nil {
		return nil, "", err // backend.Open names the database
	}
	return st, name, nil
}

// progressLine writes a self-overwriting progress line at most every 200 ms, only when
// w is a terminal: in logs and pipes the carriage returns would be noise.
type progressLine struct {
	w    io.Writer
	last time.Time
	used bool
}

func newProgress(env *cliEnv) *progressLine { return &progressLine{w: env.stderr} }

func (p *progressLine) show(format string, args ...any) {
	if !isTerminal(p.w) || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.used = true
	fmt.Fprintf(p.w, "\r"+format+"\x1b[K", args...)
}

func (p *progressLine) done() {
	if p.used {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func cmdImport(ctx context.Context, env *cliEnv, args []string) error {
	if hasFlag(args, "predictions") {
		return cmdImportPredictions(ctx, env, args) // cmd_predictions.go
	}
	fs, db := newFlags(env, "import", "FILE...")
	annot := fs.String("annotator", "", "name recorded on imported spans (default $EVIDENT_ANNOTATOR)")
	addLabels := fs.Bool("add-labels", false, "add labels the schema does not know instead of refusing them")
	done := fs.Bool("done", false, "mark the documents done: finished, complete work the tagger trains on")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the import to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"no files to import (usage: evident import [--db PATH] FILE...)"}
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if os.Getenv("GOGC") == "" {
		// An import allocates a record per document and keeps few: collecting half as
		// often cut its CPU time by about a tenth, for 16 MB more at the peak (100,000
		// documents: 145 -> 162 MB).
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	st, path, err := openStore(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	pl := newProgress(env)
	res, err := ingest.ImportFiles(ctx, st, fs.Args(), ingest.Options{Annotator: annotatorName(env, *annot), AddLabels: *addLabels, Done: *done},
		func(p ingest.Progress) {
			pct := 0.0
			if p.TotalBytes > 0 {
				pct = 100 * float64(p.Bytes) / float64(p.TotalBytes)
			}
			pl.show("importing %s: %.0f%%, %d documents", p.File, pct, p.Documents)
		})
	pl.done()
	if err != nil {
		return fmt.Errorf("%w (nothing was imported)", err)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(env.stderr, "%s:%d: document %q is already in the database (same id and text): skipped\n", s.File, s.Line, s.ID)
	}
	for _, l := range res.NewLabels {
		fmt.Fprintf(env.stdout, "added label %s\n", l.Name)
	}
	fmt.Fprintf(env.stdout, "imported %d of %d documents from %d files into %s (%d already there)\n",
		res.Added, res.Documents, res.Files, path, len(res.Skipped))
	return nil
}

func cmdExport(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "export", "")
	var formats []string
	for _, f := range export.Formats {
		formats = append(formats, string(f))
	}
	format := fs.String("format", "jsonl", "output format: "+strings.Join(formats, ", "))
	status := fs.String("status", "accepted", "spans to export: accepted, suggested, rejected or all")
	labels := fs.String("labels", "", "only these labels, comma-separated (default all)")
	annot := fs.String("annotator", "", "only spans of this annotator")
	doneOnly := fs.Bool("done-only", false, "only documents marked done")
	offsets := fs.String("offsets", "codepoints", "offset convention: codepoints, utf16 or bytes")
	tokens := fs.Bool("tokens", false, "jsonl: include the token list with offsets")
	split := fs.String("split", "", "split into parts, e.g. train=0.8,dev=0.1,test=0.1")
	seed := fs.Int64("seed", 1, "seed of the split")
	out := fs.String("out", "", "output file or folder; - for standard output")
	raw := fs.Bool("raw", false, "csv, casualties: write cells as they are (by default a cell starting with = + - @ TAB or CR gets a leading ' so spreadsheets do not run it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out is required (a file, a folder, or - for standard output)"}
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return usageError{err.Error()}
	}
	unit, err := export.ParseUnit(*offsets)
	if err != nil {
		return usageError{err.Error()}
	}
	if *status != "all" {
		if _, err := annotate.ParseStatus(*status); err != nil {
			return usageError{err.Error() + " or all"}
		}
	}
	opts := export.Options{Format: f, Status: *status, Annotator: *annot, DoneOnly: *doneOnly,
		Offsets: unit, Tokens: *tokens, Split: *split, Seed: *seed, Out: *out, Stdout: env.stdout, Raw: *raw}
	if *labels != "" {
		opts.Labels = strings.Split(*labels, ",")
	}
	st, _, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	pl := newProgress(env)
	res, err := export.Run(ctx, st, opts, func(done, total int) {
		if total > 0 {
			pl.show("exporting: %d of %d documents", done, total)
		} else {
			pl.show("exporting: %d documents", done)
		}
	})
	pl.done()
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("exported %d documents, %d spans", res.Documents, res.Spans)
	if res.Dropped > 0 {
		msg += fmt.Sprintf(" (%d overlapping spans dropped, see the guideline)", res.Dropped)
	}
	if *out != "-" {
		msg += " to " + strings.Join(res.Files, ", ")
	}
	fmt.Fprintln(env.stderr, msg)
	return nil
}

func cmdStats(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "stats", "")
	asJSON := fs.Bool("json", false, "print the overview as one JSON object (the figures the window's Overview shows)")
	bucket := fs.Duration("bucket", time.Hour, "width of the throughput buckets")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, path, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	src, ok := st.(annotate.OverviewSource)
	if !ok {
		return fmt.Errorf("%s: this database has no overview", path)
	}
	ov, err := src.Overview(ctx, annotate.OverviewOptions{Bucket: *bucket})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ov)
	}
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	printStats(env.stdout, path, ov, s)
	return nil
}

// printStats writes the overview as plain tables for a terminal.
func printStats(w io.Writer, path string, ov *annotate.Overview, s *annotate.Stats) {
	d := ov.Documents
	fmt.Fprintf(w, "database    %s\n", path)
	fmt.Fprintf(w, "documents   %d (new %d, in progress %d, done %d)\n", d.Total, d.New, d.InProgress, d.Done)

	fmt.Fprintf(w, "\n%-12s %9s %9s %9s\n", "label", "accepted", "suggested", "rejected")
	for _, l := range ov.Labels {
		fmt.Fprintf(w, "%-12s %9d %9d %9d\n", l.Label, l.Accepted, l.Suggested, l.Rejected)
	}
	fmt.Fprintf(w, "%-12s %9d %9d %9d\n", "total", ov.Spans.Accepted, ov.Spans.Suggested, ov.Spans.Rejected)

	spans := map[string]int{}
	for _, a := range s.Annotators {
		spans[a.Name] = a.Spans
	}
	fmt.Fprintf(w, "\n%-20s %9s %9s %6s %6s %6s\n", "annotator", "spans", "decisions", "new", "in pr.", "done")
	seen := map[string]bool{}
	for _, a := range ov.ByAnnotator {
		seen[a.Name] = true
		fmt.Fprintf(w, "%-20s %9d %9d %6d %6d %6d\n", nameOrNone(a.Name), spans[a.Name], a.Decisions,
			a.Documents.New, a.Documents.InProgress, a.Documents.Done)
	}
	for _, a := range s.Annotators {
		if !seen[a.Name] {
			fmt.Fprintf(w, "%-20s %9d %9d\n", nameOrNone(a.Name), a.Spans, 0)
		}
	}

	if len(ov.Rules) > 0 {
		fmt.Fprintf(w, "\n%-32s %7s %8s %6s %8s %6s %7s\n", "suggestion rule", "total", "accepted", "edited", "rejected", "open", "rate")
		for _, r := range ov.Rules {
			rate := "-"
			if r.Decided() > 0 {
				rate = fmt.Sprintf("%.0f%%", 100*r.AcceptRate)
			}
			fmt.Fprintf(w, "%-32s %7d %8d %6d %8d %6d %7s\n", r.Origin, r.Total, r.Accepted, r.Edited, r.Rejected, r.Open, rate)
		}
	}
	if len(ov.Casualties) > 0 {
		fmt.Fprintf(w, "\n%-12s %9s %9s %9s\n", "casualties", "accepted", "suggested", "documents")
		for _, c := range ov.Casualties {
			fmt.Fprintf(w, "%-12s %9d %9d %9d\n", c.Kind, c.Accepted, c.Suggested, c.Documents)
		}
	}
}

func nameOrNone(n string) string {
	if n == "" {
		return "(none)"
	}
	return n
}

func cmdEval(ctx context.Context, env *cliEnv, args []string) error {
	if wantsCV(args) {
		return cmdEvalCV(ctx, env, args) // cmd_train.go
	}
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	gold := fs.String("gold", "", "gold annotations (JSONL, the import format with spans and events)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *gold == "" {
		return usageError{"--gold FILE.jsonl is required"}
	}
	golds, err := evaluate.ReadGoldFile(*gold)
	if err != nil {
		return err
	}
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		return err
	}
	rep := evaluate.Evaluate(ctx, sug, golds)
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprint(env.stdout, rep.String())
	return nil
}

func cmdCheck(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "check", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, path, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.Check(ctx)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(env.stdout, p)
	}
	if err := printStagedBatches(ctx, env, st); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d problems", path, len(problems))
	}
	fmt.Fprintf(env.stdout, "%s: ok\n", path)
	return nil
}

func cmdBackup(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "backup", "")
	out := fs.String("out", "", "file to write the copy to (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out FILE is required"}
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists already; choose a new file", *out)
	}
	st, path, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "backed up %s to %s\n", path, *out)
	return nil
}
