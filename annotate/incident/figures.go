// Package incident is the domain logic of incidents: casualty figures read from spans,
// disputes between them, and proposals to link events from different documents into one
// incident. Everything here is a pure function of its arguments: no SQL, no GUI.
package incident

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"evident/annotate"
)

// FiguresOf reads the CASUALTY spans of doc as figures, in span order, each with the
// sentence around it. Spans of other labels, rejected spans and spans whose attributes
// are not a casualty reading are skipped. A span that crosses a sentence boundary gets
// the sentences it touches.
func FiguresOf(doc *annotate.Document, spans []annotate.Span) []annotate.Figure {
	var sents *sentences // built on the first figure
	var figs []annotate.Figure
	for _, s := range spans {
		if s.Label != "CASUALTY" || s.Status == annotate.StatusRejected || len(s.Attrs) == 0 {
			continue
		}
		var c annotate.Casualty
		if err := json.Unmarshal(s.Attrs, &c); err != nil {
			continue // not a casualty reading; the span still shows in the document
		}
		if c.Scope == "single" { // accepted alias, as the guideline says
			c.Scope = "incident"
		}
		if sents == nil {
			sents = sentencesOf(doc.Text)
		}
		f := annotate.Figure{
			DocID: doc.ID, SpanID: s.ID, DocExternalID: doc.ExternalID, DocTitle: doc.Title,
			Outlet: doc.Source, Published: doc.Published,
			Kind: c.Kind, Low: c.Low, High: c.High, Qualifier: c.Qualifier,
			Victims: c.Victims, Claimant: c.Claimant, ClaimantText: c.ClaimantText, Scope: c.Scope,
			Text: s.Text, Start: s.Start, End: s.End, Status: s.Status, Annotator: s.Annotator,
		}
		if f.ClaimantText == "" && c.Claimant != 0 {
			f.ClaimantText = claimantText(doc.Text, spans, c.Claimant)
		}
		f.Sentence, f.SentStart, f.SentEnd = sents.around(doc.Text, s.Start, s.End)
		if f.Scope != "cumulative" && s.Status != annotate.StatusAccepted && risesTo(f.Sentence, f.SentStart) {
			f.Scope = "cumulative" // "the death toll rose to 31": a running total
		}
		if f.Text == "" {
			f.Text = runeSlice(doc.Text, s.Start, s.End)
		}
		figs = append(figs, f)
	}
	return figs
}

// ForEvents keeps the figures that are casualties arguments of the given events, each
// once, in the order of figs: the figures of an incident.
func ForEvents(figs []annotate.Figure, events []annotate.Event) []annotate.Figure {
	want := map[int64]bool{}
	for _, e := range events {
		for _, a := range e.Args {
			if a.Role == "casualties" {
				want[a.SpanID] = true
			}
		}
	}
	var out []annotate.Figure
	for _, f := range figs {
		if want[f.SpanID] {
			out = append(out, f)
			delete(want, f.SpanID)
		}
	}
	return out
}

func claimantText(text string, spans []annotate.Span, id int64) string {
	for _, s := range spans {
		if s.ID == id {
			if s.Text != "" {
				return s.Text
			}
			return runeSlice(text, s.Start, s.End)
		}
	}
	return ""
}

// sentences holds where UAX #29 sentences start, in code points and in bytes, with the
// text's length appended to both.
type sentences struct {
	runes, bytes []int
}

func sentencesOf(text string) *sentences {
	ss := &sentences{runes: []int{0}, bytes: []int{0}}
	r, b, state, rest := 0, 0, -1, text
	for len(rest) > 0 {
		var sent string
		sent, rest, state = uniseg.FirstSentenceInString(rest, state)
		r += utf8.RuneCountInString(sent)
		b += len(sent)
		ss.runes = append(ss.runes, r)
		ss.bytes = append(ss.bytes, b)
	}
	if len(ss.runes) == 1 {
		ss.runes, ss.bytes = append(ss.runes, 0), append(ss.bytes, 0)
	}
	return ss
}

