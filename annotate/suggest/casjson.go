package suggest

import (
	"encoding/json"
	"strconv"

	"evident/annotate"
)

// marshalCasualty writes c exactly as json.Marshal does, without reflection: a long text
// has thousands of casualty figures. Strings that encoding/json would escape (quotes,
// control characters, <, >, &, non-ASCII) are rare; for them it calls json.Marshal.
// casjson_test.go holds the two encoders equal.
func marshalCasualty(c *annotate.Casualty) ([]byte, error) {
	if !plainJSON(c.Kind) || !plainJSON(c.Qualifier) || !plainJSON(c.ClaimantText) || !plainJSON(c.Scope) {
		return json.Marshal(c)
	}
	for _, v := range c.Victims {
		if !plainJSON(v) {
			return json.Marshal(c)
		}
	}
	b := make([]byte, 0, 112+len(c.ClaimantText)+16*len(c.Victims))
	b = append(b, '{')
	b = appendStrField(b, "kind", c.Kind)
	if c.Low != nil {
		b = strconv.AppendInt(appendField(b, "low"), int64(*c.Low), 10)
	}
	if c.High != nil {
		b = strconv.AppendInt(appendField(b, "high"), int64(*c.High), 10)
	}
	b = appendStrField(b, "qualifier", c.Qualifier)
	if len(c.Victims) > 0 {
		b = append(appendField(b, "victims"), '[')
		for i, v := range c.Victims {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, v...)
			b = append(b, '"')
		}
		b = append(b, ']')
	}
	if c.Claimant != 0 {
		b = strconv.AppendInt(appendField(b, "claimant"), c.Claimant, 10)
	}
	b = appendStrField(b, "claimant_text", c.ClaimantText)
	b = appendStrField(b, "scope", c.Scope)
	return append(b, '}'), nil
}

// appendField writes a field name (after a comma unless it is the object's first).
func appendField(b []byte, name string) []byte {
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// appendStrField writes a string field unless it is empty (omitempty); v needs no escapes.
func appendStrField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(appendField(b, name), '"')
	b = append(b, v...)
	return append(b, '"')
}

// plainJSON reports whether encoding/json writes s between quotes unchanged.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
