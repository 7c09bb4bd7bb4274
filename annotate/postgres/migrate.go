package postgres

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
	return sqlstore.Migrations(migrationsFS, "migrations", "postgres")
}

// SchemaVersion is the schema version this build writes (the same numbering as the
// SQLite backend's user_version).
func SchemaVersion() int { return len(migrationFiles()) }

// migrate applies the missing migrations, each in its own transaction under the write
// lock, so two annotators opening a new database at once do not both apply one. The
// version lives in table evident_schema (SQLite keeps it in PRAGMA user_version).
func (s *Store) migrate(ctx context.Context, def *annotate.Schema) error {
	for _, ddl := range []string{`CREATE TABLE IF NOT EXISTS evident_schema (version BIGINT NOT NULL)`, presenceTable, appliedTable} {
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
	ptx, err := s.beginWrite(ctx, true)
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
	if v >= m.Version {
		return nil
	}
	// Exec without arguments uses the simple protocol, which runs a whole script.
	if _, err := ptx.Exec(ctx, m.SQL); err != nil {
		return fmt.Errorf("open %s: migration %s: %w", s.name, m.Name, mapErr(err))
	}
	if m.Version == 1 && def != nil {
		if err := sqlstore.SeedSchema(ctx, sq{tx}, def); err != nil {
			return fmt.Errorf("open %s: seed schema: %w", s.name, mapErr(err))
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM evident_schema`); err != nil {
		return fmt.Errorf("open %s: set schema version: %w", s.name, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO evident_schema (version) VALUES (?)`, m.Version); err != nil {
		return fmt.Errorf("open %s: set schema version: %w", s.name, mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("open %s: migration %s: commit: %w", s.name, m.Name, mapErr(err))
	}
	return nil
}
