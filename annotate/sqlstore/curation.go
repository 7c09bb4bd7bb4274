package sqlstore

import (
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// CheckReplace validates and defaults the spans ReplaceSpans adds to document docID:
// status accepted, origin manual, annotator the action's.
func CheckReplace(docID int64, add []annotate.Span, annotator string) error {
	for i := range add {
		sp := &add[i]
		if sp.DocID != 0 && sp.DocID != docID {
			return annotate.Errorf(annotate.EInvalid, "replace spans: span %d is in document %d, not %d", i, sp.DocID, docID)
		}
		if sp.Status == "" {
			sp.Status = annotate.StatusAccepted
		}
		if _, err := annotate.ParseStatus(string(sp.Status)); err != nil {
			return err
		}
		if sp.Origin == "" {
			sp.Origin = annotate.OriginManual
		}
		if sp.Annotator == "" {
			sp.Annotator = annotator
		}
		if _, err := CheckAttrs(sp.Attrs); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceSpans deletes spans remove and adds spans add (CheckReplace) of one document
// in a's transaction, and returns the added spans as stored.
func ReplaceSpans(a Action, docID int64, remove []int64, add []annotate.Span) ([]annotate.Span, error) {
	ctx, q := a.Ctx(), a.Q()
	a.SetDoc(docID)
	text, o, err := DocText(ctx, q, docID)
	if err != nil {
		return nil, err
	}
	for _, id := range remove {
		if err := RemoveSpan(a, docID, id); err != nil {
			return nil, err
		}
	}
	out := make([]annotate.Span, 0, len(add))
	newID := make(map[int64]int64, len(add))
	for _, sp := range add {
		sub, err := SliceSpan(text, o, sp.Start, sp.End)
		if err != nil {
			return nil, err
		}
		attrs, _ := CheckAttrs(sp.Attrs)
		sp.DocID = docID
		id, err := InsertSpan(a, NewSpan{Span: sp, Attrs: attrs, Text: a.StoredText(sp.Status, sub), Confidence: ConfidenceArg(sp.Confidence), MapErr: true})
		if err != nil {
			return nil, err
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
			if _, err := q.ExecContext(ctx, `UPDATE `+a.SpanTable()+` SET attrs = ? WHERE id = ?`, string(fixed), out[i].ID); err != nil {
				return nil, err
			}
		}
		if err := a.Inserted("spans", out[i].ID); err != nil {
			return nil, err
		}
		if out[i], err = GetSpan(ctx, q, out[i].ID); err != nil {
			return nil, err
		}
	}
	summary := summaryOf(len(add), len(remove))
	if len(add) > 0 && add[0].Annotator != a.Annotator() {
		summary += " to " + add[0].Annotator
	}
	a.SetSummary(summary)
	return out, nil
}

// summaryOf is ReplaceSpans' summary for adding add spans and removing remove.
func summaryOf(add, remove int) string {
	switch {
	case add == 0:
		return fmt.Sprintf("remove %d spans", remove)
	case remove == 0:
		return fmt.Sprintf("add %d spans", add)
	}
	return fmt.Sprintf("replace %d spans with %d", remove, add)
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
