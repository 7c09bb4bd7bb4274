package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// LoadEvents reads the events of a few documents (one query each for events and args).
func LoadEvents(ctx context.Context, q Q, docs []int64) (map[int64][]annotate.Event, error) {
	out := map[int64][]annotate.Event{}
	if len(docs) == 0 {
		return out, nil
	}
	in, args := InList(docs)
	rows, err := q.QueryContext(ctx, `SELECT id, doc, type, trigger, status, origin, annotator FROM events
		WHERE doc IN `+in+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	index := map[int64][2]int{} // event id -> (doc, position)
	var order []int64
	for rows.Next() {
		var e annotate.Event
		var st string
		if err := rows.Scan(&e.ID, &e.DocID, &e.Type, &e.Trigger, &st, &e.Origin, &e.Annotator); err != nil {
			rows.Close()
			return nil, err
		}
		e.Status = annotate.Status(st)
		out[e.DocID] = append(out[e.DocID], e)
		order = append(order, e.ID)
		index[e.ID] = [2]int{int(e.DocID), len(out[e.DocID]) - 1}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return out, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT a.event, a.role, a.span FROM event_args a JOIN events e ON e.id = a.event
		WHERE e.doc IN `+in+` ORDER BY a.event, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev int64
		var arg annotate.Argument
		if err := rows.Scan(&ev, &arg.Role, &arg.SpanID); err != nil {
			return nil, err
		}
		pos := index[ev]
		e := &out[int64(pos[0])][pos[1]]
		e.Args = append(e.Args, arg)
	}
	return out, rows.Err()
}

// InList is "(?,?,...)" for ids, and its arguments.
func InList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	b := make([]byte, 0, 2*len(ids)+1)
	b = append(b, '(')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
		args[i] = id
	}
	return string(append(b, ')')), args
}

// Vocabulary is the schema's event types and roles, for validating events.
type Vocabulary struct {
	types map[string]map[string]bool // event type -> allowed roles
	roles map[string]bool
}

