package sqlstore

import (
	"context"
	"fmt"
	"time"

	"evident/annotate"
)

// Backend is what the shared store methods need of a backend: its transactions (with
// their locking, retries and operations log), its pool and its error mapping.
type Backend interface {
	// Write runs fn in one logged write transaction of op kind kind for annotator.
	Write(ctx context.Context, kind, annotator string, fn func(a Action) error) error
	// ReadTx runs fn in one read snapshot; a failure to begin one is mapped (MapErr).
	ReadTx(ctx context.Context, fn func(tx Q) error) error
	// Pool reads with single statements, outside any snapshot.
	Pool() Q
	// MapErr turns a driver error into a domain error (annotate.Error) where it can.
	MapErr(err error) error
	// Now is the store's clock.
	Now() time.Time
	// OverviewSQL is the dialect's side of the overview's queries.
	OverviewSQL() OverviewSQL
	// Drafts validates drafts of annotator as the backend's importer does.
	Drafts(annotator string) Drafts
}

// Methods are annotate.Store methods written once over a Backend. Each backend's Store
// embeds them (a method the Store defines itself, as SQLite's batched CreateIncidents,
// takes precedence).
type Methods struct{ b Backend }

// NewMethods returns the shared methods over b. The backend stays unexported: a Store
// embeds Methods, and its callers reach storage only through annotate's interfaces.
func NewMethods(b Backend) Methods { return Methods{b: b} }

// Events returns a document's events with their arguments, ordered by id.
func (m Methods) Events(ctx context.Context, docID int64) ([]annotate.Event, error) {
	evs, err := LoadEvents(ctx, m.b.Pool(), []int64{docID})
	if err != nil {
		return nil, fmt.Errorf("events of document %d: %w", docID, m.b.MapErr(err))
	}
	return evs[docID], nil
}

// AddEvent stores an event and its arguments. The trigger and every argument must be
// spans of the event's document. Status defaults to accepted, origin to manual.
func (m Methods) AddEvent(ctx context.Context, e annotate.Event) (annotate.Event, error) {
	if e.Status == "" {
		e.Status = annotate.StatusAccepted
	}
	if _, err := annotate.ParseStatus(string(e.Status)); err != nil {
		return annotate.Event{}, err
	}
	if e.Origin == "" {
		e.Origin = annotate.OriginManual
	}
	err := m.b.Write(ctx, "add_event", e.Annotator, func(a Action) (err error) {
		e, err = AddEvent(a, e)
		return err
	})
	if err != nil {
		return annotate.Event{}, err
	}
	return e, nil
}

// AddArgument puts a span in a role of an event.
func (m Methods) AddArgument(ctx context.Context, eventID int64, arg annotate.Argument, annotator string) error {
	err := m.b.Write(ctx, "add_argument", annotator, func(a Action) error {
		return AddArgument(a, eventID, arg)
	})
	return err
}

// RemoveArgument takes a span out of a role of an event.
func (m Methods) RemoveArgument(ctx context.Context, eventID int64, arg annotate.Argument, annotator string) error {
	err := m.b.Write(ctx, "remove_argument", annotator, func(a Action) error {
		return RemoveArgument(a, eventID, arg)
	})
	return err
}

// DeleteEvent deletes an event and its arguments (not the spans).
func (m Methods) DeleteEvent(ctx context.Context, id int64, annotator string) error {
	err := m.b.Write(ctx, "delete_event", annotator, func(a Action) error {
		return DeleteEventAction(a, id)
	})
	return err
}

