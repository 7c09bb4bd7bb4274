package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"evident/annotate"
)

// NullString is the stored form of an optional text: NULL for "".
func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ProposersArg is the value stored for a span's proposers: NULL when one suggester
// proposed it.
func ProposersArg(ps []annotate.Proposer) any {
	return NullString(annotate.EncodeProposers(ps))
}

// ConfidenceArg is the value stored for a span's confidence: NULL when there is none or
// it is not a number (a model's NaN is "no score", never certainty), else clamped to [0, 1].
func ConfidenceArg(c *float64) any {
	if c == nil || math.IsNaN(*c) {
		return nil
	}
	return math.Min(1, math.Max(0, *c))
}

// RunArg is the value stored for a span's run: NULL for none.
func RunArg(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CheckAttrs accepts nil or a JSON object and returns the value to store.
func CheckAttrs(attrs json.RawMessage) (any, error) {
	trimmed := strings.TrimSpace(string(attrs))
	if trimmed == "" || trimmed == "null" {
		return nil, nil
	}
	if !json.Valid(attrs) || trimmed[0] != '{' {
		return nil, annotate.Errorf(annotate.EInvalid, "span attributes must be a JSON object, got %.60q", trimmed)
	}
	return trimmed, nil
}

// DocText returns a document's text and its offset table.
func DocText(ctx context.Context, q Q, docID int64) (string, *annotate.Offsets, error) {
	var text string
	err := q.QueryRowContext(ctx, `SELECT text FROM documents WHERE id = ?`, docID).Scan(&text)
	if q.NoRows(err) {
		return "", nil, annotate.Errorf(annotate.ENotFound, "document %d does not exist", docID)
	}
	if err != nil {
		return "", nil, err
	}
	return text, annotate.NewOffsets(text), nil
}

// SliceSpan validates [start, end) over text and returns the covered text.
func SliceSpan(text string, o *annotate.Offsets, start, end int) (string, error) {
	if err := annotate.CheckSpan(o.Len(), start, end); err != nil {
		return "", err
	}
	sub, _ := o.Slice(text, start, end)
	return sub, nil
}

// SpanWhere turns a filter into " AND ..." conditions on table spans.
func SpanWhere(f annotate.SpanFilter) (string, []any) {
	var b strings.Builder
	var args []any
	if len(f.Statuses) > 0 {
		b.WriteString(` AND status IN (?` + strings.Repeat(", ?", len(f.Statuses)-1) + `)`)
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if len(f.Labels) > 0 {
		b.WriteString(` AND label IN (?` + strings.Repeat(", ?", len(f.Labels)-1) + `)`)
		for _, l := range f.Labels {
			args = append(args, l)
		}
	}
	if f.Annotator != "" {
		b.WriteString(` AND annotator = ?`)
		args = append(args, f.Annotator)
	}
	return b.String(), args
}

// GetSpan reads span id, ENotFound if it does not exist.
func GetSpan(ctx context.Context, q Q, id int64) (annotate.Span, error) {
	spans, err := ReadSpans(ctx, q, `id = ?`, id)
	if err != nil {
		return annotate.Span{}, err
	}
	if len(spans) == 0 {
		return annotate.Span{}, annotate.Errorf(annotate.ENotFound, "span %d does not exist", id)
	}
	return spans[0], nil
}

// NewSpan is a spans row to insert: the span and the stored values of its optional
// columns (nil: NULL).
type NewSpan struct {
	annotate.Span
	Attrs, Text, Confidence, Run, Proposers any
	// MapErr maps an error of the INSERT itself to a domain error (annotate.Error).
	MapErr bool
}

// InsertSpan inserts a spans row created and updated at the action's time (not yet
// logged: the caller calls Inserted) and returns its id.
func InsertSpan(a Action, sp NewSpan) (int64, error) {
	origin, err := a.OriginValue(sp.Origin)
	if err != nil {
		return 0, err
	}
	label, err := a.LabelValue(sp.Label)
	if err != nil {
		return 0, err
	}
	now := Micros(a.At())
	q := a.Q()
	id, err := q.InsertID(a.Ctx(), `INSERT INTO `+a.SpanTable()+` (doc, start, "end", label, `+a.StatusCol()+`, origin, annotator,
		created, updated, attrs, text, confidence, run, proposers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sp.DocID, sp.Start, sp.End, label, a.StatusValue(sp.Status), origin, sp.Annotator, now, now, sp.Attrs, sp.Text,
		sp.Confidence, sp.Run, sp.Proposers)
	if err != nil && sp.MapErr {
		return 0, q.MapErr(err)
	}
	return id, err
}

// AddSpan stores a new span (Status and Origin already defaulted, attrs checked by
// CheckAttrs) and returns it as stored.
func AddSpan(a Action, sp annotate.Span, attrs any) (annotate.Span, error) {
	ctx, q := a.Ctx(), a.Q()
	text, o, err := DocText(ctx, q, sp.DocID)
	if err != nil {
		return annotate.Span{}, err
	}
	sub, err := SliceSpan(text, o, sp.Start, sp.End)
	if err != nil {
		return annotate.Span{}, err
	}
	id, err := InsertSpan(a, NewSpan{Span: sp, Attrs: attrs, Text: a.StoredText(sp.Status, sub),
		Confidence: ConfidenceArg(sp.Confidence), Run: RunArg(sp.RunID), MapErr: true})
	if err != nil {
		return annotate.Span{}, err
	}
	a.SetDoc(sp.DocID)
	a.SetSummary(fmt.Sprintf("add %s %q", sp.Label, Clip(sub)))
	if err := a.Inserted("spans", id); err != nil {
		return annotate.Span{}, err
	}
	return GetSpan(ctx, q, id)
}

// UpdateSpan changes a span's range, label, attributes (checked: attrs) and status (an
// empty status keeps the current one); the action's annotator becomes the span's.
func UpdateSpan(a Action, sp annotate.Span, attrs any) (annotate.Span, error) {
	ctx, q := a.Ctx(), a.Q()
	cur, err := GetSpan(ctx, q, sp.ID)
	if err != nil {
		return annotate.Span{}, err
	}
	text, o, err := DocText(ctx, q, cur.DocID)
	if err != nil {
		return annotate.Span{}, err
	}
	sub, err := SliceSpan(text, o, sp.Start, sp.End)
	if err != nil {
		return annotate.Span{}, err
	}
	status := sp.Status
	if status == "" {
		status = cur.Status
	}
	label, err := a.LabelValue(sp.Label)
	if err != nil {
		return annotate.Span{}, err
	}
	err = a.Update("spans", sp.ID, func() error {
		_, err := q.ExecContext(ctx, `UPDATE `+a.SpanTable()+` SET start = ?, "end" = ?, label = ?, `+a.StatusCol()+` = ?,
			annotator = ?, updated = ?, attrs = ?, text = ? WHERE id = ?`,
			sp.Start, sp.End, label, a.StatusValue(status), a.Annotator(), Micros(a.At()), attrs, a.StoredText(status, sub), sp.ID)
		return err
	})
	if err != nil {
		return annotate.Span{}, err
	}
	a.SetDoc(cur.DocID)
	a.SetSummary(fmt.Sprintf("update %s %q", sp.Label, Clip(sub)))
	return GetSpan(ctx, q, sp.ID)
}

// DeleteSpan deletes a span together with the events it triggers and the arguments it
// fills, and clears it as claimant of casualty figures; undo restores all of it.
func DeleteSpan(a Action, id int64) error {
	sp, err := GetSpan(a.Ctx(), a.Q(), id)
	if err != nil {
		return err
	}
	a.SetDoc(sp.DocID)
	a.SetSummary(fmt.Sprintf("delete %s %q", sp.Label, Clip(sp.Text)))
	return dropSpan(a, sp.DocID, id)
}

// RemoveSpan deletes span id of document doc as DeleteSpan does, inside action a.
func RemoveSpan(a Action, doc, id int64) error {
	sp, err := GetSpan(a.Ctx(), a.Q(), id)
	if err != nil {
		return err
	}
	if sp.DocID != doc {
		return annotate.Errorf(annotate.EInvalid, "span %d is in document %d, not %d", id, sp.DocID, doc)
	}
	return dropSpan(a, doc, id)
}

// dropSpan removes span id of doc: the events it triggers first, with all their
// arguments, then the arguments it fills and its place as claimant.
func dropSpan(a Action, doc, id int64) error {
	ctx, q := a.Ctx(), a.Q()
	evs, err := QueryIDs(ctx, q, `SELECT id FROM events WHERE trigger = ?`, id)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if err := DeleteEvent(a, ev); err != nil {
			return err
		}
	}
	args, err := QueryIDs(ctx, q, `SELECT id FROM event_args WHERE span = ?`, id)
	if err != nil {
		return err
	}
	for _, arg := range args {
		if err := a.Remove("event_args", arg); err != nil {
			return err
		}
	}
	if err := ClearClaimant(a, doc, id); err != nil {
		return err
	}
	return a.Remove("spans", id)
}

// ClearClaimant removes span id as claimant from the casualty attributes in doc.
func ClearClaimant(a Action, doc, id int64) error {
	ctx, q := a.Ctx(), a.Q()
	rows, err := q.QueryContext(ctx,
		`SELECT id, attrs FROM spans WHERE doc = ? AND attrs IS NOT NULL AND `+q.ClaimantIs(), doc, id)
	if err != nil {
		return err
	}
	type fix struct {
		id    int64
		attrs string
	}
	var fixes []fix
	for rows.Next() {
		var f fix
		if err := rows.Scan(&f.id, &f.attrs); err != nil {
			rows.Close()
			return err
		}
		fixes = append(fixes, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fixes {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(f.attrs), &m); err != nil {
			return err
		}
		delete(m, "claimant")
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		err = a.Update("spans", f.id, func() error {
			_, err := q.ExecContext(ctx, `UPDATE `+a.SpanTable()+` SET attrs = ?, updated = ? WHERE id = ?`, string(data), Micros(a.At()), f.id)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