// LoadVocabulary reads the event types and roles.
func LoadVocabulary(ctx context.Context, q Q) (*Vocabulary, error) {
	v := &Vocabulary{types: map[string]map[string]bool{}, roles: map[string]bool{}}
	rows, err := q.QueryContext(ctx, `SELECT name, roles FROM event_types`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, roles string
		if err := rows.Scan(&name, &roles); err != nil {
			rows.Close()
			return nil, err
		}
		var rs []string
		if err := json.Unmarshal([]byte(roles), &rs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("event type %s: bad roles: %w", name, err)
		}
		v.types[name] = map[string]bool{}
		for _, r := range rs {
			v.types[name][r] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roles, err := q.QueryContext(ctx, `SELECT name FROM roles`)
	if err != nil {
		return nil, err
	}
	defer roles.Close()
	for roles.Next() {
		var r string
		if err := roles.Scan(&r); err != nil {
			return nil, err
		}
		v.roles[r] = true
	}
	return v, roles.Err()
}

// Check validates a type and role against the schema. A database without event types
// (opened without a default schema) accepts any.
func (v *Vocabulary) Check(typ, role string) error {
	if len(v.types) == 0 {
		return nil
	}
	allowed, ok := v.types[typ]
	if !ok {
		return annotate.Errorf(annotate.EInvalid, "unknown event type %q", typ)
	}
	if role != "" && !allowed[role] {
		return annotate.Errorf(annotate.EInvalid, "event type %s has no role %q", typ, role)
	}
	return nil
}

// SpanDoc returns the document of span id, ENotFound if it does not exist.
func SpanDoc(ctx context.Context, q Q, id int64) (int64, error) {
	var doc int64
	err := q.QueryRowContext(ctx, `SELECT doc FROM spans WHERE id = ?`, id).Scan(&doc)
	if q.NoRows(err) {
		return 0, annotate.Errorf(annotate.ENotFound, "span %d does not exist", id)
	}
	return doc, err
}

// EventHead returns the document and type of event id, ENotFound if it does not exist.
func EventHead(ctx context.Context, q Q, id int64) (doc int64, typ string, err error) {
	err = q.QueryRowContext(ctx, `SELECT doc, type FROM events WHERE id = ?`, id).Scan(&doc, &typ)
	if q.NoRows(err) {
		return 0, "", annotate.Errorf(annotate.ENotFound, "event %d does not exist", id)
	}
	return doc, typ, err
}

// QueryColumn reads one column of every row of a query.
func QueryColumn[T any](ctx context.Context, q Q, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// QueryIDs reads a column of ids.
func QueryIDs(ctx context.Context, q Q, query string, args ...any) ([]int64, error) {
	return QueryColumn[int64](ctx, q, query, args...)
}

// AddEvent validates e against the schema and its spans, and inserts it with its
// arguments in a's transaction, logging every row. e.DocID 0 takes the trigger's
// document.
func AddEvent(a Action, e annotate.Event) (annotate.Event, error) {
	ctx, q := a.Ctx(), a.Q()
	voc, err := LoadVocabulary(ctx, q)
	if err != nil {
		return e, err
	}
	if err := voc.Check(e.Type, ""); err != nil {
		return e, err
	}
	doc, err := SpanDoc(ctx, q, e.Trigger)
	if err != nil {
		return e, err
	}
	if e.DocID == 0 {
		e.DocID = doc
	}
	if doc != e.DocID {
		return e, annotate.Errorf(annotate.EInvalid, "trigger span %d is not in document %d", e.Trigger, e.DocID)
	}
	id, err := InsertEvent(a, e, voc)
	if err != nil {
		return e, err
	}
	e.ID = id
	a.SetDoc(e.DocID)
	a.SetSummary(fmt.Sprintf("add %s event", e.Type))
	return e, nil
}

// InsertEvent inserts e and its args, logging each row.
func InsertEvent(a Action, e annotate.Event, voc *Vocabulary) (int64, error) {
	id, err := a.InsertEvent(e)
	if err != nil {
		return 0, err
	}
	if err := a.Inserted("events", id); err != nil {
		return 0, err
	}
	for _, arg := range e.Args {
		if err := InsertArg(a, id, e.DocID, e.Type, arg, voc); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// InsertArg puts a span of doc in a role of event (of type typ), logging the row; a
// repeated argument changes nothing.
func InsertArg(a Action, event, doc int64, typ string, arg annotate.Argument, voc *Vocabulary) error {
	if err := voc.Check(typ, arg.Role); err != nil {
		return err
	}
	d, err := SpanDoc(a.Ctx(), a.Q(), arg.SpanID)
	if err != nil {
		return err
	}
	if d != doc {
		return annotate.Errorf(annotate.EInvalid, "argument span %d is not in document %d", arg.SpanID, doc)
	}
	id, err := a.InsertArg(event, arg.Role, arg.SpanID)
	if err != nil || id == 0 {
		return err // id 0: already there, adding it again changes nothing
	}
	return a.Inserted("event_args", id)
}

// AddArgument puts a span in a role of an event.
func AddArgument(a Action, eventID int64, arg annotate.Argument) error {
	ctx, q := a.Ctx(), a.Q()
	doc, typ, err := EventHead(ctx, q, eventID)
	if err != nil {
		return err
	}
	voc, err := LoadVocabulary(ctx, q)
	if err != nil {
		return err
	}
	a.SetDoc(doc)
	a.SetSummary(fmt.Sprintf("add %s to %s event", arg.Role, typ))
	return InsertArg(a, eventID, doc, typ, arg, voc)
}

// RemoveArgument takes a span out of a role of an event.
func RemoveArgument(a Action, eventID int64, arg annotate.Argument) error {
	ctx, q := a.Ctx(), a.Q()
	doc, typ, err := EventHead(ctx, q, eventID)
	if err != nil {
		return err
	}
	var id int64
	err = q.QueryRowContext(ctx, `SELECT id FROM event_args WHERE event = ? AND role = ? AND span = ?`,
		eventID, arg.Role, arg.SpanID).Scan(&id)
	if q.NoRows(err) {
		return annotate.Errorf(annotate.ENotFound, "event %d has no %s argument span %d", eventID, arg.Role, arg.SpanID)
	}
	if err != nil {
		return err
	}
	a.SetDoc(doc)
	a.SetSummary(fmt.Sprintf("remove %s from %s event", arg.Role, typ))
	return a.Remove("event_args", id)
}

// DeleteEventAction deletes an event and its arguments (not the spans).
func DeleteEventAction(a Action, id int64) error {
	doc, typ, err := EventHead(a.Ctx(), a.Q(), id)
	if err != nil {
		return err
	}
	a.SetDoc(doc)
	a.SetSummary(fmt.Sprintf("delete %s event", typ))
	return DeleteEvent(a, id)
}

// DeleteEvent removes an event, its arguments and its incident link, logging each row.
func DeleteEvent(a Action, id int64) error {
	ctx, q := a.Ctx(), a.Q()
	// The event leaves its incident first (incidents.go); undo puts it back.
	links, err := QueryIDs(ctx, q, `SELECT id FROM incident_events WHERE event = ?`, id)
	if err != nil {
		return err
	}
	for _, l := range links {
		if err := a.Remove("incident_events", l); err != nil {
			return err
		}
	}
	args, err := QueryIDs(ctx, q, `SELECT id FROM event_args WHERE event = ? ORDER BY id`, id)
	if err != nil {
		return err
	}
	for _, arg := range args {
		if err := a.Remove("event_args", arg); err != nil {
			return err
		}
	}
	return a.Remove("events", id)
}
