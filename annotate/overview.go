package annotate

import (
	"context"
	"sort"
	"strconv"
	"time"
)

// OverviewSource computes the project overview: progress, suggestion quality per rule,
// throughput and figures. annotate/sqlite implements it; it is kept apart from Store so
// that a store without an overview stays a Store.
type OverviewSource interface {
	Overview(ctx context.Context, opts OverviewOptions) (*Overview, error)
}

// OverviewOptions narrow the throughput series; the other figures always cover the
// whole database.
type OverviewOptions struct {
	// Since drops operations before it from the throughput series (zero: from the start).
	Since time.Time
	// Bucket is the width of one throughput bucket; zero means one hour. Buckets are
	// aligned to multiples of Bucket since the Unix epoch (UTC).
	Bucket time.Duration
}

// BucketOrDefault returns the bucket width to use: Bucket, or one hour when unset.
func (o OverviewOptions) BucketOrDefault() time.Duration {
	if o.Bucket <= 0 {
		return time.Hour
	}
	return o.Bucket
}

// Overview is where a project stands. It marshals to the JSON that `evident stats --json`
// prints, with snake_case keys; lists are never null.
//
// Definitions (the SQLite store computes them this way; another store must agree):
//   - A decision is one operation in the log by a person, still in effect (state "done"):
//     every kind except "suggest", "import" and "add_labels", which machines do. Accepting
//     twenty spans at once is one decision. Undone operations do not count.
//   - An annotator's documents are the documents they took a decision on, counted by the
//     document's current status; a document two people worked on counts for both.
//   - A suggestion is a span whose origin is neither "manual", "import" nor empty. It is
//     edited when it is accepted and its current range or label differs from the range and
//     label it had when the suggester stored it (read from the operations log: the
//     before-image of its first range or label change still in effect); edited spans are
//     not counted in Accepted. A span changed and changed back is not edited.
type Overview struct {
	Generated time.Time `json:"generated"`

	Documents   DocCounts           `json:"documents"`
	ByAnnotator []AnnotatorProgress `json:"by_annotator"`

	// Labels holds span counts per label and status, in schema order, then any label
	// the schema does not know, by name. It doubles as the label distribution.
	Labels []LabelStatusCounts `json:"labels"`
	Spans  StatusCounts        `json:"spans"`

	// Rules is the suggestion quality per origin, by volume (Total) descending.
	Rules       []RuleStats `json:"rules"`
	Suggestions RuleStats   `json:"suggestions"` // all origins together, Origin "*"

	// Throughput is decisions per Bucket per annotator.
	Bucket     Duration           `json:"bucket"`
	Throughput []ThroughputSeries `json:"throughput"`

	// Casualties counts CASUALTY spans per kind of figure, in the guideline's order of
	// kinds, then unknown kinds by name ("" for a figure without a kind).
	Casualties []CasualtyKindStats `json:"casualties"`
}

// Duration marshals as a number of seconds, the form scripts want.
type Duration time.Duration

// MarshalJSON writes the duration in seconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, time.Duration(d).Seconds(), 'f', -1, 64), nil
}

// DocCounts counts documents by status.
type DocCounts struct {
	Total      int `json:"total"`
	New        int `json:"new"`
	InProgress int `json:"in_progress"`
	Done       int `json:"done"`
}

// Add counts n documents of status st.
func (c *DocCounts) Add(st DocStatus, n int) {
	switch st {
	case DocNew:
		c.New += n
	case DocInProgress:
		c.InProgress += n
	case DocDone:
		c.Done += n
	}
	c.Total += n
}

// AnnotatorProgress is one annotator's documents (by current status) and decisions.
type AnnotatorProgress struct {
	Name      string    `json:"name"`
	Documents DocCounts `json:"documents"`
	Decisions int       `json:"decisions"`
	First     time.Time `json:"first"` // first and last decision still in effect
	Last      time.Time `json:"last"`
}

// StatusCounts counts spans by status.
type StatusCounts struct {
	Suggested int `json:"suggested"`
	Accepted  int `json:"accepted"`
	Rejected  int `json:"rejected"`
}

