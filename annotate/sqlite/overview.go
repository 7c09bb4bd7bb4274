package sqlite

import (
	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.OverviewSource = (*Store)(nil)

// decisionOps selects the operations that are an annotator's decisions still in effect.
const decisionOps = sqlstore.DecisionOps

// overviewSQL is this dialect's side of the overview's queries.
func overviewSQL() sqlstore.OverviewSQL {
	return sqlstore.OverviewSQL{
		Docs:   `SELECT status, count(*) FROM documents WHERE id NOT IN ` + stagedDocIDs + ` GROUP BY status`,
		Labels: `SELECT label, status, count(*) FROM spans WHERE doc NOT IN ` + stagedDocIDs + ` GROUP BY label, status ORDER BY label`,
		Rules:  overviewRules,
		Throughput: `SELECT annotator, (at / ?1) * ?1 AS b, count(*) FROM ops
		WHERE ` + decisionOps + ` AND at >= ?2
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
			FROM ops o CROSS JOIN op_changes d ON d.op = o.id
			WHERE o.kind = 'delete_span' AND o.state = 'done' AND d.tbl = 'spans' AND d.after IS NULL
			GROUP BY d.row_id
		), upd AS (
			-- SQLite takes the bare column "before" from the row that gives min(c.id).
			SELECT c.row_id AS id, min(c.id) AS cid, c.before AS before
			FROM ops o CROSS JOIN op_changes c ON c.op = o.id
				LEFT JOIN dels ON dels.id = c.row_id
			WHERE o.kind = 'update_span' AND o.state = 'done' AND c.tbl = 'spans'
				AND c.before IS NOT NULL AND c.id > coalesce(dels.cid, 0)
			GROUP BY c.row_id
		)
		SELECT s.origin, s.status,
			coalesce(s.status = 'accepted' AND json_valid(u.before) AND (
				json_extract(u.before, '$.start') != s.start OR
				json_extract(u.before, '$.end') != s."end" OR
				json_extract(u.before, '$.label') != s.label), 0) AS edited,
			count(*)
		FROM spans s LEFT JOIN upd u ON u.id = s.id
		WHERE s.origin NOT IN ('', 'manual', 'import') AND s.doc NOT IN ` + stagedDocIDs + `
		GROUP BY s.origin, s.status, edited`

	// overviewCasualties summarises CASUALTY spans by kind. Attributes that are not valid
	// JSON (which the store refuses, but an old or hand-edited file might hold) count as a
	// figure without a kind rather than failing the whole overview.
	overviewCasualties = `
		SELECT kind, sum(status = 'accepted'), sum(status = 'suggested'),
			count(DISTINCT CASE WHEN status = 'accepted' THEN doc END),
			sum(status = 'accepted' AND (coalesce(claimant, 0) != 0 OR coalesce(claimant_text, '') != '')),
			sum(status = 'accepted' AND low IS NOT NULL AND high IS NULL),
			max(CASE WHEN status = 'accepted' THEN coalesce(high, low) END)
		FROM (
			SELECT status, doc,
				coalesce(json_extract(a, '$.kind'), '') AS kind,
				json_extract(a, '$.low') AS low, json_extract(a, '$.high') AS high,
				json_extract(a, '$.claimant') AS claimant, json_extract(a, '$.claimant_text') AS claimant_text
			FROM (SELECT status, doc, CASE WHEN json_valid(attrs) THEN attrs END AS a
				FROM spans WHERE label = 'CASUALTY' AND status != 'rejected' AND doc NOT IN ` + stagedDocIDs + `)
		)
		GROUP BY kind`
)
