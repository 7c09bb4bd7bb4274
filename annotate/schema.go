package annotate

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// Label kinds: a trigger label anchors an event of the same name; a span label fills roles.
const (
	KindTrigger = "trigger"
	KindSpan    = "span"
)

// Label is one annotation label with its display colour and keyboard key.
type Label struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`  // trigger or span
	Color       string `json:"color"` // #RRGGBB
	Key         string `json:"key"`   // one character typed to apply the label
	Description string `json:"description"`
}

// EventType names an event, the trigger label that anchors it and the roles it takes.
type EventType struct {
	Name    string   `json:"name"`
	Trigger string   `json:"trigger"`
	Roles   []string `json:"roles"`
}

// Schema is a project's labels, event types and roles.
type Schema struct {
	Labels     []Label     `json:"labels"`
	EventTypes []EventType `json:"event_types"`
	Roles      []string    `json:"roles"`
}

var (
	labelName = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,39}$`)
	hexColor  = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// ValidLabelName reports whether name can be a label: upper case letters, digits and
// underscores, starting with a letter, at most 40 characters.
func ValidLabelName(name string) bool { return labelName.MatchString(name) }

// ParseSchema reads a schema from JSON and checks it.
func ParseSchema(data []byte) (*Schema, error) {
	var s Schema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Validate checks names, colours, keys and references.
func (s *Schema) Validate() error {
	seen := map[string]bool{}
	keys := map[string]string{}
	for _, l := range s.Labels {
		if !ValidLabelName(l.Name) {
			return Errorf(EInvalid, "schema: bad label name %q", l.Name)
		}
		if seen[l.Name] {
			return Errorf(EInvalid, "schema: label %s defined twice", l.Name)
		}
		seen[l.Name] = true
		if l.Kind != KindTrigger && l.Kind != KindSpan {
			return Errorf(EInvalid, "schema: label %s: kind %q is neither trigger nor span", l.Name, l.Kind)
		}
		if !hexColor.MatchString(l.Color) {
			return Errorf(EInvalid, "schema: label %s: colour %q is not #RRGGBB", l.Name, l.Color)
		}
		if l.Key != "" {
			if other, ok := keys[l.Key]; ok {
				return Errorf(EInvalid, "schema: key %q used by both %s and %s", l.Key, other, l.Name)
			}
			keys[l.Key] = l.Name
		}
	}
	roles := map[string]bool{}
	for _, r := range s.Roles {
		roles[r] = true
	}
	for _, e := range s.EventTypes {
		if !seen[e.Trigger] {
			return Errorf(EInvalid, "schema: event %s: trigger label %s is not defined", e.Name, e.Trigger)
		}
		for _, r := range e.Roles {
			if !roles[r] {
				return Errorf(EInvalid, "schema: event %s: role %q is not in roles", e.Name, r)
			}
		}
	}
	return nil
}

// Label returns the label called name.
func (s *Schema) Label(name string) (Label, bool) {
	for _, l := range s.Labels {
		if l.Name == name {
			return l, true
		}
	}
	return Label{}, false
}

// EventType returns the event type called name.
func (s *Schema) EventType(name string) (EventType, bool) {
	for _, e := range s.EventTypes {
		if e.Name == name {
			return e, true
		}
	}
	return EventType{}, false
}

// EventTypeForTrigger returns the event type anchored by the trigger label.
func (s *Schema) EventTypeForTrigger(label string) (EventType, bool) {
	for _, e := range s.EventTypes {
		if e.Trigger == label {
			return e, true
		}
	}
	return EventType{}, false
}
