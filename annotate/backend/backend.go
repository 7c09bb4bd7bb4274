// Package backend opens an Evident project by the --db value, picking the store behind
// annotate.Store: a PostgreSQL database for a postgres:// or postgresql:// URL (a team on
// one server), an SQLite file for anything else (the single user's default). Any other
// URL is refused: a value like "mysql://host/db" is a mistake, never a file name, so it
// must not silently create a file called "mysql:" in the current directory.
//
// Commands and the window get an annotate.Store and reach the optional features
// (annotate.OverviewSource, annotate.IncidentStore, annotate.SpanBatchStore) by type
// assertion; nothing outside this package names a backend's concrete type.
package backend

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"evident/annotate"
	"evident/annotate/postgres"
	"evident/annotate/sqlite"
)

// Kind is the backend a --db value selects.
type Kind int

const (
	SQLite Kind = iota
	PostgreSQL
)

func (k Kind) String() string {
	if k == PostgreSQL {
		return "PostgreSQL"
	}
	return "SQLite"
}

// Options configure Open.
type Options struct {
	// Schema is the default schema as JSON (assets.Schema()), seeding a new project.
	Schema []byte
	// MustExist refuses an SQLite path with no file (read-mostly commands must not
	// create an empty database at a mistyped path). A PostgreSQL database always exists
	// (it is created with createdb); its tables are made on first open.
	MustExist bool
	// ReadOnly opens a current SQLite database without taking the write lock (reading
	// commands never wait for an import); PostgreSQL readers never block writers anyway.
	ReadOnly bool
	// OnMigrate is called once before an existing database is upgraded.
	OnMigrate func(from, to int)
}

// looksLikeURL matches "scheme://": RFC 3986 scheme characters, then "://". A Windows
// path (C:\x) or a relative file name with a colon (a:b.db) does not match.
var looksLikeURL = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// Parse says which backend target selects. A URL of any scheme but postgres and
// postgresql is an error naming the schemes Evident knows.
func Parse(target string) (Kind, error) {
	if target == "" {
		return SQLite, annotate.Errorf(annotate.EInvalid, "no database given")
	}
	if !looksLikeURL.MatchString(target) {
		return SQLite, nil
	}
	scheme := strings.ToLower(target[:strings.Index(target, "://")])
	switch scheme {
	case "postgres", "postgresql":
		return PostgreSQL, nil
	}
	return SQLite, annotate.Errorf(annotate.EInvalid,
		"%q is a %s:// URL, which Evident cannot open: use a postgres:// (or postgresql://) URL for a team database, "+
			"or a file path for an SQLite database", Redact(target), scheme)
}

// Redact returns target fit for messages and the window's title: a URL loses its
// password; a file path is unchanged.
func Redact(target string) string {
	if !looksLikeURL.MatchString(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		// Never echo a URL we cannot parse: it may hold a password in a form we missed.
		return target[:strings.Index(target, "://")] + "://…"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Open opens the project target names, creating an SQLite file (and its folder) when
// needed, or connecting to PostgreSQL and bringing its tables up to date.
func Open(ctx context.Context, target string, opts Options) (annotate.Store, error) {
	kind, err := Parse(target)
	if err != nil {
		return nil, err
	}
	if kind == PostgreSQL {
		return postgres.Open(ctx, target, postgres.Options{Schema: opts.Schema,
			Backup: func(ctx context.Context, src annotate.Store, path string) error {
				return backupToSQLite(ctx, src, path, opts.Schema)
			}})
	}
	if opts.MustExist {
		if _, err := os.Stat(target); err != nil {
			return nil, fmt.Errorf("no database at %s (import something first, or pass --db): %w", target, err)
		}
	}
	if dir := filepath.Dir(target); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	return sqlite.Open(ctx, target, sqlite.Options{Schema: opts.Schema, ReadOnly: opts.ReadOnly, OnMigrate: opts.OnMigrate})
}
