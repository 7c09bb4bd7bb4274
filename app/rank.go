package app

import (
	"sort"
	"strings"

	"github.com/sahilm/fuzzy"

	"evident/annotate"
)

// docTitles adapts a document list to fuzzy.Source without copying titles.
type docTitles []annotate.DocSummary

func (d docTitles) String(i int) string { return d[i].Title }
func (d docTitles) Len() int            { return len(d) }

// RankDocuments returns the indices of docs whose title matches query, best match first.
// An empty (or blank) query keeps every document in its natural order.
func RankDocuments(docs []annotate.DocSummary, query string) []int {
	query = strings.TrimSpace(query)
	if query == "" {
		idx := make([]int, len(docs))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	matches := fuzzy.FindFrom(query, docTitles(docs))
	idx := make([]int, len(matches))
	for i, m := range matches {
		idx[i] = m.Index
	}
	return idx
}

// RankLabels orders the schema's labels for the label picker: recently used labels
// first (most recent first), then the rest in schema order; with a query, labels whose
// name fuzzily matches it, best first, ties kept in that order. A query equal to a
// label's key puts that label first, so typing "8" in the picker finds CASUALTY.
func RankLabels(schema *annotate.Schema, recent []string, query string) []annotate.Label {
	if schema == nil {
		return nil
	}
	var cands []annotate.Label
	seen := map[string]bool{}
	for _, name := range recent {
		if l, ok := schema.Label(name); ok && !seen[name] {
			seen[name] = true
			cands = append(cands, l)
		}
	}
	for _, l := range schema.Labels {
		if !seen[l.Name] {
			seen[l.Name] = true
			cands = append(cands, l)
		}
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return cands
	}
	var out []annotate.Label
	used := map[string]bool{}
	for _, l := range cands {
		if l.Key != "" && strings.EqualFold(l.Key, query) {
			out = append(out, l)
			used[l.Name] = true
		}
	}
	names := make([]string, len(cands))
	for i, l := range cands {
		names[i] = l.Name
	}
	for _, m := range fuzzy.Find(strings.ToUpper(query), names) {
		if l := cands[m.Index]; !used[l.Name] {
			used[l.Name] = true
			out = append(out, l)
		}
	}
	return out
}

// pushRecent puts name at the front of recent, without duplicates, keeping at most max.
func pushRecent(recent []string, name string, max int) []string {
	out := []string{name}
	for _, r := range recent {
		if r != name && len(out) < max {
			out = append(out, r)
		}
	}
	return out
}

// OrderByUncertainty puts the documents whose model suggestions are least certain first
// (u from annotate.UncertaintySource); documents without scored suggestions follow in
// their natural order. order is the current display order.
func OrderByUncertainty(docs []annotate.DocSummary, order []int, u map[int64]float64) []int {
	out := append([]int(nil), order...)
	sort.SliceStable(out, func(i, j int) bool {
		ui, iok := u[docs[out[i]].ID]
		uj, jok := u[docs[out[j]].ID]
		if iok != jok {
			return iok
		}
		return ui > uj
	})
	return out
}
