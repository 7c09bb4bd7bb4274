package postgres

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"evident/annotate"
	"evident/annotate/query"
)

var _ annotate.Searcher = (*Store)(nil)

// Search here works as on SQLite (see annotate/sqlite/search.go): the query is parsed
// and decided by annotate/query, and the database only narrows which documents to read.
// The narrowing is search_text, the loose folding of every document's text, searched
// with LIKE '%term%' for each term of three characters or more; with the pg_trgm
// extension a GIN trigram index answers that LIKE from the index (pg_trgm ships with
// PostgreSQL; creating it needs the database owner's rights, which a team's project
// database has). Without the extension the same LIKE reads search_text in full, which is
// still correct, and Search says "scan".

//go:embed search.sql
var searchSchema string

// trgmIndex is the GIN index over search_text, made when pg_trgm is installed.
const trgmIndex = "search_text_trgm"

// ensureSearch creates the search tables when missing, and the trigram index when
// pg_trgm is (or can be) installed, and indexes pending documents. It writes only when
// something is missing or pending, and under the write lock, so annotators opening a
// new database at once do not both create it.
func (s *Store) ensureSearch(ctx context.Context) error {
	fail := func(err error) error { return fmt.Errorf("open %s: search index: %w", s.name, mapErr(err)) }
	var haveTables, haveIndex, pending bool
	check := func(q txLike) error {
		return q.QueryRowContext(ctx, `SELECT to_regclass('search_pending') IS NOT NULL, to_regclass(?) IS NOT NULL`,
			trgmIndex).Scan(&haveTables, &haveIndex)
	}
	if err := check(s.ro()); err != nil {
		return fail(err)
	}
	trgm, err := trgmSchema(ctx, s.ro())
	if err != nil {
		return fail(err)
	}
	if haveTables {
		if err := s.ro().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending)`).Scan(&pending); err != nil {
			return fail(err)
		}
	}
	if haveTables && (haveIndex || trgm == "") && !pending {
		return nil
	}
	ptx, err := s.beginWrite(ctx, true)
	if err != nil {
		return fail(err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	tx := pgq{ptx}
	if err := check(tx); err != nil {
		return fail(err)
	}
	if !haveTables {
		if _, err := ptx.Exec(ctx, searchSchema); err != nil {
			return fail(err)
		}
		// Try to install pg_trgm once, with the tables; a user without the right gets
		// the scan, and the index is made at a later open once an owner installs it.
		if trgm == "" {
			if _, err := ptx.Exec(ctx, `SAVEPOINT trgm`); err != nil {
				return fail(err)
			}
			if _, err := ptx.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`); err != nil {
				var pe *pgconn.PgError
				if !errors.As(err, &pe) {
					return fail(err)
				}
				if _, err := ptx.Exec(ctx, `ROLLBACK TO SAVEPOINT trgm`); err != nil {
					return fail(err)
				}
			}
			if trgm, err = trgmSchema(ctx, tx); err != nil {
				return fail(err)
			}
		}
	}
	if !haveIndex && trgm != "" {
		// The operator class is qualified: the extension may live in a schema outside
		// the search path (another project's schema in the same database).
		if _, err := ptx.Exec(ctx, `CREATE INDEX IF NOT EXISTS `+trgmIndex+` ON search_text USING gin (body `+
			pgx.Identifier{trgm, "gin_trgm_ops"}.Sanitize()+`)`); err != nil {
			return fail(err)
		}
	}
	if err := indexPending(ctx, ptx); err != nil {
		return fail(err)
	}
	if err := ptx.Commit(ctx); err != nil {
		return fail(err)
	}
	return nil
}

// trgmSchema returns the schema pg_trgm is installed in, or "" when it is not.
func trgmSchema(ctx context.Context, q txLike) (string, error) {
	var schema string
	err := q.QueryRowContext(ctx, `SELECT n.nspname::text FROM pg_extension e
		JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`).Scan(&schema)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return schema, err
}

// indexBatch documents are read, folded and indexed at a time.
const indexBatch = 512

