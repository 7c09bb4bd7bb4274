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
	"evident/annotate/sqlstore"
)

// txLike is what both *sql.Tx and *sql.DB offer; helpers that only read or write take it.
type txLike interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tableDef says which columns of a table the operations log images (sqlstore.TableDef).
type tableDef = sqlstore.TableDef

// logged is the tables the operations log images.
var logged = sqlstore.LoggedTables("rowid")

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
	cols := def.AllCols()
	ptrs := make([]any, len(cols))
	vals := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	sel := sqlstore.QuoteCols(cols)
	if table == "spans" {
		sel = strings.Replace(sel, `"text"`, `"stored_text"`, 1)
	}
	err := tx.QueryRowContext(ctx,
		fmt.Sprintf(`SELECT %s FROM %s WHERE %s = ?`, sel, table, def.IDCol), id).Scan(ptrs...)
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
		if i >= len(def.Cols) && vals[i] == nil {
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
	if err := sqlstore.ApplyImage(ctx, sq{tx}, def, table, id, img); err != nil || table != "spans" || img == "" {
		return err
	}
	// A span's image holds its text, which the spans view's triggers store as given; an
	// undecided suggestion whose text is its document's stores none (migration 0009).
	_, err := tx.ExecContext(ctx, `UPDATE span_rows SET text = NULL WHERE id = ? AND st = 0 AND text IS NOT NULL
		AND text IS (SELECT substr(d.text, span_rows.start + 1, span_rows."end" - span_rows.start) FROM documents d WHERE d.id = span_rows.doc)`, id)
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
	texts       *docTexts        // spans' texts the row does not store, for images (rowImage)
	names       nameIDs          // origin ids looked up by the action (shared.OriginValue)
	labels      map[string]int64 // label ids looked up by the action (shared.LabelValue)
}

func (a *action) image(table string, id int64) (string, error) {
	if a.texts == nil {
		a.texts = &docTexts{ctx: a.ctx, q: a.tx}
	}
	return rowImage(a.ctx, a.tx, table, id, a.texts)
}

// inserted records a row the action has just inserted (sqlstore.LogInserted).
func (a *action) inserted(table string, id int64) error { return sqlstore.LogInserted(a, table, id) }

// update runs fn, which changes row id of table, and records its images.
func (a *action) update(table string, id int64, fn func() error) error {
	return sqlstore.LogUpdate(a, table, id, fn)
}

// remove deletes row id of table and records its before-image.
func (a *action) remove(table string, id int64) error {
	return sqlstore.LogRemove(a.ctx, sq{a.tx}, a, logged[table], table, id)
}

// Image and Record are the action as sqlstore.Changes.
func (a *action) Image(table string, id int64) (string, error) { return a.image(table, id) }
func (a *action) Record(table string, id int64, before, after string) {
	a.changes = append(a.changes, change{table, id, before, after})
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
		if _, err := stmt.ExecContext(ctx, a.opID, i, c.table, c.id, sqlstore.NullString(c.before), sqlstore.NullString(c.after)); err != nil {
			return err
		}
	}
	return nil
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
	q := `SELECT ` + sqlstore.OpCols + ` FROM ops WHERE annotator = ? AND state = 'undone' AND undoable = 1 ORDER BY id LIMIT 1`
	if undo {
		what = "undo"
		q = `SELECT ` + sqlstore.OpCols + ` FROM ops WHERE annotator = ? AND state = 'done' AND undoable = 1 ORDER BY id DESC LIMIT 1`
	}
	if s.readOnly {
		return nil, s.errReadOnly(what)
	}
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("%s: begin: %w", what, mapErr(err))
	}
	defer tx.Rollback()
	op, err := sqlstore.ScanOp(tx.QueryRowContext(ctx, q, annotator))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	if undo && op.Kind == "suggest" {
		// a suggestion run (suggestrun.go) is undone by its own rule, not by images
		run, err := sqlstore.RunOf(ctx, sq{tx}, op.ID)
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
	texts := &docTexts{ctx: ctx, q: tx}
	pc := phraseCounts{}
	err = sqlstore.Replay(ctx, sq{tx}, sqlstore.Replayer{
		Image: func(table string, id int64) (string, error) { return rowImage(ctx, tx, table, id, texts) },
		Apply: func(table string, id int64, img string) error { return applyImage(ctx, tx, table, id, img) },
		ForeignKey: func(err error) bool {
			var se sqlite3.Error
			return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
		},
		Counted: pc.addChange,
		Flush:   func() error { return pc.flush(ctx, tx) },
	}, op, undo, what)
	if err != nil {
		return nil, err
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
	return sqlstore.History(ctx, sq{s.ro}, limit)
}
