package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// tableDef says which columns of a table the operations log images (sqlstore.TableDef).
type tableDef = sqlstore.TableDef

// logged is the tables the operations log images.
var logged = sqlstore.LoggedTables("id")

// rowImage returns the JSON image of one row ("" when it does not exist), locking the
// row until the action ends. Images are
// always produced here, from the database, so that two images of an unchanged row are
// byte-identical: that is how Undo detects that someone else changed a row since.
func rowImage(ctx context.Context, tx txLike, table string, id int64) (string, error) {
	def, ok := logged[table]
	if !ok {
		return "", fmt.Errorf("operations log: table %q is not logged", table)
	}
	return scanImage(tx.QueryRowContext(ctx, imageSQL(table, def, true), id), def, table, id)
}

// imageSQL selects the imaged columns of one row (by id, the one parameter), locking it.
func imageSQL(table string, def tableDef, lock bool) string {
	q := fmt.Sprintf(`SELECT %s FROM %s WHERE %s = ?`, sqlstore.QuoteCols(def.AllCols()), table, def.IDCol)
	if lock {
		q += ` FOR UPDATE`
	}
	return q
}

// scanImage reads the row imageSQL selected into its image ("" when there is none).
func scanImage(row pgx.Row, def tableDef, table string, id int64) (string, error) {
	cols := def.AllCols()
	ptrs := make([]any, len(cols))
	vals := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	err := row.Scan(ptrs...)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("image of %s %d: %w", table, id, err)
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

// applyImage makes row id of table equal to img, inserting, updating or deleting it.
func applyImage(ctx context.Context, tx txLike, table string, id int64, img string) error {
	def, ok := logged[table]
	if !ok {
		return fmt.Errorf("operations log: table %q is not logged", table)
	}
	return sqlstore.ApplyImage(ctx, sq{tx}, def, table, id, img)
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
	tx          txLike
	kind        string
	annotator   string
	at          time.Time
	doc         int64
	summary     string
	changes     []change
	force       bool // log the op even without row changes (imports)
	notUndoable bool
	opID        int64
	pipe        *pipeTx // the transaction, for batches (pipe.go); nil in imports
}

func (a *action) image(table string, id int64) (string, error) {
	return rowImage(a.ctx, a.tx, table, id)
}

// inserted records a row the action has just inserted (sqlstore.LogInserted).
func (a *action) inserted(table string, id int64) error { return sqlstore.LogInserted(a, table, id) }

// update runs fn, which changes row id of table, and records its images.
func (a *action) update(table string, id int64, fn func() error) error {
	return sqlstore.LogUpdate(a, table, id, fn)
}

// updateAll changes rows ids of table, one statement each (update gives its SQL and
// arguments), and records their images like update, in one round trip (pipe.go): per
// row, the image before (locking the row), the change, the image after. It returns the
// rows' before-images.
func (a *action) updateAll(table string, ids []int64, update func(id int64) (string, []any)) ([]string, error) {
	def, ok := logged[table]
	if !ok {
		return nil, fmt.Errorf("operations log: table %q is not logged", table)
	}
	if a.pipe == nil {
		return nil, fmt.Errorf("operations log: updateAll outside a write")
	}
	lock, read := rebind(imageSQL(table, def, true)), rebind(imageSQL(table, def, false))
	b := &pgx.Batch{}
	for _, id := range ids {
		b.Queue(lock, id)
		q, args := update(id)
		b.Queue(rebind(q), args...)
		b.Queue(read, id)
	}
	br := a.pipe.SendBatch(a.ctx, b)
	defer br.Close()
	befores := make([]string, len(ids))
	for i, id := range ids {
		before, err := scanImage(br.QueryRow(), def, table, id)
		if err != nil {
			return nil, err
		}
		if before == "" {
			return nil, annotate.Errorf(annotate.ENotFound, "%s %d does not exist", strings.TrimSuffix(table, "s"), id)
		}
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
		after, err := scanImage(br.QueryRow(), def, table, id)
		if err != nil {
			return nil, err
		}
		if after != before {
			a.changes = append(a.changes, change{table, id, before, after})
		}
		befores[i] = before
	}
	return befores, br.Close()
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

// log appends the op and its changes, drops the annotator's redo chain (a new action
// makes the undone ones impossible to redo, as in every editor) and notifies the other
// windows of the change.
func (a *action) log() error {
	q, args, rest := a.logSQL(true)
	if err := a.tx.QueryRowContext(a.ctx, q, args...).Scan(&a.opID); err != nil {
		return err
	}
	return a.logRest(rest)
}

// logChunk is how many changes one INSERT carries (the server takes at most 65,535
// parameters in one statement).
const logChunk = 1000

// logSQL returns one statement that drops the annotator's redo chain, appends the op
// and its first logChunk changes, and returns the op's id; rest is the changes left for
// logRest. With notify it also tells the other windows (delivered at commit). Every
// statement of a save costs a round trip to the server unless sent in one batch (pipe.go).
func (a *action) logSQL(notify bool) (q string, args []any, rest []change) {
	undoable := 1
	if a.notUndoable {
		undoable = 0
	}
	told, from := "", ""
	args = []any{a.annotator}
	if notify {
		told, from = `, told AS (SELECT pg_notify(?, ?))`, ` FROM told`
		args = append(args, notifyChannel, fmt.Sprint(a.doc))
	}
	args = append(args, a.kind, a.annotator, micros(a.at), a.doc, a.summary, undoable)
	head := `WITH dropped AS (
			UPDATE ops SET state = 'dropped' WHERE annotator = ? AND state = 'undone'
		)` + told + `, newop AS (INSERT INTO ops (kind, annotator, at, doc, summary, undoable)
			SELECT ?::text, ?::text, ?::bigint, ?::bigint, ?::text, ?::bigint` + from + ` RETURNING id)
		`
	first := a.changes[:min(len(a.changes), logChunk)]
	if len(first) == 0 {
		return head + `SELECT id FROM newop`, args, nil
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(`INSERT INTO op_changes (op, seq, tbl, row_id, before, after)
		SELECT newop.id, v.seq, v.tbl, v.row_id, v.before, v.after FROM newop, (VALUES `)
	for i, c := range first {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?::bigint, ?::text, ?::bigint, ?::text, ?::text)")
		args = append(args, i, c.table, c.id, sqlstore.NullString(c.before), sqlstore.NullString(c.after))
	}
	b.WriteString(`) AS v (seq, tbl, row_id, before, after) RETURNING op`)
	return b.String(), args, a.changes[len(first):]
}

// logRest appends the changes logSQL's statement could not carry.
func (a *action) logRest(rest []change) error {
	for from := 0; from < len(rest); from += logChunk {
		var b strings.Builder
		args := make([]any, 0, 6*logChunk)
		b.WriteString(`INSERT INTO op_changes (op, seq, tbl, row_id, before, after) VALUES `)
		for i := from; i < min(from+logChunk, len(rest)); i++ {
			c := rest[i]
			if i > from {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, a.opID, logChunk+i, c.table, c.id, sqlstore.NullString(c.before), sqlstore.NullString(c.after))
		}
		if _, err := a.tx.ExecContext(a.ctx, b.String(), args...); err != nil {
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
	q := `SELECT ` + sqlstore.OpCols + ` FROM ops WHERE annotator = ? AND state = 'undone' AND undoable = 1 ORDER BY id LIMIT 1 FOR UPDATE`
	if undo {
		what = "undo"
		q = `SELECT ` + sqlstore.OpCols + ` FROM ops WHERE annotator = ? AND state = 'done' AND undoable = 1 ORDER BY id DESC LIMIT 1 FOR UPDATE`
	}
	ptx, err := s.beginWrite(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("%s: begin: %w", what, err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	tx := pgq{ptx}
	if done, err := s.applied(ctx, tx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	} else if done {
		return nil, nil // applied by an earlier attempt of the same request
	}
	op, err := sqlstore.ScanOp(tx.QueryRowContext(ctx, q, annotator))
	if errors.Is(err, pgx.ErrNoRows) {
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
			if err := notify(ctx, tx, op.DocID); err != nil {
				return nil, fmt.Errorf("%s: %w", what, mapErr(err))
			}
			if err := ptx.Commit(ctx); err != nil {
				return nil, fmt.Errorf("%s: commit: %w", what, mapErr(err))
			}
			op.Undone = true
			return &op, nil
		}
	}
	pc := phraseCounts{}
	err = sqlstore.Replay(ctx, sq{tx}, sqlstore.Replayer{
		Image: func(table string, id int64) (string, error) { return rowImage(ctx, tx, table, id) },
		Apply: func(table string, id int64, img string) error { return applyImage(ctx, tx, table, id, img) },
		ForeignKey: func(err error) bool {
			var pe *pgconn.PgError
			return errors.As(err, &pe) && pe.Code == "23503"
		},
		Counted: pc.addChange,
		Flush:   func() error { return pc.flush(ctx, tx) },
	}, op, undo, what)
	if err != nil {
		return nil, err
	}
	if err := notify(ctx, tx, op.DocID); err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("%s: commit: %w", what, mapErr(err))
	}
	op.Undone = undo
	return &op, nil
}

// History returns the latest operations, newest first (all of them when limit ≤ 0).
func (s *Store) History(ctx context.Context, limit int) ([]annotate.Op, error) {
	var lim any = limit
	if limit <= 0 {
		lim = nil // LIMIT NULL: no limit
	}
	return sqlstore.History(ctx, sq{s.ro()}, lim)
}
