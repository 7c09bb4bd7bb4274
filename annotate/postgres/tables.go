package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var (
	_ annotate.TableDumper = (*Store)(nil)
	_ annotate.TableLoader = (*Store)(nil)
)

// DumpTables reads every table of the project (not evident_schema, whose version is
// each backend's own, nor evident_presence, which is session state, nor the search index,
// which is derived) from one REPEATABLE READ snapshot.
func (s *Store) DumpTables(ctx context.Context, fn func(t annotate.Table) error) error {
	return s.readTx(ctx, func(tx txLike) error {
		names, err := queryStrings(ctx, tx, `SELECT table_name::text FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'evident\_%'
			AND table_name NOT LIKE 'search\_%'`) // the search index is derived: rebuilt where it is loaded
		if err != nil {
			return fmt.Errorf("dump: %w", mapErr(err))
		}
		for _, name := range annotate.SortTables(names) {
			cols, err := tableColumns(ctx, tx, name)
			if err != nil {
				return fmt.Errorf("dump %s: %w", name, mapErr(err))
			}
			t := annotate.Table{Name: name, Columns: cols, Rows: func(yield func([]any) error) error {
				return dumpRows(ctx, tx, `SELECT `+sqlstore.QuoteCols(cols)+` FROM "`+name+`" ORDER BY `+orderAll(len(cols)), len(cols), yield)
			}}
			if err := fn(t); err != nil {
				return err
			}
		}
		return nil
	})
}

func tableColumns(ctx context.Context, q txLike, table string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT column_name::text FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table)
}

// dumpRows hands each row of query to yield.
func dumpRows(ctx context.Context, q txLike, query string, n int, yield func([]any) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		row, err := rows.Values()
		if err != nil {
			return err
		}
		if len(row) != n {
			return fmt.Errorf("dump: %d columns, want %d", len(row), n)
		}
		if err := yield(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// errStopped ends a source's rows early (COPY failed and stopped pulling).
var errStopped = errors.New("stopped")

// LoadTables fills an empty database with src's tables in one transaction (COPY per
// table) and moves every id sequence past the ids loaded.
func (s *Store) LoadTables(ctx context.Context, src annotate.TableDumper) error {
	ptx, err := s.beginWrite(ctx, true)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	tx := pgq{ptx}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM ops)`).Scan(&n); err != nil {
		return fmt.Errorf("load: %w", mapErr(err))
	}
	if n > 0 {
		return annotate.Errorf(annotate.EInvalid, "%s is not empty: copy into a new database", s.name)
	}
	for _, t := range []string{"labels", "event_types", "roles", "settings"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM "`+t+`"`); err != nil {
			return fmt.Errorf("load: %w", mapErr(err))
		}
	}
	var loaded []string
	err = src.DumpTables(ctx, func(t annotate.Table) error {
		// Rows are pushed by the source and pulled by COPY: one row in memory at a time.
		var srcErr error
		next, stop := iter.Pull(func(yield func([]any) bool) {
			srcErr = t.Rows(func(r []any) error {
				if !yield(r) {
					return errStopped
				}
				return nil
			})
		})
		defer stop()
		_, err := ptx.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, pgx.CopyFromFunc(func() ([]any, error) {
			r, ok := next()
			if !ok {
				return nil, srcErr
			}
			return r, nil
		}))
		if err != nil {
			return fmt.Errorf("load %s: %w", t.Name, mapErr(err))
		}
		loaded = append(loaded, t.Name)
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range loaded {
		var hasID bool
		if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence(?, 'id') IS NOT NULL
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'`,
			`"`+t+`"`, t).Scan(&hasID); errors.Is(err, pgx.ErrNoRows) || (err == nil && !hasID) {
			continue // no id column, or no identity on it: no sequence to move
		} else if err != nil {
			return fmt.Errorf("load %s: ids: %w", t, mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), max(id)) FROM "`+t+`" HAVING max(id) IS NOT NULL`,
			`"`+t+`"`); err != nil {
			return fmt.Errorf("load %s: ids: %w", t, mapErr(err))
		}
	}
	if err := indexPending(ctx, ptx); err != nil {
		return fmt.Errorf("load: search index: %w", mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("load: commit: %w", mapErr(err))
	}
	return nil
}

// orderAll is "1, 2, ..., n": every column, so the order is total whatever the key
// (ids first where there is one) and the same in both backends.
func orderAll(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, i)
	}
	return b.String()
}
