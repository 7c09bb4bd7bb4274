package postgres

import (
	"context"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Events returns a document's events with their arguments, ordered by id.
func (s *Store) Events(ctx context.Context, docID int64) ([]annotate.Event, error) {
	evs, err := loadEvents(ctx, s.ro(), []int64{docID})
	if err != nil {
		return nil, fmt.Errorf("events of document %d: %w", docID, mapErr(err))
	}
	return evs[docID], nil
}

// loadEvents reads the events of a few documents (sqlstore.LoadEvents).
func loadEvents(ctx context.Context, q txLike, docs []int64) (map[int64][]annotate.Event, error) {
	return sqlstore.LoadEvents(ctx, sq{q}, docs)
}

func inList(ids []int64) (string, []any) { return sqlstore.InList(ids) }

// vocabulary is the schema's event types and roles, for validating events.
type vocabulary struct{ *sqlstore.Vocabulary }

func loadVocabulary(ctx context.Context, q txLike) (*vocabulary, error) {
	v, err := sqlstore.LoadVocabulary(ctx, sq{q})
	if err != nil {
		return nil, err
	}
	return &vocabulary{v}, nil
}

// check validates a type and role against the schema (sqlstore.Vocabulary.Check).
func (v *vocabulary) check(typ, role string) error { return v.Check(typ, role) }

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
	_, err := s.write(ctx, "add_event", e.Annotator, func(a *action) (err error) {
		e, err = sqlstore.AddEvent(shared{a}, e)
		return err
	})
	if err != nil {
		return annotate.Event{}, err
	}
	return e, nil
}

func eventHead(ctx context.Context, q txLike, id int64) (doc int64, typ string, err error) {
	return sqlstore.EventHead(ctx, sq{q}, id)
}

// AddArgument puts a span in a role of an event.
func (s *Store) AddArgument(ctx context.Context, eventID int64, arg annotate.Argument, annotator string) error {
	_, err := s.write(ctx, "add_argument", annotator, func(a *action) error {
		return sqlstore.AddArgument(shared{a}, eventID, arg)
	})
	return err
}

// RemoveArgument takes a span out of a role of an event.
func (s *Store) RemoveArgument(ctx context.Context, eventID int64, arg annotate.Argument, annotator string) error {
	_, err := s.write(ctx, "remove_argument", annotator, func(a *action) error {
		return sqlstore.RemoveArgument(shared{a}, eventID, arg)
	})
	return err
}

// DeleteEvent deletes an event and its arguments (not the spans).
func (s *Store) DeleteEvent(ctx context.Context, id int64, annotator string) error {
	_, err := s.write(ctx, "delete_event", annotator, func(a *action) error {
		return sqlstore.DeleteEventAction(shared{a}, id)
	})
	return err
}

func deleteEvent(a *action, id int64) error { return sqlstore.DeleteEvent(shared{a}, id) }

// insertEvent inserts e and its args, logging each row.
func insertEvent(a *action, e annotate.Event, voc *vocabulary) (int64, error) {
	return sqlstore.InsertEvent(shared{a}, e, voc.Vocabulary)
}
