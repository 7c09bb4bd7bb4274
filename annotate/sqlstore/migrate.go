package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"evident/annotate"
)

// Migration is one numbered .sql file; version N is reached by applying files 1..N.
// Both backends number theirs alike, each in its own dialect.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the migrations in folder dir of fsys (a backend's embedded files) in
// order. Names are NNNN_what.sql and numbered from 1 without gaps; a duplicate or missing
// number panics (in the tests: the files are build-time data), naming the backend.
func Migrations(fsys fs.FS, dir, backend string) []Migration {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("%s: embedded migrations: %v", backend, err))
	}
	var ms []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic(fmt.Sprintf("%s: migration %s is not named NNNN_what.sql", backend, e.Name()))
		}
		data, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			panic(fmt.Sprintf("%s: migration %s: %v", backend, e.Name(), err))
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version < i+1 {
			panic(fmt.Sprintf("%s: migration %s: expected number %d", backend, m.Name, i+1))
		}
		if m.Version > i+1 {
			panic(fmt.Sprintf("%s: migration %s: expected number %d (no gaps)", backend, m.Name, i+1))
		}
	}
	return ms
}

// SeedSchema writes the default schema's labels, event types and roles into a new
// database.
func SeedSchema(ctx context.Context, q Q, def *annotate.Schema) error {
	for i, l := range def.Labels {
		if _, err := q.ExecContext(ctx,
			`INSERT INTO labels (name, kind, color, key, description, position) VALUES (?, ?, ?, ?, ?, ?)`,
			l.Name, l.Kind, l.Color, l.Key, l.Description, i); err != nil {
			return err
		}
	}
	for i, e := range def.EventTypes {
		roles, err := json.Marshal(e.Roles)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx,
			`INSERT INTO event_types (name, trigger, roles, position) VALUES (?, ?, ?, ?)`,
			e.Name, e.Trigger, string(roles), i); err != nil {
			return err
		}
	}
	for i, r := range def.Roles {
		if _, err := q.ExecContext(ctx, `INSERT INTO roles (name, position) VALUES (?, ?)`, r, i); err != nil {
			return err
		}
	}
	return nil
}
