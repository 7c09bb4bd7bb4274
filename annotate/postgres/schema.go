package postgres

import (
	"context"
	"fmt"

	"evident/annotate/sqlstore"
)

// queryColumn runs a query whose rows hold one column and returns the values in order.
func queryColumn[T any](ctx context.Context, q txLike, query string, args ...any) ([]T, error) {
	return sqlstore.QueryColumn[T](ctx, sq{q}, query, args...)
}

func queryStrings(ctx context.Context, q txLike, query string, args ...any) ([]string, error) {
	return queryColumn[string](ctx, q, query, args...)
}

// SetSetting stores a setting (window size, last document, annotator name). Settings
// are preferences, not annotation work: they are not in the operations log.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.ro().ExecContext(ctx, sqlstore.SetSettingSQL, key, value)
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, mapErr(err))
	}
	return nil
}
