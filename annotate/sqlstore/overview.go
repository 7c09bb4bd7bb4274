package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"time"

	"evident/annotate"
)

// DecisionOps selects the operations that are an annotator's decisions still in effect:
// not undone, and not done by a machine (see annotate.Overview for the definitions).
const DecisionOps = `state = 'done' AND kind NOT IN ('suggest', 'import', 'add_labels')`

// OverviewSQL is the queries of the overview that differ between the dialects, each
// selecting the columns its step scans.
type OverviewSQL struct {
	Docs       string // status, count(*): documents per status
	Labels     string // label, status, count(*) of spans, ORDER BY label
	Rules      string // origin, status, edited, count(*) of suggested spans (see overviewRules)
	Throughput string // annotator, bucket start, count(*) of decisions; parameters width and since (µs)
	Casualties string // kind, accepted, suggested, documents, claimed, unbounded, largest of CASUALTY spans
}

// Overview computes the project overview at now from q, which should be one read
// snapshot. Each figure is one aggregate query; nothing is loaded row by row into Go.
func Overview(ctx context.Context, q Q, sqls OverviewSQL, now time.Time, opts annotate.OverviewOptions) (*annotate.Overview, error) {
	bucket := opts.BucketOrDefault()
	ov := &annotate.Overview{
		Generated:   now.UTC(),
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
		fn   func(context.Context, Q, OverviewSQL, *annotate.Overview, annotate.OverviewOptions) error
	}{
		{"documents", overviewDocs},
		{"annotators", overviewAnnotators},
		{"labels", overviewLabels},
		{"rules", overviewRules},
		{"throughput", overviewThroughput},
		{"casualties", overviewCasualties},
	}
	for _, st := range steps {
		if err := st.fn(ctx, q, sqls, ov, opts); err != nil {
			return nil, fmt.Errorf("%s: %w", st.what, q.MapErr(err))
		}
	}
	return ov, nil
}

// EachRow runs query and calls fn for every row, which scans it.
func EachRow(ctx context.Context, q Q, query string, args []any, fn func(Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
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

func overviewDocs(ctx context.Context, q Q, sqls OverviewSQL, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	return EachRow(ctx, q, sqls.Docs, nil, func(r Rows) error {
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
func overviewAnnotators(ctx context.Context, q Q, sqls OverviewSQL, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	idx := map[string]int{}
	err := EachRow(ctx, q, `SELECT annotator, count(*), min(at), max(at) FROM ops WHERE `+DecisionOps+`
		GROUP BY annotator ORDER BY count(*) DESC, annotator`, nil, func(r Rows) error {
		var p annotate.AnnotatorProgress
		var first, last int64
		if err := r.Scan(&p.Name, &p.Decisions, &first, &last); err != nil {
			return err
		}
		p.First, p.Last = FromMicros(first), FromMicros(last)
		idx[p.Name] = len(ov.ByAnnotator)
		ov.ByAnnotator = append(ov.ByAnnotator, p)
		return nil
	})
	if err != nil {
		return err
	}
	return EachRow(ctx, q, `SELECT o.annotator, d.status, count(DISTINCT o.doc)
		FROM ops o JOIN documents d ON d.id = o.doc
		WHERE o.`+DecisionOps+`
		GROUP BY o.annotator, d.status`, nil, func(r Rows) error {
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
func overviewLabels(ctx context.Context, q Q, sqls OverviewSQL, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	idx := map[string]int{}
	err := EachRow(ctx, q, `SELECT name FROM labels ORDER BY position, name`, nil, func(r Rows) error {
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
	return EachRow(ctx, q, sqls.Labels, nil,
		func(r Rows) error {
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
func overviewRules(ctx context.Context, q Q, sqls OverviewSQL, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	idx := map[string]int{}
	err := EachRow(ctx, q, sqls.Rules, nil, func(r Rows) error {
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
func overviewThroughput(ctx context.Context, q Q, sqls OverviewSQL, ov *annotate.Overview, opts annotate.OverviewOptions) error {
	width := opts.BucketOrDefault().Microseconds()
	if width <= 0 {
		width = 1
	}
	var since int64 = -1 << 62
	if !opts.Since.IsZero() {
		since = Micros(opts.Since)
	}
	idx := map[string]int{}
	return EachRow(ctx, q, sqls.Throughput, []any{width, since}, func(r Rows) error {
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
		ov.Throughput[i].Points = append(ov.Throughput[i].Points, annotate.ThroughputPoint{At: FromMicros(at), Decisions: n})
		return nil
	})
}

// overviewCasualties summarises CASUALTY spans by kind. Attributes that are not valid
// JSON (which the store refuses, but an old or hand-edited file might hold) count as a
// figure without a kind rather than failing the whole overview.
func overviewCasualties(ctx context.Context, q Q, sqls OverviewSQL, ov *annotate.Overview, _ annotate.OverviewOptions) error {
	err := EachRow(ctx, q, sqls.Casualties, nil, func(r Rows) error {
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
