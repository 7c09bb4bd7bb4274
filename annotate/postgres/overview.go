package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
)

var _ annotate.OverviewSource = (*Store)(nil)

// decisionOps selects the operations that are an annotator's decisions still in effect:
// not undone, and not done by a machine (see annotate.Overview for the definitions).
const decisionOps = `state = 'done' AND kind NOT IN ('suggest', 'import', 'add_labels')`

// Overview computes the project overview from one REPEATABLE READ snapshot, so it never
// waits for a writer and never blocks one. Each figure is one aggregate
// query; nothing is loaded row by row into Go.
func (s *Store) Overview(ctx context.Context, opts annotate.OverviewOptions) (*annotate.Overview, error) {
	bucket := opts.BucketOrDefault()
	ov := &annotate.Overview{
		Generated:   s.now().UTC(),
		ByAnnotator: []annotate.AnnotatorProgress{},
		Labels:      []annotate.LabelStatusCounts{},
		Rules:       []annotate.RuleStats{},
		Suggestions: annotate.RuleStats{Origin: "*"},
		Bucket:      annotate.Duration(bucket),
		Throughput:  []annotate.ThroughputSeries{},
		Casualties:  []annotate.CasualtyKindStats{},
	}
	steps := []struct {
		what string
		fn   func(context.Context, txLike, *annotate.Overview, annotate.OverviewOptions) error
	}{
		{"documents", overviewDocs},
		{"annotators", overviewAnnotators},
		{"labels", overviewLabels},
		{"rules", overviewRules},
		{"throughput", overviewThroughput},
		{"casualties", overviewCasualties},
	}
	err := s.readTx(ctx, func(tx txLike) error {
		for _, st := range steps {
			if err := st.fn(ctx, tx, ov, opts); err != nil {
				return fmt.Errorf("%s: %w", st.what, mapErr(err))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	return ov, nil
}

// eachRow runs q and calls fn for every row, which scans it.
func eachRow(ctx context.Context, tx txLike, q string, args []any, fn func(pgx.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func overviewDocs(ctx context.Context, tx txLike, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	return eachRow(ctx, tx, `SELECT status, count(*) FROM documents GROUP BY status`, nil, func(r pgx.Rows) error {
		var st string
		var n int
		if err := r.Scan(&st, &n); err != nil {
			return err
		}
		ov.Documents.Add(annotate.DocStatus(st), n)
		return nil
	})
}

// overviewAnnotators counts each annotator's decisions and the documents they decided
// on, by the documents' current status.
func overviewAnnotators(ctx context.Context, tx txLike, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	idx := map[string]int{}
	err := eachRow(ctx, tx, `SELECT annotator, count(*), min(at), max(at) FROM ops WHERE `+decisionOps+`
		GROUP BY annotator ORDER BY count(*) DESC, annotator`, nil, func(r pgx.Rows) error {
		var p annotate.AnnotatorProgress
		var first, last int64
		if err := r.Scan(&p.Name, &p.Decisions, &first, &last); err != nil {
			return err
		}
		p.First, p.Last = fromMicros(first), fromMicros(last)
		idx[p.Name] = len(ov.ByAnnotator)
		ov.ByAnnotator = append(ov.ByAnnotator, p)
		return nil
	})
	if err != nil {
		return err
	}
	return eachRow(ctx, tx, `SELECT o.annotator, d.status, count(DISTINCT o.doc)
		FROM ops o JOIN documents d ON d.id = o.doc
		WHERE o.`+decisionOps+`
		GROUP BY o.annotator, d.status`, nil, func(r pgx.Rows) error {
		var name, st string
		var n int
		if err := r.Scan(&name, &st, &n); err != nil {
			return err
		}
		if i, ok := idx[name]; ok {
			ov.ByAnnotator[i].Documents.Add(annotate.DocStatus(st), n)
		}
		return nil
	})
}

// overviewLabels counts spans per label and status: every label of the schema (in its
// order, with zero counts), then labels only spans know.
func overviewLabels(ctx context.Context, tx txLike, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	idx := map[string]int{}
	err := eachRow(ctx, tx, `SELECT name FROM labels ORDER BY position, name`, nil, func(r pgx.Rows) error {
		var name string
		if err := r.Scan(&name); err != nil {
			return err
		}
		idx[name] = len(ov.Labels)
		ov.Labels = append(ov.Labels, annotate.LabelStatusCounts{Label: name})
		return nil
	})
	if err != nil {
		return err
	}
	return eachRow(ctx, tx, `SELECT label, status, count(*) FROM spans GROUP BY label, status ORDER BY label`, nil,
		func(r pgx.Rows) error {
			var label, st string
			var n int
			if err := r.Scan(&label, &st, &n); err != nil {
				return err
			}
			i, ok := idx[label]
			if !ok {
				i = len(ov.Labels)
				idx[label] = i
				ov.Labels = append(ov.Labels, annotate.LabelStatusCounts{Label: label})
			}
			ov.Labels[i].Add(annotate.Status(st), n)
			ov.Spans.Add(annotate.Status(st), n)
			return nil
		})
}

// overviewRules counts what became of each origin's suggestions. Only update_span
// changes a span's range or label, so a span is edited when its range or label differs
// from the before-image of its earliest update_span still in effect: that image is the
// span as the suggester stored it (an undone update left the row as it was, so a later
// update's before-image is the original too). Row ids of deleted spans can be reused,
// so updates logged before the row's latest delete belong to another span and are
// skipped. The log is entered through ops (small rows, filtered by kind) and the
// op_changes_op index, never by scanning op_changes and its row images.
func overviewRules(ctx context.Context, tx txLike, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	idx := map[string]int{}
	const q = `
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
	err := eachRow(ctx, tx, q, nil, func(r pgx.Rows) error {
		var origin, st string
		var edited bool
		var n int
		if err := r.Scan(&origin, &st, &edited, &n); err != nil {
			return err
		}
		i, ok := idx[origin]
		if !ok {
			i = len(ov.Rules)
			idx[origin] = i
			ov.Rules = append(ov.Rules, annotate.RuleStats{Origin: origin})
		}
		for _, rs := range []*annotate.RuleStats{&ov.Rules[i], &ov.Suggestions} {
			switch {
			case st == string(annotate.StatusAccepted) && edited:
				rs.Edited += n
			case st == string(annotate.StatusAccepted):
				rs.Accepted += n
			case st == string(annotate.StatusRejected):
				rs.Rejected += n
			default:
				rs.Open += n
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range ov.Rules {
		ov.Rules[i].Finish()
	}
	ov.Suggestions.Finish()
	annotate.SortRules(ov.Rules)
	return nil
}

// overviewThroughput counts decisions per annotator per bucket, aligned to the epoch.
func overviewThroughput(ctx context.Context, tx txLike, ov *annotate.Overview, opts annotate.OverviewOptions) error {
	width := opts.BucketOrDefault().Microseconds()
	if width <= 0 {
		width = 1
	}
	var since int64 = -1 << 62
	if !opts.Since.IsZero() {
		since = micros(opts.Since)
	}
	idx := map[string]int{}
	return eachRow(ctx, tx, `SELECT annotator, (at / $1) * $1 AS b, count(*) FROM ops
		WHERE `+decisionOps+` AND at >= $2
		GROUP BY annotator, b ORDER BY annotator, b`, []any{width, since}, func(r pgx.Rows) error {
		var name string
		var at int64
		var n int
		if err := r.Scan(&name, &at, &n); err != nil {
			return err
		}
		i, ok := idx[name]
		if !ok {
			i = len(ov.Throughput)
			idx[name] = i
			ov.Throughput = append(ov.Throughput, annotate.ThroughputSeries{Annotator: name, Points: []annotate.ThroughputPoint{}})
		}
		ov.Throughput[i].Points = append(ov.Throughput[i].Points, annotate.ThroughputPoint{At: fromMicros(at), Decisions: n})
		return nil
	})
}

// overviewCasualties summarises CASUALTY spans by kind. Attributes that are not valid
// JSON (which the store refuses, but an old or hand-edited file might hold) count as a
// figure without a kind rather than failing the whole overview.
func overviewCasualties(ctx context.Context, tx txLike, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	const q = `
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
	err := eachRow(ctx, tx, q, nil, func(r pgx.Rows) error {
		var c annotate.CasualtyKindStats
		var largest sql.NullInt64
		if err := r.Scan(&c.Kind, &c.Accepted, &c.Suggested, &c.Documents, &c.Claimed, &c.Unbounded, &largest); err != nil {
			return err
		}
		if largest.Valid {
			n := int(largest.Int64)
			c.Largest = &n
		}
		ov.Casualties = append(ov.Casualties, c)
		return nil
	})
	if err != nil {
		return err
	}
	order := func(kind string) int {
		if i := slices.Index(annotate.CasualtyKinds, kind); i >= 0 {
			return i
		}
		return len(annotate.CasualtyKinds)
	}
	sort.SliceStable(ov.Casualties, func(i, j int) bool {
		a, b := ov.Casualties[i], ov.Casualties[j]
		if oa, ob := order(a.Kind), order(b.Kind); oa != ob {
			return oa < ob
		}
		return a.Kind < b.Kind
	})
	return nil
}
