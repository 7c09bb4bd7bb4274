package predict

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxLine is the longest JSONL line (or array element) read; a longer one is
// reported and skipped. Long documents with many spans stay far below it.
const DefaultMaxLine = 64 << 20

// Reader reads predictions from one file, JSONL or a JSON array, record by record.
type Reader struct {
	name    string
	br      *bufio.Reader
	model   string // model name for records that name none
	MaxLine int

	mode  int // 0 not started, 1 JSONL, 2 array, 3 finished
	line  int // JSONL: lines read
	buf   []byte
	dec   *json.Decoder
	lines *lineCounter
}

const (
	modeStart = iota
	modeJSONL
	modeArray
	modeDone
)

// NewReader reads predictions from r; name is used in messages (a file name). model
// names the model for records that do not (Label Studio tasks carry only a version).
func NewReader(r io.Reader, name, model string) *Reader {
	return &Reader{name: name, br: bufio.NewReaderSize(r, 64<<10), model: model, MaxLine: DefaultMaxLine}
}

// Next returns the predictions of the next record (a Label Studio task may hold several).
// It returns io.EOF at the end. A bad record is returned as a *Problem and reading can
// go on; any other error (a read error, or a broken JSON array that cannot be resumed
// after its first bad element) ends the file.
func (r *Reader) Next() ([]Prediction, error) {
	if r.mode == modeStart {
		b, err := r.firstByte()
		if err != nil {
			r.mode = modeDone
			return nil, err
		}
		if b == '[' {
			r.mode = modeArray
			r.lines = &lineCounter{r: r.br, line: 1}
			r.dec = json.NewDecoder(r.lines)
			if _, err := r.dec.Token(); err != nil {
				r.mode = modeDone
				return nil, fmt.Errorf("%s: %w", r.name, err)
			}
		} else {
			r.mode = modeJSONL
		}
	}
	switch r.mode {
	case modeJSONL:
		return r.nextLine()
	case modeArray:
		return r.nextElem()
	}
	return nil, io.EOF
}

// firstByte skips white space and a UTF-8 byte order mark and peeks at what follows.
func (r *Reader) firstByte() (byte, error) {
	if bom, err := r.br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		r.br.Discard(3)
	}
	for {
		b, err := r.br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r':
			r.br.Discard(1)
		case '\n':
			// JSONL line numbers count the blank lines skipped here.
			r.br.Discard(1)
			r.line++
		default:
			return b[0], nil
		}
	}
}

func (r *Reader) nextLine() ([]Prediction, error) {
	for {
		line, tooLong, err := readLine(r.br, &r.buf, r.MaxLine)
		if err == io.EOF && len(line) == 0 && !tooLong {
			r.mode = modeDone
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			r.mode = modeDone
			return nil, fmt.Errorf("%s:%d: %w", r.name, r.line+1, err)
		}
		r.line++
		if tooLong {
			return nil, &Problem{File: r.name, Line: r.line, Reason: fmt.Sprintf("line longer than %d MB: skipped", r.MaxLine>>20)}
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		return parseRecord(line, r.name, r.line, r.model)
	}
}

func (r *Reader) nextElem() ([]Prediction, error) {
	if !r.dec.More() {
		r.mode = modeDone
		if _, err := r.dec.Token(); err != nil { // the closing bracket
			return nil, &Problem{File: r.name, Line: r.lines.at(r.dec.InputOffset()), Reason: "malformed JSON array: " + jsonMsg(err)}
		}
		return nil, io.EOF
	}
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		r.mode = modeDone // the decoder cannot resynchronise inside an array
		line := r.lines.at(r.dec.InputOffset())
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = r.lines.at(se.Offset)
		}
		return nil, &Problem{File: r.name, Line: line, Reason: jsonMsg(err) + " (the rest of the file is not read)"}
	}
	end := r.dec.InputOffset()
	line := r.lines.at(end - int64(len(raw)))
	if r.MaxLine > 0 && len(raw) > r.MaxLine {
		return nil, &Problem{File: r.name, Line: line, Reason: fmt.Sprintf("element longer than %d MB: skipped", r.MaxLine>>20)}
	}
	return parseRecord(raw, r.name, line, r.model)
}

