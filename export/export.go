// Package export writes annotated documents out of Evident in the formats model trainers
// and analysts expect: JSONL, doccano, events, CSV, casualty figures, CoNLL and brat.
//
// Every format is an Encoder over an io.Writer (brat over a FileSink), fed one Record at a
// time, so memory stays bounded by the largest document, never by the corpus. Run is the
// one driver that the CLI (`evident export`) and the GUI's Export dialog both call: it reads
// from a Source, filters, splits into train/dev/test parts and writes each part atomically.
package export

import (
	"context"
	"io"

	"evident/annotate"
)

// Source is what an export reads. annotate.Store satisfies it; tests use a fake.
type Source interface {
	Schema(ctx context.Context) (*annotate.Schema, error)
	// EachDocument streams documents in a stable order with their spans and events.
	EachDocument(ctx context.Context, f annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error
}

// Counter is optionally implemented by a Source that can tell in advance how many
// documents a filter selects, so progress can show a total.
type Counter interface {
	CountDocuments(ctx context.Context, f annotate.ExportFilter) (int, error)
}

// Format names an output format (the CLI's --format).
type Format string

const (
	FormatJSONL      Format = "jsonl"
	FormatDoccano    Format = "doccano"
	FormatEvents     Format = "events"
	FormatCSV        Format = "csv"
	FormatCasualties Format = "casualties"
	FormatCoNLL      Format = "conll"
	FormatBrat       Format = "brat"
)

// Formats lists every format in the order a menu should show them.
var Formats = []Format{FormatJSONL, FormatDoccano, FormatEvents, FormatCSV, FormatCasualties, FormatCoNLL, FormatBrat}

// Ext is the file name extension a format's output gets.
func (f Format) Ext() string {
	switch f {
	case FormatJSONL, FormatDoccano, FormatEvents:
		return ".jsonl"
	case FormatCSV, FormatCasualties:
		return ".csv"
	case FormatCoNLL:
		return ".conll"
	}
	return ""
}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", annotate.Errorf(annotate.EInvalid, "unknown export format %q (want jsonl, doccano, events, csv, casualties, conll or brat)", s)
}

// Unit is an offset convention.
type Unit string

const (
	CodePoints Unit = "codepoints" // Unicode code points: Python, Evident itself, brat
	UTF16      Unit = "utf16"      // UTF-16 code units: JavaScript, Java, C#
	Bytes      Unit = "bytes"      // UTF-8 bytes: C, Rust, Go
)

// ParseUnit checks an --offsets value; "" means code points.
func ParseUnit(s string) (Unit, error) {
	switch Unit(s) {
	case "":
		return CodePoints, nil
	case CodePoints, UTF16, Bytes:
		return Unit(s), nil
	}
	return "", annotate.Errorf(annotate.EInvalid, "unknown offsets %q (want codepoints, utf16 or bytes)", s)
}

// Options say what to export and where. The zero value plus Format and Out is a
// sensible export: accepted spans, code point offsets, one file. Each field is one flag
// of `evident export`, named in its comment.
type Options struct {
	Format Format // --format jsonl|doccano|events|csv|casualties|conll|brat (required)
	// Status is --status accepted (default when "") | suggested | rejected | all.
	Status    string
	Labels    []string // --labels L1,L2: only these labels; empty = all
	Annotator string   // --annotator NAME: only spans made or decided by NAME; "" = any
	DoneOnly  bool     // --done-only: only documents marked done
	DocIDs    []int64  // (GUI "export selected"; no flag) only these documents; empty = all
	Offsets   Unit     // --offsets codepoints (default when "") | utf16 | bytes
	Tokens    bool     // --tokens: jsonl gets the token list with offsets
	// Raw is --raw: csv and casualties cells as they are, for programs; by default cells
	// starting with = + - @ TAB or CR get a leading ' so a spreadsheet does not run them.
	Raw bool
	// Split is --split, e.g. "train=0.8,dev=0.1,test=0.1": one output per part, documents
	// assigned by a hash of Seed and their group key. "" = no split.
	Split string
	Seed  int64 // --seed N
	// GroupKey names the group a document belongs to; a group never straddles parts.
	// nil = DefaultGroupKey (the meta "incident" field, else the text hash). No flag.
	GroupKey func(*annotate.Document) string
	// Out is --out: a file, an existing folder (gets evident.<ext>), for brat a folder or
	// a .zip, or "-" (or "") for Stdout. Stdout output streams as it goes, so it is the
	// one destination a failed export can leave half written.
	Out    string
	Stdout io.Writer // where "-" writes; nil = os.Stdout
}

// Result says what an export wrote.
type Result struct {
	Documents int      // documents written
	Spans     int      // spans written (for conll: kept after overlap resolution)
	Dropped   int      // spans left out of conll because they overlapped a kept span or covered no token
	Files     []string // outputs renamed into place ("-" for stdout), one per split part
}
