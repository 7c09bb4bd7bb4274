package sqlite

import (
	"context"
	"fmt"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Store keeps incidents beside annotations (sqlstore/incidents.go).
var _ annotate.IncidentStore = (*Store)(nil)

// ListIncidents returns the incidents that pass f, ordered by id, each filled with its
// events (by document, then event id), figures and adjudications (oldest first), all
// read from one snapshot.
func (s *Store) ListIncidents(ctx context.Context, f annotate.IncidentFilter) ([]annotate.Incident, error) {
	var incs []annotate.Incident
	err := s.readTx(ctx, func(tx txLike) (err error) {
		incs, err = sqlstore.ListIncidents(ctx, sq{tx}, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", mapErr(err))
	}
	return incs, nil
}

// Incident returns one incident, filled as in ListIncidents.
func (s *Store) Incident(ctx context.Context, id int64) (*annotate.Incident, error) {
	var incs []annotate.Incident
	err := s.readTx(ctx, func(tx txLike) (err error) {
		incs, err = sqlstore.Incident(ctx, sq{tx}, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("incident %d: %w", id, mapErr(err))
	}
	if len(incs) == 0 {
		return nil, annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
	}
	return &incs[0], nil
}

// IncidentOf returns the incident an event belongs to, 0 if none.
func (s *Store) IncidentOf(ctx context.Context, ev annotate.EventRef) (int64, error) {
	id, err := sqlstore.IncidentOf(ctx, sq{s.ro}, ev)
	if err != nil {
		return 0, fmt.Errorf("incident of event %d: %w", ev.EventID, mapErr(err))
	}
	return id, nil
}

// CreateIncident makes an incident of the given events with inc's Title, Type, Place and
// Date. Every event must exist and belong to no incident yet.
func (s *Store) CreateIncident(ctx context.Context, inc annotate.Incident, annotator string) (annotate.Incident, error) {
	evs := sqlstore.UniqueRefs(inc.Events)
	if len(evs) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "create incident: no events")
	}
	var id int64
	_, err := s.write(ctx, "create_incident", annotator, func(a *action) error {
		var title string
		var err error
		id, title, err = sqlstore.CreateIncident(shared{a}, inc, evs)
		a.summary = fmt.Sprintf("create incident %q (%d events)", clip(title), len(evs))
		return err
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "create incident", id)
}

// filled reads an incident just written.
func (s *Store) filled(ctx context.Context, what string, id int64) (annotate.Incident, error) {
	inc, err := s.Incident(ctx, id)
	if err != nil {
		return annotate.Incident{}, fmt.Errorf("%s: %w", what, err)
	}
	return *inc, nil
}

// UpdateIncident changes an incident's Title, Type, Place and Date.
func (s *Store) UpdateIncident(ctx context.Context, inc annotate.Incident, annotator string) (annotate.Incident, error) {
	_, err := s.write(ctx, "update_incident", annotator, func(a *action) error {
		return sqlstore.UpdateIncident(shared{a}, inc)
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "update incident", inc.ID)
}

// DeleteIncident removes an incident, its links and its adjudications (all restored by
// Undo); the events and spans stay.
func (s *Store) DeleteIncident(ctx context.Context, id int64, annotator string) error {
	_, err := s.write(ctx, "delete_incident", annotator, func(a *action) error {
		return sqlstore.DeleteIncident(shared{a}, id)
	})
	return err
}

// LinkEvent adds an event to an incident. Linking an event already in that incident
// changes nothing and logs nothing.
func (s *Store) LinkEvent(ctx context.Context, incidentID int64, ev annotate.EventRef, annotator string) error {
	_, err := s.write(ctx, "link_event", annotator, func(a *action) error {
		return sqlstore.LinkEvent(shared{a}, incidentID, ev)
	})
	return err
}

// UnlinkEvent takes an event out of an incident; the incident stays, even when empty.
func (s *Store) UnlinkEvent(ctx context.Context, incidentID int64, ev annotate.EventRef, annotator string) error {
	_, err := s.write(ctx, "unlink_event", annotator, func(a *action) error {
		return sqlstore.UnlinkEvent(shared{a}, incidentID, ev)
	})
	return err
}

// MergeIncidents moves the events and adjudications of others into incident into and
// deletes the others.
func (s *Store) MergeIncidents(ctx context.Context, into int64, others []int64, annotator string) (annotate.Incident, error) {
	ids, err := sqlstore.MergeTargets(into, others)
	if err != nil {
		return annotate.Incident{}, err
	}
	_, err = s.write(ctx, "merge_incidents", annotator, func(a *action) error {
		return sqlstore.MergeIncidents(shared{a}, into, ids)
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "merge incidents", into)
}

// SplitIncident moves events out of incident id into a new incident with the same type,
// place and date and the title "<title> (split)"; adjudications stay with id.
func (s *Store) SplitIncident(ctx context.Context, id int64, events []annotate.EventRef, annotator string) (annotate.Incident, error) {
	evs := sqlstore.UniqueRefs(events)
	if len(evs) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "split incident %d: no events to move", id)
	}
	var newID int64
	_, err := s.write(ctx, "split_incident", annotator, func(a *action) (err error) {
		newID, err = sqlstore.SplitIncident(shared{a}, id, evs)
		return err
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "split incident", newID)
}

// Adjudicate records a decision on one kind of figure of an incident. Reviewer becomes
// annotator and At the time of the action; earlier decisions are kept as history.
func (s *Store) Adjudicate(ctx context.Context, adj annotate.Adjudication, annotator string) (annotate.Adjudication, error) {
	if err := adj.Validate(); err != nil {
		return annotate.Adjudication{}, err
	}
	_, err := s.write(ctx, "adjudicate", annotator, func(a *action) (err error) {
		adj, err = sqlstore.Adjudicate(shared{a}, adj)
		return err
	})
	if err != nil {
		return annotate.Adjudication{}, err
	}
	return adj, nil
}

// RejectProposal remembers that the proposal's events are not one incident: every pair
// of its events from different documents is left out of later proposals.
func (s *Store) RejectProposal(ctx context.Context, p annotate.IncidentProposal, annotator string) error {
	evs := sqlstore.UniqueRefs(p.Events)
	if len(evs) < 2 {
		return annotate.Errorf(annotate.EInvalid, "reject proposal: it needs two events")
	}
	_, err := s.write(ctx, "reject_proposal", annotator, func(a *action) error {
		return sqlstore.RejectProposal(shared{a}, p, evs)
	})
	return err
}

// RejectedPairs returns, once each, the pairs of events from different documents of
// every rejected proposal, each pair ordered by event id, sorted.
func (s *Store) RejectedPairs(ctx context.Context) ([][2]annotate.EventRef, error) {
	out, err := sqlstore.RejectedPairs(ctx, sq{s.ro})
	if err != nil {
		return nil, fmt.Errorf("rejected pairs: %w", mapErr(err))
	}
	return out, nil
}
