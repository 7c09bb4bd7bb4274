package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"evident/annotate"
)

// JSONLEncoder writes Evident's own document format, one JSON object per line:
//
//	{"id","title","url","source","published","meta","text","sha256",
//	 "spans":[{"start","end","label","text","status","origin","annotator","confidence"?,
//	           "proposers"?,"attrs"?,"token_start"?,"token_end"?}],
//	 "events":[{"type","trigger":SPAN,"args":{"role":[SPAN,...]}}],
//	 "tokens"?:[{"id","start","end","text"}]}
//
// token_start and token_end are inclusive token indices (spaCy, Prodigy), absent for a
// span over no token. proposers, present when several suggesters proposed a span, lists
// each as {"origin","confidence"?} (origin first; confidence is then their combined
// evidence). A casualty's claimant is an index into the same line's spans. It is
// also the import format, so an export re-imports to the same spans.
type JSONLEncoder struct {
	w   io.Writer
	cfg Config
	buf []byte
}

// NewJSONLEncoder returns an encoder writing to w.
func NewJSONLEncoder(w io.Writer, cfg Config) *JSONLEncoder {
	return &JSONLEncoder{w: w, cfg: cfg}
}

// Encode writes one document line.
func (e *JSONLEncoder) Encode(r *Record) error {
	b, err := appendDocHead(e.buf[:0], r)
	if err != nil {
		return err
	}
	b = append(b, `,"spans":[`...)
	for i := range r.Spans {
		s := &r.Spans[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendKey(append(b, '{'), false, "start")
		b = appendInt(b, r.Offset(e.cfg.Offsets, s.Start))
		b = appendInt(appendKey(b, true, "end"), r.Offset(e.cfg.Offsets, s.End))
		b = appendJSONString(appendKey(b, true, "label"), s.Label)
		b = appendJSONString(appendKey(b, true, "text"), s.Text)
		b = appendJSONString(appendKey(b, true, "status"), string(s.Status))
		b = appendJSONString(appendKey(b, true, "origin"), s.Origin)
		b = appendJSONString(appendKey(b, true, "annotator"), s.Annotator)
		if s.Confidence != nil && !math.IsNaN(*s.Confidence) {
			b = strconv.AppendFloat(appendKey(b, true, "confidence"), *s.Confidence, 'g', 4, 64)
		}
		if len(s.Proposers) > 1 {
			b = appendProposers(appendKey(b, true, "proposers"), s.Proposers)
		}
		if len(s.Attrs) > 0 && !bytes.Equal(bytes.TrimSpace(s.Attrs), []byte("null")) {
			if b, err = r.appendAttrs(appendKey(b, true, "attrs"), s.Attrs); err != nil {
				return err
			}
		}
		if first, last, ok := r.TokenRange(s.Start, s.End); ok {
			b = appendInt(appendKey(b, true, "token_start"), first)
			b = appendInt(appendKey(b, true, "token_end"), last)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendEvents(b, r, e.cfg.Schema)
	if e.cfg.Tokens {
		b = append(b, `,"tokens":[`...)
		for i, t := range r.Tokens() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendInt(appendKey(append(b, '{'), false, "id"), i)
			b = appendInt(appendKey(b, true, "start"), r.Offset(e.cfg.Offsets, t.Start))
			b = appendInt(appendKey(b, true, "end"), r.Offset(e.cfg.Offsets, t.End))
			b = appendJSONString(appendKey(b, true, "text"), r.Slice(t.Start, t.End))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, '}', '\n')
	e.buf = b
	_, err = e.w.Write(b)
	return err
}

// Close has nothing to finish for JSONL.
func (e *JSONLEncoder) Close() error { return nil }

// appendDocHead writes the document's fields up to and including sha256, without the
// closing brace.
func appendDocHead(b []byte, r *Record) ([]byte, error) {
	d := r.Doc
	b = appendJSONString(appendKey(append(b, '{'), false, "id"), docName(d))
	b = appendJSONString(appendKey(b, true, "title"), d.Title)
	b = appendJSONString(appendKey(b, true, "url"), d.URL)
	b = appendJSONString(appendKey(b, true, "source"), d.Source)
	b = appendJSONString(appendKey(b, true, "published"), d.Published)
	b = appendKey(b, true, "meta")
	var err error
	if b, err = appendMeta(b, d.Meta); err != nil {
		return b, fmt.Errorf("meta of document %s: %w", docName(d), err)
	}
	b = appendJSONString(appendKey(b, true, "text"), d.Text)
	sum := d.SHA256
	if sum == "" {
		sum = annotate.TextHash(d.Text)
	}
	return appendJSONString(appendKey(b, true, "sha256"), sum), nil
}

// appendMeta writes a document's meta object compacted; absent meta is {} so every line
// has the same shape.
func appendMeta(b []byte, meta json.RawMessage) ([]byte, error) {
	m := bytes.TrimSpace(meta)
	if len(m) == 0 || bytes.Equal(m, []byte("null")) {
		return append(b, '{', '}'), nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, m); err != nil {
		return b, err
	}
	return append(b, buf.Bytes()...), nil
}

// appendProposers writes every suggester that proposed a span, with its own score.
func appendProposers(b []byte, ps []annotate.Proposer) []byte {
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(appendKey(append(b, '{'), false, "origin"), p.Origin)
		if p.Confidence != nil && !math.IsNaN(*p.Confidence) {
			b = strconv.AppendFloat(appendKey(b, true, "confidence"), *p.Confidence, 'g', 4, 64)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}
