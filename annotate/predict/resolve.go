package predict

import (
	"fmt"
	"sort"
	"strings"

	"evident/annotate"
)

func textHash(s string) string { return annotate.TextHash(s) }

// Units are the offset conventions a model may count in.
const (
	UnitsCodePoints = "codepoints"
	UnitsUTF16      = "utf16"
	UnitsBytes      = "bytes"
)

// ParseUnits accepts the --offsets values.
func ParseUnits(s string) (string, error) {
	switch strings.ToLower(s) {
	case "", "cp", "codepoint", "codepoints", "chars":
		return UnitsCodePoints, nil
	case "utf16", "utf-16":
		return UnitsUTF16, nil
	case "bytes", "byte", "utf8", "utf-8":
		return UnitsBytes, nil
	}
	return "", annotate.Errorf(annotate.EInvalid, "unknown offsets %q (want codepoints, utf16 or bytes)", s)
}

// Mapping maps a model's labels to the project's; labels it does not name pass through.
type Mapping map[string]string

// ParseMapping reads "PER=ACTOR,GPE=LOCATION".
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		from, to, ok := strings.Cut(pair, "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			return nil, annotate.Errorf(annotate.EInvalid, "label mapping %q: want MODEL_LABEL=PROJECT_LABEL", pair)
		}
		if prev, dup := m[from]; dup && prev != to {
			return nil, annotate.Errorf(annotate.EInvalid, "label mapping: %s is mapped to both %s and %s", from, prev, to)
		}
		m[from] = to
	}
	return m, nil
}

// String writes the mapping back as ParseMapping reads it, sorted.
func (m Mapping) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ",")
}

// Map returns the project label for a model label.
func (m Mapping) Map(label string) string {
	if to, ok := m[label]; ok {
		return to
	}
	return label
}

// MappingKey is the setting that keeps a model's label mapping between runs.
func MappingKey(model string) string { return "predict.map." + model }

// Options say how to read a prediction against its document.
type Options struct {
	Units    string          // UnitsCodePoints (default), UnitsUTF16 or UnitsBytes
	Map      Mapping         // model label -> project label
	Known    map[string]bool // the project's labels; spans with others are counted, not kept
	MinScore *float64        // spans scored below it are dropped (unscored spans are kept)
}

// Resolved is a prediction made ready to store.
type Resolved struct {
	Spans    []Span         // code point offsets, project labels
	Unmapped map[string]int // model labels with no project label, and how many spans had them
	Low      int            // spans under the minimum score
}

// Resolve checks a prediction against the document it names and converts its spans to
// code points and project labels. A span out of the text, ending before it starts,
// quoting text that is not at its offsets, or repeated, makes the whole prediction a
// *Problem: a model that gets one offset wrong has likely counted in other units, and
// half its output would mislead.
func Resolve(p *Prediction, doc *annotate.Document, offs *annotate.Offsets, opt Options) (Resolved, error) {
	bad := func(format string, args ...any) error {
		return &Problem{File: p.File, Line: p.Line, DocID: p.DocID, Reason: fmt.Sprintf(format, args...)}
	}
	if p.Err != "" {
		return Resolved{}, bad("the model reported an error: %s", quote([]byte(p.Err)))
	}
	if p.SHA256 != "" && !strings.EqualFold(p.SHA256, doc.SHA256) {
		return Resolved{}, bad("the text the model saw is not the stored text (sha256 %.12s…, stored %.12s…)", p.SHA256, doc.SHA256)
	}
	if offs == nil {
		offs = annotate.NewOffsets(doc.Text)
	}
	res := Resolved{Spans: make([]Span, 0, len(p.Spans))}
	type key struct {
		start, end int
		label      string
	}
	seen := make(map[key]int, len(p.Spans))
	for i, s := range p.Spans {
		start, end, err := toCodePoints(offs, opt.Units, s.Start, s.End)
		if err != nil {
			return Resolved{}, bad("spans[%d] [%d, %d) %s: %v", i, s.Start, s.End, s.Label, err)
		}
		if err := annotate.CheckSpan(offs.Len(), start, end); err != nil {
			return Resolved{}, bad("spans[%d] %s: %v", i, s.Label, err)
		}
		if s.HasText {
			got, _ := offs.Slice(doc.Text, start, end)
			if got != s.Text {
				return Resolved{}, bad("spans[%d] [%d, %d) %s: the model quotes %s but the text there is %s (offsets in other units? see --offsets)",
					i, s.Start, s.End, s.Label, quote([]byte(s.Text)), quote([]byte(got)))
			}
		}
		k := key{start, end, s.Label}
		if j, dup := seen[k]; dup {
			return Resolved{}, bad("spans[%d] [%d, %d) %s repeats spans[%d]", i, s.Start, s.End, s.Label, j)
		}
		seen[k] = i
		label := opt.Map.Map(s.Label)
		if opt.Known != nil && !opt.Known[label] {
			if res.Unmapped == nil {
				res.Unmapped = map[string]int{}
			}
			res.Unmapped[s.Label]++
			continue
		}
		if opt.MinScore != nil && s.Score != nil && *s.Score < *opt.MinScore {
			res.Low++
			continue
		}
		s.Start, s.End, s.Label = start, end, label
		res.Spans = append(res.Spans, s)
	}
	return res, nil
}

func toCodePoints(o *annotate.Offsets, units string, start, end int) (int, int, error) {
	var from func(int) (int, bool)
	switch units {
	case UnitsUTF16:
		from = o.FromUTF16
	case UnitsBytes:
		from = o.FromByte
	default:
		return start, end, nil
	}
	s, ok1 := from(start)
	e, ok2 := from(end)
	switch {
	case start < 0 || end < start:
		return start, end, nil // CheckSpan names it
	case !ok1 || !ok2:
		return 0, 0, fmt.Errorf("offset is outside the text or inside a character in %s units", units)
	}
	return s, e, nil
}
