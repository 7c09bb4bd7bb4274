package query

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"evident/annotate"
)

// NeedsSpans reports whether Eval needs the document's spans (span hits, has:, no:).
func (q *Query) NeedsSpans() bool {
	if q.SpanQuery() {
		return true
	}
	for _, f := range q.Doc {
		if f.Field == "has" || f.Field == "no" {
			return true
		}
	}
	return false
}

// Eval returns the hits of q in one document, in text order. spans are the document's
// spans (all of them; nil when NeedsSpans is false). It decides every hit: a backend's
// index only chooses which documents to pass.
func (q *Query) Eval(doc *annotate.Document, spans []annotate.Span) []annotate.Hit {
	if !q.docMatches(doc, spans) {
		return nil
	}
	if q.SpanQuery() {
		return q.spanHits(doc, spans)
	}
	f := fold(doc.Text)
	var ranges [][2]int
	for _, t := range q.Terms {
		if t.Negated {
			if len(find(f, t.key, 1)) > 0 {
				return nil
			}
			continue
		}
		occ := find(f, t.key, 0)
		if len(occ) == 0 {
			return nil
		}
		ranges = append(ranges, occ...)
	}
	ctx := newKWIC(doc.Text)
	if len(ranges) == 0 { // only negated terms and document fields: the document is the hit
		return []annotate.Hit{ctx.hit(doc, 0, 0)}
	}
	sort.Slice(ranges, func(i, j int) bool {
		if ranges[i][0] != ranges[j][0] {
			return ranges[i][0] < ranges[j][0]
		}
		return ranges[i][1] > ranges[j][1]
	})
	hits := make([]annotate.Hit, 0, len(ranges))
	last := -1
	for _, r := range ranges {
		if r[0] < last { // overlaps the previous hit (two terms matching one place)
			continue
		}
		hits = append(hits, ctx.hit(doc, r[0], r[1]))
		last = r[1]
	}
	return hits
}

func (q *Query) spanHits(doc *annotate.Document, spans []annotate.Span) []annotate.Hit {
	var hits []annotate.Hit
	var ctx *kwic
	for i := range spans {
		s := &spans[i]
		if !q.spanMatches(s) {
			continue
		}
		if len(q.Terms) > 0 {
			f := fold(s.Text)
			ok := true
			for _, t := range q.Terms {
				if (len(find(f, t.key, 1)) > 0) == t.Negated {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
		}
		if ctx == nil {
			ctx = newKWIC(doc.Text)
		}
		h := ctx.hit(doc, s.Start, s.End)
		h.SpanID, h.Label, h.Status, h.Annotator = s.ID, s.Label, s.Status, s.Annotator
		hits = append(hits, h)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	return hits
}

func (q *Query) spanMatches(s *annotate.Span) bool {
	for _, f := range q.Span {
		if f.matchesSpan(s) == f.Negated {
			return false
		}
	}
	return true
}

func (f *Filter) matchesSpan(s *annotate.Span) bool {
	for _, v := range f.Values {
		switch f.Field {
		case "label":
			if strings.EqualFold(s.Label, v) {
				return true
			}
		case "status":
			if strings.EqualFold(string(s.Status), v) {
				return true
			}
		case "annotator":
			if s.Annotator == v {
				return true
			}
		case "origin":
			if OriginIs(s.Origin, v) {
				return true
			}
		}
	}
	return false
}

// OriginIs reports whether a span's origin belongs to the class the query names:
// import and manual by name, model for origins model or model:…, rule for every other
// suggestion (rule:…, gazetteer:…, learned:…), and any other value by its prefix
// (origin:gazetteer finds gazetteer:actor).
func OriginIs(origin, class string) bool {
	switch strings.ToLower(class) {
	case "import":
		return origin == annotate.OriginImport
	case "manual":
		return origin == annotate.OriginManual
	case "model":
		return isModel(origin)
	case "rule":
		return origin != "" && origin != annotate.OriginImport && origin != annotate.OriginManual && !isModel(origin)
	}
	return origin == class || strings.HasPrefix(origin, class+":")
}

func isModel(origin string) bool { return origin == "model" || strings.HasPrefix(origin, "model:") }

func (q *Query) docMatches(doc *annotate.Document, spans []annotate.Span) bool {
	for _, f := range q.Doc {
		if f.matchesDoc(doc, spans) == f.Negated {
			return false
		}
	}
	return true
}

func (f *Filter) matchesDoc(doc *annotate.Document, spans []annotate.Span) bool {
	for _, v := range f.Values {
		switch f.Field {
		case "doc":
			if n, err := strconv.ParseInt(v, 10, 64); (err == nil && n == doc.ID) || doc.ExternalID == v {
				return true
			}
		case "done":
			if (doc.Status == annotate.DocDone) == strings.EqualFold(v, "yes") {
				return true
			}
		case "has", "no":
			found := false
			for i := range spans {
				if strings.EqualFold(spans[i].Label, v) && spans[i].Status != annotate.StatusRejected {
					found = true
					break
				}
			}
			if found == (f.Field == "has") {
				return true
			}
		}
	}
	return false
}

// kwic cuts the words either side of a hit for keyword-in-context lines.
type kwic struct{ rs []rune }

func newKWIC(text string) *kwic { return &kwic{rs: []rune(text)} }

// contextRunes is how much text either side of a hit is shown, cut back to a word edge.
const contextRunes = 48

func (k *kwic) hit(doc *annotate.Document, start, end int) annotate.Hit {
	start, end = max(0, min(start, len(k.rs))), max(0, min(end, len(k.rs)))
	b := max(0, start-contextRunes)
	if b > 0 {
		for b < start && !unicode.IsSpace(k.rs[b-1]) {
			b++
		}
	}
	a := min(len(k.rs), end+contextRunes)
	if a < len(k.rs) {
		for a > end && !unicode.IsSpace(k.rs[a]) {
			a--
		}
	}
	return annotate.Hit{
		DocID: doc.ID, Title: doc.Title, Start: start, End: end, Text: string(k.rs[start:end]),
		Before: oneLine(string(k.rs[b:start])), After: oneLine(string(k.rs[end:a])),
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
