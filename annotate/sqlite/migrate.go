package sqlite

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"evident/annotate"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// migration is one numbered .sql file; version N is reached by applying files 1..N.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationFiles lists the embedded migrations in order. Names are NNNN_what.sql and
// numbered from 1 without gaps; a duplicate or missing number panics in the tests.
func migrationFiles() []migration {
	entries, err := fs.ReadDir(migrationsFS, "migrations")
	if err != nil {
		panic(fmt.Sprintf("sqlite: embedded migrations: %v", err)) // build-time data
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic(fmt.Sprintf("sqlite: migration %s is not named NNNN_what.sql", e.Name()))
		}
		data, err := migrationsFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			panic(fmt.Sprintf("sqlite: migration %s: %v", e.Name(), err))
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version < i+1 {
			panic(fmt.Sprintf("sqlite: migration %s: expected number %d", m.name, i+1))
		}
		if m.version > i+1 {
			panic(fmt.Sprintf("sqlite: migration %s: expected number %d (no gaps)", m.name, i+1))
		}
	}
	return ms
}

// SchemaVersion is the user_version this build writes.
func SchemaVersion() int { return len(migrationFiles()) }

// migrate applies the migrations after version from, each in its own transaction, and
// seeds a new database with the default schema. The version is re-read inside each
// transaction, so two processes opening an old or new file at once do not both apply a
// migration; announce (if set) is called once, before the first migration this process
// applies to an existing database.
func (s *Store) migrate(ctx context.Context, def *annotate.Schema, from int, announce func(from, to int)) error {
	if from == 0 {
		announce = nil // a new database is created, not upgraded
	}
	for _, m := range migrationFiles()[from:] {
		if err := s.applyMigration(ctx, m, def, func(at int) {
			if at > 0 && announce != nil {
				announce(at, SchemaVersion())
				announce = nil
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, m migration, def *annotate.Schema, starting func(version int)) error {
	// A migration that rebuilds a table (0009) must run with foreign keys off, which
	// SQLite only lets a connection change outside a transaction (with them on, dropping
	// the old table would delete every row referring to it first). Rows are copied with
	// their ids, so references stay as they were; `evident check` reports any that a
	// damaged file already had. The connection gets its keys back before the pool hands
	// it out again.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapErr(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapErr(err))
	}
	defer conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`)
	tx, err := s.begin(ctx, conn)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapErr(err))
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("open %s: read schema version: %w", s.path, mapErr(err))
	}
	if err := tooNew(s.path, version); err != nil {
		return err
	}
	if version >= m.version {
		return nil
	}
	starting(version)
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("open %s: migration %s: %w", s.path, m.name, mapErr(err))
	}
	if m.version == 1 && def != nil {
		if err := seedSchema(ctx, tx, def); err != nil {
			return fmt.Errorf("open %s: seed schema: %w", s.path, mapErr(err))
		}
	}
	// PRAGMA takes no parameters; the value is an int from our own file names.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("open %s: set schema version: %w", s.path, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("open %s: migration %s: commit: %w", s.path, m.name, mapErr(err))
	}
	return nil
}

func seedSchema(ctx context.Context, tx txLike, def *annotate.Schema) error {
	for i, l := range def.Labels {
		if _, err := tx.ExecContext(ctx,
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
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO event_types (name, trigger, roles, position) VALUES (?, ?, ?, ?)`,
			e.Name, e.Trigger, string(roles), i); err != nil {
			return err
		}
	}
	for i, r := range def.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO roles (name, position) VALUES (?, ?)`, r, i); err != nil {
			return err
		}
	}
	return nil
}
