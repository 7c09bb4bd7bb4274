package sqlite

import (
	"context"
	"fmt"

	"evident/annotate/sqlstore"
)

// Check runs SQLite's integrity and foreign key checks and Evident's own invariants:
// every span lies inside its document's text and its stored text equals that slice;
// events and arguments point at spans of their own document; every logged change
// belongs to an op. It returns the problems found, in words, and an error only when
// the checks themselves could not run.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	var problems []string
	integrity, err := s.integrityCheck(ctx)
	if err != nil {
		return nil, fmt.Errorf("check: %w", mapErr(err))
	}
	for _, line := range integrity {
		if line != "ok" {
			problems = append(problems, "integrity: "+line)
		}
	}
	ixProblems, err := s.checkIndex(ctx)
	if err != nil {
		return nil, fmt.Errorf("check: search index: %w", mapErr(err))
	}
	problems = append(problems, ixProblems...)
	rows, err := s.ro.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, fmt.Errorf("check: %w", mapErr(err))
	}
	for rows.Next() {
		var table, parent string
		var rowid, fkid any
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %v refers to a missing %s row", table, rowid, parent))
	}
	rows.Close()

	// Spans against their text, one document at a time so memory stays small.
	problems, err = sqlstore.CheckDocuments(ctx, s.EachDocument, problems)
	if err != nil {
		return nil, err
	}
	return sqlstore.CheckInvariants(ctx, sq{s.ro}, invariants(), problems)
}

// invariants are Evident's invariants in this dialect's SQL.
func invariants() []sqlstore.Invariant {
	return []sqlstore.Invariant{
		{`SELECT count(*) FROM op_changes WHERE op NOT IN (SELECT id FROM ops)`, "logged changes belong to no operation"},
		{`SELECT count(*) FROM op_changes WHERE tbl NOT IN ('spans', 'events', 'event_args', 'documents', 'labels',
			'incidents', 'incident_events', 'adjudications', 'rejected_proposals', 'runs')`, "logged changes name an unknown table"},
		{`SELECT count(*) FROM event_args a JOIN events e ON e.id = a.event JOIN spans s ON s.id = a.span WHERE s.doc != e.doc`, "event arguments point at a span of another document"},
		{`SELECT count(*) FROM events e JOIN spans s ON s.id = e.trigger WHERE s.doc != e.doc`, "event triggers are spans of another document"},
		// event_args has no unique index (0009): the writers skip repeats themselves
		{`SELECT count(*) FROM arg_rows a WHERE EXISTS (SELECT 1 FROM arg_rows b
			WHERE b.event = a.event AND b.role = a.role AND b.span = a.span AND b.id < a.id)`, "event arguments are repeated (same event, role and span)"},
		{`SELECT count(*) FROM spans c WHERE c.attrs IS NOT NULL AND json_valid(c.attrs)
			AND coalesce(json_extract(c.attrs, '$.claimant'), 0) != 0
			AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.id = json_extract(c.attrs, '$.claimant') AND s.doc = c.doc)`,
			"casualty figures name a claimant that is not a span of their document"},
		{`SELECT count(*) FROM spans WHERE attrs IS NOT NULL AND NOT json_valid(attrs)`, "spans have attributes that are not valid JSON"},
		{`SELECT count(*) FROM spans WHERE proposers IS NOT NULL AND CASE
			WHEN NOT json_valid(proposers) THEN 1 WHEN json_type(proposers) != 'array' THEN 1
			ELSE json_array_length(proposers) < 2 OR json_extract(proposers, '$[0][0]') IS NOT origin END`,
			"spans list their proposers unreadably or not with their origin first (they read as proposed by their origin alone)"},
		{`SELECT count(*) FROM spans s WHERE s.run IN (SELECT row_id FROM op_changes WHERE seq = 0 AND tbl = 'runs')
			AND NOT EXISTS (SELECT 1 FROM run_docs r WHERE r.run = s.run AND r.doc = s.doc)`,
			"spans of a suggestion run are in a document the run does not list (run_docs: undoing the run would miss them)"},
		{`SELECT count(*) FROM incident_events l WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = l.event)`,
			"incident links point at an event that does not exist"},
		{`SELECT count(*) FROM incident_events l JOIN events e ON e.id = l.event WHERE e.doc != l.doc`,
			"incident links name another document than their event's"},
		{`SELECT count(*) FROM incident_events l WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = l.incident)`,
			"incident links belong to no incident"},
		{`SELECT count(*) FROM adjudications a WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = a.incident)`,
			"adjudications belong to no incident"},
		{`SELECT count(*) FROM adjudications WHERE coalesce(best, low, high) IS NULL OR min(coalesce(best, 0), coalesce(low, 0), coalesce(high, 0)) < 0
			OR low > best OR best > high OR low > high`, "adjudications have no number, a negative one or bounds out of order"},
		{`SELECT count(*) FROM (
			SELECT text, label, sum(status = 'accepted'), sum(status = 'rejected') FROM spans
				WHERE status IN ('accepted', 'rejected') GROUP BY text, label
			EXCEPT SELECT text, label, accepted, rejected FROM phrases)`, "phrases have learned-phrase counts that differ from their spans"},
		{`SELECT count(*) FROM (
			SELECT text, label, accepted, rejected FROM phrases WHERE accepted != 0 OR rejected != 0
			EXCEPT SELECT text, label, sum(status = 'accepted'), sum(status = 'rejected') FROM spans
				WHERE status IN ('accepted', 'rejected') GROUP BY text, label)`, "learned-phrase counts have no such spans"},
	}
}

