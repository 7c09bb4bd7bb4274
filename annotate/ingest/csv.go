package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// csvState is the CSV reader's position and header.
//
// The parser is our own rather than encoding/csv because encoding/csv turns "\r\n" inside
// quoted fields into "\n", and document text must be kept byte for byte; it also lets
// every error name the line it happened on.
type csvState struct {
	line    int      // lines consumed so far
	header  []string // column names as written (trimmed)
	columns []string // the same, lower case, for matching known columns
	textCol int
	buf     []byte
}

func (r *Reader) nextCSV(c *csvState) (*Record, error) {
	if c.header == nil {
		if err := r.csvHeader(c); err != nil {
			return nil, err
		}
	}
	vals, start, err := r.csvRecord(c)
	if err != nil {
		return nil, err
	}
	f := &fields{file: r.name, line: start}
	if len(vals) != len(c.header) {
		return nil, f.errorf("record has %d fields, the header has %d", len(vals), len(c.header))
	}
	for i, v := range vals {
		col := c.columns[i]
		if v == "" && col != "text" {
			continue // an empty cell is an absent value
		}
		switch col {
		case "text":
			f.text = v
		case "id":
			f.id, f.hasID = v, true
		case "title":
			f.title = v
		case "url":
			f.url = v
		case "source":
			f.source = v
		case "published":
			f.published = strings.TrimSpace(v)
		case "spans", "entities":
			var l spanList
			if err := json.Unmarshal([]byte(v), &l); err != nil {
				return nil, f.errorf("%s column must hold a JSON list of spans: %s", c.header[i], jsonMsg(err))
			}
			if l.bad != "" {
				return nil, f.errorf("%s column must hold a JSON list of spans, got %s", c.header[i], l.bad)
			}
			f.spans = append(f.spans, l.spans...)
		case "events":
			if !json.Valid([]byte(v)) {
				return nil, f.errorf("%s column must hold a JSON list of events", c.header[i])
			}
			f.events = json.RawMessage(v)
		case "meta":
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(v), &m); err != nil {
				return nil, f.errorf("%s column must hold a JSON object: %s", c.header[i], jsonMsg(err))
			}
			for k, mv := range m {
				if f.meta == nil {
					f.meta = map[string]json.RawMessage{}
				}
				f.meta[k] = mv // the meta object wins over same-named columns
			}
		}
	}
	for i, v := range vals {
		if !csvKnown(c.columns[i]) {
			s, _ := json.Marshal(v)
			f.keepMeta(c.header[i], s)
		}
	}
	return r.build(f, filepath.Base(r.name)+":"+fmt.Sprint(start))
}

func csvKnown(col string) bool {
	switch col {
	case "text", "id", "title", "url", "source", "published", "spans", "entities", "events", "meta":
		return true
	}
	return false
}

func (r *Reader) csvHeader(c *csvState) error {
	vals, start, err := r.csvRecord(c)
	if err == io.EOF {
		return newError(r.name, 1, "the file is empty (want a header row with a text column)")
	}
	if err != nil {
		return err
	}
	c.textCol = -1
	seen := map[string]bool{}
	for i, v := range vals {
		name := strings.TrimSpace(v)
		low := strings.ToLower(name)
		if name == "" {
			return newError(r.name, start, "column %d of the header has no name", i+1)
		}
		if seen[low] {
			return newError(r.name, start, "column %q appears twice in the header", name)
		}
		seen[low] = true
		if low == "text" {
			c.textCol = i
		}
		c.header = append(c.header, name)
		c.columns = append(c.columns, low)
	}
	if c.textCol < 0 {
		return newError(r.name, start, "the header has no \"text\" column (columns: %s)", strings.Join(c.header, ", "))
	}
	return nil
}

// rawLine reads the next line into buf and counts it in *lineNo. The first line of a
// file is checked for a UTF-16 byte order mark (refused) and loses a UTF-8 one. io.EOF
// is returned as is, at the end.
func (r *Reader) rawLine(buf *[]byte, lineNo *int) ([]byte, error) {
	line, err := readLine(r.br, buf)
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.name, err)
	}
	*lineNo++
	if *lineNo == 1 {
		if e := checkUTF16(r.name, line); e != nil {
			return nil, e
		}
		line = bytes.TrimPrefix(line, []byte(bom))
	}
	return line, nil
}

// csvLine reads one line for the CSV parser, checking its encoding.
func (r *Reader) csvLine(c *csvState) ([]byte, error) {
	line, err := r.rawLine(&c.buf, &c.line)
	if err != nil {
		return nil, err
	}
	if e := checkUTF8(r.name, c.line, line); e != nil {
		return nil, e
	}
	if i := bytes.IndexByte(line, 0); i >= 0 {
		return nil, newError(r.name, c.line, "NUL byte at column %d (is the file UTF-16? Evident reads UTF-8)", i+1)
	}
	return line, nil
}

// csvRecord reads one RFC 4180 record: fields separated by commas, optionally quoted
// with "" for a quote inside; a quoted field may span lines and keeps its line breaks
// exactly. Blank lines between records are skipped. It returns the line the record
// starts on.
func (r *Reader) csvRecord(c *csvState) ([]string, int, error) {
	var line []byte
	for {
		l, err := r.csvLine(c)
		if err != nil {
			return nil, 0, err
		}
		if len(trimEOL(l)) > 0 {
			line = l
			break
		}
	}
	start := c.line
	var vals []string
	pos := 0
	for {
		if pos < len(line) && line[pos] == '"' {
			pos++
			var field []byte
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 {
					field = append(field, line[pos:]...)
					l, err := r.csvLine(c)
					if err == io.EOF {
						return nil, 0, newError(r.name, start, "quoted field is not closed before the end of the file")
					}
					if err != nil {
						return nil, 0, err
					}
					line, pos = l, 0
					continue
				}
				field = append(field, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' {
					field = append(field, '"')
					pos++
					continue
				}
				break
			}
			vals = append(vals, string(field))
			rest := line[pos:]
			if len(trimEOL(rest)) == 0 {
				return vals, start, nil
			}
			if rest[0] != ',' {
				return nil, 0, newError(r.name, c.line, "unexpected %q after a closing quote at column %d (a quote inside a quoted field is written \"\")", rest[0], pos+1)
			}
			pos++
			continue
		}
		i := bytes.IndexByte(line[pos:], ',')
		var val []byte
		last := i < 0
		if last {
			val = trimEOL(line[pos:])
		} else {
			val = line[pos : pos+i]
		}
		if q := bytes.IndexByte(val, '"'); q >= 0 {
			return nil, 0, newError(r.name, c.line, "quote in an unquoted field at column %d (quote the whole field and write a quote inside it as \"\")", pos+q+1)
		}
		vals = append(vals, string(val))
		if last {
			return vals, start, nil
		}
		pos += i + 1
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}
