package backend

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// Copy moves the whole project at from (which must exist) into the project at to (a new
// SQLite file, or an empty PostgreSQL database): documents, spans, events, the
// operations log (so undo keeps working), settings, incidents, every table with its ids.
// It is one transaction on the destination; a new SQLite file is removed again when the
// copy fails, so a failed copy leaves nothing behind. The copy is checked (Check) before
// Copy returns.
func Copy(ctx context.Context, from, to string, opts Options) error {
	if Redact(from) == Redact(to) {
		return annotate.Errorf(annotate.EInvalid, "copy: --from and --to are the same database")
	}
	src, err := Open(ctx, from, Options{Schema: opts.Schema, MustExist: true})
	if err != nil {
		return err
	}
	defer src.Close()
	kind, err := Parse(to)
	if err != nil {
		return err
	}
	created := false
	if kind == SQLite {
		if _, err := os.Stat(to); errors.Is(err, os.ErrNotExist) {
			created = true
		}
	}
	dst, err := Open(ctx, to, Options{Schema: opts.Schema})
	if err != nil {
		return err
	}
	err = copyStore(ctx, src, dst, Redact(to))
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil && created {
		for _, suffix := range []string{"", "-wal", "-shm", "-search", "-search-wal", "-search-shm"} {
			os.Remove(to + suffix)
		}
	}
	return err
}

func copyStore(ctx context.Context, src, dst annotate.Store, to string) error {
	d, ok := src.(annotate.TableDumper)
	if !ok {
		return annotate.Errorf(annotate.EInvalid, "copy: the source database cannot be read table by table")
	}
	l, ok := dst.(annotate.TableLoader)
	if !ok {
		return annotate.Errorf(annotate.EInvalid, "copy: %s cannot be loaded table by table", to)
	}
	if err := l.LoadTables(ctx, d); err != nil {
		return fmt.Errorf("copy to %s: %w", to, err)
	}
	problems, err := dst.Check(ctx)
	if err != nil {
		return fmt.Errorf("copy to %s: check: %w", to, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("copy to %s: the copy fails its checks: %s", to, strings.Join(problems, "; "))
	}
	return nil
}

// backupToSQLite writes src into a new SQLite file at path: the PostgreSQL backend's
// Backup (one snapshot of the server, a file the single-user app opens).
func backupToSQLite(ctx context.Context, src annotate.Store, path string, schema []byte) error {
	if _, err := os.Stat(path); err == nil {
		return annotate.Errorf(annotate.EInvalid, "%s exists already; choose a new file", path)
	}
	dst, err := sqlite.Open(ctx, path, sqlite.Options{Schema: schema})
	if err != nil {
		return err
	}
	err = copyStore(ctx, src, dst, path)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		for _, suffix := range []string{"", "-wal", "-shm", "-search", "-search-wal", "-search-shm"} {
			os.Remove(path + suffix)
		}
	}
	return err
}
