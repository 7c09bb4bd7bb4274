package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"evident/annotate/backend"
	"evident/annotate/sqlite"
)

// cmdMerge combines databases of annotators who worked on the same documents into one.
// Each source is merged in its own transaction (all of it or none of it), in the order
// given; a failing source stops the merge with the earlier ones kept.
func cmdMerge(ctx context.Context, env *cliEnv, args []string) error {
	fs, _ := newFlags(env, "merge", "--into TEAM.db A.db B.db ...")
	into := fs.String("into", "", "database to merge into (created if it does not exist)")
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
	if kind, err := backend.Parse(*into); err != nil || kind != backend.SQLite {
		return usageError{"--into must be an SQLite file: merge into a file, then move it to PostgreSQL with evident copy"}
	}
	var srcs []*sqlite.Store
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
		// Merging reads and writes SQLite files table by table (annotate/sqlite/merge.go).
		f, ok := s.(*sqlite.Store)
		if !ok {
			s.Close()
			return usageError{fmt.Sprintf("%s: merge takes SQLite files (annotators' own databases)", p)}
		}
		srcs = append(srcs, f)
	}
	st, path, err := openStore(ctx, env, *into)
	if err != nil {
		return err
	}
	defer st.Close()
	team := st.(*sqlite.Store) // --into was checked to be a file above
	for i, src := range srcs {
		name := *annot
		if name == "" {
			base := filepath.Base(fs.Arg(i))
			name = strings.TrimSuffix(base, filepath.Ext(base))
		}
		st, err := team.Merge(ctx, src, name)
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
