package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"evident/annotate"
)

const bom = "\uFEFF"

// fields is a record as read, before checking: the shape shared by the three formats.
type fields struct {
	file      string
	line      int
	id        string
	hasID     bool
	title     string
	url       string
	source    string
	published string
	text      string
	meta      map[string]json.RawMessage
	spans     []spanJSON // elements of "spans", then "entities", then doccano "label"
	events    json.RawMessage
	done      bool // "done": true — the document is finished work (status done)
}

func (f *fields) errorf(format string, args ...any) *Error {
	return newError(f.file, f.line, format, args...)
}

// build checks a record and turns it into a Document and Draft.
func (r *Reader) build(f *fields, defaultID string) (*Record, error) {
	text := strings.TrimPrefix(f.text, bom)
	if text == "" {
		return nil, f.errorf("text is empty")
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		return nil, f.errorf("text contains a NUL character at code point %d (is the file UTF-16? Evident reads UTF-8)", utf8.RuneCountInString(text[:i]))
	}
	if f.published != "" && !validDate(f.published) {
		return nil, f.errorf("bad date %q in published (want YYYY-MM-DD or RFC 3339, e.g. 2024-03-12 or 2024-03-12T08:30:00Z)", f.published)
	}
	id := f.id
	if !f.hasID {
		id = defaultID
	}
	if strings.TrimSpace(id) == "" {
		return nil, f.errorf("id is empty")
	}
	title := f.title
	if title == "" {
		title = TitleFrom(text)
	}
	rec := &Record{
		File: f.file,
		Line: f.line,
		Doc: annotate.Document{
			ExternalID: id,
			Title:      title,
			Source:     f.source,
			URL:        f.url,
			Published:  f.published,
			Text:       text,
			SHA256:     annotate.TextHash(text),
			Status:     annotate.DocNew,
		},
	}
	if f.done {
		rec.Doc.Status = annotate.DocDone
	}
	if len(f.meta) > 0 {
		m, err := json.Marshal(f.meta)
		if err != nil {
			return nil, f.errorf("meta: %v", err)
		}
		rec.Doc.Meta = m
	}
	if len(f.spans) > 0 {
		if err := r.buildSpans(f, text, rec); err != nil {
			return nil, err
		}
	}
	if len(f.events) > 0 && !isNull(f.events) {
		if err := r.buildEvents(f, rec); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

func (r *Reader) buildSpans(f *fields, text string, rec *Record) error {
	n := utf8.RuneCountInString(text)
	spans := make([]annotate.Span, len(f.spans))
	var claimants map[int]json.RawMessage // CASUALTY span index -> claimant as written
	pts := make([]int, 0, 2*len(f.spans))
	// First pass: shapes, ranges, labels, attributes.
	for i := range f.spans {
		sj := &f.spans[i]
		where := fmt.Sprintf("spans[%d]", i)
		if sj.bad != "" {
			return f.errorf("%s: want a span object {\"start\", \"end\", \"label\"} or [start, end, \"LABEL\"], got %s", where, sj.bad)
		}
		start, end := sj.Start, sj.End
		if !start.set {
			start = sj.StartOffset
		}
		if !end.set {
			end = sj.EndOffset
		}
		if !start.set || !end.set || !sj.Label.set {
			return f.errorf("%s: a span needs start, end and label", where)
		}
		if start.bad != "" {
			return f.errorf("%s: start must be an integer, got %s", where, start.bad)
		}
		if end.bad != "" {
			return f.errorf("%s: end must be an integer, got %s", where, end.bad)
		}
		if sj.Label.bad != "" {
			return f.errorf("%s: label must be a string, got %s", where, sj.Label.bad)
		}
		if sj.Text.bad != "" {
			return f.errorf("%s: text must be a string, got %s", where, sj.Text.bad)
		}
		label := sj.Label.v
		if err := annotate.CheckSpan(n, start.v, end.v); err != nil {
			msg := fmt.Sprintf("%s (%s): %v", where, label, err)
			if sj.Text.set {
				msg += otherConvention(text, annotate.NewOffsets(text), start.v, end.v, sj.Text.v)
			}
			return f.errorf("%s", msg)
		}
		if err := r.labels.check(label); err != nil {
			return f.errorf("%s: %v", where, err)
		}
		attrs := sj.Attrs
		if len(attrs) > 0 && !isNull(attrs) {
			if firstByte(attrs) != '{' {
				return f.errorf("%s: attrs must be a JSON object, got %s", where, clip(attrs))
			}
			if label == casualtyLabel {
				a, claimant, err := casualtyAttrs(attrs)
				if err != nil {
					return f.errorf("%s: attrs: %v", where, err)
				}
				attrs = a
				if claimant != nil {
					if claimants == nil {
						claimants = map[int]json.RawMessage{}
					}
					claimants[i] = claimant
				}
			} else {
				var buf bytes.Buffer
				if err := json.Compact(&buf, attrs); err != nil {
					return f.errorf("%s: attrs: %s", where, jsonMsg(err))
				}
				attrs = buf.Bytes()
			}
		} else {
			attrs = nil
		}
		spans[i] = annotate.Span{
			Start:  start.v,
			End:    end.v,
			Label:  label,
			Status: annotate.StatusAccepted,
			Origin: annotate.OriginImport,
			Attrs:  attrs,
		}
		pts = append(pts, start.v, end.v)
	}
	// Second pass: the covered text, found with one walk over the text for all spans
	// rather than an offset table per document.
	at := newBytePos(text, n, pts)
	for i := range spans {
		sp := &spans[i]
		sp.Text = text[at.byteOf(sp.Start):at.byteOf(sp.End)]
		if want := f.spans[i].Text; want.set && want.v != sp.Text {
			return f.errorf("spans[%d] (%s [%d, %d)): text %q does not match the document's %q at those code point offsets%s",
				i, sp.Label, sp.Start, sp.End, want.v, sp.Text, otherConvention(text, annotate.NewOffsets(text), sp.Start, sp.End, want.v))
		}
	}
	for i := range len(spans) {
		c, ok := claimants[i]
		if !ok {
			continue
		}
		idx, err := jsonInt(c)
		if err != nil {
			return f.errorf("spans[%d]: attrs: claimant must be the index of a SOURCE span in spans, %v", i, err)
		}
		if idx < 0 || idx >= len(spans) {
			return f.errorf("spans[%d]: attrs: claimant %d is out of range (the document has %d spans)", i, idx, len(spans))
		}
		if spans[idx].Label != sourceLabel {
			return f.errorf("spans[%d]: attrs: claimant %d has label %s, not SOURCE", i, idx, spans[idx].Label)
		}
		if rec.Draft.Claimants == nil {
			rec.Draft.Claimants = map[int]int{}
		}
		rec.Draft.Claimants[i] = idx
	}
	rec.Draft.Spans = spans
	return nil
}

// bytePos maps a few code point offsets of a text to byte offsets.
type bytePos struct {
	ascii bool
	cps   []int // sorted, unique
	bytes []int // bytes[i] is the byte offset of code point cps[i]
}

// newBytePos indexes the code point offsets in pts (each within [0, n], n the text's
// length in code points; pts is sorted in place) with one walk over the text.
func newBytePos(text string, n int, pts []int) *bytePos {
	if n == len(text) {
		return &bytePos{ascii: true}
	}
	slices.Sort(pts)
	pts = slices.Compact(pts)
	bp := &bytePos{cps: pts, bytes: make([]int, len(pts))}
	j, cp := 0, 0
	for b := range text {
		for j < len(pts) && pts[j] == cp {
			bp.bytes[j] = b
			j++
		}
		if j == len(pts) {
			break
		}
		cp++
	}
	for ; j < len(pts); j++ {
		bp.bytes[j] = len(text) // the offset n, the end of the text
	}
	return bp
}

func (bp *bytePos) byteOf(cp int) int {
	if bp.ascii {
		return cp
	}
	i, _ := slices.BinarySearch(bp.cps, cp)
	return bp.bytes[i]
}

const (
	casualtyLabel = "CASUALTY"
	sourceLabel   = "SOURCE"
)

// casualtyAttrs checks a CASUALTY span's attributes against the guideline and returns
// them compacted with the claimant taken out (the store writes the claimant's span id
// once it has one) and scope "single" read as "incident".
func casualtyAttrs(raw json.RawMessage) (json.RawMessage, json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, fmt.Errorf("%s", jsonMsg(err))
	}
	var claimant json.RawMessage
	if c, ok := m["claimant"]; ok {
		delete(m, "claimant")
		if !isNull(c) {
			claimant = c
		}
	}
	for _, k := range []struct {
		key  string
		vals []string
	}{{"kind", annotate.CasualtyKinds}, {"qualifier", annotate.CasualtyQualifiers}, {"scope", annotate.CasualtyScopes}} {
		v, ok := m[k.key]
		if !ok || isNull(v) {
			continue
		}
		s, err := jsonString(v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %v", k.key, err)
		}
		if k.key == "scope" && s == "single" {
			s = "incident"
			m[k.key] = json.RawMessage(`"incident"`)
		}
		if !slices.Contains(k.vals, s) {
			return nil, nil, fmt.Errorf("%s %q is not one of %s", k.key, s, strings.Join(k.vals, ", "))
		}
	}
	bounds := map[string]int{}
	for _, k := range []string{"low", "high"} {
		v, ok := m[k]
		if !ok || isNull(v) {
			continue
		}
		x, err := jsonInt(v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %v", k, err)
		}
		if x < 0 {
			return nil, nil, fmt.Errorf("%s %d is negative", k, x)
		}
		bounds[k] = x
	}
	if lo, ok := bounds["low"]; ok {
		if hi, ok := bounds["high"]; ok && lo > hi {
			return nil, nil, fmt.Errorf("low %d is above high %d", lo, hi)
		}
	}
	if v, ok := m["victims"]; ok && !isNull(v) {
		var vs []string
		if err := json.Unmarshal(v, &vs); err != nil {
			return nil, nil, fmt.Errorf("victims must be a list of strings, got %s", clip(v))
		}
	}
	if v, ok := m["claimant_text"]; ok && !isNull(v) {
		if _, err := jsonString(v); err != nil {
			return nil, nil, fmt.Errorf("claimant_text %v", err)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return out, claimant, nil
}

type rawEvent struct {
	Type    json.RawMessage            `json:"type"`
	Trigger json.RawMessage            `json:"trigger"`
	Args    map[string]json.RawMessage `json:"args"`
}

func (r *Reader) buildEvents(f *fields, rec *Record) error {
	var evs []json.RawMessage
	if err := json.Unmarshal(f.events, &evs); err != nil {
		return f.errorf("events must be a list of {\"type\", \"trigger\", \"args\"} objects: %s", jsonMsg(err))
	}
	spans := rec.Draft.Spans
	for i, raw := range evs {
		where := fmt.Sprintf("events[%d]", i)
		var re rawEvent
		if err := json.Unmarshal(raw, &re); err != nil {
			return f.errorf("%s: %s", where, jsonMsg(err))
		}
		if re.Type == nil || re.Trigger == nil {
			return f.errorf("%s: an event needs type and trigger", where)
		}
		typ, err := jsonString(re.Type)
		if err != nil {
			return f.errorf("%s: type %v", where, err)
		}
		et, ok := r.labels.schema.EventType(typ)
		if !ok {
			return f.errorf("%s: unknown event type %q (known: %s)", where, typ, eventTypeNames(r.labels.schema))
		}
		trig, err := jsonInt(re.Trigger)
		if err != nil {
			return f.errorf("%s: trigger must be the index of a span, %v", where, err)
		}
		if trig < 0 || trig >= len(spans) {
			return f.errorf("%s: trigger %d is out of range (the document has %d spans)", where, trig, len(spans))
		}
		if spans[trig].Label != et.Trigger {
			return f.errorf("%s: trigger %d has label %s; an event of type %s needs a span labelled %s", where, trig, spans[trig].Label, typ, et.Trigger)
		}
		ev := annotate.DraftEvent{Type: typ, Trigger: trig, Origin: annotate.OriginImport}
		roles := make([]string, 0, len(re.Args))
		for role := range re.Args {
			roles = append(roles, role)
		}
		slices.Sort(roles) // maps have no order; make the draft deterministic
		for _, role := range roles {
			if !slices.Contains(et.Roles, role) {
				return f.errorf("%s: unknown role %q for a %s event (known: %s)", where, role, typ, strings.Join(et.Roles, ", "))
			}
			v := re.Args[role]
			var idxs []json.RawMessage
			switch firstByte(v) {
			case '[':
				if err := json.Unmarshal(v, &idxs); err != nil {
					return f.errorf("%s: args.%s: %s", where, role, jsonMsg(err))
				}
			default:
				idxs = []json.RawMessage{v}
			}
			for _, iv := range idxs {
				idx, err := jsonInt(iv)
				if err != nil {
					return f.errorf("%s: args.%s must list span indices, %v", where, role, err)
				}
				if idx < 0 || idx >= len(spans) {
					return f.errorf("%s: args.%s: span %d is out of range (the document has %d spans)", where, role, idx, len(spans))
				}
				ev.Args = append(ev.Args, annotate.DraftArg{Role: role, Span: idx})
			}
		}
		rec.Draft.Events = append(rec.Draft.Events, ev)
	}
	return nil
}

func eventTypeNames(s *annotate.Schema) string {
	names := make([]string, len(s.EventTypes))
	for i, e := range s.EventTypes {
		names[i] = e.Name
	}
	return strings.Join(names, ", ")
}

// otherConvention explains a span whose text does not match at code point offsets but
// would if the offsets counted UTF-16 code units or UTF-8 bytes: the usual mistake when
// annotations come from JavaScript, Java, or byte-oriented tools.
func otherConvention(text string, o *annotate.Offsets, start, end int, want string) string {
	if s, ok := o.FromUTF16(start); ok {
		if e, ok := o.FromUTF16(end); ok && s < e {
			if got, _ := o.Slice(text, s, e); got == want {
				return fmt.Sprintf("; it matches if the offsets are UTF-16 code units (as JavaScript and Java count): in code points that is [%d, %d)", s, e)
			}
		}
	}
	if s, ok := o.FromByte(start); ok {
		if e, ok := o.FromByte(end); ok && s < e {
			if got, _ := o.Slice(text, s, e); got == want {
				return fmt.Sprintf("; it matches if the offsets are UTF-8 bytes: in code points that is [%d, %d)", s, e)
			}
		}
	}
	return ""
}

func validDate(s string) bool {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return true
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

const maxTitle = 120 // code points

// TitleFrom makes a title from a text: its first non-empty line, trimmed, cut at a word
// boundary with an ellipsis if longer than 120 code points.
func TitleFrom(text string) string {
	line := ""
	for l := range strings.Lines(text) {
		if t := strings.TrimSpace(l); t != "" {
			line = t
			break
		}
	}
	if utf8.RuneCountInString(line) <= maxTitle {
		return line
	}
	// Only the head matters; a 100 MB one-line text should not be segmented whole.
	n := 0
	for i := range line {
		if n == maxTitle+32 {
			line = line[:i]
			break
		}
		n++
	}
	runes := []rune(line)
	cut := 0
	// The last grapheme boundary that fits, so no combining mark loses its base and no
	// emoji sequence is halved; CJK text, without spaces, is cut there.
	for _, b := range annotate.GraphemeBounds(line) {
		if b > maxTitle {
			break
		}
		cut = b
	}
	// Prefer a word boundary if one is in the second half.
	for i := cut - 1; i > maxTitle/2; i-- {
		if unicode.IsSpace(runes[i]) {
			cut = i
			break
		}
	}
	s := string(runes[:cut])
	return strings.TrimRightFunc(s, unicode.IsSpace) + "…"
}

func firstByte(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// jsonInt reads a JSON integer; the error reads as a continuation ("must be ...").
func jsonInt(raw json.RawMessage) (int, error) {
	s := string(bytes.TrimSpace(raw))
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("must be an integer, got %s", clip(raw))
	}
	return n, nil
}

func jsonString(raw json.RawMessage) (string, error) {
	var s string
	if firstByte(raw) != '"' || json.Unmarshal(raw, &s) != nil {
		return "", fmt.Errorf("must be a string, got %s", clip(raw))
	}
	return s, nil
}

// clip shortens a JSON value for an error message.
func clip(raw []byte) string {
	s := string(bytes.TrimSpace(raw))
	if s == "" {
		return "nothing"
	}
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return s
}

// jsonMsg turns encoding/json errors into words for people who did not write Go.
func jsonMsg(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("malformed JSON at byte %d: %s", e.Offset, strings.TrimPrefix(e.Error(), "json: "))
	case *json.UnmarshalTypeError:
		want := e.Type.Kind().String()
		switch want {
		case "int", "int64", "float64":
			want = "a number"
		case "string":
			want = "a string"
		case "slice":
			want = "a list"
		case "map", "struct":
			want = "an object"
		}
		if e.Field != "" {
			return fmt.Sprintf("%s must be %s, not %s", e.Field, want, e.Value)
		}
		return fmt.Sprintf("want %s, not %s", want, e.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
