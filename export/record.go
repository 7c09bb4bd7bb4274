package export

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"evident/annotate"
)

// Record is one document ready for the encoders: spans filtered and sorted by
// (start, end, label, id), events reduced to those whose trigger was exported and whose
// arguments point at exported spans. Encoders read it and must not keep it: the driver
// reuses a Record's buffers for the next document.
type Record struct {
	Doc    *annotate.Document
	Spans  []annotate.Span
	Events []annotate.Event

	off    annotate.Offsets         // reused from document to document
	index  map[int64]int            // span id -> index in Spans
	all    map[int64]*annotate.Span // every span the source gave, for claimant text
	toks   []annotate.Token
	tokOK  bool
	sents  []int // sentence start offsets in code points, plus the text length
	sentOK bool
}

// NewRecord prepares a document for encoding with every span and event it is given.
// It fails with EInvalid when a span does not fit the text, since every exported offset
// must slice the text exactly.
func NewRecord(doc *annotate.Document, spans []annotate.Span, events []annotate.Event) (*Record, error) {
	r := &Record{}
	if err := r.reset(doc, spans, events, nil); err != nil {
		return nil, err
	}
	return r, nil
}

// reset fills r for doc, keeping the spans and events f accepts (nil keeps all).
func (r *Record) reset(doc *annotate.Document, spans []annotate.Span, events []annotate.Event, f *filter) error {
	r.Doc = doc
	r.off.Reset(doc.Text)
	r.toks, r.tokOK, r.sents, r.sentOK = r.toks[:0], false, r.sents[:0], false
	if r.index == nil {
		r.index = map[int64]int{}
		r.all = map[int64]*annotate.Span{}
	}
	clear(r.index)
	clear(r.all)
	r.Spans = r.Spans[:0]
	n := r.off.Len()
	for i := range spans {
		s := &spans[i]
		if err := annotate.CheckSpan(n, s.Start, s.End); err != nil {
			return fmt.Errorf("document %s, span %d: %w", docName(doc), s.ID, err)
		}
		// The text is taken from the document, never trusted from the row, so it is the
		// exact slice of the offsets by construction.
		s.Text, _ = r.off.Slice(doc.Text, s.Start, s.End)
		if s.ID != 0 {
			r.all[s.ID] = s
		}
		if f.span(s) {
			r.Spans = append(r.Spans, *s)
		}
	}
	slices.SortStableFunc(r.Spans, func(a, b annotate.Span) int {
		if c := a.Start - b.Start; c != 0 {
			return c
		}
		if c := a.End - b.End; c != 0 {
			return c
		}
		if c := strings.Compare(a.Label, b.Label); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for i, s := range r.Spans {
		if s.ID != 0 {
			r.index[s.ID] = i
		}
	}
	r.Events = r.Events[:0]
	for _, e := range events {
		_, ok := r.index[e.Trigger]
		if !ok {
			continue // its trigger is filtered out, so the frame has no anchor
		}
		if !f.status(e.Status) {
			continue
		}
		args := make([]annotate.Argument, 0, len(e.Args))
		for _, a := range e.Args {
			if _, ok := r.index[a.SpanID]; ok {
				args = append(args, a)
			}
		}
		e.Args = args
		r.Events = append(r.Events, e)
	}
	slices.SortStableFunc(r.Events, func(a, b annotate.Event) int {
		if c := r.index[a.Trigger] - r.index[b.Trigger]; c != 0 {
			return c
		}
		if c := strings.Compare(a.Type, b.Type); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return nil
}

// Index returns the position in Spans of the span with the given id.
func (r *Record) Index(id int64) (int, bool) {
	i, ok := r.index[id]
	return i, ok
}

// Offset converts a code point offset of the document text into unit.
func (r *Record) Offset(u Unit, cp int) int {
	switch u {
	case UTF16:
		return r.off.UTF16(cp)
	case Bytes:
		return r.off.Byte(cp)
	}
	return cp
}

// Slice returns the text between two code point offsets.
func (r *Record) Slice(start, end int) string {
	s, _ := r.off.Slice(r.Doc.Text, start, end)
	return s
}

// Tokens returns the document's UAX #29 word tokens, computed once.
func (r *Record) Tokens() []annotate.Token {
	if !r.tokOK {
		r.toks = appendTokens(r.toks[:0], r.Doc.Text)
		r.tokOK = true
	}
	return r.toks
}

// TokenRange returns the first and last (inclusive) token a span overlaps, as spaCy's
// and Prodigy's token_start/token_end; ok is false when it overlaps no token.
func (r *Record) TokenRange(start, end int) (first, last int, ok bool) {
	toks := r.Tokens()
	first, _ = slices.BinarySearchFunc(toks, start, func(t annotate.Token, cp int) int {
		if t.End <= cp {
			return -1
		}
		return 1
	})
	if first == len(toks) || toks[first].Start >= end {
		return 0, 0, false
	}
	last = first
	for last+1 < len(toks) && toks[last+1].Start < end {
		last++
	}
	return first, last, true
}

// Sentence returns the code point range of the sentence (UAX #29) holding offset cp.
func (r *Record) Sentence(cp int) (start, end int) {
	r.sentences()
	i, found := slices.BinarySearch(r.sents, cp)
	if !found {
		i--
	}
	if i < 0 {
		i = 0
	}
	if i >= len(r.sents)-1 {
		i = len(r.sents) - 2
	}
	if i < 0 {
		return 0, 0
	}
	return r.sents[i], r.sents[i+1]
}

// sentences fills r.sents once per document.
func (r *Record) sentences() {
	if !r.sentOK {
		r.sents = appendSentences(r.sents[:0], r.Doc.Text)
		r.sentOK = true
	}
}

// Casualty decodes a span's casualty attributes; ok is false for spans without any.
func (r *Record) Casualty(s *annotate.Span) (annotate.Casualty, bool) {
	var c annotate.Casualty
	if len(s.Attrs) == 0 || s.Label != "CASUALTY" {
		return c, false
	}
	if err := json.Unmarshal(s.Attrs, &c); err != nil {
		return c, false
	}
	return c, true
}

// ClaimantText is the text of the SOURCE span that claims a casualty figure: the
// stored claimant_text, else the text of the claimant span if the source gave it.
func (r *Record) ClaimantText(c annotate.Casualty) string {
	if c.ClaimantText != "" {
		return c.ClaimantText
	}
	if s, ok := r.all[c.Claimant]; ok {
		return s.Text
	}
	return ""
}

// appendAttrs writes a span's attributes as a JSON object with sorted keys, so the
// output does not depend on how a store or importer ordered them. The stored claimant
// (a span id) becomes claimant index into the record's Spans, or disappears when that
// span is not exported: a database id means nothing outside the database.
func (r *Record) appendAttrs(b []byte, attrs json.RawMessage) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(attrs, &m); err != nil {
		return b, fmt.Errorf("attrs of a span in document %s: %w", docName(r.Doc), err)
	}
	if raw, ok := m["claimant"]; ok {
		delete(m, "claimant")
		if id, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64); err == nil && id != 0 {
			if i, ok := r.index[id]; ok {
				m["claimant"] = strconv.AppendInt(nil, int64(i), 10)
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var buf bytes.Buffer
		if err := json.Compact(&buf, m[k]); err != nil {
			return b, err
		}
		b = append(b, buf.Bytes()...)
	}
	return append(b, '}'), nil
}

// docName is how a document is named in outputs and errors: its external id, else its
// database id.
func docName(d *annotate.Document) string {
	if d.ExternalID != "" {
		return d.ExternalID
	}
	return strconv.FormatInt(d.ID, 10)
}

// filter selects spans and events by status, label and annotator; a nil filter keeps all.
type filter struct {
	statuses  map[annotate.Status]bool // nil = every status
	labels    map[string]bool          // nil = every label
	annotator string
	docs      map[int64]bool // nil = every document
}

func newFilter(o *Options) (*filter, annotate.ExportFilter, error) {
	f := &filter{annotator: o.Annotator}
	var ef annotate.ExportFilter
	switch o.Status {
	case "", string(annotate.StatusAccepted):
		f.statuses = map[annotate.Status]bool{annotate.StatusAccepted: true}
	case "all":
	default:
		st, err := annotate.ParseStatus(o.Status)
		if err != nil {
			return nil, ef, annotate.Errorf(annotate.EInvalid, "unknown status %q (want accepted, suggested, rejected or all)", o.Status)
		}
		f.statuses = map[annotate.Status]bool{st: true}
	}
	for st := range f.statuses {
		ef.Spans.Statuses = append(ef.Spans.Statuses, st)
	}
	if len(o.Labels) > 0 {
		f.labels = map[string]bool{}
		for _, l := range o.Labels {
			f.labels[l] = true
		}
	}
	// Labels are filtered here, not by the source, so a casualty's claimant can still be
	// named when SOURCE spans are not exported.
	ef.Spans.Annotator = o.Annotator
	ef.DoneOnly = o.DoneOnly
	ef.DocIDs = o.DocIDs
	if len(o.DocIDs) > 0 {
		f.docs = map[int64]bool{}
		for _, id := range o.DocIDs {
			f.docs[id] = true
		}
	}
	return f, ef, nil
}

func (f *filter) span(s *annotate.Span) bool {
	if f == nil {
		return true
	}
	return f.status(s.Status) && (f.labels == nil || f.labels[s.Label]) &&
		(f.annotator == "" || s.Annotator == f.annotator)
}

// status keeps an event or span in one of the chosen statuses; events without a
// status (older stores, drafts) go with their trigger.
func (f *filter) status(st annotate.Status) bool {
	return f == nil || f.statuses == nil || st == "" || f.statuses[st]
}
