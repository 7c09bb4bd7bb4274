package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"evident/annotate"
	"evident/annotate/sqlstore"
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
	// The search bookkeeping (search_pending, search_state; the index itself is in <db>-search) is derived
	// from the documents: it is not copied, and the target rebuilds its own.
	// Spans, events and arguments are dumped as their views show them (the other backend's tables):
	// their row tables' encodings (rows.go) stay in this file.
	names, err := sqlstore.QueryColumn[string](ctx, sq{tx}, `SELECT name FROM sqlite_master WHERE (type = 'table'
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
		sel := sqlstore.QuoteCols(cols)
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
	return sqlstore.QueryColumn[string](ctx, sq{q}, `SELECT name FROM pragma_table_info(?) WHERE name != 'stored_text' ORDER BY cid`, table)
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
	table := t.Name
	for i, c := range t.Columns {
		cols[i] = `"` + c + `"`
		if t.Name == "labels" && c == "id" {
			cols[i] = "rowid"
		}
	}
	// Spans, events and arguments go into their row tables encoded as the store writes
	// them (rows.go), not through the views' triggers: a trigger runs row by row and
	// would store every suggestion's text, which the row tables leave to the document.
	var enc *rowEncoder
	if rt, ok := rowTables[t.Name]; ok {
		var err error
		if enc, err = newRowEncoder(ctx, tx, t.Columns); err != nil {
			return err
		}
		table = rt
		for i, c := range t.Columns {
			if c == "status" {
				cols[i] = "st"
			}
		}
	}
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (?%s)`, table,
		strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1)))
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	return t.Rows(func(row []any) error {
		if enc != nil {
			var err error
			if row, err = enc.encode(t.Name, row); err != nil {
				return err
			}
		}
		_, err := stmt.ExecContext(ctx, row...)
		return mapErr(err)
	})
}

// rowTables is the row table under each view a copy loads (rows.go).
var rowTables = map[string]string{"spans": "span_rows", "events": "event_rows", "event_args": "arg_rows"}

// rowEncoder turns a dumped row of spans, events or event_args (the old columns, as the
// other backend has them) into its row table's values.
type rowEncoder struct {
	ctx    context.Context
	tx     *sql.Tx
	at     map[string]int
	labels map[string]int64
	names  nameIDs
	texts  docTexts
	row    []any
}

func newRowEncoder(ctx context.Context, tx *sql.Tx, cols []string) (*rowEncoder, error) {
	labels, err := labelIDs(ctx, tx) // loaded before (annotate.SortTables)
	if err != nil {
		return nil, err
	}
	e := &rowEncoder{ctx: ctx, tx: tx, at: map[string]int{}, labels: labels, names: nameIDs{}, texts: docTexts{ctx: ctx, q: tx}}
	for i, c := range cols {
		e.at[c] = i
	}
	return e, nil
}

func (e *rowEncoder) encode(table string, row []any) ([]any, error) {
	e.row = append(e.row[:0], row...)
	for _, c := range []string{"origin", "role"} {
		if i, ok := e.at[c]; ok {
			name, _ := e.row[i].(string)
			id, err := e.names.id(e.ctx, e.tx, name)
			if err != nil {
				return nil, err
			}
			e.row[i] = id
		}
	}
	i, ok := e.at["status"]
	if !ok {
		return e.row, nil
	}
	st, _ := e.row[i].(string)
	e.row[i] = stCode(annotate.Status(st))
	if table != "spans" {
		return e.row, nil
	}
	l := e.at["label"]
	label, _ := e.row[l].(string)
	id, ok := e.labels[label]
	if !ok {
		return nil, annotate.Errorf(annotate.EInvalid, "span %v: label %q is not among the labels", e.row[e.at["id"]], label)
	}
	e.row[l] = id
	// An undecided suggestion whose text is its document's stores none, as the store
	// writes it; any other text is kept as it came.
	if t, ok := e.at["text"]; ok && st == string(annotate.StatusSuggested) {
		text, isText := e.row[t].(string)
		doc, ok1 := asInt(e.row[e.at["doc"]])
		start, ok2 := asInt(e.row[e.at["start"]])
		end, ok3 := asInt(e.row[e.at["end"]])
		if isText && ok1 && ok2 && ok3 {
			sub, err := e.texts.slice(doc, int(start), int(end))
			if err != nil {
				return nil, err
			}
			if sub == text {
				e.row[t] = nil
			}
		}
	}
	return e.row, nil
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

// asInt is an integer a dump gave as any integer type.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int:
		return int64(n), true
	}
	return 0, false
}
