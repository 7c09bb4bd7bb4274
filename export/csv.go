package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"evident/annotate"
)

// CSVHeader is the first row of the csv format.
var CSVHeader = []string{"doc_id", "sha256", "title", "start", "end", "label", "text", "status", "origin", "annotator",
	"kind", "low", "high", "qualifier", "victims", "claimant_text", "scope"}

// CSVEncoder writes one row per span, RFC 4180 quoting through encoding/csv. Records
// end in LF rather than CRLF: encoding/csv's CRLF mode would also rewrite line breaks
// inside quoted fields, and span text must survive byte for byte. pandas, R and
// spreadsheets read either. Casualty attributes are columns (victims joined by ";").
// People open CSV files in spreadsheets whatever they were meant for, so cells are
// neutralised as in the casualties format (Neutralise) unless Config.Raw asks for the
// cells as they are.
type CSVEncoder struct {
	w      *csv.Writer
	cfg    Config
	header bool
	row    []string
}

// NewCSVEncoder returns an encoder writing to w.
func NewCSVEncoder(w io.Writer, cfg Config) *CSVEncoder {
	return &CSVEncoder{w: csv.NewWriter(w), cfg: cfg, row: make([]string, len(CSVHeader))}
}

// Encode writes the record's spans, and the header before the first record.
func (e *CSVEncoder) Encode(r *Record) error {
	if !e.header {
		e.header = true
		if err := e.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	sum := r.Doc.SHA256
	if sum == "" {
		sum = annotate.TextHash(r.Doc.Text)
	}
	for i := range r.Spans {
		s := &r.Spans[i]
		row := e.row[:0]
		row = append(row, docName(r.Doc), sum, r.Doc.Title,
			strconv.Itoa(r.Offset(e.cfg.Offsets, s.Start)), strconv.Itoa(r.Offset(e.cfg.Offsets, s.End)),
			s.Label, s.Text, string(s.Status), s.Origin, s.Annotator)
		if c, ok := r.Casualty(s); ok {
			row = append(row, c.Kind, intOrEmpty(c.Low), intOrEmpty(c.High), c.Qualifier,
				strings.Join(c.Victims, ";"), r.ClaimantText(c), scope(c.Scope))
		} else {
			row = append(row, "", "", "", "", "", "", "")
		}
		neutraliseRow(row, e.cfg.Raw)
		if err := e.w.Write(row); err != nil {
			return err
		}
	}
	return e.w.Error()
}

// Close writes the header if no record came, and flushes.
func (e *CSVEncoder) Close() error {
	if !e.header {
		e.header = true
		if err := e.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	e.w.Flush()
	return e.w.Error()
}

func intOrEmpty(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// scope reads the guideline's alias "single" as incident.
func scope(s string) string {
	if s == "single" {
		return "incident"
	}
	return s
}

// CasualtiesHeader is the first row of the casualties format.
var CasualtiesHeader = []string{"document", "title", "outlet", "published", "incident", "text", "kind", "low", "high",
	"qualifier", "victims", "claimant", "scope", "sentence", "best", "adjudicated_low", "adjudicated_high"}

// CasualtiesEncoder writes one row per CASUALTY span, for analysts in spreadsheets.
// incident names the stored incident whose events the figure belongs to, and best,
// adjudicated_low and adjudicated_high give the reviewer's adjudication in effect for the
// figure's kind; they are empty for figures in no incident or not yet adjudicated.
//
// Formula injection: a spreadsheet runs a cell that starts with = + - @ (and some run
// TAB or CR led cells too), so article text like "=HYPERLINK(...)" or "-2+3" would be
// evaluated. Every cell starting with one of = + - @ TAB CR gets a leading apostrophe,
// which spreadsheets hide and treat as "this is text" (the OWASP CSV-injection advice).
// The guideline documents this; strip one leading ' to get the raw text back, or export
// with Config.Raw (--raw) to get the cells as they are.
type CasualtiesEncoder struct {
	w      *csv.Writer
	cfg    Config
	header bool
	row    []string
}

// NewCasualtiesEncoder returns an encoder writing to w.
func NewCasualtiesEncoder(w io.Writer, cfg Config) *CasualtiesEncoder {
	return &CasualtiesEncoder{w: csv.NewWriter(w), cfg: cfg, row: make([]string, len(CasualtiesHeader))}
}

// neutraliseRow neutralises every cell of row in place, unless raw.
func neutraliseRow(row []string, raw bool) {
	if raw {
		return
	}
	for k := range row {
		row[k] = Neutralise(row[k])
	}
}

// Neutralise returns cell with a leading apostrophe when a spreadsheet would read it as
// a formula.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

func (e *CasualtiesEncoder) writeHeader() error {
	if e.header {
		return nil
	}
	e.header = true
	return e.w.Write(CasualtiesHeader)
}

// Encode writes a row per CASUALTY span of the record.
func (e *CasualtiesEncoder) Encode(r *Record) error {
	if err := e.writeHeader(); err != nil {
		return err
	}
	for i := range r.Spans {
		s := &r.Spans[i]
		if s.Label != "CASUALTY" {
			continue
		}
		c, _ := r.Casualty(s)
		ss, se := r.Sentence(s.Start)
		if se < s.End {
			se = s.End // a figure cut by a sentence boundary keeps its whole sentence
		}
		inc, best, low, high := e.cfg.incidents.figure(s.ID, c.Kind)
		row := append(e.row[:0], docName(r.Doc), r.Doc.Title, r.Doc.Source, r.Doc.Published, inc,
			s.Text, c.Kind, intOrEmpty(c.Low), intOrEmpty(c.High), c.Qualifier,
			strings.Join(c.Victims, ";"), r.ClaimantText(c), scope(c.Scope),
			strings.TrimSpace(r.Slice(ss, se)), best, low, high)
		neutraliseRow(row, e.cfg.Raw)
		if err := e.w.Write(row); err != nil {
			return err
		}
	}
	return e.w.Error()
}

// Close writes the header if no record came, and flushes.
func (e *CasualtiesEncoder) Close() error {
	if err := e.writeHeader(); err != nil {
		return err
	}
	e.w.Flush()
	return e.w.Error()
}
