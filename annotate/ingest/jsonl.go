package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
		line, err := readLine(r.br, &st.buf)
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", r.name, err)
		}
		st.line++
		if st.line == 1 {
			if e := checkUTF16(r.name, line); e != nil {
				return nil, e
			}
			line = bytes.TrimPrefix(line, []byte(bom))
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

// knownKey reports the top-level JSONL keys the format defines; any other key is kept in
// the document's meta.
func knownKey(k string) bool {
	switch k {
	case "id", "title", "url", "source", "published", "meta", "text", "spans", "entities", "label", "events":
		return true
	}
	return false
}

func (r *Reader) parseJSONLine(line []byte, lineNo int) (*Record, error) {
	f := &fields{file: r.name, line: lineNo}
	if firstByte(line) != '{' {
		return nil, f.errorf("malformed JSON line: want one JSON object per line, got %s", clip(line))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			return nil, f.errorf("malformed JSON at column %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
		}
		return nil, f.errorf("malformed JSON: %s", jsonMsg(err))
	}
	return r.fromObject(f, obj, filepath.Base(r.name)+":"+fmt.Sprint(lineNo))
}

// fromObject reads the keys of a JSON document object into f and builds the record.
func (r *Reader) fromObject(f *fields, obj map[string]json.RawMessage, defaultID string) (*Record, error) {
	raw, ok := obj["text"]
	if !ok {
		return nil, f.errorf("missing \"text\"")
	}
	text, err := jsonString(raw)
	if err != nil {
		return nil, f.errorf("text %v", err)
	}
	f.text = text
	if v, ok := obj["id"]; ok && !isNull(v) {
		switch firstByte(v) {
		case '"':
			f.id, _ = jsonString(v)
		default:
			n, err := jsonInt(v)
			if err != nil {
				return nil, f.errorf("id must be a string or an integer, got %s", clip(v))
			}
			f.id = fmt.Sprint(n)
		}
		f.hasID = true
	}
	for _, k := range []struct {
		key string
		dst *string
	}{{"title", &f.title}, {"url", &f.url}, {"source", &f.source}, {"published", &f.published}} {
		v, ok := obj[k.key]
		if !ok || isNull(v) {
			continue
		}
		s, err := jsonString(v)
		if err != nil {
			return nil, f.errorf("%s %v", k.key, err)
		}
		*k.dst = s
	}
	if v, ok := obj["meta"]; ok && !isNull(v) {
		if firstByte(v) != '{' {
			return nil, f.errorf("meta must be a JSON object, got %s", clip(v))
		}
		if err := json.Unmarshal(v, &f.meta); err != nil {
			return nil, f.errorf("meta: %s", jsonMsg(err))
		}
	}
	for _, key := range []string{"spans", "entities", "label"} {
		v, ok := obj[key]
		if !ok || isNull(v) {
			continue
		}
		if firstByte(v) != '[' {
			if key == "label" {
				f.keepMeta("label", v) // a classification label, not spans
				continue
			}
			return nil, f.errorf("%s must be a list of spans, got %s", key, clip(v))
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return nil, f.errorf("%s: %s", key, jsonMsg(err))
		}
		if key == "label" && len(elems) > 0 && firstByte(elems[0]) != '[' {
			// doccano classification: "label": ["POSITIVE", ...]
			f.keepMeta("label", v)
			continue
		}
		f.spans = append(f.spans, elems...)
	}
	f.events = obj["events"]
	for k, v := range obj {
		if !knownKey(k) {
			f.keepMeta(k, v)
		}
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
