package sqlite

import (
	"context"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

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

// insertEvent inserts e and its args, logging each row.
func insertEvent(a *action, e annotate.Event, voc *vocabulary) (int64, error) {
	return sqlstore.InsertEvent(shared{a}, e, voc.Vocabulary)
}
