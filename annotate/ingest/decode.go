package ingest

import (
	"bytes"
	"encoding/json"
)

// The JSON values of a document are decoded into small types with their own
// UnmarshalJSON: they take the bytes encoding/json has already validated, do not fail
// the whole line on a wrong type (the value is kept for a message naming the field), and
// avoid the reflection and copies of decoding through json.RawMessage or maps. Reading
// 100,000 documents spends most of its time here.

// str is a JSON string; a value of another type is kept, clipped, in bad.
type str struct {
	v    string
	set  bool // present and not null
	bad  string
	lone bool // an escape \uD800-\uDFFF without its pair, which decodes to U+FFFD
}

func (s *str) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		return nil
	case '"':
		s.set = true
		if bytes.IndexByte(b, '\\') < 0 {
			s.v = string(b[1 : len(b)-1])
			return nil
		}
		s.lone = loneSurrogate(b)
		return json.Unmarshal(b, &s.v)
	}
	s.set, s.bad = true, clip(b)
	return nil
}

// loneSurrogate reports whether the JSON string b escapes half a UTF-16 surrogate pair:
// encoding/json turns it into U+FFFD, which would change the text without a word.
func loneSurrogate(b []byte) bool {
	surrogate := func(i int) (rune, bool) { // the \uXXXX escape at b[i:], if any
		if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
			return 0, false
		}
		var r rune
		for _, c := range b[i+2 : i+6] {
			switch {
			case c >= '0' && c <= '9':
				r = r<<4 | rune(c-'0')
			case c >= 'a' && c <= 'f':
				r = r<<4 | rune(c-'a'+10)
			case c >= 'A' && c <= 'F':
				r = r<<4 | rune(c-'A'+10)
			default:
				return 0, false
			}
		}
		return r, true
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := surrogate(i)
		if !ok {
			i++ // another escape: skip its second character
			continue
		}
		switch {
		case r >= 0xD800 && r < 0xDC00:
			if lo, ok := surrogate(i + 6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				i += 11
				continue
			}
			return true
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		}
		i += 5
	}
	return false
}

// num is a JSON integer; any other value is kept, clipped, in bad.
type num struct {
	v   int
	set bool
	bad string
}

func (n *num) UnmarshalJSON(b []byte) error {
	if b[0] == 'n' {
		return nil
	}
	n.set = true
	v, ok := atoi(b)
	if !ok {
		n.bad = clip(b)
		return nil
	}
	n.v = v
	return nil
}

// atoi parses a JSON integer of at most 18 digits without allocating.
func atoi(b []byte) (int, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// spanJSON is one span: an object {"start","end","label","text"?,"attrs"?} (doccano's
// newer start_offset and end_offset accepted) or a doccano triple [start, end, "LABEL"].
type spanJSON struct {
	Start       num             `json:"start"`
	End         num             `json:"end"`
	StartOffset num             `json:"start_offset"`
	EndOffset   num             `json:"end_offset"`
	Label       str             `json:"label"`
	Text        str             `json:"text"`
	Attrs       json.RawMessage `json:"attrs"`
	bad         string          // neither an object nor a triple
}

func (s *spanJSON) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '{':
		if s.object(b) {
			return nil
		}
		type plain spanJSON // without this method
		return json.Unmarshal(b, (*plain)(s))
	case '[':
		var tri []json.RawMessage
		if err := json.Unmarshal(b, &tri); err != nil {
			return err
		}
		if len(tri) != 3 {
			s.bad = clip(b)
			return nil
		}
		for i, dst := range []json.Unmarshaler{&s.Start, &s.End, &s.Label} {
			if err := dst.UnmarshalJSON(tri[i]); err != nil {
				return err
			}
		}
		if !s.Start.set {
			s.Start.set, s.Start.bad = true, "null"
		}
		if !s.End.set {
			s.End.set, s.End.bad = true, "null"
		}
		return nil
	}
	s.bad = clip(b)
	return nil
}

// object decodes a span object whose keys are all written as the struct's tags (no
// escapes, no other case, no unknown key), as encoding/json would, and reports whether
// it did; otherwise s is untouched and encoding/json decodes it. A document's spans are
// most of its values: through encoding/json each was validated a second time and its
// fields found by reflection, a third of reading a file (FuzzSpanObject holds the two
// to the same result).
func (s *spanJSON) object(b []byte) bool {
	known := eachMember(b, func(key, _ []byte) bool {
		switch string(key) {
		case "start", "end", "start_offset", "end_offset", "label", "text", "attrs":
			return true
		}
		return false
	})
	if !known {
		return false
	}
	var err error
	eachMember(b, func(key, val []byte) bool {
		switch string(key) {
		case "start":
			err = s.Start.UnmarshalJSON(val)
		case "end":
			err = s.End.UnmarshalJSON(val)
		case "start_offset":
			err = s.StartOffset.UnmarshalJSON(val)
		case "end_offset":
			err = s.EndOffset.UnmarshalJSON(val)
		case "label":
			err = s.Label.UnmarshalJSON(val)
		case "text":
			err = s.Text.UnmarshalJSON(val)
		case "attrs":
			err = s.Attrs.UnmarshalJSON(val)
		}
		return err == nil
	})
	if err != nil { // cannot happen on valid JSON; encoding/json says what is wrong
		*s = spanJSON{}
		return false
	}
	return true
}

