package incident

import (
	"math"
	"slices"
	"sort"
	"strings"

	"evident/annotate"
)

// Dispute is two figures of one kind that cannot both be true: their ranges do not
// overlap, and the higher one is not a cumulative toll reported later (a running total
// may rise; it may not fall).
type Dispute struct {
	Kind string
	// Lower and Upper index the figures passed to Disputes: Lower's range lies wholly
	// below Upper's.
	Lower, Upper int
	// Gap is how far apart the two ranges are: Upper's low bound minus Lower's high.
	Gap int
}

// Bounds returns a figure's range with open ends made explicit: a missing low bound is
// 0 and a missing high bound is math.MaxInt.
func Bounds(f annotate.Figure) (lo, hi int) {
	lo, hi = 0, math.MaxInt
	if f.Low != nil {
		lo = *f.Low
	}
	if f.High != nil {
		hi = *f.High
	}
	return lo, hi
}

// Disputes returns every pair of figures of the same kind that disagree, ordered by kind
// (the guideline's order), then by gap, widest first. Figures without a kind are not
// compared.
func Disputes(figs []annotate.Figure) []Dispute {
	out, _ := disagreements(figs)
	return out
}

// Revisions returns the pairs of figures of one kind whose ranges do not overlap but
// need not disagree: the higher is a running total published later ("the death toll
// rose to 31"). A view shows them as revisions of the toll, not as disputes.
func Revisions(figs []annotate.Figure) []Dispute {
	_, rev := disagreements(figs)
	return rev
}

// disagreements compares every pair of figures of one kind and victim group whose
// ranges do not overlap: disputes, and revisions (a later running total that rose).
func disagreements(figs []annotate.Figure) (disputes, revisions []Dispute) {
	var out []Dispute
	for i := range figs {
		for j := i + 1; j < len(figs); j++ {
			a, b := &figs[i], &figs[j]
			if a.Kind == "" || a.Kind != b.Kind || !sameGroup(a.Victims, b.Victims) {
				continue
			}
			alo, ahi := Bounds(*a)
			blo, bhi := Bounds(*b)
			lower, upper, gap := i, j, 0
			switch {
			case ahi < blo:
				gap = blo - ahi
			case bhi < alo:
				lower, upper, gap = j, i, alo-bhi
			default:
				continue // the ranges overlap: both can be true
			}
			if risen(&figs[lower], &figs[upper]) {
				revisions = append(revisions, Dispute{Kind: a.Kind, Lower: lower, Upper: upper, Gap: gap})
				continue
			}
			out = append(out, Dispute{Kind: a.Kind, Lower: lower, Upper: upper, Gap: gap})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := kindOrder(out[i].Kind, out[j].Kind); c != 0 {
			return c < 0
		}
		return out[i].Gap > out[j].Gap
	})
	return out, revisions
}

// generalVictims are victim words that name no particular group: a toll of "people"
// may count the same dead as a toll of "civilians" or of "fighters".
var generalVictims = map[string]bool{"people": true, "persons": true, "": true}

// sameGroup reports whether two figures may count the same victims: either names no
// particular group, or they share one. Seven gunmen killed and thirteen civilians
// killed are no dispute about one number.
func sameGroup(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 || slices.ContainsFunc(a, func(v string) bool { return generalVictims[v] }) || slices.ContainsFunc(b, func(v string) bool { return generalVictims[v] }) {
		return true
	}
	for _, v := range a {
		if slices.Contains(b, v) {
			return true
		}
	}
	return false
}

// risen reports whether upper may be a running total that grew since lower was
// published: upper is cumulative and published strictly later.
func risen(lower, upper *annotate.Figure) bool {
	if !upper.Cumulative() {
		return false
	}
	lp, up := day(lower.Published), day(upper.Published)
	return lp != "" && up != "" && up > lp
}

// day cuts a YYYY-MM-DD or RFC 3339 date to its day.
func day(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// KindSummary is what the figures of one kind say together.
type KindSummary struct {
	Kind     string
	Figures  int
	Disputes int
	// Spread is the widest gap between two disagreeing ranges of the kind, 0 when its
	// figures agree.
	Spread int
}

// Summary is an incident's figures at a glance: whether any kind is disputed, the
// widest spread over all kinds, and the kinds in the guideline's order.
type Summary struct {
	Disputed bool
	Spread   int
	Kinds    []KindSummary
}

// Summarize counts figures and disputes per kind.
func Summarize(figs []annotate.Figure) Summary {
	var s Summary
	idx := map[string]int{}
	for _, f := range figs {
		if f.Kind == "" {
			continue
		}
		k, ok := idx[f.Kind]
		if !ok {
			k = len(s.Kinds)
			idx[f.Kind] = k
			s.Kinds = append(s.Kinds, KindSummary{Kind: f.Kind})
		}
		s.Kinds[k].Figures++
	}
	for _, d := range Disputes(figs) {
		k := &s.Kinds[idx[d.Kind]]
		k.Disputes++
		k.Spread = max(k.Spread, d.Gap)
		s.Disputed = true
		s.Spread = max(s.Spread, d.Gap)
	}
	slices.SortFunc(s.Kinds, func(a, b KindSummary) int { return kindOrder(a.Kind, b.Kind) })
	return s
}

// Sort orders incidents for the review queue: disputed ones first, the widest spread
// first among them, then incidents with more figures, then the most recent date, then
// by id so the order is stable across refreshes.
func Sort(incs []annotate.Incident) {
	sums := make(map[int64]Summary, len(incs))
	for i := range incs {
		sums[incs[i].ID] = Summarize(incs[i].Figures)
	}
	SortWith(incs, func(inc *annotate.Incident) Summary { return sums[inc.ID] })
}

// SortWith is Sort with summaries the caller already has (keyed however it likes).
func SortWith(incs []annotate.Incident, summary func(*annotate.Incident) Summary) {
	sort.SliceStable(incs, func(i, j int) bool {
		a, b := &incs[i], &incs[j]
		sa, sb := summary(a), summary(b)
		if sa.Disputed != sb.Disputed {
			return sa.Disputed
		}
		if sa.Spread != sb.Spread {
			return sa.Spread > sb.Spread
		}
		if len(a.Figures) != len(b.Figures) {
			return len(a.Figures) > len(b.Figures)
		}
		if a.Date != b.Date {
			return a.Date > b.Date
		}
		return a.ID < b.ID
	})
}

// Matches reports whether an incident passes a filter, with the meaning
// annotate.IncidentFilter documents; a store and the review view share it.
func Matches(inc *annotate.Incident, f annotate.IncidentFilter) bool {
	if f.DocID != 0 && !slices.Contains(inc.DocIDs(), f.DocID) {
		return false
	}
	if f.Kind != "" && !slices.ContainsFunc(inc.Figures, func(g annotate.Figure) bool { return g.Kind == f.Kind }) {
		return false
	}
	if f.Place != "" && !strings.Contains(strings.ToLower(inc.Place), strings.ToLower(strings.TrimSpace(f.Place))) {
		return false
	}
	if f.From != "" && (inc.Date == "" || day(inc.Date) < f.From) {
		return false
	}
	if f.To != "" && (inc.Date == "" || day(inc.Date) > f.To) {
		return false
	}
	return true
}
