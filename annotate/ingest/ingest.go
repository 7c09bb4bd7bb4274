// Package ingest turns files into documents and pre-annotations and imports them into an
// annotate.Store.
//
// Three formats are read, chosen by file extension:
//
//   - .txt: the whole file is one document; its external id is the file name without the
//     extension and its title the first non-empty line.
//   - .jsonl: one JSON object per line with "text" and optional "id", "title", "url",
//     "source", "published", "meta", "spans" (or doccano's "label" triples, or doccano's
//     newer "entities") and "events". Keys the format does not know are kept in meta.
//   - .csv: a header row, then one document per record; a "text" column is required,
//     "id", "title", "url", "source", "published" are read as in JSONL, "spans", "events"
//     and "meta" columns may hold the JSON of the same keys, and every other column is kept
//     in meta as a string.
//
// A JSONL or CSV document without an id gets "FILE.EXT:LINE" (base name and the line it
// starts on), so re-importing the same file finds it again. Keys are lower case; a
// key such as "Text" is refused rather than half-matched. Span offsets are code points; a
// span's optional "text" is compared with the text at its offsets, and a mismatch that
// would match as UTF-16 or byte offsets says so. A CASUALTY span's "claimant" is an index
// into the document's spans (it must be a SOURCE span) and becomes Draft.Claimants.
//
// Readers stream: one record at a time, with no limit on line length, so a file of 100,000
// documents or a single 100 MB line never has to fit a fixed buffer.
//
// Text is kept byte for byte (CRLF, tabs, other control characters) except that a UTF-8
// byte order mark at the start of a file or of a text value is removed. Invalid UTF-8 and
// NUL bytes are refused rather than repaired: a NUL in prose almost always means a file in
// UTF-16 read as UTF-8, and SQLite's text functions and the GUI both stop at it. For the
// same reason a JSON escape of half a surrogate pair, which encoding/json would turn into
// U+FFFD, is refused.
package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"evident/annotate"
	"evident/assets"
)

// Error is one problem in an input file. Error() reads "FILE:LINE: what is wrong"; it
// wraps an *annotate.Error with code annotate.EInvalid so callers can branch on the code.
type Error struct {
	File string
	Line int // 1-based; for CSV the line where the record starts
	Msg  string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

func (e *Error) Unwrap() error { return e.Err }

func newError(file string, line int, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{File: file, Line: line, Msg: msg, Err: annotate.Errorf(annotate.EInvalid, "%s", msg)}
}

// Record is one document read from a file with its pre-annotations. Draft spans are
// accepted spans with origin "import"; events and claimants refer to them by index.
type Record struct {
	File  string
	Line  int // line where the document starts
	Doc   annotate.Document
	Draft annotate.Draft
}

// Format is an input format.
type Format string

const (
	FormatTXT   Format = "txt"
	FormatJSONL Format = "jsonl"
	FormatCSV   Format = "csv"
)

// FormatOf picks the format from a file name's extension (any case).
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt":
		return FormatTXT, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	case ".csv":
		return FormatCSV, nil
	}
	return "", annotate.Errorf(annotate.EInvalid, "%s: unknown file type %q (want .txt, .jsonl or .csv)", name, filepath.Ext(name))
}

// ReadOptions says what a reader accepts.
type ReadOptions struct {
	// Schema gives the labels, event types and roles a file may use; nil means the
	// default schema.
	Schema *annotate.Schema
	// AddLabels accepts labels the schema lacks (if their names are valid) as new span
	// labels with a generated colour; Reader.NewLabels lists them.
	AddLabels bool

	labels *labelSet // shared by the readers of one import
}

// Reader reads records from one file. It is not safe for concurrent use.
type Reader struct {
	name   string
	count  *countingReader
	br     *bufio.Reader
	labels *labelSet
	next   func() (*Record, error)
	err    error // sticky: after an error or EOF, Next keeps returning it
}

// NewReader reads the file called name (used in errors and for the format and, for .txt,
// the external id) from r.
func NewReader(r io.Reader, name string, opts ReadOptions) (*Reader, error) {
	f, err := FormatOf(name)
	if err != nil {
		return nil, err
	}
	return NewFormatReader(r, name, f, opts)
}