// readLine reads one line without its end-of-line bytes. A line longer than max is read
// to its end and dropped, with tooLong set, so a runaway line costs no memory.
func readLine(br *bufio.Reader, buf *[]byte, max int) (line []byte, tooLong bool, err error) {
	*buf = (*buf)[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			*buf = append(*buf, chunk...)
			if max > 0 && len(*buf) > max+2 {
				tooLong = true
				*buf = (*buf)[:0]
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		b := bytes.TrimRight(*buf, "\r\n")
		return b, tooLong, err
	}
}

// lineCounter counts the lines of what a json.Decoder has consumed, keeping only the
// bytes read but not yet counted, so line numbers cost no memory beyond the decoder's.
type lineCounter struct {
	r       io.Reader
	pending []byte // bytes from offset base on
	base    int64
	line    int // line number at base
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.pending = append(c.pending, p[:n]...)
	return n, err
}

// at returns the line of byte offset off; offsets must not go backwards.
func (c *lineCounter) at(off int64) int {
	k := off - c.base
	if k <= 0 {
		return c.line
	}
	if k > int64(len(c.pending)) {
		k = int64(len(c.pending))
	}
	c.line += bytes.Count(c.pending[:k], []byte{'\n'})
	c.pending = append(c.pending[:0], c.pending[k:]...)
	c.base += k
	return c.line
}

// Record shapes as they arrive. Numbers that may be ints or strings (ids, versions) and
// scores (which may be null or "NaN") are kept raw and read by hand for clear messages.
type recordJSON struct {
	ID           json.RawMessage `json:"id"`
	Model        json.RawMessage `json:"model"`
	ModelVersion json.RawMessage `json:"model_version"`
	Score        json.RawMessage `json:"score"`
	SHA256       string          `json:"sha256"`
	Text         *string         `json:"text"`
	Spans        json.RawMessage `json:"spans"`
	Error        json.RawMessage `json:"error"`
	Data         *struct {
		ID     json.RawMessage `json:"id"`
		DocID  json.RawMessage `json:"doc_id"`
		Text   *string         `json:"text"`
		SHA256 string          `json:"sha256"`
	} `json:"data"`
	Predictions json.RawMessage `json:"predictions"`
}

type spanJSON struct {
	Start *int            `json:"start"`
	End   *int            `json:"end"`
	Label string          `json:"label"`
	Score json.RawMessage `json:"score"`
	Text  *string         `json:"text"`
	Attrs json.RawMessage `json:"attrs"`
}

type lsPredictionJSON struct {
	Model        json.RawMessage `json:"model"`
	ModelVersion json.RawMessage `json:"model_version"`
	Score        json.RawMessage `json:"score"`
	Result       []struct {
		Type  string          `json:"type"`
		Score json.RawMessage `json:"score"`
		Value struct {
			Start  *int     `json:"start"`
			End    *int     `json:"end"`
			Text   *string  `json:"text"`
			Labels []string `json:"labels"`
		} `json:"value"`
	} `json:"result"`
}

// ParseReply reads one line a model process wrote: {"id","spans"} or {"id","error"}.
func ParseReply(line []byte, model, version string) (*Prediction, error) {
	ps, err := parseRecord(line, "", 0, model)
	if err != nil {
		return nil, err
	}
	if len(ps) != 1 {
		return nil, &Problem{Reason: "reply holds no prediction: " + quote(line)}
	}
	p := &ps[0]
	if p.Version == "" {
		p.Version = version
	}
	return p, nil
}

// parseRecord decodes one record; file and line place messages, model is the default
// model name.
func parseRecord(raw []byte, file string, line int, model string) ([]Prediction, error) {
	bad := func(doc, format string, args ...any) error {
		return &Problem{File: file, Line: line, DocID: doc, Reason: fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(raw) {
		return nil, bad("", "not valid UTF-8")
	}
	raw = nanToNull(raw)
	if b := bytes.TrimLeft(raw, " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return nil, bad("", "want one JSON object, got %s", quote(raw))
	}
	var rec recordJSON
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, bad("", "%s in %s", jsonMsg(err), quote(raw))
	}
	id, err := idString(rec.ID)
	if err != nil {
		return nil, bad("", "id: %v", err)
	}
	hash := strings.ToLower(rec.SHA256)
	if rec.Text != nil {
		hash = textHash(*rec.Text)
	}
	if rec.Data != nil {
		// A Label Studio task: the document's own id is in data, the task id is Label
		// Studio's row number (used only when data names none).
		for _, v := range []json.RawMessage{rec.Data.DocID, rec.Data.ID} {
			if did, err := idString(v); err == nil && did != "" {
				id = did
				break
			}
		}
		if rec.Data.SHA256 != "" {
			hash = strings.ToLower(rec.Data.SHA256)
		}
		if rec.Data.Text != nil {
			hash = textHash(*rec.Data.Text)
		}
	}
	if id == "" && hash == "" {
		return nil, bad("", "no id (and no text or sha256) says which document this is")
	}
	name, err := idString(rec.Model)
	if err != nil {
		return nil, bad(id, "model: %v", err)
	}
	if name == "" {
		name = model
	}
	version, err := idString(rec.ModelVersion)
	if err != nil {
		return nil, bad(id, "model_version: %v", err)
	}
	score, err := readScore(rec.Score)
	if err != nil {
		return nil, bad(id, "score: %v", err)
	}
	base := Prediction{File: file, Line: line, DocID: id, SHA256: hash, Model: name, Version: version, Score: score}
	if len(rec.Error) > 0 && string(rec.Error) != "null" {
		var msg string
		if json.Unmarshal(rec.Error, &msg) != nil {
			msg = string(rec.Error)
		}
		base.Err = msg
		return []Prediction{base}, nil
	}
	if len(rec.Predictions) > 0 && string(rec.Predictions) != "null" {
		var lps []lsPredictionJSON
		if err := json.Unmarshal(rec.Predictions, &lps); err != nil {
			return nil, bad(id, "predictions: %s", jsonMsg(err))
		}
		out := make([]Prediction, 0, len(lps))
		for i, lp := range lps {
			p := base
			if n, err := idString(lp.Model); err != nil {
				return nil, bad(id, "predictions[%d].model: %v", i, err)
			} else if n != "" {
				p.Model = n
			}
			if p.Version, err = idString(lp.ModelVersion); err != nil {
				return nil, bad(id, "predictions[%d].model_version: %v", i, err)
			}
			if p.Score, err = readScore(lp.Score); err != nil {
				return nil, bad(id, "predictions[%d].score: %v", i, err)
			}
			for j, r := range lp.Result {
				if r.Type != "" && r.Type != "labels" && r.Type != "hypertextlabels" {
					continue // choices, ratings, text areas: not spans
				}
				v := r.Value
				if v.Start == nil || v.End == nil {
					return nil, bad(id, "predictions[%d].result[%d]: value.start and value.end are required", i, j)
				}
				sc, err := readScore(r.Score)
				if err != nil {
					return nil, bad(id, "predictions[%d].result[%d].score: %v", i, j, err)
				}
				if sc == nil {
					sc = p.Score // a region without its own score takes its prediction's
				}
				if len(v.Labels) == 0 {
					return nil, bad(id, "predictions[%d].result[%d]: value.labels is empty", i, j)
				}
				for _, l := range v.Labels {
					s := Span{Start: *v.Start, End: *v.End, Label: l, Score: sc}
					if v.Text != nil {
						s.Text, s.HasText = *v.Text, true
					}
					p.Spans = append(p.Spans, s)
				}
			}
			out = append(out, p)
		}
		return out, nil
	}
	if len(rec.Spans) == 0 || string(rec.Spans) == "null" {
		if rec.Data != nil {
			return nil, nil // a Label Studio task with no predictions: nothing to suggest
		}
		return nil, bad(id, "no spans, predictions or error")
	}
	var spans []spanJSON
	if err := json.Unmarshal(rec.Spans, &spans); err != nil {
		return nil, bad(id, "spans: %s", jsonMsg(err))
	}
	base.Spans = make([]Span, 0, len(spans))
	for i, s := range spans {
		if s.Start == nil || s.End == nil {
			return nil, bad(id, "spans[%d]: start and end are required", i)
		}
		if s.Label == "" {
			return nil, bad(id, "spans[%d]: label is required", i)
		}
		sc, err := readScore(s.Score)
		if err != nil {
			return nil, bad(id, "spans[%d].score: %v", i, err)
		}
		if len(s.Attrs) > 0 && string(s.Attrs) != "null" {
			if bytes.TrimLeft(s.Attrs, " \t\r\n")[0] != '{' {
				return nil, bad(id, "spans[%d].attrs must be an object", i)
			}
		} else {
			s.Attrs = nil
		}
		sp := Span{Start: *s.Start, End: *s.End, Label: s.Label, Score: sc, Attrs: s.Attrs}
		if s.Text != nil {
			sp.Text, sp.HasText = *s.Text, true
		}
		base.Spans = append(base.Spans, sp)
	}
	return []Prediction{base}, nil
}

// idString reads an id or version given as a string or a number; absent or null is "".
func idString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), nil
	}
	return "", fmt.Errorf("want a string or a number, got %s", quote(raw))
}

