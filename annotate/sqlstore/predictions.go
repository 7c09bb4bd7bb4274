package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"evident/annotate"
)

// LabelSet reads the names of the labels.
func LabelSet(ctx context.Context, q Q) (map[string]bool, error) {
	labels, err := QueryColumn[string](ctx, q, `SELECT name FROM labels`)
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(labels))
	for _, l := range labels {
		known[l] = true
	}
	return known, nil
}

// PutModelDoc stores one model's suggestions for one document inside action a. A span
// the run proposes again keeps its row (its score and run are updated); a span another
// suggester proposed too is stored once, with both as proposers (annotate.PlanProposals).
func PutModelDoc(a Action, known map[string]bool, docID int64, origin string, spans []annotate.Span, annotator string) (added, removed int, err error) {
	ctx, q := a.Ctx(), a.Q()
	text, o, err := DocText(ctx, q, docID)
	if err != nil {
		return 0, 0, err
	}
	spans = append([]annotate.Span(nil), spans...) // the caller's are left as they were
	subs := make([]string, len(spans))
	for i, sp := range spans {
		if subs[i], err = SliceSpan(text, o, sp.Start, sp.End); err != nil {
			return 0, 0, annotate.Errorf(annotate.EInvalid, "span %d: %v", i, err)
		}
		if !known[sp.Label] {
			return 0, 0, annotate.Errorf(annotate.EInvalid, "span %d: unknown label %q", i, sp.Label)
		}
		spans[i].Text = subs[i]
	}
	stored, err := StoredSuggestions(ctx, q, docID)
	if err != nil {
		return 0, 0, err
	}
	plan := annotate.PlanProposals(stored, origin, spans)
	for i, sp := range plan.Insert {
		attrs, err := CheckAttrs(sp.Attrs)
		if err != nil {
			return 0, 0, annotate.Errorf(annotate.EInvalid, "span %d: %v", i, err)
		}
		row := annotate.Span{DocID: docID, Start: sp.Start, End: sp.End, Label: sp.Label, Status: annotate.StatusSuggested,
			Origin: origin, Annotator: annotator}
		id, err := InsertSpan(a, NewSpan{Span: row, Attrs: attrs, Text: a.StoredText(annotate.StatusSuggested, sp.Text),
			Confidence: ConfidenceArg(sp.Confidence), Run: RunArg(sp.RunID)})
		if err != nil {
			return 0, 0, err
		}
		if err := a.Inserted("spans", id); err != nil {
			return 0, 0, err
		}
	}
	for _, sp := range plan.Update {
		err := a.Update("spans", sp.ID, func() error {
			origin, err := a.OriginValue(sp.Origin)
			if err != nil {
				return err
			}
			_, err = q.ExecContext(ctx, `UPDATE `+a.SpanTable()+` SET origin = ?, confidence = ?, run = ?, proposers = ? WHERE id = ?`,
				origin, ConfidenceArg(sp.Confidence), RunArg(sp.RunID), ProposersArg(sp.Proposers), sp.ID)
			return err
		})
		if err != nil {
			return 0, 0, err
		}
	}
	for _, id := range plan.Remove {
		if err := ClearClaimant(a, docID, id); err != nil {
			return 0, 0, err
		}
		if err := a.Remove("spans", id); err != nil {
			return 0, 0, err
		}
	}
	a.SetDoc(docID)
	a.SetSummary(fmt.Sprintf("%s: %d suggestions, %d replaced", origin, len(plan.Insert), len(plan.Remove)))
	return len(plan.Insert), len(plan.Remove), nil
}

// StoredSuggestions reads a document's spans as annotate.PlanProposals needs them.
func StoredSuggestions(ctx context.Context, q Q, docID int64) ([]annotate.Suggested, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, start, "end", label, status, origin, confidence, run, proposers,
		EXISTS (SELECT 1 FROM events WHERE trigger = spans.id) OR EXISTS (SELECT 1 FROM event_args WHERE span = spans.id)
		FROM spans WHERE doc = ? ORDER BY id`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Suggested
	for rows.Next() {
		var s annotate.Suggested
		var conf sql.NullFloat64
		var run sql.NullInt64
		var props sql.NullString
		if err := rows.Scan(&s.ID, &s.Start, &s.End, &s.Label, &s.Status, &s.Origin, &conf, &run, &props, &s.Locked); err != nil {
			return nil, err
		}
		if conf.Valid {
			c := conf.Float64
			s.Confidence = &c
		}
		s.RunID = run.Int64
		if s.Proposers, err = annotate.DecodeProposers(props.String); err != nil {
			return nil, fmt.Errorf("span %d: %w", s.ID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