// integrityCheck runs SQLite's integrity check of the main file in one read
// transaction.
func (s *Store) integrityCheck(ctx context.Context) ([]string, error) {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return sqlstore.QueryColumn[string](ctx, sq{tx}, `PRAGMA integrity_check`)
}

// checkIndex checks the search index file (searchfile.go): SQLite's integrity check of
// it, and that every document not pending in the main file is in the index (one that is
// not would be missing from search results). Pending rows are read first, as a search
// does. Without a trusted index there is nothing to check: searches read the documents.
//
// The check runs on one connection of the index's read-only pool, having first opened a
// cursor on the index. FTS5's part of the integrity check uses the index structure the
// connection cached when it last used the index, without asking whether another
// connection has changed the index since (opening a cursor does ask, and drops a stale
// structure). The pool's connections outlive imports on other connections, which merge
// and remove index segments: without the cursor, the check reported "fts5: corruption
// found reading blob …" on a sound index.
func (s *Store) checkIndex(ctx context.Context) ([]string, error) {
	if !s.ixOK {
		return nil, nil
	}
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	pending, err := queryColumn[int64](ctx, tx, `SELECT doc FROM search_pending`)
	if err != nil {
		return nil, err
	}
	itx, err := s.ixRO.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer itx.Rollback()
	var n int
	if err := itx.QueryRowContext(ctx, `SELECT count(*) FROM `+ftsName+` WHERE rowid = 0`).Scan(&n); err != nil {
		return nil, err
	}
	var problems []string
	lines, err := sqlstore.QueryColumn[string](ctx, sq{itx}, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	for _, line := range lines {
		if line != "ok" {
			problems = append(problems, "search index "+s.path+searchSuffix+": "+line)
		}
	}
	indexed, err := queryColumn[int64](ctx, itx, `SELECT id FROM `+ftsName+`_docsize`)
	if err != nil {
		return nil, err
	}
	have := make(map[int64]bool, len(indexed)+len(pending))
	for _, id := range append(indexed, pending...) {
		have[id] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM documents`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	missing := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if !have[id] {
			missing++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if missing > 0 {
		problems = append(problems, fmt.Sprintf("search index %s%s: %d documents are neither in it nor pending (searches would miss them; delete the file and open the project to rebuild it)", s.path, searchSuffix, missing))
	}
	return problems, nil
}
