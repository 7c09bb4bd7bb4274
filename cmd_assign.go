package main

import (
	"context"
	"fmt"
	"strings"

	"evident/annotate"
	"evident/annotate/assign"
)

// cmdAssign hands out the documents not done yet: `evident assign --annotators a,b,c
// [--overlap 0.2]`. Each annotator's window then opens their own queue first.
func cmdAssign(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "assign", "--annotators a,b,c [--overlap 0.2]")
	names := fs.String("annotators", "", "comma-separated annotator names (as they enter them in the window)")
	overlap := fs.Float64("overlap", 0, "share of documents given to two annotators, for agreement (0 to 1)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *names == "" || fs.NArg() > 0 {
		return usageError{"usage: evident assign [--db DB] --annotators a,b,c [--overlap 0.2]"}
	}
	st, path, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	docs, err := st.Documents(ctx)
	if err != nil {
		return err
	}
	var open []int64
	for _, d := range docs {
		if d.Status != annotate.DocDone {
			open = append(open, d.ID)
		}
	}
	p, err := assign.Make(open, strings.Split(*names, ","), *overlap)
	if err != nil {
		return usageError{err.Error()}
	}
	if err := assign.Save(ctx, st, p); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "assigned %d documents of %s (%d to two annotators):\n", len(open), path, p.Shared)
	for _, a := range p.Annotators {
		fmt.Fprintf(env.stdout, "  %-16s %d\n", a, len(p.Queues[a]))
	}
	return nil
}
