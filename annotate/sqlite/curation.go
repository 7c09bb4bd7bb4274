package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

var _ annotate.SpanBatchStore = (*Store)(nil)

// ReplaceSpans deletes and adds spans of one document as one action (op kind
// replace_spans); see annotate.SpanBatchStore. The curation view uses it to take one
// annotator's version into the gold layer in one undoable step.
func (s *Store) ReplaceSpans(ctx context.Context, docID int64, remove []int64, add []annotate.Span, annotator string) ([]annotate.Span, error) {
	if len(remove) == 0 && len(add) == 0 {
		return nil, nil
	}
	for i := range add {
		sp := &add[i]
		if sp.DocID != 0 && sp.DocID != docID {
			return nil, annotate.Errorf(annotate.EInvalid, "replace spans: span %d is in document %d, not %d", i, sp.DocID, docID)
		}
		if sp.Status == "" {
			sp.Status = annotate.StatusAccepted
		}
		if _, err := annotate.ParseStatus(string(sp.Status)); err != nil {
			return nil, err
		}
		if sp.Origin == "" {
			sp.Origin = annotate.OriginManual
		}
		if sp.Annotator == "" {
			sp.Annotator = annotator
		}
		if _, err := checkAttrs(sp.Attrs); err != nil {
			return nil, err
		}
	}
	out := make([]annotate.Span, 0, len(add))
	_, err := s.write(ctx, "replace_spans", annotator, func(a *action) error {
		a.doc = docID
		text, o, err := docText(ctx, a.tx, docID)
		if err != nil {
			return err
		}
		for _, id := range remove {
			if err := removeSpan(a, docID, id); err != nil {
				return err
			}
		}
		now := micros(a.at)
		newID := make(map[int64]int64, len(add))
		origins := nameIDs{}
		for _, sp := range add {
			sub, err := sliceSpan(text, o, sp.Start, sp.End)
			if err != nil {
				return err
			}
			attrs, _ := checkAttrs(sp.Attrs)
			origin, err := origins.id(ctx, a.tx, sp.Origin)
			if err != nil {
				return err
			}
			res, err := a.tx.ExecContext(ctx, `INSERT INTO span_rows (doc, start, "end", label, st, origin, annotator, created, updated, attrs, text, confidence)
				VALUES (?, ?, ?, `+labelSQL("?")+`, ?, ?, ?, ?, ?, ?, ?, ?)`,
				docID, sp.Start, sp.End, sp.Label, stCode(sp.Status), origin, sp.Annotator, now, now, attrs, sub,
				confidenceArg(sp.Confidence))
			if err != nil {
				return mapErr(err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if sp.ID != 0 {
				newID[sp.ID] = id
			}
			out = append(out, annotate.Span{ID: id})
		}
		// Claimants name spans by id: point those inside the batch at the new copies
		// before imaging the rows, so the log holds the final rows.
		for i, sp := range add {
			if fixed, ok := remapClaimant(sp.Attrs, newID); ok {
				if _, err := a.tx.ExecContext(ctx, `UPDATE span_rows SET attrs = ? WHERE id = ?`, string(fixed), out[i].ID); err != nil {
					return err
				}
			}
			if err := a.inserted("spans", out[i].ID); err != nil {
				return err
			}
			if out[i], err = getSpan(ctx, a.tx, out[i].ID); err != nil {
				return err
			}
		}
		switch {
		case len(add) == 0:
			a.summary = fmt.Sprintf("remove %d spans", len(remove))
		case len(remove) == 0:
			a.summary = fmt.Sprintf("add %d spans", len(add))
		default:
			a.summary = fmt.Sprintf("replace %d spans with %d", len(remove), len(add))
		}
		if len(add) > 0 && add[0].Annotator != annotator {
			a.summary += " to " + add[0].Annotator
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// removeSpan deletes span id of document doc as DeleteSpan does, inside action a.
func removeSpan(a *action, doc, id int64) error {
	sp, err := getSpan(a.ctx, a.tx, id)
	if err != nil {
		return err
	}
	if sp.DocID != doc {
		return annotate.Errorf(annotate.EInvalid, "span %d is in document %d, not %d", id, sp.DocID, doc)
	}
	evs, err := queryIDs(a.ctx, a.tx, `SELECT id FROM events WHERE trigger = ?`, id)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if err := deleteEvent(a, ev); err != nil {
			return err
		}
	}
	args, err := queryIDs(a.ctx, a.tx, `SELECT id FROM event_args WHERE span = ?`, id)
	if err != nil {
		return err
	}
	for _, arg := range args {
		if err := a.remove("event_args", arg); err != nil {
			return err
		}
	}
	if err := clearClaimant(a, doc, id); err != nil {
		return err
	}
	return a.remove("spans", id)
}

// remapClaimant rewrites attrs' claimant through newID; ok is false when nothing changed.
func remapClaimant(attrs json.RawMessage, newID map[int64]int64) (json.RawMessage, bool) {
	if len(attrs) == 0 || len(newID) == 0 {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(attrs, &m) != nil {
		return nil, false
	}
	raw, ok := m["claimant"]
	if !ok {
		return nil, false
	}
	var old int64
	if json.Unmarshal(raw, &old) != nil {
		return nil, false
	}
	id, ok := newID[old]
	if !ok {
		return nil, false
	}
	m["claimant"] = json.RawMessage(fmt.Sprint(id))
	data, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	return data, true
}
