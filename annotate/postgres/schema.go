package postgres

import (
	"context"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Schema returns the project's labels (in their order), event types and roles.
func (s *Store) Schema(ctx context.Context) (*annotate.Schema, error) {
	return sqlstore.Schema(ctx, sq{s.ro()})
}

// queryColumn runs a query whose rows hold one column and returns the values in order.
func queryColumn[T any](ctx context.Context, q txLike, query string, args ...any) ([]T, error) {
	return sqlstore.QueryColumn[T](ctx, sq{q}, query, args...)
}

func queryStrings(ctx context.Context, q txLike, query string, args ...any) ([]string, error) {
	return queryColumn[string](ctx, q, query, args...)
}

// AddLabels adds labels unknown to the schema, after the existing ones. Known names are
// left as they are. A label without a colour gets grey; a key already taken is dropped.
func (s *Store) AddLabels(ctx context.Context, labels []annotate.Label, annotator string) error {
	if err := sqlstore.CheckLabelNames(labels); err != nil {
		return err
	}
	_, err := s.write(ctx, "add_labels", annotator, func(a *action) error {
		return sqlstore.AddLabels(shared{a}, labels)
	})
	return err
}

// Setting returns a stored setting, "" when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	v, err := sqlstore.Setting(ctx, sq{s.ro()}, key)
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", key, mapErr(err))
	}
	return v, nil
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