// Total is the number of spans in any status.
func (c StatusCounts) Total() int { return c.Suggested + c.Accepted + c.Rejected }

// Add counts n spans of status st.
func (c *StatusCounts) Add(st Status, n int) {
	switch st {
	case StatusSuggested:
		c.Suggested += n
	case StatusAccepted:
		c.Accepted += n
	case StatusRejected:
		c.Rejected += n
	}
}

// LabelStatusCounts counts the spans of one label by status.
type LabelStatusCounts struct {
	Label string `json:"label"`
	StatusCounts
}

// RuleStats is what became of the suggestions of one origin (rule, gazetteer, lexicon or
// learned pattern).
type RuleStats struct {
	Origin   string `json:"origin"`
	Total    int    `json:"total"`
	Accepted int    `json:"accepted"` // accepted as suggested
	Edited   int    `json:"edited"`   // accepted after its range or label was changed
	Rejected int    `json:"rejected"`
	Open     int    `json:"open"` // still suggested
	// AcceptRate is (Accepted+Edited) / (Accepted+Edited+Rejected): the share of decided
	// suggestions that were kept; 0 when none is decided yet.
	AcceptRate float64 `json:"accept_rate"`
	// ExactRate is Accepted / decided: kept without a fix.
	ExactRate float64 `json:"exact_rate"`
}

// Decided is the number of suggestions an annotator has ruled on.
func (r RuleStats) Decided() int { return r.Accepted + r.Edited + r.Rejected }

// Finish fills Total and the rates from the counts.
func (r *RuleStats) Finish() {
	r.Total = r.Accepted + r.Edited + r.Rejected + r.Open
	r.AcceptRate, r.ExactRate = 0, 0
	if d := r.Decided(); d > 0 {
		r.AcceptRate = float64(r.Accepted+r.Edited) / float64(d)
		r.ExactRate = float64(r.Accepted) / float64(d)
	}
}

// Wasteful reports whether a rule costs the annotators more than it gives: at least
// minDecided decisions and fewer than half of them kept.
func (r RuleStats) Wasteful(minDecided int) bool {
	return r.Decided() >= minDecided && r.AcceptRate < 0.5
}

// ThroughputSeries is one annotator's decisions per bucket, in time order; buckets
// without decisions are left out.
type ThroughputSeries struct {
	Annotator string            `json:"annotator"`
	Points    []ThroughputPoint `json:"points"`
}

// ThroughputPoint is the number of decisions taken in [At, At+Bucket).
type ThroughputPoint struct {
	At        time.Time `json:"at"`
	Decisions int       `json:"decisions"`
}

// CasualtyKindStats summarises the CASUALTY spans of one kind (killed, injured, ...).
// Rejected spans are not counted.
type CasualtyKindStats struct {
	Kind      string `json:"kind"`
	Accepted  int    `json:"accepted"`
	Suggested int    `json:"suggested"`
	Documents int    `json:"documents"` // documents with an accepted figure of this kind
	Claimed   int    `json:"claimed"`   // accepted figures with a claimant (a SOURCE span)
	Unbounded int    `json:"unbounded"` // accepted figures without an upper bound (at least, more than)
	// Largest is the highest bound of any accepted figure (High, or Low when High is
	// open); nil when no accepted figure has a number.
	Largest *int `json:"largest"`
}

// SortRules orders rules by volume, most first, then by origin.
func SortRules(rules []RuleStats) {
	sort.SliceStable(rules, func(i, j int) bool {
		if rules[i].Total != rules[j].Total {
			return rules[i].Total > rules[j].Total
		}
		return rules[i].Origin < rules[j].Origin
	})
}

// IsSuggestionOrigin reports whether a span's origin names a suggester (a rule,
// gazetteer, lexicon or learned pattern) rather than a person or an import.
func IsSuggestionOrigin(origin string) bool {
	return origin != "" && origin != OriginManual && origin != OriginImport
}

// MachineOpKinds returns the operation kinds that are not an annotator's decision.
func MachineOpKinds() []string { return []string{"suggest", "import", "add_labels"} }
