package main

import (
	"context"
	"fmt"

	"evident/annotate/backend"
	"evident/assets"
)

// cmdCopy moves a whole project between backends: `evident copy --from A --to B`, e.g.
// from an annotator's SQLite file to a new team database on PostgreSQL, or back.
func cmdCopy(ctx context.Context, env *cliEnv, args []string) error {
	fs, _ := newFlags(env, "copy", "--from DB --to DB")
	from := fs.String("from", "", "database to copy (a file or a postgres:// URL)")
	to := fs.String("to", "", "new SQLite file or empty PostgreSQL database to copy into")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return usageError{"usage: evident copy --from DB --to DB (each a file path or a postgres:// URL)"}
	}
	if err := backend.Copy(ctx, *from, *to, backend.Options{Schema: assets.Schema()}); err != nil {
		return fmt.Errorf("%w (nothing was copied)", err)
	}
	fmt.Fprintf(env.stdout, "copied %s to %s\n", backend.Redact(*from), backend.Redact(*to))
	return nil
}
