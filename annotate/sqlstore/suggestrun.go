package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"evident/annotate"
)

// RunMarker is the op_changes table name of a suggestion run's marker row (seq 0, the
// run's id as row_id): it tells Undo that the op is a run, undone by UndoRun.
const RunMarker = "runs"

// RunOf returns the suggestion run op logged, 0 when op is no run.
func RunOf(ctx context.Context, q Q, op int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT row_id FROM op_changes WHERE op = ? AND seq = 0 AND tbl = ?`, op, RunMarker).Scan(&id)
	if q.NoRows(err) {
		return 0, nil
	}
	return id, err
}

// UndoRun undoes suggestion run op in q's transaction: unless a row the run replaced
// was added again, or one it changed was changed since (annotate.EConflict), it lets
// deleteRun delete the run's suggestions that are still undecided (the backend's own
// SQL), restores the rows the run replaced or changed, in reverse order (spans before
// the events that use them), and drops the op: a run cannot be redone. r.ForeignKey is
// not used.
func UndoRun(ctx context.Context, q Q, op annotate.Op, r Replayer, deleteRun func() error) error {
	changes, err := opChanges(ctx, q, `op = ? AND seq > 0 ORDER BY seq DESC`, op.ID)
	if err != nil {
		return err
	}
	for _, c := range changes {
		cur, err := r.Image(c.table, c.id)
		if err != nil {
			return err
		}
		if c.after != "" { // a row the run changed (a proposer added or dropped): unchanged since?
			if cur != c.after {
				return annotate.Errorf(annotate.EConflict, "cannot undo %q: %s %d was changed since",
					op.Summary, strings.TrimSuffix(c.table, "s"), c.id)
			}
			continue
		}
		if cur != "" {
			return annotate.Errorf(annotate.EConflict, "cannot undo %q: %s %d was added again since",
				op.Summary, strings.TrimSuffix(c.table, "s"), c.id)
		}
	}
	if err := deleteRun(); err != nil {
		return err
	}
	for _, c := range changes {
		if err := r.Apply(c.table, c.id, c.before); err != nil {
			return err
		}
		if err := r.Counted(c.table, c.after, c.before); err != nil {
			return err
		}
	}
	if err := r.Flush(); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE ops SET state = 'dropped' WHERE id = ?`, op.ID)
	return err
}

// RemoveSuggestion removes an undecided span of a suggestion run with its events and
// the arguments that use it, each through removeRow (which logs the row's image).
func RemoveSuggestion(ctx context.Context, q Q, id int64, removeRow func(table string, id int64) error) error {
	args, err := QueryIDs(ctx, q, `SELECT a.id FROM event_args a WHERE a.span = ?
		UNION SELECT a.id FROM event_args a JOIN events e ON e.id = a.event WHERE e.trigger = ?`, id, id)
	if err != nil {
		return err
	}
	events, err := QueryIDs(ctx, q, `SELECT id FROM events WHERE trigger = ?`, id)
	if err != nil {
		return err
	}
	for _, a := range args {
		if err := removeRow("event_args", a); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := removeRow("events", e); err != nil {
			return err
		}
	}
	return removeRow("spans", id)
}

// ReadProposals reads who proposed span id.
func ReadProposals(ctx context.Context, q Q, id int64) (annotate.Span, error) {
	sp := annotate.Span{ID: id}
	var conf sql.NullFloat64
	var run sql.NullInt64
	var props sql.NullString
	err := q.QueryRowContext(ctx, `SELECT status, origin, confidence, run, proposers FROM spans WHERE id = ?`, id).
		Scan(&sp.Status, &sp.Origin, &conf, &run, &props)
	if err != nil {
		return sp, fmt.Errorf("span %d: %w", id, err)
	}
	if conf.Valid {
		c := conf.Float64
		sp.Confidence = &c
	}
	sp.RunID = run.Int64
	sp.Proposers, err = annotate.DecodeProposers(props.String)
	return sp, err
}

// RunSource returns the source of run id ("" for none), remembering it in sources.
func RunSource(ctx context.Context, q Q, sources *map[int64]string, id int64) (string, error) {
	if s, ok := (*sources)[id]; ok {
		return s, nil
	}
	var s string
	err := q.QueryRowContext(ctx, `SELECT source FROM runs WHERE id = ?`, id).Scan(&s)
	if err != nil && !q.NoRows(err) {
		return "", err
	}
	if *sources == nil {
		*sources = map[int64]string{}
	}
	(*sources)[id] = s
	return s, nil
}
