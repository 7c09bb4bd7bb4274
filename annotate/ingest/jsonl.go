package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// jsonlState is the JSONL reader's position.
type jsonlState struct {
	line int
	buf  []byte
}

func (r *Reader) nextJSONL(st *jsonlState) (*Record, error) {
	for {
		line, err := r.rawLine(&st.buf, &st.line)
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue // blank lines, e.g. a trailing one, separate nothing
		}
		if e := checkUTF8(r.name, st.line, line); e != nil {
			return nil, e
		}
		return r.parseJSONLine(line, st.line)
	}
}

func (r *Reader) parseJSONLine(line []byte, lineNo int) (*Record, error) {
	f := &fields{file: r.name, line: lineNo}
	if firstByte(line) != '{' {
		return nil, f.errorf("malformed JSON line: want one JSON object per line, got %s", clip(line))
	}
	var d docJSON
	if err := json.Unmarshal(line, &d); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			return nil, f.errorf("malformed JSON at column %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
		}
		return nil, f.errorf("malformed JSON: %s", jsonMsg(err))
	}
	// encoding/json matches keys to fields without regard to case and drops the keys it
	// does not know; look at the keys as written to refuse the first and keep the others.
	var unknown bool
	var wrongCase string
	topKeys(line, func(k []byte) {
		if knownKey(string(k)) {
			return
		}
		if low := strings.ToLower(string(k)); knownKey(low) && wrongCase == "" {
			wrongCase = string(k)
		}
		unknown = true
	})
	if wrongCase != "" {
		return nil, f.errorf("key %q: keys are lower case (%q)", wrongCase, strings.ToLower(wrongCase))
	}
	if unknown {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			return nil, f.errorf("malformed JSON: %s", jsonMsg(err))
		}
		for k, v := range obj {
			if !knownKey(k) {
				f.keepMeta(k, v)
			}
		}
	}
	return r.fromDoc(f, &d, filepath.Base(r.name)+":"+fmt.Sprint(lineNo))
}

// knownKey reports the top-level JSONL keys the format defines; any other key is kept in
// the document's meta.
func knownKey(k string) bool {
	switch k {
	case "id", "title", "url", "source", "published", "meta", "text", "spans", "entities", "label", "events", "done",
		// Written by `evident export`: derived from the text, so not kept as meta.
		"sha256", "tokens":
		return true
	}
	return false
}

// fromDoc checks the decoded keys of a document into f and builds the record.
func (r *Reader) fromDoc(f *fields, d *docJSON, defaultID string) (*Record, error) {
	if !d.Text.set {
		return nil, f.errorf("missing \"text\"")
	}
	if d.Text.bad != "" {
		return nil, f.errorf("text must be a string, got %s", d.Text.bad)
	}
	if d.Text.lone {
		return nil, f.errorf("text contains an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF), which is not a character; Evident will not replace it silently")
	}
	f.text = d.Text.v
	if d.ID.bad != "" {
		return nil, f.errorf("id must be a string or an integer, got %s", d.ID.bad)
	}
	f.id, f.hasID = d.ID.v, d.ID.set
	for _, k := range []struct {
		key string
		v   *str
		dst *string
	}{{"title", &d.Title, &f.title}, {"url", &d.URL, &f.url}, {"source", &d.Source, &f.source}, {"published", &d.Published, &f.published}} {
		if k.v.bad != "" {
			return nil, f.errorf("%s must be a string, got %s", k.key, k.v.bad)
		}
		*k.dst = k.v.v
	}
	if len(d.Done) > 0 && !isNull(d.Done) {
		switch string(bytes.TrimSpace(d.Done)) {
		case "true":
			f.done = true
		case "false":
		default:
			return nil, f.errorf("done must be true or false, got %s", clip(d.Done))
		}
	}
	if len(d.Meta) > 0 && !isNull(d.Meta) {
		if firstByte(d.Meta) != '{' {
			return nil, f.errorf("meta must be a JSON object, got %s", clip(d.Meta))
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(d.Meta, &m); err != nil {
			return nil, f.errorf("meta: %s", jsonMsg(err))
		}
		for k, v := range f.meta { // stray keys found before; the meta object wins
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
		f.meta = m
	}
	for _, l := range []struct {
		key  string
		list *spanList
	}{{"spans", &d.Spans}, {"entities", &d.Entities}} {
		if l.list.bad != "" {
			return nil, f.errorf("%s must be a list of spans, got %s", l.key, l.list.bad)
		}
		if f.spans == nil {
			f.spans = l.list.spans
		} else {
			f.spans = append(f.spans, l.list.spans...)
		}
	}
	if v := d.Label; len(v) > 0 && !isNull(v) {
		// doccano: "label": [[start, end, "LABEL"], ...] for spans; a class label or a list
		// of them is kept in meta.
		var probe []json.RawMessage
		// An empty list is doccano's "no spans", not a class label.
		if firstByte(v) == '[' && json.Unmarshal(v, &probe) == nil && (len(probe) == 0 || firstByte(probe[0]) == '[') {
			var l spanList
			if err := json.Unmarshal(v, &l); err != nil {
				return nil, f.errorf("label: %s", jsonMsg(err))
			}
			f.spans = append(f.spans, l.spans...)
		} else {
			f.keepMeta("label", v)
		}
	}
	if len(d.Events) > 0 {
		f.events = d.Events
	}
	return r.build(f, defaultID)
}

// keepMeta stores an extra value in meta unless meta already has the key: an explicit
// meta object wins over stray top-level keys.
func (f *fields) keepMeta(k string, v json.RawMessage) {
	if _, ok := f.meta[k]; ok {
		return
	}
	if f.meta == nil {
		f.meta = map[string]json.RawMessage{}
	}
	f.meta[k] = v
}

// checkUTF16 recognises a UTF-16 byte order mark: such files are otherwise reported as
// invalid UTF-8 at column 1, which does not tell the user what to do.
func checkUTF16(name string, head []byte) *Error {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return newError(name, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8")
	}
	return nil
}

// checkUTF8 reports the first invalid UTF-8 byte in data, which starts on line first,
// by its line and byte column (1-based).
func checkUTF8(name string, first int, data []byte) *Error {
	if utf8.Valid(data) {
		return nil
	}
	for i := 0; i < len(data); {
		c, size := utf8.DecodeRune(data[i:])
		if c == utf8.RuneError && size <= 1 {
			line, col := lineCol(data, i)
			return newError(name, first+line, "invalid UTF-8: byte 0x%02X at column %d (Evident reads UTF-8; convert the file, e.g. with iconv)", data[i], col)
		}
		i += size
	}
	return nil
}

// lineCol returns how many lines into data byte i lies (0 for the first) and its 1-based
// byte column.
func lineCol(data []byte, i int) (int, int) {
	line := bytes.Count(data[:i], []byte{'\n'})
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	return line, i - start + 1
}
