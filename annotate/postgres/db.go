package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgxQuerier is what pgx.Tx, *pgx.Conn and *pgxpool.Pool offer.
type pgxQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// txLike is what the store's helpers read and write through. Queries are written with
// ? placeholders, as in the SQLite backend, so that the two backends' SQL reads the same
// and differs only where the dialects do; rebind numbers them for PostgreSQL.
type txLike interface {
	ExecContext(ctx context.Context, query string, args ...any) (result, error)
	QueryContext(ctx context.Context, query string, args ...any) (pgx.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) pgx.Row
}

// result is the part of database/sql's Result the store uses.
type result struct{ tag pgconn.CommandTag }

func (r result) RowsAffected() (int64, error) { return r.tag.RowsAffected(), nil }

// pgq adapts a pgx querier to txLike.
type pgq struct{ pgxQuerier }

func (c pgq) ExecContext(ctx context.Context, query string, args ...any) (result, error) {
	tag, err := c.Exec(ctx, rebind(query), args...)
	return result{tag}, err
}

func (c pgq) QueryContext(ctx context.Context, query string, args ...any) (pgx.Rows, error) {
	return c.Query(ctx, rebind(query), args...)
}

func (c pgq) QueryRowContext(ctx context.Context, query string, args ...any) pgx.Row {
	return c.QueryRow(ctx, rebind(query), args...)
}

// rebind turns ? placeholders into $1, $2, ... It skips quoted strings and identifiers;
// the store's SQL has no other question marks.
func rebind(query string) string {
	if strings.IndexByte(query, '?') < 0 {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
