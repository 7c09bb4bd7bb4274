package annotate

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// GoldAnnotator is the annotator the curated layer is stored under: spans a curator took
// from one annotator's version or another's. It exports like any annotator
// (`evident export --annotator gold`).
const GoldAnnotator = "gold"

// CurationOrigin is the origin of a gold span taken from annotator from's version.
func CurationOrigin(from string) string { return "curation:" + from }

// CuratedFrom returns the annotator a gold span was taken from ("" if origin is not a
// curation origin).
func CuratedFrom(origin string) string {
	from, ok := strings.CutPrefix(origin, "curation:")
	if !ok {
		return ""
	}
	return from
}

// SpanBatchStore changes many spans of one document as one action. annotate/sqlite
// implements it beside Store (callers type-assert a Store to it).
type SpanBatchStore interface {
	// ReplaceSpans deletes the spans remove (with the events they trigger and the
	// arguments they fill, as DeleteSpan does) and adds the spans add, all in document
	// docID, as one action logged under annotator, so one Undo reverts all of it. Each
	// added span keeps its own Annotator (annotator when empty), Status (accepted when
	// empty) and Origin (manual when empty). A CASUALTY claimant naming the ID of another
	// span in add is pointed at that span's new copy. It returns the added spans as
	// stored, in the order of add.
	ReplaceSpans(ctx context.Context, docID int64, remove []int64, add []Span, annotator string) ([]Span, error)
}

// SpanKey identifies a span's range and label: two annotators agree on a span when
// their spans have the same key.
type SpanKey struct {
	Start, End int
	Label      string
}

// KeyOf returns s's key.
func KeyOf(s Span) SpanKey { return SpanKey{s.Start, s.End, s.Label} }

// Versions groups the accepted spans of one document by annotator, leaving out the
// annotators named in skip (typically GoldAnnotator). Each version is in reading order.
func Versions(spans []Span, skip ...string) map[string][]Span {
	out := map[string][]Span{}
	for _, s := range spans {
		if s.Status != StatusAccepted || slices.Contains(skip, s.Annotator) {
			continue
		}
		out[s.Annotator] = append(out[s.Annotator], s)
	}
	for _, v := range out {
		slices.SortStableFunc(v, func(a, b Span) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), cmp.Compare(a.Label, b.Label))
		})
	}
	return out
}

// VersionDiff compares two annotators' versions of one document.
type VersionDiff struct {
	OnlyA, OnlyB []Span // spans whose key the other version lacks
	Both         []Span // A's spans whose key B has too
}

// Agree reports whether the versions have the same spans.
func (d VersionDiff) Agree() bool { return len(d.OnlyA) == 0 && len(d.OnlyB) == 0 }

// Diff compares versions a and b by span key (range and label).
func Diff(a, b []Span) VersionDiff {
	inA := make(map[SpanKey]bool, len(a))
	inB := make(map[SpanKey]bool, len(b))
	for _, s := range a {
		inA[KeyOf(s)] = true
	}
	for _, s := range b {
		inB[KeyOf(s)] = true
	}
	var d VersionDiff
	for _, s := range a {
		if inB[KeyOf(s)] {
			d.Both = append(d.Both, s)
		} else {
			d.OnlyA = append(d.OnlyA, s)
		}
	}
	for _, s := range b {
		if !inA[KeyOf(s)] {
			d.OnlyB = append(d.OnlyB, s)
		}
	}
	return d
}

// Disagreement is a document where annotators' versions differ.
type Disagreement struct {
	DocID      int64
	Title      string
	Annotators []string // with a version of the document, sorted
	Differing  int      // spans in one version and not in another (over all pairs, each span once)
	Gold       int      // gold spans already in the document
}

// Disagreements reports whether annotators disagree on a document, given its spans
// (any status; only accepted ones count): ok is true when at least two annotators other
// than gold have a version and some span is not in every version.
func Disagreements(doc *Document, spans []Span) (Disagreement, bool) {
	vs := Versions(spans, GoldAnnotator)
	d := Disagreement{DocID: doc.ID, Title: doc.Title}
	if d.Title == "" {
		d.Title = doc.ExternalID
	}
	for name := range vs {
		d.Annotators = append(d.Annotators, name)
	}
	slices.Sort(d.Annotators)
	for _, s := range spans {
		if s.Annotator == GoldAnnotator && s.Status == StatusAccepted {
			d.Gold++
		}
	}
	if len(d.Annotators) < 2 {
		return d, false
	}
	count := map[SpanKey]int{}
	for _, name := range d.Annotators {
		seen := map[SpanKey]bool{}
		for _, s := range vs[name] {
			if k := KeyOf(s); !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	for _, n := range count {
		if n < len(d.Annotators) {
			d.Differing++
		}
	}
	return d, d.Differing > 0
}

// GoldCopy returns s as a gold span taken from s.Annotator's version: accepted, under
// GoldAnnotator, origin CurationOrigin(s.Annotator). ID is kept so that ReplaceSpans
// can point claimants at the copies; a claimant not among keep (the IDs of the spans
// copied with it) is dropped, so the gold layer never names a span of another layer.
func GoldCopy(s Span, keep map[int64]bool) Span {
	g := s
	g.Status = StatusAccepted
	g.Annotator = GoldAnnotator
	g.Origin = CurationOrigin(s.Annotator)
	if len(s.Attrs) > 0 {
		var m map[string]json.RawMessage
		if json.Unmarshal(s.Attrs, &m) == nil {
			if raw, ok := m["claimant"]; ok {
				var id int64
				if json.Unmarshal(raw, &id) != nil || !keep[id] {
					delete(m, "claimant")
					if data, err := json.Marshal(m); err == nil {
						g.Attrs = data
					}
				}
			}
		}
	}
	return g
}
