package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"evident/annotate"
)

// TableDef says which columns of a table the operations log images. Documents are
// imaged by status only: their text never changes after import and can be megabytes.
type TableDef struct {
	IDCol string
	Cols  []string
	// Optional columns are imaged only when not NULL, and a missing one is restored as
	// NULL: columns added by later migrations leave the images of older rows (and the
	// logs written before the migration) byte-identical, so undo keeps working across it.
	// Both backends image alike, so their images agree.
	Optional []string
}

// LoggedTables is the tables the operations log images; labels are keyed by
// labelIDCol (SQLite's rowid, PostgreSQL's id).
func LoggedTables(labelIDCol string) map[string]TableDef {
	return map[string]TableDef{
		"spans": {"id", []string{"doc", "start", "end", "label", "status", "origin", "annotator", "created", "updated", "attrs", "text"},
			[]string{"confidence", "run", "proposers"}},
		"events":     {"id", []string{"doc", "type", "trigger", "status", "origin", "annotator", "created"}, nil},
		"event_args": {"id", []string{"event", "role", "span"}, nil},
		"documents":  {"id", []string{"status"}, nil},
		"labels":     {labelIDCol, []string{"name", "kind", "color", "key", "description", "position"}, nil},
		// incidents.go
		"incidents":          {"id", []string{"title", "type", "place", "date", "annotator", "created", "updated"}, nil},
		"incident_events":    {"id", []string{"incident", "doc", "event", "annotator", "created"}, nil},
		"adjudications":      {"id", []string{"incident", "kind", "best", "low", "high", "note", "reviewer", "at"}, nil},
		"rejected_proposals": {"id", []string{"events", "score", "reasons", "annotator", "at"}, nil},
	}
}

// AllCols is the imaged columns, the optional ones last.
func (d TableDef) AllCols() []string {
	if len(d.Optional) == 0 {
		return d.Cols
	}
	return append(append([]string(nil), d.Cols...), d.Optional...)
}

// QuoteCols is cols quoted and comma-separated, for a SELECT or INSERT.
func QuoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// ApplyImage makes row id of table (imaged as def says) equal to img, inserting, updating or deleting it.
func ApplyImage(ctx context.Context, q Q, def TableDef, table string, id int64, img string) error {
	if img == "" {
		_, err := q.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, table, def.IDCol), id)
		return err
	}
	dec := json.NewDecoder(strings.NewReader(img))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("operations log: bad image of %s %d: %w", table, id, err)
	}
	cols := def.AllCols()
	args := make([]any, 0, len(cols)+1)
	for i, c := range cols {
		v, ok := m[c]
		if !ok && i < len(def.Cols) {
			return fmt.Errorf("operations log: image of %s %d lacks %s", table, id, c)
		}
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				v = i
			} else if f, err := n.Float64(); err == nil {
				v = f
			}
		}
		args = append(args, v)
	}
	var exists int
	err := q.QueryRowContext(ctx, fmt.Sprintf(`SELECT 1 FROM %s WHERE %s = ?`, table, def.IDCol), id).Scan(&exists)
	switch {
	case q.NoRows(err):
		stmt := fmt.Sprintf(`INSERT INTO %s (%s, %s) VALUES (?%s)`, table, def.IDCol, QuoteCols(cols),
			strings.Repeat(", ?", len(cols)))
		_, err = q.ExecContext(ctx, stmt, append([]any{id}, args...)...)
		return err
	case err != nil:
		return err
	}
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = `"` + c + `" = ?`
	}
	stmt := fmt.Sprintf(`UPDATE %s SET %s WHERE %s = ?`, table, strings.Join(set, ", "), def.IDCol)
	_, err = q.ExecContext(ctx, stmt, append(args, id)...)
	return err
}

// OpCols are the columns ScanOp reads.
const OpCols = `id, kind, annotator, at, doc, summary, state`

// ScanOp reads one ops row (OpCols).
func ScanOp(sc interface{ Scan(...any) error }) (annotate.Op, error) {
	var op annotate.Op
	var at int64
	var state string
	err := sc.Scan(&op.ID, &op.Kind, &op.Annotator, &at, &op.DocID, &op.Summary, &state)
	op.At = FromMicros(at)
	op.Undone = state != "done"
	return op, err
}

