package postgres

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/query"
)

var _ annotate.Searcher = (*Store)(nil)

// Search here works as on SQLite (see annotate/sqlite/search.go): the query is parsed
// and decided by annotate/query, and the database only narrows which documents to read.
// The narrowing is search_text: the loose folding of every document's text (body),
// searched with LIKE '%term%' for each term of three characters or more, and the keys of
// the document's index tokens (keys, see searchkeys.go), whose GIN index answers "which
// documents hold the query's lookups" so the LIKE reads only those rows. The index is a
// built-in operator class: no extension is needed.

//go:embed search.sql
var searchSchema string

// keysIndex is the GIN index over search_text.keys; a database without it has no
// search tables yet or those of an older layout (a pg_trgm index over body), rebuilt at
// open.
const keysIndex = "search_text_keys"

// ensureSearch creates the search tables when missing or of an older layout, and
// indexes pending documents. It writes only when something is missing or pending, and
// under the write lock, so annotators opening a new database at once do not both create
// it.
func (s *Store) ensureSearch(ctx context.Context) error {
	fail := func(err error) error { return fmt.Errorf("open %s: search index: %w", s.name, mapErr(err)) }
	var haveIndex, pending bool
	check := func(q txLike) error {
		return q.QueryRowContext(ctx, `SELECT to_regclass(?) IS NOT NULL`, keysIndex).Scan(&haveIndex)
	}
	if err := check(s.ro()); err != nil {
		return fail(err)
	}
	if haveIndex {
		if err := s.ro().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending)`).Scan(&pending); err != nil {
			return fail(err)
		}
		if !pending {
			return nil
		}
	}
	ptx, err := s.beginWrite(ctx, true)
	if err != nil {
		return fail(err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	if err := check(pgq{ptx}); err != nil {
		return fail(err)
	}
	if !haveIndex {
		// A search_text of the older layout is dropped with its trigram index; the
		// schema then marks every document pending, and indexPending rebuilds it.
		if _, err := ptx.Exec(ctx, `DROP TABLE IF EXISTS search_text`); err != nil {
			return fail(err)
		}
		if _, err := ptx.Exec(ctx, searchSchema); err != nil {
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

// indexBatch documents are read, folded and indexed at a time.
const indexBatch = 512

// searchRow returns the search_text row of a document: its loose folding and the keys
// of its index tokens. k's buffers are reused from one call to the next.
func searchRow(k *textKeyer, doc int64, text string) []any {
	loose, keys := k.fold(text)
	return []any{doc, loose, keys}
}

// searchCols are the columns of searchRow.
var searchCols = []string{"doc", "body", "keys"}

// indexPending brings search_text up to date with search_pending inside the caller's
// write transaction (an import calls it just before it commits, so the documents and
// their index land together).
func indexPending(ctx context.Context, ptx pgx.Tx) error {
	tx := pgq{ptx}
	var k textKeyer
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
				rows = append(rows, searchRow(&k, id, *text))
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
		if _, err := ptx.CopyFrom(ctx, pgx.Identifier{"search_text"}, searchCols, pgx.CopyFromRows(rows)); err != nil {
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
	keys    []int32 // the query's lookup keys (lookupKeys), set before SQL
	keysArg string  // their placeholder, once used
	indexed bool    // a text condition was used
}

func (a *pgDialect) Arg(v any) string {
	a.args = append(a.args, v)
	return "$" + strconv.Itoa(len(a.args))
}

func (a *pgDialect) Text(loose string) string {
	a.indexed = true
	pat := "%" + likeEscaper.Replace(loose) + "%"
	cond := "body LIKE " + a.Arg(pat)
	if len(a.keys) > 0 {
		if a.keysArg == "" {
			a.keysArg = a.Arg(a.keys)
		}
		cond = "keys @> " + a.keysArg + "::int4[] AND " + cond
	}
	return "(d.id IN (SELECT doc FROM search_text WHERE " + cond + ") OR d.id IN (SELECT doc FROM search_pending))"
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
		a := pgDialect{keys: lookupKeys(q)}
		cond := q.SQL(&a)
		dir := "ASC"
		if opt.Order == annotate.SearchNewest {
			dir = "DESC"
		}
		ids, err := queryIDs(ctx, tx, `SELECT d.id FROM documents d WHERE `+cond+` ORDER BY d.id `+dir, a.args...)
		if err != nil {
			return mapErr(err)
		}
		if a.keysArg != "" {
			res.Method = "index"
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
