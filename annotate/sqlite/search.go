package sqlite

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"evident/annotate"
	"evident/annotate/query"
)

var _ annotate.Searcher = (*Store)(nil)

// The full-text index is an FTS5 table over each document's index tokens
// (query.IndexTokens: the loose folding, case folded, Arabic vowel marks and tatweel
// removed, Latin diacritics removed, cut into words, with trigrams for the scripts whose
// terms match inside words and keys for one- and two-character CJK terms). A query asks
// for documents holding every lookup of its terms (query.Lookups: word prefixes,
// trigrams, keys), and query.Eval then reads those documents and decides every hit, so
// the index only narrows and never changes a result. Words rather than trigrams of the
// whole text: a sixth of the entries, and the entries are what indexing costs an import.
// The ascii tokenizer splits at the spaces IndexTokens puts between tokens and keeps
// every other character. It is contentless (the text is in documents) and keeps no
// positions or columns (detail=none): membership is all a lookup asks.
//
// Earlier indexes (oldFTSNames: trigrams of the whole text; words with CJK trigrams and
// short keys) are dropped at open and every document indexed again: their tokens are not
// what Lookups asks for now.
//
// It exists only when the binary has FTS5 (go-sqlite3 build tag sqlite_fts5); otherwise
// searches read every document that passes the other conditions.
const ftsTable = `CREATE VIRTUAL TABLE IF NOT EXISTS ` + ftsName + ` USING fts5(body,
	tokenize = 'ascii', content = '', contentless_delete = 1, detail = none)`

// ftsName is the index table's name. A change of IndexTokens gives it a new name, and the
// tables of oldFTSNames are replaced at open.
const ftsName = "search_terms"

var oldFTSNames = []string{"search_fts", "search_words"}

//go:embed search.sql
var searchSchema string

// HasFTS reports whether this binary was built with SQLite FTS5.
func (s *Store) HasFTS(ctx context.Context) bool {
	var on bool
	err := s.db.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&on)
	return err == nil && on
}

// ftsSettings are set on a new index table. A bigger in-memory hash (default 1 MB)
// flushes and merges less during an import. Segments are merged 16 at a time (default
// 4): each entry is rewritten about half as often; merging was a quarter of what indexing
// costs an import (an index without merges took 1.6-2.0 CPU-s for the search benchmark's
// 100,000 documents, against 2.2-3.2 with the default and 1.8-2.5 with 16). A query
// reads a few more segments.
var ftsSettings = []string{`('hashsize', 16777216)`, `('automerge', 16)`}

// ensureSearch creates the search bookkeeping in the main file when missing, drops the
// indexes earlier versions kept in it and, with FTS5, opens (or rebuilds) the index file
// and indexes pending documents (searchfile.go). It writes only when something is
// missing or pending.
func (s *Store) ensureSearch(ctx context.Context) error {
	fts := s.HasFTS(ctx)
	var haveTables, haveState int
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sqlite_master WHERE name = 'search_pending'),
		(SELECT count(*) FROM sqlite_master WHERE name = 'search_state')`).Scan(&haveTables, &haveState)
	if err != nil {
		return fmt.Errorf("open %s: search index: %w", s.path, mapErr(err))
	}
	var old []string
	for _, name := range append(oldFTSNames, ftsName) {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("open %s: search index: %w", s.path, mapErr(err))
		}
		if n > 0 {
			old = append(old, name)
		}
	}
	if haveTables == 0 || haveState == 0 || (fts && len(old) > 0) {
		tx, err := s.begin(ctx, s.db)
		if err != nil {
			return fmt.Errorf("open %s: search index: %w", s.path, mapErr(err))
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, searchSchema); err != nil {
			return fmt.Errorf("open %s: search index: %w", s.path, mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_state (id, stamp, seq) VALUES (1, ?, 0) ON CONFLICT (id) DO NOTHING`, newStamp()); err != nil {
			return fmt.Errorf("open %s: search index: %w", s.path, mapErr(err))
		}
		for _, name := range old {
			if !fts {
				break // a binary without FTS5 cannot drop an FTS5 table
			}
			// The index lives in its own file now (searchfile.go).
			if _, err := tx.ExecContext(ctx, `DROP TABLE `+name); err != nil {
				return fmt.Errorf("open %s: search index: drop the earlier index %s: %w", s.path, name, mapErr(err))
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("open %s: search index: %w", s.path, mapErr(err))
		}
	}
	if !fts {
		return nil
	}
	if err := s.openIndex(ctx); err != nil {
		return fmt.Errorf("open %s: search index: %w", s.path, err)
	}
	return nil
}

// indexChunk bounds the documents one transaction indexes when the index catches up
// (at open, after an import is published, after a script added documents): tens of
// milliseconds of work, so other writers get in between, as between an import's chunks.
const indexChunk = 1000

// sqlArgs is query.Dialect for SQLite: ? placeholders. Text conditions come from the FTS
// table instead (see candidates), so Text narrows nothing here.
type sqlArgs struct{ args []any }

