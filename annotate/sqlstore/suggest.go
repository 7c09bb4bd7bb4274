package sqlstore

import (
	"fmt"

	"evident/annotate"
)

// DraftRows is what a backend's draft validation computed for each span of a draft:
// its text, attributes to store, status, origin and annotator.
type DraftRows struct {
	Text   []string
	Attrs  []any
	Status []string
	Origin []string
	Annot  []string
}

// Drafts is a backend's validation of drafts, shared with its importer.
type Drafts struct {
	// Validate checks doc's draft d against the labels and vocabulary; undecided spans
	// are suggestions of the action's annotator.
	Validate func(doc *annotate.Document, d annotate.Draft, labels map[string]bool, voc *Vocabulary) (DraftRows, error)
	// WithClaimant sets span id (of text text) as the claimant in attrs.
	WithClaimant func(attrs any, id int64, text string) (string, error)
}

type spanKey struct {
	start, end int
	label      string
}

// AddSuggestions stores draft d for document docID as suggestions in a's transaction and
// returns how many spans it added. A span whose (start, end, label) already exists in the
// document, in any status, is skipped, and so are events whose trigger was skipped and
// arguments that point at skipped spans; a claimant that was skipped is resolved to the
// existing span.
func AddSuggestions(a Action, docID int64, d annotate.Draft, dr Drafts) (int, error) {
	ctx, q := a.Ctx(), a.Q()
	text, _, err := DocText(ctx, q, docID)
	if err != nil {
		return 0, err
	}
	labels, err := QueryColumn[string](ctx, q, `SELECT name FROM labels`)
	if err != nil {
		return 0, err
	}
	known := make(map[string]bool, len(labels))
	for _, l := range labels {
		known[l] = true
	}
	voc, err := LoadVocabulary(ctx, q)
	if err != nil {
		return 0, err
	}
	doc := &annotate.Document{ID: docID, Text: text, ExternalID: fmt.Sprint(docID)}
	p, err := dr.Validate(doc, d, known, voc)
	if err != nil {
		return 0, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, start, "end", label FROM spans WHERE doc = ?`, docID)
	if err != nil {
		return 0, err
	}
	existing := map[spanKey]int64{}
	for rows.Next() {
		var k spanKey
		var id int64
		if err := rows.Scan(&id, &k.start, &k.end, &k.label); err != nil {
			rows.Close()
			return 0, err
		}
		existing[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	added := 0
	ids := make([]int64, len(d.Spans))  // stored id of each draft span, new or existing
	isNew := make([]bool, len(d.Spans)) // inserted by this call
	for i, sp := range d.Spans {
		k := spanKey{sp.Start, sp.End, sp.Label}
		if id, ok := existing[k]; ok {
			ids[i] = id
			continue
		}
		attrs := p.Attrs[i]
		if src, ok := d.Claimants[i]; ok && src < i && ids[src] != 0 {
			s, err := dr.WithClaimant(attrs, ids[src], p.Text[src])
			if err != nil {
				return 0, err
			}
			attrs = s
		}
		st := annotate.Status(p.Status[i])
		row := annotate.Span{DocID: docID, Start: sp.Start, End: sp.End, Label: sp.Label, Status: st,
			Origin: p.Origin[i], Annotator: p.Annot[i]}
		id, err := InsertSpan(a, NewSpan{Span: row, Attrs: attrs, Text: a.StoredText(st, p.Text[i]),
			Confidence: ConfidenceArg(sp.Confidence), Run: RunArg(sp.RunID),
			Proposers: ProposersArg(annotate.ProposersOfRun(sp.Proposers, sp.RunID))})
		if err != nil {
			return 0, err
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
		attrs, err := dr.WithClaimant(p.Attrs[c], ids[src], p.Text[src])
		if err != nil {
			return 0, err
		}
		if _, err := q.ExecContext(ctx, `UPDATE `+a.SpanTable()+` SET attrs = ? WHERE id = ?`, attrs, ids[c]); err != nil {
			return 0, err
		}
	}
	for i := range d.Spans {
		if isNew[i] {
			if err := a.Inserted("spans", ids[i]); err != nil {
				return 0, err
			}
		}
	}
	events := 0
	for _, e := range d.Events {
		if !isNew[e.Trigger] {
			continue
		}
		ev := annotate.Event{DocID: docID, Type: e.Type, Trigger: ids[e.Trigger], Status: annotate.Status(p.Status[e.Trigger]),
			Origin: e.Origin, Annotator: a.Annotator()}
		for _, arg := range e.Args {
			if isNew[arg.Span] {
				ev.Args = append(ev.Args, annotate.Argument{Role: arg.Role, SpanID: ids[arg.Span]})
			}
		}
		if _, err := InsertEvent(a, ev, voc); err != nil {
			return 0, err
		}
		events++
	}
	a.SetDoc(docID)
	a.SetSummary(fmt.Sprintf("suggest %d spans, %d events", added, events))
	return added, nil
}
