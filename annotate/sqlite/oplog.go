package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"evident/annotate"
)

// txLike is what both *sql.Tx and *sql.DB offer; helpers that only read or write take it.
type txLike interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tableDef says which columns of a table the operations log images. Documents are
// imaged by status only: their text never changes after import and can be megabytes.
type tableDef struct {
	idCol string
	cols  []string
	// optional columns are imaged only when not NULL, and a missing one is restored as
	// NULL: columns added by later migrations leave the images of older rows (and the
	// logs written before the migration) byte-identical, so undo keeps working across it.
	optional []string
}

var logged = map[string]tableDef{
	"spans": {"id", []string{"doc", "start", "end", "label", "status", "origin", "annotator", "created", "updated", "attrs", "text"},
		[]string{"confidence", "run", "proposers"}},
	"events":     {"id", []string{"doc", "type", "trigger", "status", "origin", "annotator", "created"}, nil},
	"event_args": {"id", []string{"event", "role", "span"}, nil},
	"documents":  {"id", []string{"status"}, nil},
	"labels":     {"rowid", []string{"name", "kind", "color", "key", "description", "position"}, nil},
	// incidents.go
	"incidents":          {"id", []string{"title", "type", "place", "date", "annotator", "created", "updated"}, nil},
	"incident_events":    {"id", []string{"incident", "doc", "event", "annotator", "created"}, nil},
	"adjudications":      {"id", []string{"incident", "kind", "best", "low", "high", "note", "reviewer", "at"}, nil},
	"rejected_proposals": {"id", []string{"events", "score", "reasons", "annotator", "at"}, nil},
}

// allCols is the imaged columns, the optional ones last.
func (d tableDef) allCols() []string {
	if len(d.optional) == 0 {
		return d.cols
	}
	return append(append([]string(nil), d.cols...), d.optional...)
}

func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// rowImage returns the JSON image of one row ("" when it does not exist). Images are
// always produced here, from the database, so that two images of an unchanged row are
// byte-identical: that is how Undo detects that someone else changed a row since.
//
// A span's image holds its text even when the row does not store it (rows.go); texts
// slices it from the document, keeping the last one read, so a caller imaging many spans
// of a long document reads it once (nil: a reader for this call alone).
func rowImage(ctx context.Context, tx txLike, table string, id int64, texts *docTexts) (string, error) {
	def, ok := logged[table]
	if !ok {
		return "", fmt.Errorf("operations log: table %q is not logged", table)
	}
	cols := def.allCols()
	ptrs := make([]any, len(cols))
	vals := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	sel := quoteCols(cols)
	if table == "spans" {
		sel = strings.Replace(sel, `"text"`, `"stored_text"`, 1)
	}
	err := tx.QueryRowContext(ctx,
		fmt.Sprintf(`SELECT %s FROM %s WHERE %s = ?`, sel, table, def.idCol), id).Scan(ptrs...)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("image of %s %d: %w", table, id, err)
	}
	if table == "spans" {
		if err := imageText(ctx, tx, cols, vals, texts); err != nil {
			return "", fmt.Errorf("image of %s %d: %w", table, id, err)
		}
	}
	m := make(map[string]any, len(cols))
	for i, c := range cols {
		if b, ok := vals[i].([]byte); ok {
			vals[i] = string(b)
		}
		if i >= len(def.cols) && vals[i] == nil {
			continue // optional and NULL: not imaged
		}
		m[c] = vals[i]
	}
	data, err := json.Marshal(m) // map keys are sorted: the encoding is canonical
	if err != nil {
		return "", fmt.Errorf("image of %s %d: %w", table, id, err)
	}
	return string(data), nil
}

// imageText fills a span image's text when the row does not store it.
func imageText(ctx context.Context, tx txLike, cols []string, vals []any, texts *docTexts) error {
	at := map[string]int{}
	for i, c := range cols {
		at[c] = i
	}
	if vals[at["text"]] != nil {
		return nil
	}
	doc, ok1 := vals[at["doc"]].(int64)
	start, ok2 := vals[at["start"]].(int64)
	end, ok3 := vals[at["end"]].(int64)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("span without a place: %v %v %v", vals[at["doc"]], vals[at["start"]], vals[at["end"]])
	}
	if texts == nil {
		texts = &docTexts{ctx: ctx, q: tx}
	}
	text, err := texts.slice(doc, int(start), int(end))
	if err != nil {
		return err
	}
	vals[at["text"]] = text
	return nil
}

