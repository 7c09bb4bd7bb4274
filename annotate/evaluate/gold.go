package evaluate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"evident/annotate"
)

// Gold is one annotated document: its text and publication date, and the reference spans
// and events as a Draft (events and claimants refer to spans by index).
type Gold struct {
	ID        string
	Title     string
	Published string
	Text      string
	Draft     annotate.Draft
}

// goldLine is the JSONL document format of the team guideline (also the import format).
type goldLine struct {
	ID        string          `json:"id"`
	Title     string          `json:"title"`
	Published string          `json:"published"`
	Text      string          `json:"text"`
	Spans     []goldSpan      `json:"spans"`
	Label     [][3]any        `json:"label"` // doccano: [[start, end, "LABEL"], ...]
	Events    []goldEvent     `json:"events"`
	Meta      json.RawMessage `json:"meta"`
}

type goldSpan struct {
	Start int             `json:"start"`
	End   int             `json:"end"`
	Label string          `json:"label"`
	Text  string          `json:"text"`
	Attrs json.RawMessage `json:"attrs"`
}

type goldEvent struct {
	Type    string           `json:"type"`
	Trigger int              `json:"trigger"`
	Args    map[string][]int `json:"args"`
}

// ReadGoldFile reads gold documents from a JSONL file.
func ReadGoldFile(path string) ([]Gold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	defer f.Close()
	golds, err := ReadGold(f)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %s: %w", path, err)
	}
	return golds, nil
}

// ReadGold reads gold documents, one JSON object per line. Spans are checked against the
// text (code point offsets); a CASUALTY's "claimant" attribute is an index into the
// document's spans and becomes an entry of Draft.Claimants.
func ReadGold(r io.Reader) ([]Gold, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	var out []Gold
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var g goldLine
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "line %d: %v", line, err)
		}
		doc, err := g.gold()
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, doc)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gold: %w", err)
	}
	return out, nil
}

func (g *goldLine) gold() (Gold, error) {
	n := annotate.RuneLen(g.Text)
	out := Gold{ID: g.ID, Title: g.Title, Published: g.Published, Text: g.Text}
	spans := g.Spans
	for _, l := range g.Label {
		s, ok1 := l[0].(float64)
		e, ok2 := l[1].(float64)
		lab, ok3 := l[2].(string)
		if !ok1 || !ok2 || !ok3 {
			return out, annotate.Errorf(annotate.EInvalid, "doc %s: bad doccano label %v", g.ID, l)
		}
		spans = append(spans, goldSpan{Start: int(s), End: int(e), Label: lab})
	}
	o := annotate.NewOffsets(g.Text)
	for i, s := range spans {
		if err := annotate.CheckSpan(n, s.Start, s.End); err != nil {
			return out, fmt.Errorf("doc %s span %d: %w", g.ID, i, err)
		}
		text, _ := o.Slice(g.Text, s.Start, s.End)
		sp := annotate.Span{Start: s.Start, End: s.End, Label: s.Label, Text: text, Status: annotate.StatusAccepted, Origin: annotate.OriginImport}
		if len(s.Attrs) > 0 && string(s.Attrs) != "null" {
			sp.Attrs = s.Attrs
			if s.Label == "CASUALTY" {
				var c struct {
					Claimant *int `json:"claimant"`
				}
				if err := json.Unmarshal(s.Attrs, &c); err == nil && c.Claimant != nil {
					if *c.Claimant < 0 || *c.Claimant >= len(spans) {
						return out, annotate.Errorf(annotate.EInvalid, "doc %s span %d: claimant %d is not a span index", g.ID, i, *c.Claimant)
					}
					if out.Draft.Claimants == nil {
						out.Draft.Claimants = map[int]int{}
					}
					out.Draft.Claimants[i] = *c.Claimant
				}
			}
		}
		out.Draft.Spans = append(out.Draft.Spans, sp)
	}
	for k, e := range g.Events {
		if e.Trigger < 0 || e.Trigger >= len(spans) {
			return out, annotate.Errorf(annotate.EInvalid, "doc %s event %d: trigger %d is not a span index", g.ID, k, e.Trigger)
		}
		de := annotate.DraftEvent{Type: e.Type, Trigger: e.Trigger, Origin: annotate.OriginImport}
		for role, idx := range e.Args {
			for _, x := range idx {
				if x < 0 || x >= len(spans) {
					return out, annotate.Errorf(annotate.EInvalid, "doc %s event %d: %s argument %d is not a span index", g.ID, k, role, x)
				}
				de.Args = append(de.Args, annotate.DraftArg{Role: role, Span: x})
			}
		}
		out.Draft.Events = append(out.Draft.Events, de)
	}
	return out, nil
}
