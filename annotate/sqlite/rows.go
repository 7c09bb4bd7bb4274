package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"evident/annotate"
)

// Spans and events are stored in span_rows and event_rows (migration 0009): the status
// as a small integer (st) and the origin as the id of its name in names; event_args in
// arg_rows, the role as the id of its name. The views spans, events and event_args show
// them as they were, and take writes through triggers; the store
// writes the row tables itself wherever it inserts (an INSERT through a trigger has no
// LastInsertId) or writes many rows (a trigger runs row by row and reads the old row
// whole, the document's text included).

// stCode is the st of a status: 0 suggested, 1 accepted, 2 rejected. Anything else is
// passed on as it is, and fails st's CHECK.
func stCode(st annotate.Status) any {
	switch st {
	case annotate.StatusSuggested:
		return 0
	case annotate.StatusAccepted:
		return 1
	case annotate.StatusRejected:
		return 2
	}
	return string(st)
}

// stSQL is SQL for the st of the status expression expr (NULL for any other status).
func stSQL(expr string) string {
	return `CASE ` + expr + ` WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 WHEN 'rejected' THEN 2 END`
}

// nameSQL is SQL for the id in names of the name expression expr (an origin or a role);
// the name must be stored first (nameIDs, or an INSERT INTO names as merges do).
func nameSQL(expr string) string {
	return `(SELECT o.id FROM names o WHERE o.name = ` + expr + `)`
}

// labelSQL is SQL for the id of the label named by the expression expr: NULL when there
// is no such label, which span_rows.label refuses.
func labelSQL(expr string) string {
	return `(SELECT l.id FROM labels l WHERE l.name = ` + expr + `)`
}

// labelID is the id of the label named name. An unknown name is refused as such: the
// row table would only see a NULL and say "NOT NULL constraint failed: span_rows.label".
func labelID(ctx context.Context, q txLike, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM labels WHERE name = ?`, name).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, annotate.Errorf(annotate.EInvalid, "unknown label %q", name)
	}
	return id, err
}

// labelIDs reads the ids of the labels by name.
func labelIDs(ctx context.Context, q txLike) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, id FROM labels`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			return nil, err
		}
		ids[name] = id
	}
	return ids, rows.Err()
}

// nameIDs finds (adding when new) the ids of origin and role names within one
// transaction.
type nameIDs map[string]int64

func (c nameIDs) id(ctx context.Context, q txLike, name string) (int64, error) {
	if id, ok := c[name]; ok {
		return id, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM names WHERE name = ?`, name).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("origin %q: %w", name, err)
	}
	if err == sql.ErrNoRows {
		res, err := q.ExecContext(ctx, `INSERT INTO names (name) VALUES (?)`, name)
		if err != nil {
			return 0, fmt.Errorf("origin %q: %w", name, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, fmt.Errorf("origin %q: %w", name, err)
		}
	}
	c[name] = id
	return id, nil
}

// nameID is nameIDs for one name.
func nameID(ctx context.Context, q txLike, name string) (int64, error) {
	return nameIDs{}.id(ctx, q, name)
}

// storedText is the value stored for a span's text: NULL for an undecided suggestion,
// whose text is always the document's text[start:end] (the spans view and the span
// reader fill it in), else the text.
func storedText(st annotate.Status, text string) any {
	if st == annotate.StatusSuggested {
		return nil
	}
	return text
}
