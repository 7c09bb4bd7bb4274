package annotate

import (
	"context"
	"slices"
	"time"
)

// Figure is one casualty claim as a reviewer sees it: the normalised reading of a CASUALTY
// span together with where it was published, who claims it and the sentence it sits in.
// annotate/incident builds figures from stored spans (incident.FiguresOf).
type Figure struct {
	DocID         int64  `json:"doc_id"`
	SpanID        int64  `json:"span_id"`
	DocExternalID string `json:"doc_external_id,omitempty"`
	DocTitle      string `json:"doc_title,omitempty"`
	Outlet        string `json:"outlet,omitempty"`    // Document.Source
	Published     string `json:"published,omitempty"` // Document.Published (YYYY-MM-DD or RFC 3339)

	Kind         string   `json:"kind"`
	Low          *int     `json:"low"`  // nil: no lower bound stated (read as 0)
	High         *int     `json:"high"` // nil: no upper bound stated (unbounded)
	Qualifier    string   `json:"qualifier,omitempty"`
	Victims      []string `json:"victims,omitempty"`
	Claimant     int64    `json:"claimant,omitempty"` // SOURCE span id; 0 = unstated
	ClaimantText string   `json:"claimant_text,omitempty"`
	Scope        string   `json:"scope,omitempty"` // incident or cumulative ("" reads as incident)

	Text      string `json:"text"`  // the span's text, e.g. "at least 18 people"
	Start     int    `json:"start"` // the span in the document, code points
	End       int    `json:"end"`
	Status    Status `json:"status,omitempty"`
	Annotator string `json:"annotator,omitempty"`

	// Sentence is the sentence around the span; SentStart and SentEnd are the span's
	// offsets within it (code points, half-open), so a view can highlight the figure.
	Sentence  string `json:"sentence"`
	SentStart int    `json:"sent_start"`
	SentEnd   int    `json:"sent_end"`
}

// Cumulative reports whether the figure is a running total rather than this incident's
// toll; a later cumulative figure may rise above an earlier one without disputing it.
func (f Figure) Cumulative() bool { return f.Scope == "cumulative" }

// EventRef names one stored event. EventID alone is unique in a store; DocID travels
// with it so that views and proposals can group by document without another lookup.
type EventRef struct {
	DocID   int64 `json:"doc_id"`
	EventID int64 `json:"event_id"`
}

// Incident groups events from different documents that describe the same happening,
// with the casualty figures those events carry and the reviewers' adjudications.
type Incident struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Type  string `json:"type,omitempty"`  // ATTACK, DEATH or INJURY: the main event type
	Place string `json:"place,omitempty"` // the most specific place the events share
	Date  string `json:"date,omitempty"`  // YYYY-MM-DD, the earliest event date

	Events []EventRef `json:"events"`
	// Figures are the CASUALTY spans that are casualties arguments of the incident's
	// events (incident.ForEvents), each once.
	Figures []Figure `json:"figures"`
	// Adjudications in the order they were made; the latest per kind is in effect.
	Adjudications []Adjudication `json:"adjudications"`

	Annotator string    `json:"annotator,omitempty"` // who created it
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
}