// ListIncidents returns the incidents that pass f, ordered by id, each filled with its
// events (by document, then event id), figures and adjudications (oldest first), all
// read from one snapshot.
func (m Methods) ListIncidents(ctx context.Context, f annotate.IncidentFilter) ([]annotate.Incident, error) {
	var incs []annotate.Incident
	err := m.b.ReadTx(ctx, func(tx Q) (err error) {
		incs, err = ListIncidents(ctx, tx, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", m.b.MapErr(err))
	}
	return incs, nil
}

// Incident returns one incident, filled as in ListIncidents.
func (m Methods) Incident(ctx context.Context, id int64) (*annotate.Incident, error) {
	var incs []annotate.Incident
	err := m.b.ReadTx(ctx, func(tx Q) (err error) {
		incs, err = Incident(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("incident %d: %w", id, m.b.MapErr(err))
	}
	if len(incs) == 0 {
		return nil, annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
	}
	return &incs[0], nil
}

// IncidentOf returns the incident an event belongs to, 0 if none.
func (m Methods) IncidentOf(ctx context.Context, ev annotate.EventRef) (int64, error) {
	id, err := IncidentOf(ctx, m.b.Pool(), ev)
	if err != nil {
		return 0, fmt.Errorf("incident of event %d: %w", ev.EventID, m.b.MapErr(err))
	}
	return id, nil
}

// CreateIncident makes an incident of the given events with inc's Title, Type, Place and
// Date. Every event must exist and belong to no incident yet.
func (m Methods) CreateIncident(ctx context.Context, inc annotate.Incident, annotator string) (annotate.Incident, error) {
	evs := UniqueRefs(inc.Events)
	if len(evs) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "create incident: no events")
	}
	var id int64
	err := m.b.Write(ctx, "create_incident", annotator, func(a Action) error {
		var title string
		var err error
		id, title, err = CreateIncident(a, inc, evs)
		a.SetSummary(fmt.Sprintf("create incident %q (%d events)", Clip(title), len(evs)))
		return err
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return m.filled(ctx, "create incident", id)
}

// filled reads an incident just written.
func (m Methods) filled(ctx context.Context, what string, id int64) (annotate.Incident, error) {
	inc, err := m.Incident(ctx, id)
	if err != nil {
		return annotate.Incident{}, fmt.Errorf("%s: %w", what, err)
	}
	return *inc, nil
}

// UpdateIncident changes an incident's Title, Type, Place and Date.
func (m Methods) UpdateIncident(ctx context.Context, inc annotate.Incident, annotator string) (annotate.Incident, error) {
	err := m.b.Write(ctx, "update_incident", annotator, func(a Action) error {
		return UpdateIncident(a, inc)
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return m.filled(ctx, "update incident", inc.ID)
}

// DeleteIncident removes an incident, its links and its adjudications (all restored by
// Undo); the events and spans stay.
func (m Methods) DeleteIncident(ctx context.Context, id int64, annotator string) error {
	err := m.b.Write(ctx, "delete_incident", annotator, func(a Action) error {
		return DeleteIncident(a, id)
	})
	return err
}

// LinkEvent adds an event to an incident. Linking an event already in that incident
// changes nothing and logs nothing.
func (m Methods) LinkEvent(ctx context.Context, incidentID int64, ev annotate.EventRef, annotator string) error {
	err := m.b.Write(ctx, "link_event", annotator, func(a Action) error {
		return LinkEvent(a, incidentID, ev)
	})
	return err
}

// UnlinkEvent takes an event out of an incident; the incident stays, even when empty.
func (m Methods) UnlinkEvent(ctx context.Context, incidentID int64, ev annotate.EventRef, annotator string) error {
	err := m.b.Write(ctx, "unlink_event", annotator, func(a Action) error {
		return UnlinkEvent(a, incidentID, ev)
	})
	return err
}

// MergeIncidents moves the events and adjudications of others into incident into and
// deletes the others.
func (m Methods) MergeIncidents(ctx context.Context, into int64, others []int64, annotator string) (annotate.Incident, error) {
	ids, err := MergeTargets(into, others)
	if err != nil {
		return annotate.Incident{}, err
	}
	err = m.b.Write(ctx, "merge_incidents", annotator, func(a Action) error {
		return MergeIncidents(a, into, ids)
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return m.filled(ctx, "merge incidents", into)
}

// SplitIncident moves events out of incident id into a new incident with the same type,
// place and date and the title "<title> (split)"; adjudications stay with id.
func (m Methods) SplitIncident(ctx context.Context, id int64, events []annotate.EventRef, annotator string) (annotate.Incident, error) {
	evs := UniqueRefs(events)
	if len(evs) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "split incident %d: no events to move", id)
	}
	var newID int64
	err := m.b.Write(ctx, "split_incident", annotator, func(a Action) (err error) {
		newID, err = SplitIncident(a, id, evs)
		return err
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return m.filled(ctx, "split incident", newID)
}

// Adjudicate records a decision on one kind of figure of an incident. Reviewer becomes
// annotator and At the time of the action; earlier decisions are kept as history.
func (m Methods) Adjudicate(ctx context.Context, adj annotate.Adjudication, annotator string) (annotate.Adjudication, error) {
	if err := adj.Validate(); err != nil {
		return annotate.Adjudication{}, err
	}
	err := m.b.Write(ctx, "adjudicate", annotator, func(a Action) (err error) {
		adj, err = Adjudicate(a, adj)
		return err
	})
	if err != nil {
		return annotate.Adjudication{}, err
	}
	return adj, nil
}

// RejectProposal remembers that the proposal's events are not one incident: every pair
// of its events from different documents is left out of later proposals.
func (m Methods) RejectProposal(ctx context.Context, p annotate.IncidentProposal, annotator string) error {
	evs := UniqueRefs(p.Events)
	if len(evs) < 2 {
		return annotate.Errorf(annotate.EInvalid, "reject proposal: it needs two events")
	}
	err := m.b.Write(ctx, "reject_proposal", annotator, func(a Action) error {
		return RejectProposal(a, p, evs)
	})
	return err
}

// RejectedPairs returns, once each, the pairs of events from different documents of
// every rejected proposal, each pair ordered by event id, sorted.
func (m Methods) RejectedPairs(ctx context.Context) ([][2]annotate.EventRef, error) {
	out, err := RejectedPairs(ctx, m.b.Pool())
	if err != nil {
		return nil, fmt.Errorf("rejected pairs: %w", m.b.MapErr(err))
	}
	return out, nil
}

// CreateIncidents makes every incident of incs in one transaction, logged as one
// action (one undo removes them all): all of them land or none (annotate.IncidentBatcher).
func (m Methods) CreateIncidents(ctx context.Context, incs []annotate.Incident, annotator string) ([]int64, error) {
	if len(incs) == 0 {
		return nil, nil
	}
	var ids []int64
	err := m.b.Write(ctx, "create_incident", annotator, func(a Action) (err error) {
		ids, err = CreateIncidents(a, incs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// AddSpan stores a new span. Status defaults to accepted and origin to manual; Text,
// times and ID are filled in.
func (m Methods) AddSpan(ctx context.Context, sp annotate.Span) (annotate.Span, error) {
	if sp.Status == "" {
		sp.Status = annotate.StatusAccepted
	}
	if _, err := annotate.ParseStatus(string(sp.Status)); err != nil {
		return annotate.Span{}, err
	}
	if sp.Origin == "" {
		sp.Origin = annotate.OriginManual
	}
	attrs, err := CheckAttrs(sp.Attrs)
	if err != nil {
		return annotate.Span{}, err
	}
	var out annotate.Span
	err = m.b.Write(ctx, "add_span", sp.Annotator, func(a Action) (err error) {
		out, err = AddSpan(a, sp, attrs)
		return err
	})
	return out, err
}

// UpdateSpan changes a span's range, label, attributes and status (an empty status
// keeps the current one). The annotator becomes the span's annotator.
func (m Methods) UpdateSpan(ctx context.Context, sp annotate.Span, annotator string) (annotate.Span, error) {
	if sp.Status != "" {
		if _, err := annotate.ParseStatus(string(sp.Status)); err != nil {
			return annotate.Span{}, err
		}
	}
	attrs, err := CheckAttrs(sp.Attrs)
	if err != nil {
		return annotate.Span{}, err
	}
	var out annotate.Span
	err = m.b.Write(ctx, "update_span", annotator, func(a Action) (err error) {
		out, err = UpdateSpan(a, sp, attrs)
		return err
	})
	return out, err
}

// DeleteSpan deletes a span together with the events it triggers and the arguments it
// fills, and clears it as claimant of casualty figures; undo restores all of it.
func (m Methods) DeleteSpan(ctx context.Context, id int64, annotator string) error {
	err := m.b.Write(ctx, "delete_span", annotator, func(a Action) error {
		return DeleteSpan(a, id)
	})
	return err
}

// ReplaceSpans deletes and adds spans of one document as one action (op kind
// replace_spans); see annotate.SpanBatchStore. The curation view uses it to take one
// annotator's version into the gold layer in one undoable step.
func (m Methods) ReplaceSpans(ctx context.Context, docID int64, remove []int64, add []annotate.Span, annotator string) ([]annotate.Span, error) {
	if len(remove) == 0 && len(add) == 0 {
		return nil, nil
	}
	if err := CheckReplace(docID, add, annotator); err != nil {
		return nil, err
	}
	var out []annotate.Span
	err := m.b.Write(ctx, "replace_spans", annotator, func(a Action) (err error) {
		out, err = ReplaceSpans(a, docID, remove, add)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Schema returns the project's labels (in their order), event types and roles.
func (m Methods) Schema(ctx context.Context) (*annotate.Schema, error) {
	return Schema(ctx, m.b.Pool())
}

// AddLabels adds labels unknown to the schema, after the existing ones. Known names are
// left as they are. A label without a colour gets grey; a key already taken is dropped.
func (m Methods) AddLabels(ctx context.Context, labels []annotate.Label, annotator string) error {
	if err := CheckLabelNames(labels); err != nil {
		return err
	}
	err := m.b.Write(ctx, "add_labels", annotator, func(a Action) error {
		return AddLabels(a, labels)
	})
	return err
}

// Setting returns a stored setting, "" when it is not set.
func (m Methods) Setting(ctx context.Context, key string) (string, error) {
	v, err := Setting(ctx, m.b.Pool(), key)
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", key, m.b.MapErr(err))
	}
	return v, nil
}

// Overview computes the project overview (the function Overview) from one read
// snapshot, so it never waits for a writer and never blocks one.
func (m Methods) Overview(ctx context.Context, opts annotate.OverviewOptions) (*annotate.Overview, error) {
	var ov *annotate.Overview
	err := m.b.ReadTx(ctx, func(tx Q) (err error) {
		ov, err = Overview(ctx, tx, m.b.OverviewSQL(), m.b.Now(), opts)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	return ov, nil
}

// SetDocumentStatus records an annotator's progress on a document (new, in_progress, done).
func (m Methods) SetDocumentStatus(ctx context.Context, docID int64, st annotate.DocStatus, annotator string) error {
	if err := CheckDocStatus(st); err != nil {
		return err
	}
	err := m.b.Write(ctx, "set_doc_status", annotator, func(a Action) error {
		return SetDocumentStatus(a, docID, st)
	})
	return err
}

// PutModelSuggestions implements annotate.PredictionStore. A span the run proposes again
// keeps its row (its score and run are updated), so the annotator's place in the list
// holds; a span another suggester proposed too is stored once, with both as proposers
// (annotate.PlanProposals).
func (m Methods) PutModelSuggestions(ctx context.Context, docID int64, origin string, spans []annotate.Span, annotator string) (int, int, error) {
	var added, removed int
	err := m.b.Write(ctx, "model_suggest", annotator, func(a Action) error {
		known, err := LabelSet(ctx, a.Q())
		if err != nil {
			return err
		}
		added, removed, err = PutModelDoc(a, known, docID, origin, spans, annotator)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return added, removed, nil
}

// LearnedPhrases returns, per (text, label), how many spans are accepted and rejected
// across the database, read from the phrases table the store keeps up to date.
func (m Methods) LearnedPhrases(ctx context.Context) ([]annotate.PhraseStat, error) {
	return LearnedPhrases(ctx, m.b.Pool())
}

// AddSuggestions stores a draft for one document as suggestions, one action (see the
// function AddSuggestions).
func (m Methods) AddSuggestions(ctx context.Context, docID int64, d annotate.Draft, annotator string) (int, error) {
	added := 0
	err := m.b.Write(ctx, "suggest", annotator, func(a Action) (err error) {
		added, err = AddSuggestions(a, docID, d, m.b.Drafts(annotator))
		return err
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}
