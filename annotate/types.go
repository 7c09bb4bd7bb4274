package annotate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Status is where a span stands in review.
type Status string

const (
	StatusSuggested Status = "suggested"
	StatusAccepted  Status = "accepted"
	StatusRejected  Status = "rejected"
)

// ParseStatus accepts the three span statuses; "all" is handled by callers that allow it.
func ParseStatus(s string) (Status, error) {
	switch Status(s) {
	case StatusSuggested, StatusAccepted, StatusRejected:
		return Status(s), nil
	}
	return "", Errorf(EInvalid, "unknown status %q (want suggested, accepted or rejected)", s)
}

// DocStatus is an annotator's progress through one document.
type DocStatus string

const (
	DocNew        DocStatus = "new"
	DocInProgress DocStatus = "in_progress"
	DocDone       DocStatus = "done"
)

// Origins of spans that are not suggestions. Suggestions carry the name of the rule,
// gazetteer or learned pattern that made them, e.g. "rule:casualty.at_least".
const (
	OriginManual = "manual"
	OriginImport = "import"
)

// Document is one article. Text is stored exactly as imported (a UTF-8 BOM removed) and
// SHA256 is the hex digest of Text, carried by every export row so offsets can be checked.
type Document struct {
	ID         int64
	ExternalID string // the id given at import, or derived from the file name
	Title      string
	Source     string // outlet
	URL        string
	Published  string // YYYY-MM-DD or RFC 3339, as validated at import
	Text       string
	SHA256     string
	Meta       json.RawMessage // a JSON object or nil
	Status     DocStatus
	Added      time.Time
}

// TextHash returns the hex SHA-256 of text, the value kept in Document.SHA256.
func TextHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// Span is a labelled range of a document's text. Start and End are Unicode code point
// offsets, half-open [Start, End), over Document.Text exactly as stored.
type Span struct {
	ID        int64
	DocID     int64
	Start     int
	End       int
	Label     string
	Text      string // Text[Start:End] in code points, filled by the store
	Status    Status
	Origin    string
	Annotator string
	Attrs     json.RawMessage // a JSON object or nil; CASUALTY spans hold a Casualty
	// Confidence is the suggester's score in [0, 1]; nil when it gave none (a missing
	// score is never read as certainty). Accepting a suggestion keeps it.
	Confidence *float64
	// RunID is the suggestion run that proposed the span (0 = none: manual or imported).
	RunID int64
	// Proposers lists every suggester that proposed the span, the first one (Origin,
	// RunID) first, when several did (then Confidence is their combined evidence:
	// CombinedConfidence); nil when one did. Accepting keeps it. See proposers.go.
	Proposers []Proposer
	Created   time.Time
	Updated   time.Time
}

// Casualty is the normalised reading of a CASUALTY span, stored in Span.Attrs.
// Low and High are nil when the text gives no bound (e.g. "more than 40" has no High).
type Casualty struct {
	Kind         string   `json:"kind,omitempty"`      // killed, injured, missing, displaced, detained
	Low          *int     `json:"low,omitempty"`       // lowest number the text allows
	High         *int     `json:"high,omitempty"`      // highest number the text allows
	Qualifier    string   `json:"qualifier,omitempty"` // exact, approx, at_least, more_than, up_to, range, vague
	Victims      []string `json:"victims,omitempty"`   // civilians, combatants, children, ...
	Claimant     int64    `json:"claimant,omitempty"`  // id of the SOURCE span that claims it; 0 = unstated
	ClaimantText string   `json:"claimant_text,omitempty"`
	Scope        string   `json:"scope,omitempty"` // incident or cumulative
}

// Casualty kinds, qualifiers and scopes as the guideline defines them.
var (
	CasualtyKinds      = []string{"killed", "injured", "missing", "displaced", "detained"}
	CasualtyQualifiers = []string{"exact", "approx", "at_least", "more_than", "up_to", "range", "vague"}
	CasualtyScopes     = []string{"incident", "cumulative"}
)

// Event is an event frame: a type, a trigger span and arguments in roles.
type Event struct {
	ID        int64
	DocID     int64
	Type      string
	Trigger   int64 // span id
	Args      []Argument
	Status    Status
	Origin    string
	Annotator string
}

// Argument puts a span in a role of an event.
type Argument struct {
	Role   string
	SpanID int64
}

// Draft is a set of spans and events not yet stored: produced by the suggester, an
// importer or a gold file. Events and claimants refer to spans by index into Spans.
type Draft struct {
	Spans     []Span
	Events    []DraftEvent
	Claimants map[int]int // CASUALTY span index -> SOURCE span index
}

// DraftEvent is an event whose trigger and arguments are indices into Draft.Spans.
type DraftEvent struct {
	Type    string
	Trigger int
	Args    []DraftArg
	Origin  string
}

// DraftArg is one argument of a DraftEvent.
type DraftArg struct {
	Role string
	Span int
}
