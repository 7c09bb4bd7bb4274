package review

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"evident/annotate"
)

// claimantColors is the Okabe–Ito palette without its yellow (too faint on white):
// distinguishable by colour-blind readers, and readable on light and dark themes.
var claimantColors = []color.NRGBA{
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
}

// unstatedColor is for figures nobody is named as claiming.
var unstatedColor = color.NRGBA{0x99, 0x99, 0x99, 0xff}

// claimantKey groups figures by who claims them: the claimant's words, case-folded.
func claimantKey(f annotate.Figure) string {
	return strings.ToLower(strings.Join(strings.Fields(f.ClaimantText), " "))
}

// colorsFor gives each claimant of figs a colour, in order of first appearance.
func colorsFor(figs []annotate.Figure) map[string]color.Color {
	m := map[string]color.Color{"": unstatedColor}
	n := 0
	for _, f := range figs {
		k := claimantKey(f)
		if _, ok := m[k]; !ok {
			m[k] = claimantColors[n%len(claimantColors)]
			n++
		}
	}
	return m
}

// rangeText writes a figure's range as a reviewer reads it: "41", "25–30", "≥ 18", "≤ 10".
func rangeText(low, high *int) string {
	switch {
	case low != nil && high != nil && *low == *high:
		return num(*low)
	case low != nil && high != nil:
		return num(*low) + "–" + num(*high)
	case low != nil:
		return "≥ " + num(*low)
	case high != nil:
		return "≤ " + num(*high)
	}
	return "?"
}

// num writes n with thousands separators.
func num(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + num(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// qualifierText is the guideline's qualifier in words.
func qualifierText(q string) string {
	switch q {
	case "at_least":
		return "at least"
	case "more_than":
		return "more than"
	case "up_to":
		return "up to"
	case "approx":
		return "about"
	}
	return q
}

func orUnstated(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unstated"
	}
	return s
}

// parseCount reads a number a reviewer typed: digits, optionally with thousands
// separators ("1,200"); blank is nil. Anything else is an error.
func parseCount(field, s string) (*int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	plain := strings.ReplaceAll(s, ",", "")
	if plain == "" || strings.TrimLeft(plain, "0123456789") != "" {
		return nil, fmt.Errorf("%s: %q is not a whole number", field, s)
	}
	n, err := strconv.Atoi(plain)
	if err != nil {
		return nil, fmt.Errorf("%s: %q is too large", field, s)
	}
	return &n, nil
}

// day cuts an RFC 3339 date to YYYY-MM-DD.
func day(s string) string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}
