package docview

import (
	"bytes"
	"container/heap"
	"slices"
	"sort"

	"evident/annotate"
)

// spanIndex holds the visible spans in reading order (start, then end, then id) with
// what drawing and navigation need: a prefix maximum of ends for overlap queries and a
// nesting level per span so overlapping spans get their own underline.
type spanIndex struct {
	spans  []annotate.Span // visible spans, sorted
	maxEnd []int           // maxEnd[i] = max End of spans[0..i]
	level  []int           // underline depth: distinct for spans that overlap
	byID   map[int64]int   // id -> index in spans
}

func spanLess(a, b *annotate.Span) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End < b.End
	}
	return a.ID < b.ID
}

// newSpanIndex keeps the spans that are shown (rejected ones only if showRejected),
// dropping any that do not fit a text of n code points.
func newSpanIndex(all []annotate.Span, n int, showRejected bool) spanIndex {
	ix := spanIndex{byID: make(map[int64]int, len(all))}
	// Sort indices, not the spans themselves: a Span is large and full of pointers,
	// and moving 20,000 of them through a sort costs more than the rest of opening.
	keep := make([]int32, 0, len(all))
	for i := range all {
		s := &all[i]
		if s.Status == annotate.StatusRejected && !showRejected {
			continue
		}
		if s.Start < 0 || s.End > n || s.Start >= s.End {
			continue
		}
		keep = append(keep, int32(i))
	}
	slices.SortFunc(keep, func(a, b int32) int {
		sa, sb := &all[a], &all[b]
		switch {
		case spanLess(sa, sb):
			return -1
		case spanLess(sb, sa):
			return 1
		}
		return 0
	})
	ix.spans = make([]annotate.Span, len(keep))
	for i, k := range keep {
		ix.spans[i] = all[k]
	}
	ix.maxEnd = make([]int, len(ix.spans))
	m := 0
	for i, s := range ix.spans {
		ix.byID[s.ID] = i
		if s.End > m {
			m = s.End
		}
		ix.maxEnd[i] = m
	}
	ix.level = assignLevels(ix.spans)
	return ix
}

// assignLevels colours the interval graph greedily: outer spans come first at equal
// starts, so they take the shallow levels and the spans nested in them go deeper.
func assignLevels(spans []annotate.Span) []int {
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		sa, sb := &spans[order[a]], &spans[order[b]]
		if sa.Start != sb.Start {
			return sa.Start < sb.Start
		}
		return sa.End > sb.End
	})
	level := make([]int, len(spans))
	active := &endHeap{}
	var free freeLevels
	next := 0
	for _, i := range order {
		for active.Len() > 0 && (*active)[0].end <= spans[i].Start {
			e := heap.Pop(active).(activeSpan)
			heap.Push(&free, e.level)
		}
		var l int
		if free.Len() > 0 {
			l = heap.Pop(&free).(int)
		} else {
			l = next
			next++
		}
		level[i] = l
		heap.Push(active, activeSpan{end: spans[i].End, level: l})
	}
	return level
}

type activeSpan struct{ end, level int }

type endHeap []activeSpan

func (h endHeap) Len() int           { return len(h) }
func (h endHeap) Less(i, j int) bool { return h[i].end < h[j].end }
func (h endHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *endHeap) Push(x any)        { *h = append(*h, x.(activeSpan)) }
func (h *endHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type freeLevels []int

func (h freeLevels) Len() int           { return len(h) }
func (h freeLevels) Less(i, j int) bool { return h[i] < h[j] }
func (h freeLevels) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *freeLevels) Push(x any)        { *h = append(*h, x.(int)) }
func (h *freeLevels) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// overlapping calls fn with the index of every span overlapping [s, e), in order.
func (ix *spanIndex) overlapping(s, e int, fn func(i int)) {
	// maxEnd is non-decreasing: skip every prefix whose spans all end at or before s.
	i := sort.Search(len(ix.maxEnd), func(i int) bool { return ix.maxEnd[i] > s })
	for ; i < len(ix.spans) && ix.spans[i].Start < e; i++ {
		if ix.spans[i].End > s {
			fn(i)
		}
	}
}

// innermost returns the index of the shortest span containing offset cp, or -1.
func (ix *spanIndex) innermost(cp int) int {
	best := -1
	ix.overlapping(cp, cp+1, func(i int) {
		s := &ix.spans[i]
		if best < 0 || s.End-s.Start < ix.spans[best].End-ix.spans[best].Start {
			best = i
		}
	})
	return best
}

// firstAtOrAfter returns the index of the first span ordered at or after (start, end).
func (ix *spanIndex) firstAtOrAfter(start, end int) int {
	return sort.Search(len(ix.spans), func(i int) bool {
		s := &ix.spans[i]
		return s.Start > start || s.Start == start && s.End >= end
	})
}

func sameSpan(a, b annotate.Span) bool {
	return a.ID == b.ID && a.DocID == b.DocID && a.Start == b.Start && a.End == b.End &&
		a.Label == b.Label && a.Text == b.Text && a.Status == b.Status && a.Origin == b.Origin &&
		a.Annotator == b.Annotator && bytes.Equal(a.Attrs, b.Attrs) &&
		a.Created.Equal(b.Created) && a.Updated.Equal(b.Updated)
}
