package sqlite

import (
	"context"
	"fmt"

	"evident/annotate"
)

type spanKey struct {
	start, end int
	label      string
}

// AddSuggestions stores a draft for one document as suggestions, one action. A span whose
// (start, end, label) already exists in the document, in any status, is skipped, and so
// are events whose trigger was skipped and arguments that point at skipped spans; a
// claimant that was skipped is resolved to the existing span.
func (s *Store) AddSuggestions(ctx context.Context, docID int64, d annotate.Draft, annotator string) (int, error) {
	added := 0
	_, err := s.write(ctx, "suggest", annotator, func(a *action) error {
		text, _, err := docText(ctx, a.tx, docID)
		if err != nil {
			return err
		}
		labels, err := queryStrings(ctx, a.tx, `SELECT name FROM labels`)
		if err != nil {
			return err
		}
		known := make(map[string]bool, len(labels))
		for _, l := range labels {
			known[l] = true
		}
		voc, err := loadVocabulary(ctx, a.tx)
		if err != nil {
			return err
		}
		doc := &annotate.Document{ID: docID, Text: text, ExternalID: fmt.Sprint(docID)}
		p, err := validateDraft(doc, d, known, voc, annotator, annotate.StatusSuggested, "")
		if err != nil {
			return err
		}
		rows, err := a.tx.QueryContext(ctx, `SELECT id, start, "end", label FROM spans WHERE doc = ?`, docID)
		if err != nil {
			return err
		}
		existing := map[spanKey]int64{}
		for rows.Next() {
			var k spanKey
			var id int64
			if err := rows.Scan(&id, &k.start, &k.end, &k.label); err != nil {
				rows.Close()
				return err
			}
			existing[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ids := make([]int64, len(d.Spans))  // stored id of each draft span, new or existing
		isNew := make([]bool, len(d.Spans)) // inserted by this call
		now := micros(a.at)
		origins := nameIDs{}
		for i, sp := range d.Spans {
			k := spanKey{sp.Start, sp.End, sp.Label}
			if id, ok := existing[k]; ok {
				ids[i] = id
				continue
			}
			attrs := p.attrs[i]
			if src, ok := d.Claimants[i]; ok && src < i && ids[src] != 0 {
				s, err := withClaimant(attrs, ids[src], p.text[src])
				if err != nil {
					return err
				}
				attrs = s
			}
			origin, err := origins.id(ctx, a.tx, p.origin[i])
			if err != nil {
				return err
			}
			st := annotate.Status(p.status[i])
			res, err := a.tx.ExecContext(ctx, `INSERT INTO span_rows (doc, start, "end", label, st, origin, annotator, created, updated, attrs, text, confidence, run, proposers)
				VALUES (?, ?, ?, `+labelSQL("?")+`, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				docID, sp.Start, sp.End, sp.Label, stCode(st), origin, p.annot[i], now, now, attrs, storedText(st, p.text[i]),
				confidenceArg(sp.Confidence), runArg(sp.RunID), proposersArg(annotate.ProposersOfRun(sp.Proposers, sp.RunID)))
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			ids[i], isNew[i] = id, true
			existing[k] = id // a draft that repeats a span stores it once
			added++
		}
		// Claimants whose source comes later in the draft: set now, before images are taken.
		for c, src := range d.Claimants {
			if !isNew[c] || src < c {
				continue
			}
			attrs, err := withClaimant(p.attrs[c], ids[src], p.text[src])
			if err != nil {
				return err
			}
			if _, err := a.tx.ExecContext(ctx, `UPDATE span_rows SET attrs = ? WHERE id = ?`, attrs, ids[c]); err != nil {
				return err
			}
		}
		for i := range d.Spans {
			if isNew[i] {
				if err := a.inserted("spans", ids[i]); err != nil {
					return err
				}
			}
		}
		events := 0
		for _, e := range d.Events {
			if !isNew[e.Trigger] {
				continue
			}
			ev := annotate.Event{DocID: docID, Type: e.Type, Trigger: ids[e.Trigger], Status: annotate.Status(p.status[e.Trigger]),
				Origin: e.Origin, Annotator: annotator}
			for _, arg := range e.Args {
				if isNew[arg.Span] {
					ev.Args = append(ev.Args, annotate.Argument{Role: arg.Role, SpanID: ids[arg.Span]})
				}
			}
			if _, err := insertEvent(a, ev, voc); err != nil {
				return err
			}
			events++
		}
		a.doc = docID
		a.summary = fmt.Sprintf("suggest %d spans, %d events", added, events)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}
