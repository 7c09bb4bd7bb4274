package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"evident/annotate"
)

var (
	_ annotate.TableDumper = (*Store)(nil)
	_ annotate.TableLoader = (*Store)(nil)
)

// DumpTables reads every table from one read transaction. Labels' rowid (what the
// operations log images them by) is dumped as "id": since 0009 it is their id column.
func (s *Store) DumpTables(ctx context.Context, fn func(t annotate.Table) error) error {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("dump: %w", mapErr(err))
	}
	defer tx.Rollback()
	// The search index (search_pending, search_terms and FTS5's shadow tables) is derived
	// from the documents: it is not copied, and the target rebuilds its own.
	// Spans, events and arguments are dumped as their views show them (the other backend's tables):
	// their row tables' encodings (rows.go) stay in this file.
	names, err := queryStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE (type = 'table'
		AND name NOT IN ('span_rows', 'event_rows', 'arg_rows', 'names') OR type = 'view' AND name IN ('spans', 'events', 'event_args'))
		AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search\_%' ESCAPE '\'`)
	if err != nil {
		return fmt.Errorf("dump: %w", mapErr(err))
	}
	for _, name := range annotate.SortTables(names) {
		cols, err := tableColumns(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("dump %s: %w", name, mapErr(err))
		}
		sel := quoteCols(cols)
		if name == "labels" && !slices.Contains(cols, "id") { // before 0009 gave them an id column
			cols = append([]string{"id"}, cols...)
			sel = "rowid, " + sel
		}
		t := annotate.Table{Name: name, Columns: cols, Rows: func(yield func([]any) error) error {
			return dumpRows(ctx, tx, `SELECT `+sel+` FROM "`+name+`" ORDER BY `+orderAll(len(cols)), len(cols), yield)
		}}
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

func tableColumns(ctx context.Context, q txLike, table string) ([]string, error) {
	// stored_text is the spans view's raw text column, for the store's own reader
	return queryStrings(ctx, q, `SELECT name FROM pragma_table_info(?) WHERE name != 'stored_text' ORDER BY cid`, table)
}

// dumpRows runs query and hands each row to yield as int64, float64, string or nil.
func dumpRows(ctx context.Context, q txLike, query string, n int, yield func([]any) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]any, n)
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			row[i] = v
		}
		if err := yield(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LoadTables fills an empty database with src's tables in one transaction.
func (s *Store) LoadTables(ctx context.Context, src annotate.TableDumper) error {
	_, err := s.write(ctx, "load", "", func(a *action) error {
		var n int
		if err := a.tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM ops)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return annotate.Errorf(annotate.EInvalid, "%s is not empty: copy into a new database", s.path)
		}
		// The schema a new database was seeded with makes way for the source's.
		for _, t := range []string{"labels", "event_types", "roles", "settings"} {
			if _, err := a.tx.ExecContext(ctx, `DELETE FROM "`+t+`"`); err != nil {
				return err
			}
		}
		return src.DumpTables(ctx, func(t annotate.Table) error {
			if err := loadTable(ctx, a.tx, t); err != nil {
				return fmt.Errorf("load %s: %w", t.Name, err)
			}
			return nil
		})
	})
	return err
}

func loadTable(ctx context.Context, tx *sql.Tx, t annotate.Table) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = `"` + c + `"`
		if t.Name == "labels" && c == "id" {
			cols[i] = "rowid"
		}
	}
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (?%s)`, t.Name,
		strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1)))
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	return t.Rows(func(row []any) error {
		_, err := stmt.ExecContext(ctx, row...)
		return mapErr(err)
	})
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
