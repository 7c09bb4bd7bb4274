package sqlite

import (
	"context"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

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

func eventHead(ctx context.Context, q txLike, id int64) (doc int64, typ string, err error) {
	return sqlstore.EventHead(ctx, sq{q}, id)
}

func deleteEvent(a *action, id int64) error { return sqlstore.DeleteEvent(shared{a}, id) }

// insertEvent inserts e and its args, logging each row.
func insertEvent(a *action, e annotate.Event, voc *vocabulary) (int64, error) {
	return sqlstore.InsertEvent(shared{a}, e, voc.Vocabulary)
}
