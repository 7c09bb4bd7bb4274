package incident

import (
	"context"

	"evident/annotate"
)

// Proposals are proposed incidents with the events they were made from, so an accepted
// proposal can be described (FromProposal) without reading the documents again.
type Proposals struct {
	List   []annotate.IncidentProposal
	Events map[int64]EventInfo // by event id
}

// ProposeStored describes every stored event not yet in an incident (over accepted and
// suggested spans) and proposes incidents, leaving out the pairs reviewers rejected. The
// CLI (`evident incidents --propose`) and the review window both call it.
func ProposeStored(ctx context.Context, st annotate.Store, is annotate.IncidentStore) (Proposals, error) {
	return ProposeStoredProgress(ctx, st, is, nil)
}

// ProposeStoredProgress is ProposeStored that reports how far it is: stage "reading"
// counts documents read, stage "comparing" events compared (done of total).
func ProposeStoredProgress(ctx context.Context, st annotate.Store, is annotate.IncidentStore, progress func(stage string, done, total int)) (Proposals, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	incs, err := is.ListIncidents(ctx, annotate.IncidentFilter{})
	if err != nil {
		return Proposals{}, err
	}
	linked := map[int64]bool{}
	for _, inc := range incs {
		for _, e := range inc.Events {
			linked[e.EventID] = true
		}
	}
	rejected, err := is.RejectedPairs(ctx)
	if err != nil {
		return Proposals{}, err
	}
	var infos []EventInfo
	f := annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusAccepted, annotate.StatusSuggested}}}
	read := 0
	err = st.EachDocument(ctx, f, func(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		read++
		progress("reading", read, 0)
		for _, e := range EventsOf(d, spans, events) {
			if !linked[e.Ref.EventID] {
				infos = append(infos, e)
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return Proposals{}, err
	}
	byID := make(map[int64]EventInfo, len(infos))
	for _, e := range infos {
		byID[e.Ref.EventID] = e
	}
	list, err := ProposeContext(ctx, infos, Options{Rejected: rejected, Progress: func(done, total int) { progress("comparing", done, total) }})
	if err != nil {
		return Proposals{}, err
	}
	return Proposals{List: list, Events: byID}, nil
}

// FromProposal turns a proposal into a new incident named from its events.
func (ps Proposals) FromProposal(p annotate.IncidentProposal) annotate.Incident {
	evs := make([]EventInfo, 0, len(p.Events))
	for _, r := range p.Events {
		evs = append(evs, ps.Events[r.EventID])
	}
	inc := Describe(evs, nil)
	inc.Events = p.Events
	return inc
}