func (a *sqlArgs) Arg(v any) string   { a.args = append(a.args, v); return "?" }
func (a *sqlArgs) Text(string) string { return "" }

// Search runs a query (see annotate/query). Documents come newest first or in list
// order; with the index, only documents holding every trigram of the longer terms are
// read (plus any not indexed yet); without it, every document passing the other
// conditions is.
func (s *Store) Search(ctx context.Context, text string, opt annotate.SearchOptions) (*annotate.SearchResult, error) {
	q, err := query.ParseForStore(text)
	if err != nil {
		return nil, err
	}
	res := &annotate.SearchResult{Method: "scan"}
	tx, err := s.ro.BeginTx(ctx, nil) // one snapshot for the index and the documents
	if err != nil {
		return nil, fmt.Errorf("search: %w", mapErr(err))
	}
	defer tx.Rollback()
	var a sqlArgs
	cond := q.SQL(&a)
	desc := opt.Order == annotate.SearchNewest
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	match := ftsMatch(q)
	useIndex := match != "" && s.ixOK
	var ids []int64
	if useIndex {
		if ids, err = s.candidates(ctx, tx, match, desc); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			// The index file cannot be read (deleted or damaged under an open project):
			// this search reads the documents instead, as without an index, and the next
			// open rebuilds it.
			useIndex = false
		}
	}
	// Documents of an import still in progress (or killed) are not found, as in every list.
	docQ := `SELECT d.id, d.external_id, d.title, d.status, d.text FROM documents d WHERE d.id NOT IN ` + stagedDocIDs + ` AND (` + cond + `)`
	each := func(fn func(*annotate.Document) (bool, error)) error {
		if !useIndex {
			rows, err := tx.QueryContext(ctx, docQ+` ORDER BY d.id `+dir, a.args...)
			if err != nil {
				return mapErr(err)
			}
			defer rows.Close()
			for rows.Next() {
				d, err := scanSearchDoc(rows)
				if err != nil {
					return err
				}
				if stop, err := fn(d); err != nil || stop {
					return err
				}
			}
			return mapErr(rows.Err())
		}
		res.Method = "index"
		one, err := tx.PrepareContext(ctx, docQ+` AND d.id = ?`)
		if err != nil {
			return mapErr(err)
		}
		defer one.Close()
		for _, id := range ids {
			d, err := scanSearchDoc(one.QueryRowContext(ctx, append(a.args, id)...))
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if stop, err := fn(d); err != nil || stop {
				return err
			}
		}
		return nil
	}
	err = each(func(d *annotate.Document) (bool, error) {
		if err := ctx.Err(); err != nil {
			return true, err
		}
		var spans []annotate.Span
		if q.NeedsSpans() {
			var err error
			if spans, err = spansIn(ctx, tx, d.ID); err != nil {
				return true, err
			}
		}
		return res.Add(q.Eval(d, spans), opt.Limit), nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

func scanSearchDoc(r interface{ Scan(...any) error }) (*annotate.Document, error) {
	var d annotate.Document
	var st string
	if err := r.Scan(&d.ID, &d.ExternalID, &d.Title, &st, &d.Text); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, mapErr(err)
	}
	d.Status = annotate.DocStatus(st)
	return &d, nil
}

func spansIn(ctx context.Context, tx *sql.Tx, doc int64) ([]annotate.Span, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+spanCols+` FROM spans WHERE doc = ? ORDER BY start, "end", label, status, id`, doc)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var spans []annotate.Span
	r := newSpanReader(ctx, tx)
	for rows.Next() {
		sp, err := r.scan(rows)
		if err != nil {
			return nil, err
		}
		spans = append(spans, sp)
	}
	return spans, mapErr(rows.Err())
}

// ftsMatch is the FTS5 expression a document must satisfy for q to have a hit in it
// (query.Lookups: tokens, and prefixes of tokens), or "" when no term can be looked up.
func ftsMatch(q *query.Query) string {
	var parts []string
	for _, l := range q.Lookups() {
		p := `"` + strings.ReplaceAll(l.Token, `"`, `""`) + `"`
		if l.Prefix {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND ")
}

// candidates returns the ids of documents matching the FTS expression, and of those not
// indexed yet, in the order asked for. The pending ones are read first, from the search's
// snapshot of the main file: a document not pending in it had been committed to the index
// before, so the index, read after, has it (searchfile.go).
func (s *Store) candidates(ctx context.Context, tx *sql.Tx, match string, desc bool) ([]int64, error) {
	ids, err := queryColumn[int64](ctx, tx, `SELECT doc FROM search_pending`)
	if err != nil {
		return nil, mapErr(err)
	}
	if s.between != nil {
		s.between()
	}
	found, err := queryColumn[int64](ctx, s.ixRO, `SELECT rowid FROM `+ftsName+` WHERE `+ftsName+` MATCH ?`, match)
	if err != nil {
		return nil, mapErr(err)
	}
	ids = append(ids, found...)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if desc {
		slices.Reverse(ids)
	}
	return ids, nil
}
