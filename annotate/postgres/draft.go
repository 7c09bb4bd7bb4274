package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"evident/annotate"
)

// draftPlan is what validation computed for a draft: span texts and final attributes.
type draftPlan struct {
	text   []string
	attrs  []any
	status []string
	origin []string
	annot  []string
	meta   any
}

// validateDraft checks a document and its draft against the labels and vocabulary.
func validateDraft(doc *annotate.Document, d annotate.Draft, labels map[string]bool, voc *vocabulary,
	annotator string, defStatus annotate.Status, defOrigin string) (*draftPlan, error) {
	if !utf8.ValidString(doc.Text) {
		return nil, annotate.Errorf(annotate.EInvalid, "document %q: text is not valid UTF-8", doc.ExternalID)
	}
	// PostgreSQL's text cannot hold NUL: refused here, naming the document, rather than
	// by the server for a whole batch of an import at once.
	for _, f := range []struct{ name, v string }{{"external id", doc.ExternalID}, {"title", doc.Title}, {"source", doc.Source},
		{"url", doc.URL}, {"published", doc.Published}, {"text", doc.Text}} {
		if strings.IndexByte(f.v, 0) >= 0 {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: %s contains a NUL character, which PostgreSQL cannot store", doc.ExternalID, f.name)
		}
	}
	p := &draftPlan{}
	if len(doc.Meta) > 0 {
		m, err := checkAttrs(doc.Meta)
		if err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: meta must be a JSON object", doc.ExternalID)
		}
		p.meta = m
	}
	if doc.Status != "" && doc.Status != annotate.DocNew && doc.Status != annotate.DocInProgress && doc.Status != annotate.DocDone {
		return nil, annotate.Errorf(annotate.EInvalid, "document %q: unknown status %q", doc.ExternalID, doc.Status)
	}
	o := annotate.NewOffsets(doc.Text)
	n := len(d.Spans)
	p.text, p.attrs = make([]string, n), make([]any, n)
	p.status, p.origin, p.annot = make([]string, n), make([]string, n), make([]string, n)
	for i, sp := range d.Spans {
		if err := annotate.CheckSpan(o.Len(), sp.Start, sp.End); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: %v", doc.ExternalID, i, err)
		}
		if !labels[sp.Label] {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: unknown label %q", doc.ExternalID, i, sp.Label)
		}
		p.text[i], _ = o.Slice(doc.Text, sp.Start, sp.End)
		a, err := checkAttrs(sp.Attrs)
		if err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: %v", doc.ExternalID, i, err)
		}
		p.attrs[i] = a
		st := sp.Status
		if st == "" {
			st = defStatus
		}
		if _, err := annotate.ParseStatus(string(st)); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: %v", doc.ExternalID, i, err)
		}
		p.status[i] = string(st)
		p.origin[i] = sp.Origin
		if p.origin[i] == "" {
			p.origin[i] = defOrigin
		}
		p.annot[i] = sp.Annotator
		if p.annot[i] == "" {
			p.annot[i] = annotator
		}
	}
	for i, e := range d.Events {
		if e.Trigger < 0 || e.Trigger >= n {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: trigger %d is not a span index", doc.ExternalID, i, e.Trigger)
		}
		if err := voc.check(e.Type, ""); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: %v", doc.ExternalID, i, err)
		}
		for _, a := range e.Args {
			if a.Span < 0 || a.Span >= n {
				return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: argument %s: %d is not a span index", doc.ExternalID, i, a.Role, a.Span)
			}
			if err := voc.check(e.Type, a.Role); err != nil {
				return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: %v", doc.ExternalID, i, err)
			}
		}
	}
	for c, src := range d.Claimants {
		if c < 0 || c >= n || src < 0 || src >= n {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: claimant %d -> %d is not a pair of span indices", doc.ExternalID, c, src)
		}
	}
	return p, nil
}

// withClaimant returns attrs with claimant set to id and claimant_text (if absent) to text.
func withClaimant(attrs any, id int64, text string) (string, error) {
	m := map[string]json.RawMessage{}
	if s, ok := attrs.(string); ok {
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return "", err
		}
	}
	m["claimant"] = json.RawMessage(fmt.Sprint(id))
	if _, ok := m["claimant_text"]; !ok {
		t, _ := json.Marshal(text)
		m["claimant_text"] = t
	}
	data, err := json.Marshal(m)
	return string(data), err
}