// History reads the latest operations, newest first; limit is the LIMIT's value (the
// dialects say "no limit" differently).
func History(ctx context.Context, q Q, limit any) ([]annotate.Op, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+OpCols+` FROM ops ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("history: %w", q.MapErr(err))
	}
	defer rows.Close()
	var ops []annotate.Op
	for rows.Next() {
		op, err := ScanOp(rows)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		ops = append(ops, op)
	}
	return ops, rows.Err()
}

// Replayer is what Replay needs of a backend besides its transaction.
type Replayer struct {
	// Image is the current image of a row, as the backend's operations log takes it.
	Image func(table string, id int64) (string, error)
	// Apply is ApplyImage for a logged table.
	Apply func(table string, id int64, img string) error
	// ForeignKey reports an error for a foreign key the change would break.
	ForeignKey func(err error) bool
	// Counted keeps the learned-phrase counts up to date with a change of a row from one
	// image to another; Flush writes them.
	Counted func(table, from, to string) error
	Flush   func() error
}

// change is one logged change of a row: its table, id and images ("" for none).
type change struct {
	table         string
	id            int64
	before, after string
}

// opChanges reads the logged changes WHERE cond.
func opChanges(ctx context.Context, q Q, cond string, args ...any) ([]change, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT tbl, row_id, coalesce(before, ''), coalesce(after, '') FROM op_changes WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.table, &c.id, &c.before, &c.after); err != nil {
			rows.Close()
			return nil, err
		}
		changes = append(changes, c)
	}
	rows.Close()
	return changes, rows.Err()
}

// Replay undoes (undo) or redoes op in q's transaction, what being "undo" or "redo":
// it applies the images of its changes (before-images, in reverse order, for undo)
// after checking that every row is as the op left it (else annotate.EConflict, nothing
// applied), and marks op undone or done.
func Replay(ctx context.Context, q Q, r Replayer, op annotate.Op, undo bool, what string) error {
	order := "ASC"
	if undo {
		order = "DESC"
	}
	changes, err := opChanges(ctx, q, `op = ? ORDER BY seq `+order, op.ID)
	if err != nil {
		return fmt.Errorf("%s: %w", what, q.MapErr(err))
	}
	for _, c := range changes {
		expect, target := c.before, c.after
		if undo {
			expect, target = c.after, c.before
		}
		cur, err := r.Image(c.table, c.id)
		if err != nil {
			return fmt.Errorf("%s: %w", what, q.MapErr(err))
		}
		if cur != expect {
			return annotate.Errorf(annotate.EConflict,
				"cannot %s %q: %s %d was changed since by another action", what, op.Summary,
				strings.TrimSuffix(c.table, "s"), c.id)
		}
		if err := r.Apply(c.table, c.id, target); err != nil {
			if r.ForeignKey(err) {
				// E.g. undoing "add span" after someone made the span an event argument.
				return annotate.Errorf(annotate.EConflict,
					"cannot %s %q: %s %d is used by something added since", what, op.Summary,
					strings.TrimSuffix(c.table, "s"), c.id)
			}
			return fmt.Errorf("%s %q: %w", what, op.Summary, q.MapErr(err))
		}
		if err := r.Counted(c.table, expect, target); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := r.Flush(); err != nil {
		return fmt.Errorf("%s: %w", what, q.MapErr(err))
	}
	state := "done"
	if undo {
		state = "undone"
	}
	if _, err := q.ExecContext(ctx, `UPDATE ops SET state = ? WHERE id = ?`, state, op.ID); err != nil {
		return fmt.Errorf("%s: %w", what, q.MapErr(err))
	}
	return nil
}

// Changes is a backend action's side of the operations log: the image of a row as the
// backend takes it ("" for none) and the record of the action's changes.
type Changes interface {
	Image(table string, id int64) (string, error)
	Record(table string, id int64, before, after string)
}

// LogInserted records a row just inserted.
func LogInserted(c Changes, table string, id int64) error {
	after, err := c.Image(table, id)
	if err != nil {
		return err
	}
	c.Record(table, id, "", after)
	return nil
}

// LogUpdate runs fn, which changes row id of table, and records its images; a row that
// does not exist is annotate.ENotFound.
func LogUpdate(c Changes, table string, id int64, fn func() error) error {
	before, err := c.Image(table, id)
	if err != nil {
		return err
	}
	if before == "" {
		return annotate.Errorf(annotate.ENotFound, "%s %d does not exist", strings.TrimSuffix(table, "s"), id)
	}
	if err := fn(); err != nil {
		return err
	}
	after, err := c.Image(table, id)
	if err != nil {
		return err
	}
	if after != before {
		c.Record(table, id, before, after)
	}
	return nil
}

// LogRemove deletes row id of table (keyed by def's IDCol) and records its before-image.
func LogRemove(ctx context.Context, q Q, c Changes, def TableDef, table string, id int64) error {
	before, err := c.Image(table, id)
	if err != nil {
		return err
	}
	if before == "" {
		return annotate.Errorf(annotate.ENotFound, "%s %d does not exist", strings.TrimSuffix(table, "s"), id)
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, table, def.IDCol), id); err != nil {
		return err
	}
	c.Record(table, id, before, "")
	return nil
}
