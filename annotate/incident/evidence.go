package incident

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"evident/annotate"
)

// docContext is what every event of one report shares: the places it names outside
// any event, its dateline and headline names, and its content words.
type docContext struct {
	places []string
	words  []string
}

func newDocContext(doc *annotate.Document, spans []annotate.Span) docContext {
	var dc docContext
	for i := range spans {
		s := &spans[i]
		if s.Label != "LOCATION" || s.Status == annotate.StatusRejected {
			continue
		}
		text := s.Text
		if text == "" {
			text = runeSlice(doc.Text, s.Start, s.End)
		}
		dc.places = appendName(dc.places, text, attr(s.Attrs, "name"))
	}
	if dl := dateline(doc.Text); dl != "" {
		dc.places = appendName(dc.places, dl, "")
	}
	for _, n := range capitalNames(doc.Title, doc.Text) {
		// a headline name counts when the body writes it too: "LIVE" or an outlet's
		// name in a headline names no place
		if strings.Contains(doc.Text, n) {
			dc.places = appendName(dc.places, n, "")
		}
	}
	if len(dc.places) == 0 {
		// nothing found by the suggester: a report in another language, say. Its
		// capitalised names (other than at a sentence start) stand in for places.
		for _, n := range capitalNames(doc.Text, "") {
			dc.places = appendName(dc.places, n, "")
		}
	}
	dc.words = contentWords(doc.Title+" "+doc.Text, 64)
	return dc
}

func (dc *docContext) fill(ev *EventInfo) {
	for _, p := range dc.places {
		if !slices.Contains(ev.Places, p) {
			ev.DocPlaces = append(ev.DocPlaces, p)
		}
	}
	ev.Words = dc.words
}

// dateline returns the place of a wire dateline at the start of a text ("TESSALY,
// Region (Agency) —" gives "TESSALY"), or "".
func dateline(text string) string {
	head, _, ok := strings.Cut(text, "\n")
	if !ok {
		head = text
	}
	end := strings.IndexAny(head, ",—(")
	if end <= 0 || end > 60 {
		return ""
	}
	if !strings.Contains(head[:min(len(head), 120)], "—") && !strings.Contains(head[:min(len(head), 120)], " - ") {
		return ""
	}
	name := strings.TrimSpace(head[:end])
	if name == "" || strings.ToUpper(name) != name || strings.ToLower(name) == name {
		return "" // a dateline is written in capitals
	}
	return name
}

// headWord is the last word of a phrase, lower case: "the Tessaly bus station" ->
// "station", "a car bomb" -> "bomb".
func headWord(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(f) == 0 {
		return ""
	}
	w := f[len(f)-1]
	if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		w = w[:len(w)-1] // "shells" ~ "shell"
	}
	return w
}

// stopWords are frequent words of reports that say nothing about which incident.
var stopWords = map[string]bool{
	"said": true, "that": true, "with": true, "were": true, "when": true, "from": true,
	"have": true, "been": true, "their": true, "there": true, "which": true, "after": true,
	"they": true, "this": true, "people": true, "killed": true, "least": true, "also": true,
	"told": true, "into": true, "about": true, "other": true, "others": true, "would": true,
}

// contentWords returns up to n distinct lower-case words of at least four letters,
// sorted.
func contentWords(s string, n int) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) < 4 || stopWords[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
		if len(out) == n {
			break
		}
	}
	slices.Sort(out)
	return out
}

// overlap is the Jaccard similarity of two sorted word lists.
func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, common := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch strings.Compare(a[i], b[j]) {
		case 0:
			common++
			i++
			j++
		case -1:
			i++
		default:
			j++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

func dayAdd(d string, n int) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}
