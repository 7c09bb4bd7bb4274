package incident

import (
	"slices"

	"evident/annotate"
)

// SplitProposal splits a proposal by document: the events of the documents in docs
// form one part, the others the rest. Each part that still spans two documents is
// scored and explained again from its own events (infos by event id), with the
// options of the first proposal; a part of one document is no proposal and is left
// out. The parts come back in the order: docs' part, then the rest.
func SplitProposal(p annotate.IncidentProposal, docs []int64, infos map[int64]EventInfo, opts Options) []annotate.IncidentProposal {
	var in, out []annotate.EventRef
	for _, e := range p.Events {
		if slices.Contains(docs, e.DocID) {
			in = append(in, e)
		} else {
			out = append(out, e)
		}
	}
	var parts []annotate.IncidentProposal
	for _, evs := range [][]annotate.EventRef{in, out} {
		if len((&annotate.Incident{Events: evs}).DocIDs()) < 2 {
			continue
		}
		part := annotate.IncidentProposal{Events: evs}
		var ei []EventInfo
		for _, e := range evs {
			if info, ok := infos[e.EventID]; ok {
				ei = append(ei, info)
			}
		}
		// the part's own evidence; a reviewer's split is taken as given even when the
		// part's links fall below the threshold, so score it with none
		o := opts
		o.MinScore = 1e-9
		if ps := Propose(ei, o); len(ps) > 0 {
			part.Score, part.Reasons = ps[0].Score, ps[0].Reasons
		}
		parts = append(parts, part)
	}
	return parts
}
