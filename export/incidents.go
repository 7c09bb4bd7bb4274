package export

import (
	"context"
	"fmt"
	"strconv"

	"evident/annotate"
)

// incidentIndex answers, for the casualties format and the split, which incident a
// casualty figure or a document belongs to. It is built once per export from the store's
// incidents when the source keeps them (annotate.IncidentStore); incidents are few next
// to documents, so holding them does not break the bounded-memory promise.
type incidentIndex struct {
	bySpan map[int64]*annotate.Incident
	byDoc  map[int64]int64
}

func loadIncidents(ctx context.Context, src Source) (*incidentIndex, error) {
	is, ok := src.(annotate.IncidentStore)
	if !ok {
		return nil, nil
	}
	incs, err := is.ListIncidents(ctx, annotate.IncidentFilter{})
	if err != nil {
		return nil, fmt.Errorf("export: read incidents: %w", err)
	}
	idx := &incidentIndex{bySpan: map[int64]*annotate.Incident{}, byDoc: map[int64]int64{}}
	for i := range incs {
		inc := &incs[i]
		for _, f := range inc.Figures {
			idx.bySpan[f.SpanID] = inc
		}
		for _, d := range inc.DocIDs() {
			if _, seen := idx.byDoc[d]; !seen {
				idx.byDoc[d] = inc.ID
			}
		}
	}
	return idx, nil
}

// figure returns the incident cell and the adjudicated best, low and high of a casualty
// span's kind ("" where there is none).
func (x *incidentIndex) figure(spanID int64, kind string) (incident, best, low, high string) {
	if x == nil {
		return
	}
	inc := x.bySpan[spanID]
	if inc == nil {
		return
	}
	incident = strconv.FormatInt(inc.ID, 10)
	if inc.Title != "" {
		incident += ": " + inc.Title
	}
	if a := inc.Adjudicated(kind); a != nil {
		best, low, high = intOrEmpty(a.Best), intOrEmpty(a.Low), intOrEmpty(a.High)
	}
	return
}

// groupKey keeps the documents of one stored incident in one split part, falling back
// to next for documents in no incident.
func (x *incidentIndex) groupKey(next func(*annotate.Document) string) func(*annotate.Document) string {
	if x == nil || len(x.byDoc) == 0 {
		return next
	}
	return func(d *annotate.Document) string {
		if id, ok := x.byDoc[d.ID]; ok {
			return "incident-id:" + strconv.FormatInt(id, 10)
		}
		return next(d)
	}
}