// indexPending brings search_text up to date with search_pending inside the caller's
// write transaction (an import calls it just before it commits, so the documents and
// their index land together).
func indexPending(ctx context.Context, ptx pgx.Tx) error {
	tx := pgq{ptx}
	last := int64(-1 << 62)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var ids []int64
		var rows [][]any
		err := eachRow(ctx, tx, `SELECT p.doc, d.text FROM search_pending p LEFT JOIN documents d ON d.id = p.doc
			WHERE p.doc > ? ORDER BY p.doc LIMIT ?`, []any{last, indexBatch}, func(r pgx.Rows) error {
			var id int64
			var text *string
			if err := r.Scan(&id, &text); err != nil {
				return err
			}
			ids = append(ids, id)
			if text != nil {
				rows = append(rows, []any{id, query.Loose(*text)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_text WHERE doc = ANY(?)`, ids); err != nil {
			return err
		}
		if _, err := ptx.CopyFrom(ctx, pgx.Identifier{"search_text"}, []string{"doc", "body"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending WHERE doc = ANY(?)`, ids); err != nil {
			return err
		}
		last = ids[len(ids)-1]
	}
}

// pgDialect is query.Dialect for PostgreSQL: numbered placeholders, and a text term as
// LIKE over search_text, or any document not indexed yet. The placeholders are numbered
// here rather than left to rebind because query.SQL may write a condition's placeholders
// in another order than it records their values (doc:ID does).
type pgDialect struct {
	args    []any
	indexed bool // a text condition was used
}

func (a *pgDialect) Arg(v any) string {
	a.args = append(a.args, v)
	return "$" + strconv.Itoa(len(a.args))
}

func (a *pgDialect) Text(loose string) string {
	a.indexed = true
	pat := "%" + likeEscaper.Replace(loose) + "%"
	return "(d.id IN (SELECT doc FROM search_text WHERE body LIKE " + a.Arg(pat) +
		") OR d.id IN (SELECT doc FROM search_pending))"
}

// likeEscaper escapes LIKE's wildcards with its default escape character, backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// searchPage documents are read at a time, with their spans when the query needs them.
const searchPage = 256

// Search runs a query (see annotate/query) in one snapshot: the ids of the documents
// that can have a hit come from SQL (in the order asked for), then pages of them are
// read and query.Eval decides every hit, stopping at the limit.
func (s *Store) Search(ctx context.Context, text string, opt annotate.SearchOptions) (*annotate.SearchResult, error) {
	q, err := query.ParseForStore(text)
	if err != nil {
		return nil, err
	}
	res := &annotate.SearchResult{Method: "scan"}
	err = s.readTx(ctx, func(tx txLike) error {
		var a pgDialect
		cond := q.SQL(&a)
		dir := "ASC"
		if opt.Order == annotate.SearchNewest {
			dir = "DESC"
		}
		ids, err := queryIDs(ctx, tx, `SELECT d.id FROM documents d WHERE `+cond+` ORDER BY d.id `+dir, a.args...)
		if err != nil {
			return mapErr(err)
		}
		if a.indexed {
			var idx bool
			if err := tx.QueryRowContext(ctx, `SELECT to_regclass(?) IS NOT NULL`, trgmIndex).Scan(&idx); err != nil {
				return mapErr(err)
			}
			if idx {
				res.Method = "index"
			}
		}
		for len(ids) > 0 {
			page := ids[:min(searchPage, len(ids))]
			ids = ids[len(page):]
			full, err := searchPageHits(ctx, tx, q, page, res, opt.Limit)
			if err != nil || full {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// searchPageHits evaluates q on the documents ids (in the order given) and adds their
// hits to res; full reports that the limit is reached.
func searchPageHits(ctx context.Context, tx txLike, q *query.Query, ids []int64, res *annotate.SearchResult, limit int) (full bool, err error) {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	docs := make([]*annotate.Document, 0, len(sorted))
	err = eachRow(ctx, tx, `SELECT `+docCols+` FROM documents WHERE id = ANY(?) ORDER BY id`, []any{sorted}, func(r pgx.Rows) error {
		d, err := scanDoc(r)
		if err != nil {
			return err
		}
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return false, mapErr(err)
	}
	hits := make(map[int64][]annotate.Hit, len(docs))
	eval := func(d *annotate.Document, spans []annotate.Span, _ []annotate.Event) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if h := q.Eval(d, spans); len(h) > 0 {
			hits[d.ID] = h
		}
		return nil
	}
	if q.NeedsSpans() {
		if err := emitPage(ctx, tx, docs, "", nil, eval); err != nil {
			return false, err
		}
	} else {
		for _, d := range docs {
			if err := eval(d, nil, nil); err != nil {
				return false, err
			}
		}
	}
	for _, id := range ids {
		if h, ok := hits[id]; ok && res.Add(h, limit) {
			return true, nil
		}
	}
	return false, nil
}

// SearchNotice says, when searches cannot use the trigram index, why and how to get it;
// "" when they can. `evident search` prints it, as it does for an SQLite build without
// FTS5.
func (s *Store) SearchNotice(ctx context.Context) string {
	var idx bool
	if err := s.ro().QueryRowContext(ctx, `SELECT to_regclass(?) IS NOT NULL`, trgmIndex).Scan(&idx); err != nil || idx {
		return ""
	}
	return "the PostgreSQL extension pg_trgm is not installed in " + s.name +
		", so searches read every document (the database owner can run CREATE EXTENSION pg_trgm; Evident then builds the index when it next opens the database)"
}