// readScore reads a score: a finite number, or nothing. null, an absent field, NaN (as
// Python writes it, or as a string) and infinities all mean "no score" — never 1.0.
func readScore(raw json.RawMessage) (*float64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		switch strings.ToLower(s) {
		case "nan", "", "inf", "-inf", "infinity", "-infinity", "none", "null":
			return nil, nil
		}
		return nil, fmt.Errorf("want a number, got %s", quote(raw))
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return nil, fmt.Errorf("want a number, got %s", quote(raw))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, nil
	}
	return &f, nil
}

// nanToNull rewrites the bare NaN, Infinity and -Infinity tokens Python's json module
// writes (not JSON) to null, outside strings, so a Python model's "no score" reads.
func nanToNull(b []byte) []byte {
	if !bytes.Contains(b, []byte("NaN")) && !bytes.Contains(b, []byte("Infinity")) {
		return b
	}
	out := make([]byte, 0, len(b))
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
		case bytes.HasPrefix(b[i:], []byte("NaN")):
			out = append(out, "null"...)
			i += 2
			continue
		case bytes.HasPrefix(b[i:], []byte("-Infinity")):
			out = append(out, "null"...)
			i += 8
			continue
		case bytes.HasPrefix(b[i:], []byte("Infinity")):
			out = append(out, "null"...)
			i += 7
			continue
		}
		out = append(out, c)
	}
	return out
}

// quote shows raw input in a message, clipped.
func quote(b []byte) string {
	const max = 120
	s := string(bytes.TrimSpace(b))
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

func jsonMsg(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("%s must be a %s, not %s", te.Field, te.Type, te.Value)
		}
		return fmt.Sprintf("want a %s, not %s", te.Type, te.Value)
	}
	return "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

// ParseLabelStudio reads one prediction as a Label Studio ML backend returns it for a task
// ({"model_version","score","result":[...]}), for the document docID.
func ParseLabelStudio(docID string, raw []byte, model string) ([]Prediction, error) {
	if b := bytes.TrimLeft(raw, " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return nil, &Problem{DocID: docID, Reason: "want a prediction object, got " + quote(raw)}
	}
	id, _ := json.Marshal(docID)
	rec := make([]byte, 0, len(raw)+len(id)+32)
	rec = append(append(append(rec, `{"id":`...), id...), `,"predictions":[`...)
	rec = append(append(rec, raw...), "]}"...)
	return parseRecord(rec, "", 0, model)
}