// DocIDs returns the documents of the incident's events, ascending, each once.
func (inc *Incident) DocIDs() []int64 {
	ids := make([]int64, 0, len(inc.Events))
	for _, e := range inc.Events {
		ids = append(ids, e.DocID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Adjudicated returns the adjudication in effect for kind (the latest made), or nil.
func (inc *Incident) Adjudicated(kind string) *Adjudication {
	var best *Adjudication
	for i := range inc.Adjudications {
		a := &inc.Adjudications[i]
		if a.Kind == kind && (best == nil || !a.At.Before(best.At)) {
			best = a
		}
	}
	return best
}

// Adjudication is a reviewer's decision on one kind of figure of one incident: the best
// estimate and the range they believe, with a note saying why.
type Adjudication struct {
	ID         int64     `json:"id,omitempty"`
	IncidentID int64     `json:"incident_id"`
	Kind       string    `json:"kind"`
	Best       *int      `json:"best"`
	Low        *int      `json:"low"`
	High       *int      `json:"high"`
	Note       string    `json:"note,omitempty"`
	Reviewer   string    `json:"reviewer"`
	At         time.Time `json:"at"`
}

// Validate checks what a store must refuse: an unknown kind, negative numbers, a range
// whose bounds are out of order (low ≤ best ≤ high where given) and no number at all.
// Errors carry code EInvalid.
func (a Adjudication) Validate() error {
	if !slices.Contains(CasualtyKinds, a.Kind) {
		return Errorf(EInvalid, "adjudication: unknown kind %q", a.Kind)
	}
	if a.Best == nil && a.Low == nil && a.High == nil {
		return Errorf(EInvalid, "adjudication: give a best estimate or a bound")
	}
	for _, p := range []*int{a.Best, a.Low, a.High} {
		if p != nil && *p < 0 {
			return Errorf(EInvalid, "adjudication: %d is negative", *p)
		}
	}
	if a.Low != nil && a.Best != nil && *a.Low > *a.Best {
		return Errorf(EInvalid, "adjudication: low %d is above best %d", *a.Low, *a.Best)
	}
	if a.Best != nil && a.High != nil && *a.Best > *a.High {
		return Errorf(EInvalid, "adjudication: best %d is above high %d", *a.Best, *a.High)
	}
	if a.Low != nil && a.High != nil && *a.Low > *a.High {
		return Errorf(EInvalid, "adjudication: low %d is above high %d", *a.Low, *a.High)
	}
	return nil
}

// IncidentProposal is a suggested incident: events from at least two documents that
// look like the same happening, a score in [0, 1] and the reasons, in words a reviewer
// can check ("same type ATTACK", "dates 1 day apart", "same place: Um Kadada").
type IncidentProposal struct {
	Events  []EventRef `json:"events"`
	Score   float64    `json:"score"`
	Reasons []string   `json:"reasons"`
}

// IncidentFilter narrows ListIncidents; zero values mean "any".
type IncidentFilter struct {
	DocID int64  // incidents with an event in this document
	Kind  string // incidents with a figure of this kind
	Place string // case-insensitive substring of Incident.Place
	From  string // Incident.Date >= From (YYYY-MM-DD)
	To    string // Incident.Date <= To
}

// IncidentStore keeps incidents, their event links and adjudications. annotate/sqlite
// implements it beside Store (callers type-assert a Store to it), so a store without
// incidents stays a Store.
//
// Every method that changes something is one user action, exactly as in Store: one
// transaction and one entry in the operations log (kinds create_incident, link_event,
// unlink_event, merge_incidents, split_incident, update_incident, delete_incident,
// adjudicate, reject_proposal), undone and redone by Store.Undo and Store.Redo. Errors
// carry codes: ENotFound for an unknown incident or event, EInvalid for a refused input
// (Adjudication.Validate, an empty event list), EConflict for an event already linked
// to another incident.
type IncidentStore interface {
	// ListIncidents returns incidents with their events, figures and adjudications
	// filled, ordered by id; the review queue sorts them (incident.Sort).
	ListIncidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	// Incident returns one incident, filled as in ListIncidents.
	Incident(ctx context.Context, id int64) (*Incident, error)
	// IncidentOf returns the id of the incident an event belongs to, 0 if none.
	IncidentOf(ctx context.Context, ev EventRef) (int64, error)

	// CreateIncident makes an incident of the given events (typically an accepted
	// IncidentProposal). Title, Type, Place and Date are taken from inc; an event may
	// belong to one incident only (EConflict otherwise).
	CreateIncident(ctx context.Context, inc Incident, annotator string) (Incident, error)
	// UpdateIncident changes Title, Type, Place and Date; events and figures stay.
	UpdateIncident(ctx context.Context, inc Incident, annotator string) (Incident, error)
	// DeleteIncident removes the incident and its links; events and spans stay. Its
	// adjudications go with it (and come back on Undo).
	DeleteIncident(ctx context.Context, id int64, annotator string) error

	// LinkEvent adds an event to an incident (manual linking).
	LinkEvent(ctx context.Context, incidentID int64, ev EventRef, annotator string) error
	// UnlinkEvent takes an event out of an incident; an incident left without events
	// is kept (empty) so its adjudications are not lost silently.
	UnlinkEvent(ctx context.Context, incidentID int64, ev EventRef, annotator string) error
	// MergeIncidents moves the events and adjudications of the others into the
	// incident into and deletes the others.
	MergeIncidents(ctx context.Context, into int64, others []int64, annotator string) (Incident, error)
	// SplitIncident moves the given events out of incident id into a new incident,
	// returned; adjudications stay with the original.
	SplitIncident(ctx context.Context, id int64, events []EventRef, annotator string) (Incident, error)

	// Adjudicate records a decision (after Adjudication.Validate); Reviewer is set to
	// annotator and At to the time of the action. Earlier adjudications are kept: the
	// latest per kind is in effect and the rest is history.
	Adjudicate(ctx context.Context, a Adjudication, annotator string) (Adjudication, error)

	// RejectProposal remembers that the reviewer said these events are not one
	// incident, so incident.Propose (through RejectedPairs) stops offering them.
	RejectProposal(ctx context.Context, p IncidentProposal, annotator string) error
	// RejectedPairs returns the event pairs of rejected proposals, each pair ordered
	// by EventID, for incident.Options.Rejected.
	RejectedPairs(ctx context.Context) ([][2]EventRef, error)
}
