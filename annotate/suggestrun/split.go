package suggestrun

import "evident/annotate"

// splitDraft splits a draft at code point cut into the part a reader sees first (the
// spans that start before cut, with the arguments of their events and their claimants)
// and the rest. Both are drafts of the same document; the rest repeats the spans of the
// first part that its events and claimants use, which the store finds already stored by
// the run. Storing first and then rest stores exactly what storing d stores.
func splitDraft(d annotate.Draft, cut int) (first, rest annotate.Draft) {
	inFirst := make([]bool, len(d.Spans))
	for i, sp := range d.Spans {
		inFirst[i] = sp.Start < cut
	}
	// Until nothing changes: with the rules one round does (arguments are never
	// triggers), but another suggester's draft may make a trigger an argument.
	for changed := true; changed; {
		changed = false
		mark := func(i int) {
			if !inFirst[i] {
				inFirst[i], changed = true, true
			}
		}
		for _, e := range d.Events {
			if inFirst[e.Trigger] {
				for _, a := range e.Args {
					mark(a.Span)
				}
			}
		}
		for c, src := range d.Claimants {
			if inFirst[c] {
				mark(src)
			}
		}
	}
	restOwns := make([]bool, len(d.Spans)) // triggers whose events are the rest's
	inRest := make([]bool, len(d.Spans))
	for i := range d.Spans {
		restOwns[i], inRest[i] = !inFirst[i], !inFirst[i]
	}
	for _, e := range d.Events {
		if inRest[e.Trigger] {
			for _, a := range e.Args {
				inRest[a.Span] = true
			}
		}
	}
	for c, src := range d.Claimants {
		if inRest[c] {
			inRest[src] = true
		}
	}
	return subDraft(d, inFirst, inFirst), subDraft(d, inRest, restOwns)
}

// subDraft keeps the spans marked in keep, the claimants among them, and the events
// whose trigger is marked in owns.
func subDraft(d annotate.Draft, keep, owns []bool) annotate.Draft {
	idx := make([]int, len(d.Spans))
	var out annotate.Draft
	for i, sp := range d.Spans {
		idx[i] = -1
		if keep[i] {
			idx[i] = len(out.Spans)
			out.Spans = append(out.Spans, sp)
		}
	}
	for c, src := range d.Claimants {
		if idx[c] >= 0 && idx[src] >= 0 {
			if out.Claimants == nil {
				out.Claimants = map[int]int{}
			}
			out.Claimants[idx[c]] = idx[src]
		}
	}
	for _, e := range d.Events {
		if !owns[e.Trigger] {
			continue
		}
		ne := e
		ne.Trigger = idx[e.Trigger]
		ne.Args = make([]annotate.DraftArg, 0, len(e.Args))
		for _, a := range e.Args {
			ne.Args = append(ne.Args, annotate.DraftArg{Role: a.Role, Span: idx[a.Span]})
		}
		out.Events = append(out.Events, ne)
	}
	return out
}
