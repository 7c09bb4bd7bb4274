package query

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Dialect is what SQL needs from a backend: placeholders for its driver, and the
// condition its full-text index offers for a text term (over the loose folding, see
// Loose), or "" when the index cannot narrow by that term.
type Dialect interface {
	// Arg records a value and returns its placeholder (? for SQLite, $n for PostgreSQL).
	Arg(v any) string
	// Text returns a condition on documents d that holds for every document whose loose
	// folded text contains loose; it may hold for others too.
	Text(loose string) string
}

// SQL translates q into a condition on the documents table aliased d (columns id,
// external_id, status) and spans aliased s (doc, label, status, annotator, origin) that
// holds for every document in which q can have a hit. It may hold for more: Eval decides.
// The condition is portable SQL (EXISTS, IN, upper, substr) so SQLite and PostgreSQL share
// it; only the full-text part comes from the dialect.
func (q *Query) SQL(d Dialect) string {
	var conds []string
	for _, t := range q.Terms {
		if t.Negated {
			continue // a term that must not appear narrows nothing an index can answer
		}
		if utf8.RuneCountInString(looseString(t.key)) >= MinIndexed {
			if c := d.Text(looseString(t.key)); c != "" {
				conds = append(conds, c)
			}
		}
	}
	for _, f := range q.Doc {
		if c := f.docSQL(d); c != "" {
			conds = append(conds, c)
		}
	}
	if q.SpanQuery() {
		var sc []string
		for _, f := range q.Span {
			c := f.spanSQL(d)
			if f.Negated {
				c = "NOT " + c
			}
			sc = append(sc, c)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM spans s WHERE s.doc = d.id AND "+strings.Join(sc, " AND ")+")")
	}
	if len(conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(conds, " AND ")
}

// MinIndexed is the shortest term (in code points of its loose folding) a trigram index
// can look up; shorter terms are checked by Eval alone.
const MinIndexed = 3

func (f *Filter) docSQL(d Dialect) string {
	var alts []string
	for _, v := range f.Values {
		switch f.Field {
		case "doc":
			// Arguments are recorded in the order their placeholders appear: a dialect
			// that numbers them ($1, $2) depends on it.
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				id := d.Arg(n)
				alts = append(alts, "(d.id = "+id+" OR d.external_id = "+d.Arg(v)+")")
			} else {
				alts = append(alts, "d.external_id = "+d.Arg(v))
			}
		case "done":
			if strings.EqualFold(v, "yes") {
				alts = append(alts, "d.status = 'done'")
			} else {
				alts = append(alts, "d.status <> 'done'")
			}
		case "has", "no":
			c := "EXISTS (SELECT 1 FROM spans s WHERE s.doc = d.id AND upper(s.label) = " + d.Arg(strings.ToUpper(v)) +
				" AND s.status <> 'rejected')"
			if f.Field == "no" {
				c = "NOT " + c
			}
			alts = append(alts, c)
		}
	}
	c := "(" + strings.Join(alts, " OR ") + ")"
	if f.Negated {
		c = "NOT " + c
	}
	return c
}

func (f *Filter) spanSQL(d Dialect) string {
	var alts []string
	for _, v := range f.Values {
		switch f.Field {
		case "label":
			alts = append(alts, "upper(s.label) = "+d.Arg(strings.ToUpper(v)))
		case "status":
			alts = append(alts, "s.status = "+d.Arg(strings.ToLower(v)))
		case "annotator":
			alts = append(alts, "s.annotator = "+d.Arg(v))
		case "origin":
			alts = append(alts, originSQL(d, v))
		}
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// originSQL is OriginIs in SQL.
func originSQL(d Dialect, class string) string {
	model := "(s.origin = 'model' OR substr(s.origin, 1, 6) = 'model:')"
	switch strings.ToLower(class) {
	case "import":
		return "s.origin = 'import'"
	case "manual":
		return "s.origin = 'manual'"
	case "model":
		return model
	case "rule":
		return "(s.origin NOT IN ('', 'import', 'manual') AND NOT " + model + ")"
	}
	prefix := class + ":"
	return "(s.origin = " + d.Arg(class) + " OR substr(s.origin, 1, " + strconv.Itoa(utf8.RuneCountInString(prefix)) +
		") = " + d.Arg(prefix) + ")"
}
