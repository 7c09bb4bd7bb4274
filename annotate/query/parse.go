// Package query is Evident's search language: a parser with column-exact errors, the
// folding that makes search work in any script, a matcher over code point offsets, and a
// backend-neutral evaluator. Backends (annotate/sqlite, a PostgreSQL store) narrow the
// documents to read with their own index (see SQL) and let Eval decide every hit, so all
// backends give the same results on the same data.
//
// The language, as the README and the window's help give it:
//
//	word "a phrase"      text that must appear (all terms must match)
//	-word -"phrase"      text that must not appear
//	label:DEATH          spans with that label (label:DEATH|INJURY for either)
//	status:accepted      spans accepted, suggested or rejected
//	annotator:NAME       spans made or decided by NAME
//	origin:rule          spans from the rule engine, a model, an import, or manual work
//	doc:ID               one document (its number or its imported id)
//	done:yes, done:no    documents marked done, or not
//	has:CASUALTY         documents with a (not rejected) span of that label
//	no:LOCATION          documents without one
//
// When a query names a span field (label, status, annotator, origin), every hit is a span
// and its text terms must appear in the span's text: label:DEATH "civilians" finds DEATH
// spans that say "civilians". Otherwise hits are places in the documents' text. Any
// clause can be negated with a leading minus (-label:TIME, -done:yes).
package query

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is a parsed query.
type Query struct {
	Terms []Term   // text that must (or, negated, must not) appear
	Span  []Filter // label, status, annotator, origin: conditions on spans
	Doc   []Filter // doc, done, has, no: conditions on documents
}

// Term is a word or phrase of the query.
type Term struct {
	Text    string // as typed (without quotes)
	Negated bool
	Pos     int // column (1-based, in code points) where the clause starts
	key     []unit
}

// Filter is a field:value clause. Values holds the alternatives of value1|value2.
type Filter struct {
	Field   string
	Values  []string
	Negated bool
	Pos     int
}

// SpanQuery reports whether hits are spans (the query names a span field).
func (q *Query) SpanQuery() bool { return len(q.Span) > 0 }

// Error is a query that does not parse: the column (1-based, in code points) of the
// mistake and what was expected there.
type Error struct {
	Column int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("column %d: %s", e.Column, e.Msg) }

// Fields lists the field names in the order the help gives them.
var Fields = []string{"label", "status", "annotator", "origin", "doc", "done", "has", "no"}

func spanField(f string) bool {
	return f == "label" || f == "status" || f == "annotator" || f == "origin"
}

// Parse parses a query. An empty query is an error: it would match everything.
func Parse(s string) (*Query, error) {
	if !utf8.ValidString(s) {
		return nil, &Error{1, "the query is not valid UTF-8"}
	}
	p := &parser{rs: []rune(s)}
	q := &Query{}
	for {
		p.space()
		if p.i >= len(p.rs) {
			break
		}
		if err := p.clause(q); err != nil {
			return nil, err
		}
	}
	if len(q.Terms) == 0 && len(q.Span) == 0 && len(q.Doc) == 0 {
		return nil, &Error{1, "expected a word, a \"phrase\" or a field such as label:DEATH"}
	}
	return q, nil
}

type parser struct {
	rs []rune
	i  int
}

func (p *parser) space() {
	for p.i < len(p.rs) && unicode.IsSpace(p.rs[p.i]) {
		p.i++
	}
}