// NewFormatReader is NewReader with the format given rather than taken from the name.
func NewFormatReader(r io.Reader, name string, f Format, opts ReadOptions) (*Reader, error) {
	ls := opts.labels
	if ls == nil {
		s := opts.Schema
		if s == nil {
			var err error
			if s, err = DefaultSchema(); err != nil {
				return nil, err
			}
		}
		ls = newLabelSet(s, opts.AddLabels)
	}
	cr := &countingReader{r: r}
	rd := &Reader{name: name, count: cr, br: bufio.NewReaderSize(cr, 64<<10), labels: ls}
	switch f {
	case FormatTXT:
		rd.next = rd.nextTXT
	case FormatJSONL:
		j := &jsonlState{}
		rd.next = func() (*Record, error) { return rd.nextJSONL(j) }
	case FormatCSV:
		c := &csvState{}
		rd.next = func() (*Record, error) { return rd.nextCSV(c) }
	default:
		return nil, annotate.Errorf(annotate.EInvalid, "%s: unknown format %q", name, f)
	}
	return rd, nil
}

// Next returns the next record, or io.EOF after the last. After any other error the
// reader is done and returns that error again.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return rec, nil
}

// BytesRead is how many bytes of the input have been consumed so far (read ahead into a
// buffer included), for progress reports.
func (r *Reader) BytesRead() int64 { return r.count.n }

// NewLabels returns the labels accepted under AddLabels that the schema lacked, in the
// order first seen.
func (r *Reader) NewLabels() []annotate.Label {
	return append([]annotate.Label(nil), r.labels.added...)
}

// All yields the records of r as a range-over-func iterator, stopping at the first error
// (yielded with a nil record); io.EOF is not yielded.
func (r *Reader) All() func(yield func(*Record, error) bool) {
	return func(yield func(*Record, error) bool) {
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

// ReadFile reads every record of the file at path and calls fn with each; it stops at the
// first error, from the file or from fn.
func ReadFile(path string, opts ReadOptions, fn func(*Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	rd, err := NewReader(f, path, opts)
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if line, dup := seen[rec.Doc.ExternalID]; dup {
			return newError(rec.File, rec.Line, "duplicate id %q (also on line %d)", rec.Doc.ExternalID, line)
		}
		seen[rec.Doc.ExternalID] = rec.Line
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// ReadGold reads a gold file (JSONL in the import format, checked against the default
// schema) into memory, for evaluation. Gold sets are small; use ReadFile to stream.
func ReadGold(path string) ([]Record, error) {
	var recs []Record
	err := ReadFile(path, ReadOptions{}, func(r *Record) error {
		recs = append(recs, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// DefaultSchema parses the schema embedded in package assets.
func DefaultSchema() (*annotate.Schema, error) {
	s, err := annotate.ParseSchema(assets.Schema())
	if err != nil {
		return nil, fmt.Errorf("default schema: %w", err)
	}
	return s, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readLine returns the next line including its '\n' (absent on the last line of a file
// that does not end in one), with no length limit. The result may alias the bufio
// buffer or buf and is valid until the next call. It returns io.EOF only when nothing
// was left.
func readLine(br *bufio.Reader, buf *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == nil {
		return line, nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		if err == io.EOF && len(line) > 0 {
			return line, nil
		}
		return line, err
	}
	b := append((*buf)[:0], line...)
	for {
		line, err = br.ReadSlice('\n')
		if len(b)+len(line) > cap(b) {
			// Double: append grows big slices by only a quarter, which for a 100 MB
			// line means copying it some twenty times.
			nb := make([]byte, len(b), 2*cap(b)+len(line))
			copy(nb, b)
			b = nb
		}
		b = append(b, line...)
		if err == nil || err == io.EOF {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
	// Keep a big buffer only while lines are big: a single 100 MB line should not pin
	// 100 MB for the rest of the file.
	if cap(b) <= 4<<20 {
		*buf = b
	} else {
		*buf = nil
	}
	return b, nil
}