// applyImage makes row id of table equal to img, inserting, updating or deleting it.
func applyImage(ctx context.Context, tx txLike, table string, id int64, img string) error {
	def, ok := logged[table]
	if !ok {
		return fmt.Errorf("operations log: table %q is not logged", table)
	}
	if img == "" {
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, table, def.idCol), id)
		return err
	}
	dec := json.NewDecoder(strings.NewReader(img))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("operations log: bad image of %s %d: %w", table, id, err)
	}
	cols := def.allCols()
	args := make([]any, 0, len(cols)+1)
	for i, c := range cols {
		v, ok := m[c]
		if !ok && i < len(def.cols) {
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
	err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT 1 FROM %s WHERE %s = ?`, table, def.idCol), id).Scan(&exists)
	switch {
	case err == sql.ErrNoRows:
		q := fmt.Sprintf(`INSERT INTO %s (%s, %s) VALUES (?%s)`, table, def.idCol, quoteCols(cols),
			strings.Repeat(", ?", len(cols)))
		_, err = tx.ExecContext(ctx, q, append([]any{id}, args...)...)
		return err
	case err != nil:
		return err
	}
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = `"` + c + `" = ?`
	}
	q := fmt.Sprintf(`UPDATE %s SET %s WHERE %s = ?`, table, strings.Join(set, ", "), def.idCol)
	_, err = tx.ExecContext(ctx, q, append(args, id)...)
	return err
}

// change is one row an action changed; "" stands for "the row did not exist".
type change struct {
	table         string
	id            int64
	before, after string
}

// action is one user action in progress: its transaction and the rows it changed.
type action struct {
	ctx         context.Context
	tx          *sql.Tx
	kind        string
	annotator   string
	at          time.Time
	doc         int64
	summary     string
	changes     []change
	force       bool // log the op even without row changes (imports)
	notUndoable bool
	opID        int64
	texts       *docTexts // spans' texts the row does not store, for images (rowImage)
	names       nameIDs   // origin ids looked up by the action (shared.OriginValue)
}

func (a *action) image(table string, id int64) (string, error) {
	if a.texts == nil {
		a.texts = &docTexts{ctx: a.ctx, q: a.tx}
	}
	return rowImage(a.ctx, a.tx, table, id, a.texts)
}

// inserted records a row the action has just inserted.
func (a *action) inserted(table string, id int64) error {
	after, err := a.image(table, id)
	if err != nil {
		return err
	}
	a.changes = append(a.changes, change{table, id, "", after})
	return nil
}

// update runs fn, which changes row id of table, and records its images.
func (a *action) update(table string, id int64, fn func() error) error {
	before, err := a.image(table, id)
	if err != nil {
		return err
	}
	if before == "" {
		return annotate.Errorf(annotate.ENotFound, "%s %d does not exist", strings.TrimSuffix(table, "s"), id)
	}
	if err := fn(); err != nil {
		return err
	}
	after, err := a.image(table, id)
	if err != nil {
		return err
	}
	if after != before {
		a.changes = append(a.changes, change{table, id, before, after})
	}
	return nil
}

// remove deletes row id of table and records its before-image.
func (a *action) remove(table string, id int64) error {
	before, err := a.image(table, id)
	if err != nil {
		return err
	}
	if before == "" {
		return annotate.Errorf(annotate.ENotFound, "%s %d does not exist", strings.TrimSuffix(table, "s"), id)
	}
	if _, err := a.tx.ExecContext(a.ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, table, logged[table].idCol), id); err != nil {
		return err
	}
	a.changes = append(a.changes, change{table, id, before, ""})
	return nil
}

// log appends the op and its changes, and drops the annotator's redo chain: a new action
// makes the undone ones impossible to redo, as in every editor.
func (a *action) log() error {
	ctx, tx := a.ctx, a.tx
	if _, err := tx.ExecContext(ctx,
		`UPDATE ops SET state = 'dropped' WHERE annotator = ? AND state = 'undone'`, a.annotator); err != nil {
		return err
	}
	undoable := 1
	if a.notUndoable {
		undoable = 0
	}
	res, err := tx.ExecContext(ctx,
		`INSERT INTO ops (kind, annotator, at, doc, summary, undoable) VALUES (?, ?, ?, ?, ?, ?)`,
		a.kind, a.annotator, micros(a.at), a.doc, a.summary, undoable)
	if err != nil {
		return err
	}
	if a.opID, err = res.LastInsertId(); err != nil {
		return err
	}
	if len(a.changes) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx,
		`INSERT INTO op_changes (op, seq, tbl, row_id, before, after) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, c := range a.changes {
		if _, err := stmt.ExecContext(ctx, a.opID, i, c.table, c.id, nullString(c.before), nullString(c.after)); err != nil {
			return err
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const opCols = `id, kind, annotator, at, doc, summary, state`

func scanOp(sc interface{ Scan(...any) error }) (annotate.Op, error) {
	var op annotate.Op
	var at int64
	var state string
	err := sc.Scan(&op.ID, &op.Kind, &op.Annotator, &at, &op.DocID, &op.Summary, &state)
	op.At = fromMicros(at)
	op.Undone = state != "done"
	return op, err
}

// Undo reverts the annotator's latest action that is not undone, applying the
// before-images of its rows in reverse order. If one of those rows was changed since
// (by anyone), nothing is reverted and the error has code annotate.EConflict. Imports
// are not undoable and are passed over. It returns nil when there is nothing to undo.
func (s *Store) Undo(ctx context.Context, annotator string) (*annotate.Op, error) {
	return s.replay(ctx, annotator, true)
}

// Redo re-applies the annotator's most recently undone action, unless they have taken a
// new action since. It returns nil when there is nothing to redo.
func (s *Store) Redo(ctx context.Context, annotator string) (*annotate.Op, error) {
	return s.replay(ctx, annotator, false)
}

func (s *Store) replay(ctx context.Context, annotator string, undo bool) (*annotate.Op, error) {
	what := "redo"
	q := `SELECT ` + opCols + ` FROM ops WHERE annotator = ? AND state = 'undone' AND undoable = 1 ORDER BY id LIMIT 1`
	if undo {
		what = "undo"
		q = `SELECT ` + opCols + ` FROM ops WHERE annotator = ? AND state = 'done' AND undoable = 1 ORDER BY id DESC LIMIT 1`
	}
	if s.readOnly {
		return nil, s.errReadOnly(what)
	}
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("%s: begin: %w", what, mapErr(err))
	}
	defer tx.Rollback()
	op, err := scanOp(tx.QueryRowContext(ctx, q, annotator))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	if undo && op.Kind == "suggest" {
		// a suggestion run (suggestrun.go) is undone by its own rule, not by images
		run, err := runOf(ctx, tx, op.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, mapErr(err))
		}
		if run != 0 {
			if err := undoRun(ctx, tx, op, run); err != nil {
				return nil, fmt.Errorf("%s %q: %w", what, op.Summary, mapErr(err))
			}
			if err := tx.Commit(); err != nil {
				return nil, fmt.Errorf("%s: commit: %w", what, mapErr(err))
			}
			op.Undone = true
			return &op, nil
		}
	}
	order := "ASC"
	if undo {
		order = "DESC"
	}
	rows, err := tx.QueryContext(ctx,
		`SELECT tbl, row_id, coalesce(before, ''), coalesce(after, '') FROM op_changes WHERE op = ? ORDER BY seq `+order, op.ID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.table, &c.id, &c.before, &c.after); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	pc := phraseCounts{}
	texts := &docTexts{ctx: ctx, q: tx}
	for _, c := range changes {
		expect, target := c.before, c.after
		if undo {
			expect, target = c.after, c.before
		}
		cur, err := rowImage(ctx, tx, c.table, c.id, texts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, mapErr(err))
		}
		if cur != expect {
			return nil, annotate.Errorf(annotate.EConflict,
				"cannot %s %q: %s %d was changed since by another action", what, op.Summary,
				strings.TrimSuffix(c.table, "s"), c.id)
		}
		if err := applyImage(ctx, tx, c.table, c.id, target); err != nil {
			var se sqlite3.Error
			if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey {
				// E.g. undoing "add span" after someone made the span an event argument.
				return nil, annotate.Errorf(annotate.EConflict,
					"cannot %s %q: %s %d is used by something added since", what, op.Summary,
					strings.TrimSuffix(c.table, "s"), c.id)
			}
			return nil, fmt.Errorf("%s %q: %w", what, op.Summary, mapErr(err))
		}
		if err := pc.addChange(c.table, expect, target); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := pc.flush(ctx, tx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	state := "done"
	if undo {
		state = "undone"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ops SET state = ? WHERE id = ?`, state, op.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s: commit: %w", what, mapErr(err))
	}
	op.Undone = undo
	return &op, nil
}

// History returns the latest operations, newest first (all of them when limit ≤ 0).
func (s *Store) History(ctx context.Context, limit int) ([]annotate.Op, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT `+opCols+` FROM ops ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("history: %w", mapErr(err))
	}
	defer rows.Close()
	var ops []annotate.Op
	for rows.Next() {
		op, err := scanOp(rows)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		ops = append(ops, op)
	}
	return ops, rows.Err()
}
