package postgres

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

// migrationFiles lists the embedded migrations in order, numbered without gaps from 1
// (a build that breaks this panics in its tests).
func migrationFiles() []migration {
	entries, err := fs.ReadDir(migrationsFS, "migrations")
	if err != nil {
		panic(fmt.Sprintf("postgres: embedded migrations: %v", err)) // build-time data
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic(fmt.Sprintf("postgres: migration %s is not named NNNN_what.sql", e.Name()))
		}
		data, err := migrationsFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			panic(fmt.Sprintf("postgres: migration %s: %v", e.Name(), err))
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			panic(fmt.Sprintf("postgres: migration %s: expected number %d", m.name, i+1))
		}
	}
	return ms
}

// SchemaVersion is the schema version this build writes (the same numbering as the
// SQLite backend's user_version).
func SchemaVersion() int { return len(migrationFiles()) }

// migrate applies the missing migrations, each in its own transaction under the write
// lock, so two annotators opening a new database at once do not both apply one. The
// version lives in table evident_schema (SQLite keeps it in PRAGMA user_version).
func (s *Store) migrate(ctx context.Context, def *annotate.Schema) error {
	for _, ddl := range []string{`CREATE TABLE IF NOT EXISTS evident_schema (version BIGINT NOT NULL)`, presenceTable} {
		if _, err := s.pool.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("open %s: %w", s.name, mapErr(err))
		}
	}
	for _, m := range migrationFiles() {
		if err := s.applyMigration(ctx, m, def); err != nil {
			return err
		}
	}
	return nil
}

// version reads the schema version (0 for a new database).
func version(ctx context.Context, tx txLike) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM evident_schema`).Scan(&v)
	return v, err
}

func (s *Store) tooNew(v int) error {
	if known := len(migrationFiles()); v > known {
		return annotate.Errorf(annotate.ETooNew,
			"%s was written by a newer version of Evident (schema version %d; this build knows up to %d). "+
				"Update Evident to open it; the database was not changed.", s.name, v, known)
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, m migration, def *annotate.Schema) error {
	ptx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.name, err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	tx := pgq{ptx}
	v, err := version(ctx, tx)
	if err != nil {
		return fmt.Errorf("open %s: read schema version: %w", s.name, mapErr(err))
	}
	if err := s.tooNew(v); err != nil {
		return err
	}
	if v >= m.version {
		return nil
	}
	// Exec without arguments uses the simple protocol, which runs a whole script.
	if _, err := ptx.Exec(ctx, m.sql); err != nil {
		return fmt.Errorf("open %s: migration %s: %w", s.name, m.name, mapErr(err))
	}
	if m.version == 1 && def != nil {
		if err := seedSchema(ctx, tx, def); err != nil {
			return fmt.Errorf("open %s: seed schema: %w", s.name, mapErr(err))
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM evident_schema`); err != nil {
		return fmt.Errorf("open %s: set schema version: %w", s.name, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO evident_schema (version) VALUES (?)`, m.version); err != nil {
		return fmt.Errorf("open %s: set schema version: %w", s.name, mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("open %s: migration %s: commit: %w", s.name, m.name, mapErr(err))
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