// around returns the sentence(s) covering [start, end) with surrounding space trimmed,
// and the span's offsets inside it.
func (ss *sentences) around(text string, start, end int) (string, int, int) {
	last := len(ss.runes) - 1
	n := ss.runes[last]
	start, end = max(0, min(start, n)), max(0, min(end, n))
	i := max(sort.SearchInts(ss.runes[:last], start+1)-1, 0) // last sentence start <= start
	j := min(max(sort.SearchInts(ss.runes, end), i+1), last) // first start >= end
	// UAX #29 breaks after abbreviations such as "Dr." before a capital; join such a
	// sentence with the next one so the context reads as written.
	for i > 0 && endsWithAbbrev(text[ss.bytes[i-1]:ss.bytes[i]]) {
		i--
	}
	for j < last && endsWithAbbrev(text[ss.bytes[j-1]:ss.bytes[j]]) {
		j++
	}
	sent := text[ss.bytes[i]:ss.bytes[j]]
	trimmed := strings.TrimLeftFunc(sent, unicode.IsSpace)
	lead := utf8.RuneCountInString(sent) - utf8.RuneCountInString(trimmed)
	s0 := ss.runes[i] + lead
	sent = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	// a span that begins or ends in the trimmed space is cut to the sentence
	n = utf8.RuneCountInString(sent)
	return sent, min(max(start-s0, 0), n), min(max(end-s0, 0), n)
}

// abbrevs are titles and short forms that end with a full stop inside a sentence.
var abbrevs = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "prof": true, "gen": true, "col": true,
	"lt": true, "maj": true, "capt": true, "sgt": true, "st": true, "rev": true, "sen": true,
	"rep": true, "gov": true, "jr": true, "sr": true, "no": true, "vs": true, "brig": true,
}

// endsWithAbbrev reports whether a sentence ends with "Dr." or an initial such as "U.S.".
func endsWithAbbrev(sent string) bool {
	sent = strings.TrimRightFunc(sent, unicode.IsSpace)
	if !strings.HasSuffix(sent, ".") {
		return false
	}
	w := sent[:len(sent)-1]
	if k := strings.LastIndexFunc(w, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == '"' }); k >= 0 {
		w = w[k+1:]
	}
	if abbrevs[strings.ToLower(w)] {
		return true
	}
	// initials: "U.S", "J" (from "J. Smith")
	r, size := utf8.DecodeLastRuneInString(w)
	return unicode.IsUpper(r) && (len(w) == size || w[len(w)-size-1] == '.')
}

// runeSlice returns text[start:end] in code points, clamped to the text.
func runeSlice(text string, start, end int) string {
	b0, b1, i := len(text), len(text), 0
	for bi := range text {
		if i == start {
			b0 = bi
		}
		if i == end {
			b1 = bi
			break
		}
		i++
	}
	if b0 > b1 {
		return ""
	}
	return text[b0:b1]
}

// kindOrder sorts known kinds in the guideline's order, unknown ones after, by name.
func kindOrder(a, b string) int {
	ia, ib := slices.Index(annotate.CasualtyKinds, a), slices.Index(annotate.CasualtyKinds, b)
	if ia < 0 {
		ia = len(annotate.CasualtyKinds)
	}
	if ib < 0 {
		ib = len(annotate.CasualtyKinds)
	}
	if ia != ib {
		return ia - ib
	}
	return strings.Compare(a, b)
}

// risesTo reports whether the words just before code point at in sent say a running
// total grew ("the death toll rose to", "has climbed to"). An annotator's accepted
// scope is never overridden; this reads suggested figures only.
func risesTo(sent string, at int) bool {
	before := strings.ToLower(strings.TrimSpace(runeSlice(sent, max(0, at-40), at)))
	for _, v := range []string{"rose to", "risen to", "rises to", "climbed to", "climbs to", "increased to", "jumped to", "reached", "mounted to", "toll of"} {
		if strings.HasSuffix(before, v) && (v != "toll of" || strings.Contains(before, "rising") || strings.Contains(before, "new")) {
			return true
		}
	}
	return false
}
