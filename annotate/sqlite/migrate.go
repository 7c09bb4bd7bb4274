package sqlite

import (
	"context"
	"embed"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// migration is one numbered .sql file (sqlstore.Migration).
type migration = sqlstore.Migration

// migrationFiles lists the embedded migrations in order, numbered from 1 without gaps
// (sqlstore.Migrations panics otherwise: a build that breaks this fails its tests).
func migrationFiles() []migration {
	return sqlstore.Migrations(migrationsFS, "migrations", "sqlite")
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
	if version >= m.Version {
		return nil
	}
	starting(version)
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("open %s: migration %s: %w", s.path, m.Name, mapErr(err))
	}
	if m.Version == 1 && def != nil {
		if err := sqlstore.SeedSchema(ctx, sq{tx}, def); err != nil {
			return fmt.Errorf("open %s: seed schema: %w", s.path, mapErr(err))
		}
	}
	// PRAGMA takes no parameters; the value is an int from our own file names.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return fmt.Errorf("open %s: set schema version: %w", s.path, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("open %s: migration %s: commit: %w", s.path, m.Name, mapErr(err))
	}
	return nil
}