func (p *parser) clause(q *Query) error {
	start := p.i
	neg := false
	if p.rs[p.i] == '-' {
		neg = true
		p.i++
		if p.i >= len(p.rs) || unicode.IsSpace(p.rs[p.i]) || p.rs[p.i] == '-' {
			return &Error{p.i + 1, "expected a word, a \"phrase\" or a field after -"}
		}
	}
	if p.rs[p.i] == '"' {
		text, err := p.phrase()
		if err != nil {
			return err
		}
		return addTerm(q, text, neg, start+1)
	}
	wstart := p.i
	for p.i < len(p.rs) && !unicode.IsSpace(p.rs[p.i]) && p.rs[p.i] != '"' {
		p.i++
	}
	word := string(p.rs[wstart:p.i])
	name, _, hasColon := strings.Cut(word, ":")
	if !hasColon || !isFieldName(name) {
		if p.i < len(p.rs) && p.rs[p.i] == '"' {
			return &Error{p.i + 1, "expected a space before the phrase"}
		}
		return addTerm(q, word, neg, start+1)
	}
	field := strings.ToLower(name)
	if !known(field) {
		return &Error{wstart + 1, fmt.Sprintf("unknown field %q; expected one of %s (put text with a colon in quotes)",
			name, strings.Join(Fields, ", "))}
	}
	vstart := wstart + utf8.RuneCountInString(name) + 1
	var value string
	if p.i == vstart && p.i < len(p.rs) && p.rs[p.i] == '"' {
		v, err := p.phrase()
		if err != nil {
			return err
		}
		value = v
	} else {
		value = string(p.rs[vstart:p.i])
	}
	f, err := makeFilter(field, value, neg, start+1, vstart+1)
	if err != nil {
		return err
	}
	if spanField(field) {
		q.Span = append(q.Span, f)
	} else {
		q.Doc = append(q.Doc, f)
	}
	return nil
}

// phrase reads "..." at p.i.
func (p *parser) phrase() (string, error) {
	open := p.i
	p.i++
	end := p.i
	for end < len(p.rs) && p.rs[end] != '"' {
		end++
	}
	if end >= len(p.rs) {
		return "", &Error{open + 1, `expected a closing " for the phrase opened here`}
	}
	text := string(p.rs[p.i:end])
	p.i = end + 1
	if p.i < len(p.rs) && !unicode.IsSpace(p.rs[p.i]) {
		return "", &Error{p.i + 1, `expected a space after the closing "`}
	}
	return text, nil
}

func addTerm(q *Query, text string, neg bool, pos int) error {
	key := foldQuery(text)
	if len(key) == 0 {
		return &Error{pos, "expected text to search for (this term has no letters, digits or signs)"}
	}
	q.Terms = append(q.Terms, Term{Text: text, Negated: neg, Pos: pos, key: key})
	return nil
}

// isFieldName: a run of ASCII letters, as a field name is; anything else with a colon
// (10:30, http://…) is text.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func known(f string) bool {
	for _, k := range Fields {
		if k == f {
			return true
		}
	}
	return false
}

func makeFilter(field, value string, neg bool, pos, vpos int) (Filter, error) {
	if value == "" {
		return Filter{}, &Error{vpos, fmt.Sprintf("expected a value after %s:", field)}
	}
	var vals []string
	col := vpos
	for _, v := range strings.Split(value, "|") {
		if v == "" {
			return Filter{}, &Error{col, fmt.Sprintf("expected a value for %s: (an empty alternative)", field)}
		}
		if err := checkValue(field, v, col); err != nil {
			return Filter{}, err
		}
		vals = append(vals, v)
		col += utf8.RuneCountInString(v) + 1
	}
	return Filter{Field: field, Values: vals, Negated: neg, Pos: pos}, nil
}

func checkValue(field, v string, col int) error {
	switch field {
	case "status":
		switch strings.ToLower(v) {
		case "accepted", "suggested", "rejected":
			return nil
		}
		return &Error{col, fmt.Sprintf("unknown status %q; expected accepted, suggested or rejected", v)}
	case "done":
		switch strings.ToLower(v) {
		case "yes", "no":
			return nil
		}
		return &Error{col, fmt.Sprintf("expected done:yes or done:no, not %q", v)}
	case "doc":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil && strings.TrimSpace(v) == "" {
			return &Error{col, "expected a document number or id"}
		}
	}
	return nil
}
