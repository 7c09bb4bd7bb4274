package query

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"evident/annotate"
)

// Inconsistency is a string annotated unevenly across the database: under several labels,
// or labelled in some documents and left bare (no span over it) in others.
type Inconsistency struct {
	Text     string         `json:"text"`     // as first labelled
	Labels   map[string]int `json:"labels"`   // spans (not rejected) of this string per label
	Labelled int            `json:"labelled"` // documents where it is labelled
	Bare     int            `json:"bare"`     // documents where it appears with no span over it
	BareDocs []int64        `json:"bare_docs,omitempty"`
}

// maxBareDocs bounds the document ids listed per string.
const maxBareDocs = 20

type labelled struct {
	inc  *Inconsistency
	key  []unit
	docs map[int64]bool
	bare map[int64]bool
}

// Inconsistencies reads every document twice: first gathering the strings of spans that
// are not rejected, then finding their other occurrences (whole words, as folded for
// search) that no span covers. Strings are listed most uneven first.
func Inconsistencies(ctx context.Context, st annotate.Store) ([]Inconsistency, error) {
	byKey := map[string]*labelled{}
	err := st.EachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, _ []annotate.Event) error {
		for _, s := range spans {
			if s.Status == annotate.StatusRejected {
				continue
			}
			key := fold(strings.TrimSpace(s.Text)).u
			if len(key) == 0 {
				continue
			}
			k := looseString(key)
			l := byKey[k]
			if l == nil {
				l = &labelled{inc: &Inconsistency{Text: strings.TrimSpace(s.Text), Labels: map[string]int{}}, key: key,
					docs: map[int64]bool{}, bare: map[int64]bool{}}
				byKey[k] = l
			}
			l.inc.Labels[s.Label]++
			l.docs[d.ID] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("consistency: %w", err)
	}
	// Strings by their first two folded characters, to try at each place of a text.
	starts := map[[2]rune][]*labelled{}
	for _, l := range byKey {
		starts[prefix2(l.key, 0)] = append(starts[prefix2(l.key, 0)], l)
	}
	err = st.EachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, _ []annotate.Event) error {
		f := fold(d.Text)
		for i := range f.u {
			if i > 0 && f.u[i-1].at == f.u[i].at {
				continue
			}
			p := prefix2(f.u, i)
			for _, l := range append(starts[p], starts[[2]rune{p[0], 0}]...) {
				if l.bare[d.ID] || !wholeAt(f, l.key, i) {
					continue
				}
				a, b := int(f.u[i].at), f.end(i+len(l.key)-1)
				if !covered(spans, a, b) {
					l.bare[d.ID] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("consistency: %w", err)
	}
	var out []Inconsistency
	for _, l := range byKey {
		if len(l.inc.Labels) < 2 && len(l.bare) == 0 {
			continue
		}
		l.inc.Labelled, l.inc.Bare = len(l.docs), len(l.bare)
		for id := range l.bare {
			l.inc.BareDocs = append(l.inc.BareDocs, id)
		}
		sort.Slice(l.inc.BareDocs, func(i, j int) bool { return l.inc.BareDocs[i] < l.inc.BareDocs[j] })
		if len(l.inc.BareDocs) > maxBareDocs {
			l.inc.BareDocs = l.inc.BareDocs[:maxBareDocs]
		}
		out = append(out, *l.inc)
	}
	sort.Slice(out, func(i, j int) bool {
		si, sj := unevenness(out[i]), unevenness(out[j])
		if si != sj {
			return si > sj
		}
		return out[i].Text < out[j].Text
	})
	return out, nil
}

// unevenness ranks a string: the spans under its less used labels plus its bare documents.
func unevenness(in Inconsistency) int {
	total, top := 0, 0
	for _, n := range in.Labels {
		total += n
		top = max(top, n)
	}
	return total - top + in.Bare
}

func prefix2(u []unit, i int) [2]rune {
	p := [2]rune{u[i].loose, 0}
	if i+1 < len(u) {
		p[1] = u[i+1].loose
	}
	return p
}

// wholeAt reports whether key occurs at unit i of f as whole words: starting and ending
// at word edges, except in scripts matched inside words.
func wholeAt(f folded, key []unit, i int) bool {
	m := len(key)
	if i+m > len(f.u) {
		return false
	}
	for k := 0; k < m; k++ {
		if key[k].loose != f.u[i+k].loose {
			return false
		}
	}
	if anywhere(key[0].strict) {
		return true
	}
	if i > 0 && wordChar(f.u[i-1].strict) {
		return false
	}
	return i+m == len(f.u) || !wordChar(f.u[i+m].strict) || f.u[i+m].at == f.u[i+m-1].at
}

func covered(spans []annotate.Span, a, b int) bool {
	for _, s := range spans {
		if s.Status != annotate.StatusRejected && s.Start <= a && s.End >= b {
			return true
		}
	}
	return false
}
