package postgres

import (
	"context"

	"evident/annotate/sqlstore"
)

// Check runs Evident's own invariants (as the SQLite backend does):
// every span lies inside its document's text and its stored text equals that slice;
// events and arguments point at spans of their own document; every logged change
// belongs to an op. It returns the problems found, in words, and an error only when
// the checks themselves could not run.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	// The server enforces foreign keys and checks its own pages; what remains are
	// Evident's invariants, the same as the SQLite backend checks.
	// Spans against their text, one document at a time so memory stays small.
	problems, err := sqlstore.CheckDocuments(ctx, s.EachDocument, nil)
	if err != nil {
		return nil, err
	}
	return sqlstore.CheckInvariants(ctx, sq{s.ro()}, invariants(), problems)
}

// invariants are Evident's invariants in this dialect's SQL.
func invariants() []sqlstore.Invariant {
	return []sqlstore.Invariant{
		{`SELECT count(*) FROM op_changes WHERE op NOT IN (SELECT id FROM ops)`, "logged changes belong to no operation"},
		{`SELECT count(*) FROM op_changes WHERE tbl NOT IN ('spans', 'events', 'event_args', 'documents', 'labels',
			'incidents', 'incident_events', 'adjudications', 'rejected_proposals', 'runs')`, "logged changes name an unknown table"},
		// Triggers (migration 0010), not foreign keys, keep these out: checked here too.
		{`SELECT count(*) FROM spans s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.doc)
			OR NOT EXISTS (SELECT 1 FROM labels l WHERE l.name = s.label)`, "spans name a document or label that does not exist"},
		{`SELECT count(*) FROM event_args a JOIN events e ON e.id = a.event JOIN spans s ON s.id = a.span WHERE s.doc != e.doc`, "event arguments point at a span of another document"},
		{`SELECT count(*) FROM events e JOIN spans s ON s.id = e.trigger WHERE s.doc != e.doc`, "event triggers are spans of another document"},
		{`SELECT count(*) FROM (SELECT doc, attrs::jsonb ->> 'claimant' AS claimant FROM spans
				WHERE attrs IS NOT NULL AND evident_json_valid(attrs)) c
			WHERE coalesce(c.claimant, '0') != '0'
			AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.id::text = c.claimant AND s.doc = c.doc)`,
			"casualty figures name a claimant that is not a span of their document"},
		{`SELECT count(*) FROM spans WHERE attrs IS NOT NULL AND NOT evident_json_valid(attrs)`, "spans have attributes that are not valid JSON"},
		{`SELECT count(*) FROM spans WHERE proposers IS NOT NULL AND CASE
			WHEN NOT evident_json_valid(proposers) THEN true WHEN jsonb_typeof(proposers::jsonb) != 'array' THEN true
			ELSE jsonb_array_length(proposers::jsonb) < 2 OR (proposers::jsonb -> 0 ->> 0) IS DISTINCT FROM origin END`,
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
		{`SELECT count(*) FROM adjudications WHERE coalesce(best, low, high) IS NULL OR least(coalesce(best, 0), coalesce(low, 0), coalesce(high, 0)) < 0
			OR low > best OR best > high OR low > high`, "adjudications have no number, a negative one or bounds out of order"},
		{`SELECT count(*) FROM (
			SELECT text, label, count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'rejected') FROM spans
				WHERE status IN ('accepted', 'rejected') GROUP BY text, label
			EXCEPT SELECT text, label, accepted, rejected FROM phrases) d`, "phrases have learned-phrase counts that differ from their spans"},
		{`SELECT count(*) FROM (
			SELECT text, label, accepted, rejected FROM phrases WHERE accepted != 0 OR rejected != 0
			EXCEPT SELECT text, label, count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'rejected') FROM spans
				WHERE status IN ('accepted', 'rejected') GROUP BY text, label) d`, "learned-phrase counts have no such spans"},
	}
}
