package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// Events returns a document's events with their arguments, ordered by id.
func (s *Store) Events(ctx context.Context, docID int64) ([]annotate.Event, error) {
	evs, err := loadEvents(ctx, s.ro, []int64{docID})
	if err != nil {
		return nil, fmt.Errorf("events of document %d: %w", docID, mapErr(err))
	}
	return evs[docID], nil
}

// loadEvents reads the events of a few documents (one query each for events and args).
func loadEvents(ctx context.Context, q txLike, docs []int64) (map[int64][]annotate.Event, error) {
	out := map[int64][]annotate.Event{}
	if len(docs) == 0 {
		return out, nil
	}
	in, args := inList(docs)
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

func inList(ids []int64) (string, []any) {
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

// vocabulary is the schema's event types and roles, for validating events.
type vocabulary struct {
	types map[string]map[string]bool // event type -> allowed roles
	roles map[string]bool
}

func loadVocabulary(ctx context.Context, q txLike) (*vocabulary, error) {
	v := &vocabulary{types: map[string]map[string]bool{}, roles: map[string]bool{}}
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

// checkEvent validates a type and role against the schema. A database without event
// types (opened without a default schema) accepts any.
func (v *vocabulary) check(typ, role string) error {
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

// spanDoc returns the document of span id, ENotFound if it does not exist.
func spanDoc(ctx context.Context, q txLike, id int64) (int64, error) {
	var doc int64
	err := q.QueryRowContext(ctx, `SELECT doc FROM spans WHERE id = ?`, id).Scan(&doc)
	if err == sql.ErrNoRows {
		return 0, annotate.Errorf(annotate.ENotFound, "span %d does not exist", id)
	}
	return doc, err
}

// AddEvent stores an event and its arguments. The trigger and every argument must be
// spans of the event's document. Status defaults to accepted, origin to manual.
func (s *Store) AddEvent(ctx context.Context, e annotate.Event) (annotate.Event, error) {
	if e.Status == "" {
		e.Status = annotate.StatusAccepted
	}
	if _, err := annotate.ParseStatus(string(e.Status)); err != nil {
		return annotate.Event{}, err
	}
	if e.Origin == "" {
		e.Origin = annotate.OriginManual
	}
	_, err := s.write(ctx, "add_event", e.Annotator, func(a *action) error {
		voc, err := loadVocabulary(ctx, a.tx)
		if err != nil {
			return err
		}
		if err := voc.check(e.Type, ""); err != nil {
			return err
		}
		doc, err := spanDoc(ctx, a.tx, e.Trigger)
		if err != nil {
			return err
		}
		if e.DocID == 0 {
			e.DocID = doc
		}
		if doc != e.DocID {
			return annotate.Errorf(annotate.EInvalid, "trigger span %d is not in document %d", e.Trigger, e.DocID)
		}
		id, err := insertEvent(a, e, voc)
		if err != nil {
			return err
		}
		e.ID = id
		a.doc = e.DocID
		a.summary = fmt.Sprintf("add %s event", e.Type)
		return nil
	})
	if err != nil {
		return annotate.Event{}, err
	}
	return e, nil
}

// insertEvent inserts e and its args, logging each row.
func insertEvent(a *action, e annotate.Event, voc *vocabulary) (int64, error) {
	origin, err := nameID(a.ctx, a.tx, e.Origin)
	if err != nil {
		return 0, err
	}
	res, err := a.tx.ExecContext(a.ctx, `INSERT INTO event_rows (doc, type, trigger, st, origin, annotator, created)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.DocID, e.Type, e.Trigger, stCode(e.Status), origin, e.Annotator, micros(a.at))
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := a.inserted("events", id); err != nil {
		return 0, err
	}
	for _, arg := range e.Args {
		if err := insertArg(a, id, e.DocID, e.Type, arg, voc); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func insertArg(a *action, event, doc int64, typ string, arg annotate.Argument, voc *vocabulary) error {
	if err := voc.check(typ, arg.Role); err != nil {
		return err
	}
	d, err := spanDoc(a.ctx, a.tx, arg.SpanID)
	if err != nil {
		return err
	}
	if d != doc {
		return annotate.Errorf(annotate.EInvalid, "argument span %d is not in document %d", arg.SpanID, doc)
	}
	role, err := nameID(a.ctx, a.tx, arg.Role)
	if err != nil {
		return err
	}
	// no unique index on event_args (0009): a repeated argument is skipped here
	res, err := a.tx.ExecContext(a.ctx, `INSERT INTO arg_rows (event, role, span) SELECT ?1, ?2, ?3
		WHERE NOT EXISTS (SELECT 1 FROM arg_rows WHERE event = ?1 AND role = ?2 AND span = ?3)`, event, role, arg.SpanID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already there: adding it again changes nothing
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	return a.inserted("event_args", id)
}

func eventHead(ctx context.Context, q txLike, id int64) (doc int64, typ string, err error) {
	err = q.QueryRowContext(ctx, `SELECT doc, type FROM events WHERE id = ?`, id).Scan(&doc, &typ)
	if err == sql.ErrNoRows {
		return 0, "", annotate.Errorf(annotate.ENotFound, "event %d does not exist", id)
	}
	return doc, typ, err
}

// AddArgument puts a span in a role of an event.
func (s *Store) AddArgument(ctx context.Context, eventID int64, arg annotate.Argument, annotator string) error {
	_, err := s.write(ctx, "add_argument", annotator, func(a *action) error {
		doc, typ, err := eventHead(ctx, a.tx, eventID)
		if err != nil {
			return err
		}
		voc, err := loadVocabulary(ctx, a.tx)
		if err != nil {
			return err
		}
		a.doc = doc
		a.summary = fmt.Sprintf("add %s to %s event", arg.Role, typ)
		return insertArg(a, eventID, doc, typ, arg, voc)
	})
	return err
}

// RemoveArgument takes a span out of a role of an event.
func (s *Store) RemoveArgument(ctx context.Context, eventID int64, arg annotate.Argument, annotator string) error {
	_, err := s.write(ctx, "remove_argument", annotator, func(a *action) error {
		doc, typ, err := eventHead(ctx, a.tx, eventID)
		if err != nil {
			return err
		}
		var id int64
		err = a.tx.QueryRowContext(ctx, `SELECT id FROM event_args WHERE event = ? AND role = ? AND span = ?`,
			eventID, arg.Role, arg.SpanID).Scan(&id)
		if err == sql.ErrNoRows {
			return annotate.Errorf(annotate.ENotFound, "event %d has no %s argument span %d", eventID, arg.Role, arg.SpanID)
		}
		if err != nil {
			return err
		}
		a.doc = doc
		a.summary = fmt.Sprintf("remove %s from %s event", arg.Role, typ)
		return a.remove("event_args", id)
	})
	return err
}

// DeleteEvent deletes an event and its arguments (not the spans).
func (s *Store) DeleteEvent(ctx context.Context, id int64, annotator string) error {
	_, err := s.write(ctx, "delete_event", annotator, func(a *action) error {
		doc, typ, err := eventHead(ctx, a.tx, id)
		if err != nil {
			return err
		}
		a.doc = doc
		a.summary = fmt.Sprintf("delete %s event", typ)
		return deleteEvent(a, id)
	})
	return err
}

func deleteEvent(a *action, id int64) error {
	// The event leaves its incident first (incidents.go); undo puts it back.
	links, err := queryIDs(a.ctx, a.tx, `SELECT id FROM incident_events WHERE event = ?`, id)
	if err != nil {
		return err
	}
	for _, l := range links {
		if err := a.remove("incident_events", l); err != nil {
			return err
		}
	}
	args, err := queryIDs(a.ctx, a.tx, `SELECT id FROM event_args WHERE event = ? ORDER BY id`, id)
	if err != nil {
		return err
	}
	for _, arg := range args {
		if err := a.remove("event_args", arg); err != nil {
			return err
		}
	}
	return a.remove("events", id)
}
