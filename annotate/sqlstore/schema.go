package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"evident/annotate"
)

// Schema reads the project's labels (in their order), event types and roles.
func Schema(ctx context.Context, q Q) (*annotate.Schema, error) {
	sc := &annotate.Schema{}
	rows, err := q.QueryContext(ctx, `SELECT name, kind, color, key, description FROM labels ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", q.MapErr(err))
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
	rows, err = q.QueryContext(ctx, `SELECT name, trigger, roles FROM event_types ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", q.MapErr(err))
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
	roles, err := QueryColumn[string](ctx, q, `SELECT name FROM roles ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", q.MapErr(err))
	}
	sc.Roles = roles
	return sc, nil
}

// CheckLabelNames refuses a label name the schema does not allow.
func CheckLabelNames(labels []annotate.Label) error {
	for _, l := range labels {
		if !annotate.ValidLabelName(l.Name) {
			return annotate.Errorf(annotate.EInvalid, "bad label name %q (upper case letters, digits and _, starting with a letter)", l.Name)
		}
	}
	return nil
}

// AddLabels adds labels unknown to the schema (CheckLabelNames), after the existing
// ones. Known names are left as they are. A label without a colour gets grey; a key
// already taken is dropped.
func AddLabels(a Action, labels []annotate.Label) error {
	ctx, q := a.Ctx(), a.Q()
	var pos int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(position), -1) + 1 FROM labels`).Scan(&pos); err != nil {
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
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM labels WHERE key = ?`, l.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				l.Key = ""
			}
		}
		id, err := q.InsertNew(ctx, `INSERT INTO labels (name, kind, color, key, description, position)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, l.Name, l.Kind, l.Color, l.Key, l.Description, pos)
		if err != nil {
			return err
		}
		if id == 0 {
			continue // known already
		}
		if err := a.Inserted("labels", id); err != nil {
			return err
		}
		names = append(names, l.Name)
		pos++
	}
	a.SetSummary("add labels " + strings.Join(names, ", "))
	return nil
}

// Setting reads a stored setting, "" when it is not set.
func Setting(ctx context.Context, q Q, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if q.NoRows(err) {
		return "", nil
	}
	return v, err
}

// SetSettingSQL stores a setting (parameters key and value).
const SetSettingSQL = `INSERT INTO settings (key, value) VALUES (?, ?)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value`