// eachMember calls fn with the key (as written, without quotes) and value of each member
// of the JSON object obj, which must be valid JSON, until fn returns false; it returns
// false then, or when a key holds an escape (which encoding/json would decode first).
func eachMember(obj []byte, fn func(key, val []byte) bool) bool {
	i := bytes.IndexByte(obj, '{') + 1
	ws := func() {
		for i < len(obj) && (obj[i] == ' ' || obj[i] == '\t' || obj[i] == '\r' || obj[i] == '\n') {
			i++
		}
	}
	for {
		ws()
		if i >= len(obj) || obj[i] != '"' {
			return true // '}': the end of the object
		}
		j := i + 1
		for obj[j] != '"' {
			if obj[j] == '\\' {
				return false
			}
			j++
		}
		key := obj[i+1 : j]
		i = j + 1
		ws()
		i++ // ':'
		ws()
		start := i
		i = valueEnd(obj, i)
		if !fn(key, obj[start:i]) {
			return false
		}
		ws()
		if i < len(obj) && obj[i] == ',' {
			i++
		}
	}
}

// valueEnd returns the index just past the JSON value starting at data[i], which must be
// valid JSON.
func valueEnd(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			for i++; data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // a literal ended by its container
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\r', '\n':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// spanList is a JSON list of spans.
type spanList struct {
	spans []spanJSON
	set   bool
	bad   string
}

func (l *spanList) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		return nil
	case '[':
		l.set = true
		// Sized once: letting encoding/json grow a slice of these wide structs cost more
		// than all the rest of reading a document.
		n := 0
		eachElem(b, func([]byte) { n++ })
		l.spans = make([]spanJSON, n)
		i := 0
		var err error
		eachElem(b, func(e []byte) {
			if err == nil {
				err = l.spans[i].UnmarshalJSON(e)
			}
			i++
		})
		return err
	}
	l.set, l.bad = true, clip(b)
	return nil
}

// eachElem calls fn with each element of the JSON array in arr, which must be valid JSON
// as encoding/json hands it to an UnmarshalJSON method.
func eachElem(arr []byte, fn func(elem []byte)) {
	depth := 0
	start := -1
	for i := 0; i < len(arr); i++ {
		c := arr[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			j := i + 1
			for j < len(arr) && arr[j] != '"' {
				if arr[j] == '\\' {
					j++
				}
				j++
			}
			if depth == 1 && start < 0 {
				start = i
			}
			i = j
			continue
		case '[', '{':
			depth++
			if depth == 1 {
				continue // the array itself
			}
			if depth == 2 && start < 0 {
				start = i
			}
			continue
		case ']', '}':
			if depth == 1 { // the end of the array
				if start >= 0 {
					fn(trimSpace(arr[start:i]))
				}
				return
			}
			depth--
			continue
		case ',':
			if depth == 1 {
				fn(trimSpace(arr[start:i]))
				start = -1
				continue
			}
		}
		if depth == 1 && start < 0 {
			start = i
		}
	}
}

func trimSpace(b []byte) []byte { return bytes.TrimRight(b, " \t\r\n") }

// idJSON is a document id: a string, or an integer as many datasets number documents.
type idJSON struct {
	v   string
	set bool
	bad string
}

func (id *idJSON) UnmarshalJSON(b []byte) error {
	switch {
	case b[0] == 'n':
		return nil
	case b[0] == '"':
		var s str
		if err := s.UnmarshalJSON(b); err != nil {
			return err
		}
		id.v, id.set = s.v, true
	default:
		id.set = true
		if _, ok := atoi(b); ok {
			id.v = string(b)
		} else {
			id.bad = clip(b)
		}
	}
	return nil
}

// docJSON is one JSONL line.
type docJSON struct {
	ID        idJSON          `json:"id"`
	Title     str             `json:"title"`
	URL       str             `json:"url"`
	Source    str             `json:"source"`
	Published str             `json:"published"`
	Meta      json.RawMessage `json:"meta"`
	Text      str             `json:"text"`
	Spans     spanList        `json:"spans"`
	Entities  spanList        `json:"entities"`
	Label     json.RawMessage `json:"label"` // doccano: spans as triples, or class labels
	Events    json.RawMessage `json:"events"`
	Done      json.RawMessage `json:"done"` // true: the annotator finished the document
}

// topKeys calls fn with each key of the JSON object in obj, which must be valid JSON, as
// written (escapes not decoded), so that keys the struct does not know can be found
// without decoding the line a second time.
func topKeys(obj []byte, fn func(key []byte)) {
	depth := 0
	expectKey := false
	for i := 0; i < len(obj); i++ {
		switch c := obj[i]; c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1
		case '"':
			j := i + 1
			for j < len(obj) && obj[j] != '"' {
				if obj[j] == '\\' {
					j++
				}
				j++
			}
			if expectKey {
				fn(obj[i+1 : j])
				expectKey = false
			}
			i = j
		}
	}
}
