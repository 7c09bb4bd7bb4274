package sqlite

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// claimantAttrs is withClaimant without decoding the attributes into a map: a
// suggestion run names the claimant of every casualty figure it stores, and decoding
// and re-encoding each object cost the run's single writer about a tenth of its time.
// It splits a compact object into its top-level members, adds the claimant's and sorts
// them by key, which is what json.Marshal of the map gives. attrs is valid JSON
// (checkAttrs) or empty. ok is false for what it does not handle (whitespace, escapes in
// keys, duplicate keys, characters json.Marshal escapes); withClaimant then takes the
// long way.
func claimantAttrs(attrs string, id int64, text string) (out string, ok bool) {
	type member struct{ key, raw string } // raw: `"key":value`
	var ms []member
	if attrs != "" {
		if len(attrs) < 2 || attrs[0] != '{' || attrs[len(attrs)-1] != '}' ||
			strings.ContainsAny(attrs, "<>&\u2028\u2029") {
			return "", false
		}
		body := attrs[1 : len(attrs)-1]
		for len(body) > 0 {
			// a key: a string without escapes
			if body[0] != '"' {
				return "", false
			}
			end := strings.IndexByte(body[1:], '"') + 1
			if end <= 0 || strings.IndexByte(body[1:end], '\\') >= 0 || end+1 >= len(body) || body[end+1] != ':' {
				return "", false
			}
			key := body[1:end]
			if !utf8.ValidString(key) { // decoding would replace the bad bytes
				return "", false
			}
			n, ok := valueLen(body[end+2:])
			if !ok {
				return "", false
			}
			ms = append(ms, member{key, body[:end+2+n]})
			body = body[end+2+n:]
			if len(body) > 0 {
				if body[0] != ',' || len(body) == 1 {
					return "", false
				}
				body = body[1:]
			}
		}
	}
	hasText := false
	for i, m := range ms {
		if m.key == "claimant" {
			ms = slices.Delete(ms, i, i+1)
			break
		}
	}
	for _, m := range ms {
		if m.key == "claimant" { // a duplicate key
			return "", false
		}
		hasText = hasText || m.key == "claimant_text"
	}
	ms = append(ms, member{"claimant", `"claimant":` + strconv.FormatInt(id, 10)})
	if !hasText {
		t, err := json.Marshal(text)
		if err != nil {
			return "", false
		}
		ms = append(ms, member{"claimant_text", `"claimant_text":` + string(t)})
	}
	slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	for i := 1; i < len(ms); i++ {
		if ms[i].key == ms[i-1].key {
			return "", false
		}
	}
	var b strings.Builder
	b.Grow(len(attrs) + len(text) + 48)
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m.raw)
	}
	b.WriteByte('}')
	return b.String(), true
}

// valueLen is the length of the compact JSON value s starts with, and whether it
// ends where a member ends (at a comma or the end of s).
func valueLen(s string) (int, bool) {
	depth, inString := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			return 0, false // not compact
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth < 0 {
				return 0, false
			}
		case c == ',' && depth == 0:
			return i, i > 0
		}
	}
	if depth != 0 || inString || len(s) == 0 {
		return 0, false
	}
	return len(s), true
}
