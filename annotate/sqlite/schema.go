package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"evident/annotate"
)

// Schema returns the project's labels (in their order), event types and roles.
func (s *Store) Schema(ctx context.Context) (*annotate.Schema, error) {
	sc := &annotate.Schema{}
	rows, err := s.ro.QueryContext(ctx, `SELECT name, kind, color, key, description FROM labels ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", mapErr(err))
	}
	for rows.Next() {
		var l annotate.Label
		if err := rows.Scan(&l.Name, &l.Kind, &l.Color, &l.Key, &l.Description); err != nil {
			rows.Close()
			return nil, fmt.Errorf("schema: %w", err)
		}
		sc.Labels = append(sc.Labels, l)
	}
	rows.Close()
	rows, err = s.ro.QueryContext(ctx, `SELECT name, trigger, roles FROM event_types ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", mapErr(err))
	}
	for rows.Next() {
		var e annotate.EventType
		var roles string
		if err := rows.Scan(&e.Name, &e.Trigger, &roles); err != nil {
			rows.Close()
			return nil, fmt.Errorf("schema: %w", err)
		}
		if err := json.Unmarshal([]byte(roles), &e.Roles); err != nil {
			rows.Close()
			return nil, fmt.Errorf("schema: event type %s: %w", e.Name, err)
		}
		sc.EventTypes = append(sc.EventTypes, e)
	}
	rows.Close()
	roles, err := queryStrings(ctx, s.ro, `SELECT name FROM roles ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", mapErr(err))
	}
	sc.Roles = roles
	return sc, nil
}

// queryColumn runs a query whose rows hold one column and returns the values in order.
func queryColumn[T any](ctx context.Context, q txLike, query string, args ...any) ([]T, error) {
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

func queryStrings(ctx context.Context, q txLike, query string, args ...any) ([]string, error) {
	return queryColumn[string](ctx, q, query, args...)
}

// AddLabels adds labels unknown to the schema, after the existing ones. Known names are
// left as they are. A label without a colour gets grey; a key already taken is dropped.
func (s *Store) AddLabels(ctx context.Context, labels []annotate.Label, annotator string) error {
	for _, l := range labels {
		if !annotate.ValidLabelName(l.Name) {
			return annotate.Errorf(annotate.EInvalid, "bad label name %q (upper case letters, digits and _, starting with a letter)", l.Name)
		}
	}
	_, err := s.write(ctx, "add_labels", annotator, func(a *action) error {
		var pos int
		if err := a.tx.QueryRowContext(ctx, `SELECT coalesce(max(position), -1) + 1 FROM labels`).Scan(&pos); err != nil {
			return err
		}
		var names []string
		for _, l := range labels {
			if l.Kind == "" {
				l.Kind = annotate.KindSpan
			}
			if l.Color == "" {
				l.Color = "#BBBBBB"
			}
			if l.Key != "" {
				var n int
				if err := a.tx.QueryRowContext(ctx, `SELECT count(*) FROM labels WHERE key = ?`, l.Key).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					l.Key = ""
				}
			}
			res, err := a.tx.ExecContext(ctx, `INSERT INTO labels (name, kind, color, key, description, position)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, l.Name, l.Kind, l.Color, l.Key, l.Description, pos)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if err := a.inserted("labels", id); err != nil {
				return err
			}
			names = append(names, l.Name)
			pos++
		}
		a.summary = "add labels " + strings.Join(names, ", ")
		return nil
	})
	return err
}

// Setting returns a stored setting, "" when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.ro.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", key, mapErr(err))
	}
	return v, nil
}

// SetSetting stores a setting (window size, last document, annotator name). Settings
// are preferences, not annotation work: they are not in the operations log.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if s.readOnly {
		return s.errReadOnly("setting " + key)
	}
	err := s.retryBusy(ctx, func() error {
		_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
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
	return nil
}
