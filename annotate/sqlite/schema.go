package sqlite

import (
	"context"
	"fmt"

	"evident/annotate/sqlstore"
)

// queryColumn runs a query whose rows hold one column and returns the values in order.
func queryColumn[T any](ctx context.Context, q txLike, query string, args ...any) ([]T, error) {
	return sqlstore.QueryColumn[T](ctx, sq{q}, query, args...)
}

// SetSetting stores a setting (window size, last document, annotator name). Settings
// are preferences, not annotation work: they are not in the operations log.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if s.readOnly {
		return s.errReadOnly("setting " + key)
	}
	err := s.retryBusy(ctx, func() error {
		_, err := s.db.ExecContext(ctx, sqlstore.SetSettingSQL, key, value)
		return err
	})
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, mapErr(err))
	}
	return nil
}

// Backup writes a consistent, compacted copy of the database to path (VACUUM INTO),
// while the store stays in use. An existing file at path is an error. It runs on the
// read-write pool: the read-only pool's query_only pragma refuses VACUUM INTO even though
// the database itself is only read.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.retryBusy(ctx, func() error { _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); return err }); err != nil {
		return fmt.Errorf("backup to %s: %w", path, mapErr(err))
	}
	if err := restamp(ctx, path); err != nil { // searchfile.go
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
