package export

import (
	"bytes"
	"io"
	"slices"

	"evident/annotate"
)

// roleGroups returns an event's arguments grouped by role: roles in schema order, then
// roles unknown to the schema in name order; spans within a role by position.
func roleGroups(r *Record, e *annotate.Event, sc *annotate.Schema) (roles []string, spans [][]int) {
	by := map[string][]int{}
	for _, a := range e.Args {
		if i, ok := r.index[a.SpanID]; ok {
			if _, seen := by[a.Role]; !seen {
				roles = append(roles, a.Role)
			}
			by[a.Role] = append(by[a.Role], i)
		}
	}
	order := map[string]int{}
	if sc != nil {
		for i, role := range sc.Roles {
			order[role] = i + 1
		}
	}
	slices.SortFunc(roles, func(a, b string) int {
		oa, ob := order[a], order[b]
		switch {
		case oa != 0 && ob != 0:
			return oa - ob
		case oa != 0:
			return -1
		case ob != 0:
			return 1
		}
		return bytes.Compare([]byte(a), []byte(b))
	})
	for _, role := range roles {
		idx := by[role]
		slices.Sort(idx)
		spans = append(spans, slices.Compact(idx))
	}
	return roles, spans
}

// appendEvents writes ,"events":[...] with trigger and arguments as span indices.
func appendEvents(b []byte, r *Record, sc *annotate.Schema) []byte {
	b = append(b, `,"events":[`...)
	for i := range r.Events {
		e := &r.Events[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(appendKey(append(b, '{'), false, "type"), e.Type)
		b = appendInt(appendKey(b, true, "trigger"), r.index[e.Trigger])
		b = append(appendKey(b, true, "args"), '{')
		roles, spans := roleGroups(r, e, sc)
		for j, role := range roles {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, role), ':', '[')
			for k, si := range spans[j] {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendInt(b, si)
			}
			b = append(b, ']')
		}
		b = append(b, '}', '}')
	}
	return append(b, ']')
}

// EventsEncoder writes one line per event, self-contained for relation-extraction
// trainers:
//
//	{"doc","sha256","type","status","trigger":{"start","end","label","text"},
//	 "args":{"role":[{"start","end","label","text","attrs"?}]}}
//
// Casualty attributes travel with their argument; the claimant becomes
// "claimant_span":{"start","end","text"} when the claimant span is exported.
type EventsEncoder struct {
	w   io.Writer
	cfg Config
	buf []byte
}

// NewEventsEncoder returns an encoder writing to w.
func NewEventsEncoder(w io.Writer, cfg Config) *EventsEncoder {
	return &EventsEncoder{w: w, cfg: cfg}
}

func (e *EventsEncoder) appendSpan(b []byte, r *Record, i int, attrs bool) ([]byte, error) {
	s := &r.Spans[i]
	b = appendInt(appendKey(append(b, '{'), false, "start"), r.Offset(e.cfg.Offsets, s.Start))
	b = appendInt(appendKey(b, true, "end"), r.Offset(e.cfg.Offsets, s.End))
	b = appendJSONString(appendKey(b, true, "label"), s.Label)
	b = appendJSONString(appendKey(b, true, "text"), s.Text)
	if attrs && len(s.Attrs) > 0 && !bytes.Equal(bytes.TrimSpace(s.Attrs), []byte("null")) {
		var err error
		if b, err = r.appendAttrs(appendKey(b, true, "attrs"), s.Attrs); err != nil {
			return b, err
		}
		if c, ok := r.Casualty(s); ok {
			if ci, ok := r.index[c.Claimant]; ok && c.Claimant != 0 {
				cs := &r.Spans[ci]
				b = appendKey(b, true, "claimant_span")
				b = appendInt(appendKey(append(b, '{'), false, "start"), r.Offset(e.cfg.Offsets, cs.Start))
				b = appendInt(appendKey(b, true, "end"), r.Offset(e.cfg.Offsets, cs.End))
				b = appendJSONString(appendKey(b, true, "text"), cs.Text)
				b = append(b, '}')
			}
		}
	}
	return append(b, '}'), nil
}

// Encode writes one line per event of the record.
func (e *EventsEncoder) Encode(r *Record) error {
	sum := r.Doc.SHA256
	if sum == "" {
		sum = annotate.TextHash(r.Doc.Text)
	}
	for k := range r.Events {
		ev := &r.Events[k]
		b := appendJSONString(appendKey(append(e.buf[:0], '{'), false, "doc"), docName(r.Doc))
		b = appendJSONString(appendKey(b, true, "sha256"), sum)
		b = appendJSONString(appendKey(b, true, "type"), ev.Type)
		b = appendJSONString(appendKey(b, true, "status"), string(ev.Status))
		var err error
		if b, err = e.appendSpan(appendKey(b, true, "trigger"), r, r.index[ev.Trigger], false); err != nil {
			return err
		}
		b = append(appendKey(b, true, "args"), '{')
		roles, spans := roleGroups(r, ev, e.cfg.Schema)
		for j, role := range roles {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, role), ':', '[')
			for n, si := range spans[j] {
				if n > 0 {
					b = append(b, ',')
				}
				if b, err = e.appendSpan(b, r, si, true); err != nil {
					return err
				}
			}
			b = append(b, ']')
		}
		b = append(b, '}', '}', '\n')
		e.buf = b
		if _, err := e.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// Close has nothing to finish.
func (e *EventsEncoder) Close() error { return nil }

// DoccanoEncoder writes doccano's sequence-labelling JSONL:
//
//	{"id","text","label":[[start,end,"LABEL"],...],"meta"}
type DoccanoEncoder struct {
	w   io.Writer
	cfg Config
	buf []byte
}

// NewDoccanoEncoder returns an encoder writing to w.
func NewDoccanoEncoder(w io.Writer, cfg Config) *DoccanoEncoder {
	return &DoccanoEncoder{w: w, cfg: cfg}
}

// Encode writes one document line.
func (e *DoccanoEncoder) Encode(r *Record) error {
	b := appendJSONString(appendKey(append(e.buf[:0], '{'), false, "id"), docName(r.Doc))
	b = appendJSONString(appendKey(b, true, "text"), r.Doc.Text)
	b = append(appendKey(b, true, "label"), '[')
	for i := range r.Spans {
		s := &r.Spans[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(append(b, '['), r.Offset(e.cfg.Offsets, s.Start))
		b = appendInt(append(b, ','), r.Offset(e.cfg.Offsets, s.End))
		b = append(appendJSONString(append(b, ','), s.Label), ']')
	}
	b = append(b, ']')
	var err error
	if b, err = appendMeta(appendKey(b, true, "meta"), r.Doc.Meta); err != nil {
		return err
	}
	b = append(b, '}', '\n')
	e.buf = b
	_, err = e.w.Write(b)
	return err
}

// Close has nothing to finish.
func (e *DoccanoEncoder) Close() error { return nil }
