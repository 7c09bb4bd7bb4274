package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.OverviewSource = (*Store)(nil)

// decisionOps selects the operations that are an annotator's decisions still in effect.
const decisionOps = sqlstore.DecisionOps

// overviewSQL is this dialect's side of the overview's queries.
func overviewSQL() sqlstore.OverviewSQL {
	return sqlstore.OverviewSQL{
		Docs:   `SELECT status, count(*) FROM documents GROUP BY status`,
		Labels: `SELECT label, status, count(*) FROM spans GROUP BY label, status ORDER BY label`,
		Rules:  overviewRules,
		Throughput: `SELECT annotator, (at / $1) * $1 AS b, count(*) FROM ops
		WHERE ` + decisionOps + ` AND at >= $2
		GROUP BY annotator, b ORDER BY annotator, b`,
		Casualties: overviewCasualties,
	}
}

const (
	// overviewRules counts what became of each origin's suggestions. Only update_span
	// changes a span's range or label, so a span is edited when its range or label differs
	// from the before-image of its earliest update_span still in effect: that image is the
	// span as the suggester stored it (an undone update left the row as it was, so a later
	// update's before-image is the original too). Row ids of deleted spans can be reused,
	// so updates logged before the row's latest delete belong to another span and are
	// skipped. The log is entered through ops (small rows, filtered by kind) and the
	// op_changes_op index, never by scanning op_changes and its row images.
	overviewRules = `
		WITH dels AS (
			SELECT d.row_id AS id, max(d.id) AS cid
			FROM ops o JOIN op_changes d ON d.op = o.id
			WHERE o.kind = 'delete_span' AND o.state = 'done' AND d.tbl = 'spans' AND d.after IS NULL
			GROUP BY d.row_id
		), upd AS (
			-- the before-image of each span's earliest update still in effect
			SELECT DISTINCT ON (c.row_id) c.row_id AS id,
				CASE WHEN evident_json_valid(c.before) THEN c.before::jsonb END AS before
			FROM ops o JOIN op_changes c ON c.op = o.id
				LEFT JOIN dels ON dels.id = c.row_id
			WHERE o.kind = 'update_span' AND o.state = 'done' AND c.tbl = 'spans'
				AND c.before IS NOT NULL AND c.id > coalesce(dels.cid, 0)
			ORDER BY c.row_id, c.id
		)
		SELECT s.origin, s.status,
			coalesce(s.status = 'accepted' AND (
				(u.before ->> 'start') != s.start::text OR
				(u.before ->> 'end') != s."end"::text OR
				(u.before ->> 'label') != s.label), false) AS edited,
			count(*)
		FROM spans s LEFT JOIN upd u ON u.id = s.id
		WHERE s.origin NOT IN ('', 'manual', 'import')
		GROUP BY s.origin, s.status, edited`

	// overviewCasualties summarises CASUALTY spans by kind. Attributes that are not valid
	// JSON (which the store refuses, but an old or hand-edited file might hold) count as a
	// figure without a kind rather than failing the whole overview.
	overviewCasualties = `
		SELECT kind, count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'suggested'),
			count(DISTINCT CASE WHEN status = 'accepted' THEN doc END),
			count(*) FILTER (WHERE status = 'accepted' AND (coalesce(claimant, '0') NOT IN ('0', 'null', '""', 'false') OR coalesce(claimant_text, '') != '')),
			count(*) FILTER (WHERE status = 'accepted' AND low IS NOT NULL AND high IS NULL),
			max(CASE WHEN status = 'accepted' THEN coalesce(high, low) END)::bigint
		FROM (
			SELECT status, doc,
				coalesce(a ->> 'kind', '') AS kind,
				CASE WHEN jsonb_typeof(a -> 'low') = 'number' THEN (a ->> 'low')::numeric END AS low,
				CASE WHEN jsonb_typeof(a -> 'high') = 'number' THEN (a ->> 'high')::numeric END AS high,
				(a -> 'claimant')::text AS claimant, a ->> 'claimant_text' AS claimant_text
			FROM (SELECT status, doc, CASE WHEN evident_json_valid(attrs) THEN attrs::jsonb END AS a
				FROM spans WHERE label = 'CASUALTY' AND status != 'rejected') v
		) c
		GROUP BY kind`
)

// eachRow runs q and calls fn for every row, which scans it (sqlstore.EachRow, whose
// rows here are pgx's).
func eachRow(ctx context.Context, tx txLike, q string, args []any, fn func(pgx.Rows) error) error {
	return sqlstore.EachRow(ctx, sq{tx}, q, args, func(r sqlstore.Rows) error { return fn(r.(pgx.Rows)) })
}
