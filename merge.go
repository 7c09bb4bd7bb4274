package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/annotate/sqlite"
)

// cmdMerge combines databases of annotators who worked on the same documents into one,
// an SQLite file or a team's PostgreSQL database. Each source is merged in its own
// transaction (all of it or none of it), in the order given; a failing source stops the
// merge with the earlier ones kept.
func cmdMerge(ctx context.Context, env *cliEnv, args []string) error {
	fs, _ := newFlags(env, "merge", "--into TEAM.db A.db B.db ...")
	into := fs.String("into", "", "database to merge into: an SQLite file (created if it does not exist) or a postgres:// URL")
	annot := fs.String("annotator", "", "name for spans and events a source stores without one (default: the source's file name without .db)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *into == "" {
		return usageError{"--into TEAM.db is required (usage: evident merge --into TEAM.db A.db B.db ...)"}
	}
	if fs.NArg() == 0 {
		return usageError{"no databases to merge (usage: evident merge --into TEAM.db A.db B.db ...)"}
	}
	// Open every source before writing anything: a mistyped path fails with TEAM untouched.
	kind, err := backend.Parse(*into)
	if err != nil {
		return err
	}
	var srcs []annotate.Store
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	for _, p := range fs.Args() {
		s, _, err := openReading(ctx, env, p)
		if err != nil {
			return err
		}
		// Merging into a file reads the source table by table (annotate/sqlite/merge.go).
		if _, ok := s.(*sqlite.Store); !ok && kind == backend.SQLite {
			s.Close()
			return usageError{fmt.Sprintf("%s: merge takes SQLite files (annotators' own databases)", p)}
		}
		srcs = append(srcs, s)
	}
	st, path, err := openStore(ctx, env, *into)
	if err != nil {
		return err
	}
	defer st.Close()
	merge := func(src annotate.Store, file, name string) (annotate.MergeStats, error) {
		switch team := st.(type) {
		case *sqlite.Store:
			return team.Merge(ctx, src.(*sqlite.Store), name)
		case interface {
			Merge(context.Context, annotate.Store, string, string) (annotate.MergeStats, error)
		}: // PostgreSQL (annotate/postgres/merge.go)
			return team.Merge(ctx, src, file, name)
		}
		return annotate.MergeStats{}, usageError{"--into: this database cannot take a merge"}
	}
	for i, src := range srcs {
		name := *annot
		if name == "" {
			base := filepath.Base(fs.Arg(i))
			name = strings.TrimSuffix(base, filepath.Ext(base))
		}
		st, err := merge(src, fs.Arg(i), name)
		if err != nil {
			if i > 0 {
				return fmt.Errorf("%w (%s was not merged; the databases before it were)", err, fs.Arg(i))
			}
			return fmt.Errorf("%w (nothing was merged)", err)
		}
		fmt.Fprintf(env.stdout, "merged %s into %s: %d documents (%d new), %d spans added (%d already there), %d events, %d arguments, "+
			"%d incidents, %d incident links, %d adjudications\n",
			fs.Arg(i), path, st.Documents, st.NewDocuments, st.Spans, st.SameSpans, st.Events, st.Arguments,
			st.Incidents, st.Links, st.Adjudications)
		if st.SkippedIncidents > 0 {
			fmt.Fprintf(env.stderr, "%s: %d incidents not merged: their events are in different incidents of %s (link them by hand)\n",
				fs.Arg(i), st.SkippedIncidents, path)
		}
	}
	return nil
}
