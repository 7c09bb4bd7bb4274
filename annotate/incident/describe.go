package incident

import (
	"slices"
	"sort"
	"strings"

	"evident/annotate"
)

// Describe fills a new incident's Type, Place, Date and Title from its events (the
// defaults a reviewer can edit): the type ATTACK when any event is an attack, else the
// most frequent; the place named by the most documents, most specific on a tie, narrowed
// to a place inside it when one is named; the most frequent date, earliest on a tie.
func Describe(events []EventInfo, containment map[string]string) annotate.Incident {
	if containment == nil {
		containment = DefaultContainment()
	}
	pl := newPlaces(containment)
	inc := annotate.Incident{}
	types, dates := map[string]int{}, map[string]int{}
	docsOf := map[string]map[int64]bool{} // normalised place -> documents naming it
	shown := map[string]string{}          // normalised place -> shortest text
	bySkel := map[string]string{}         // transliteration skeleton -> normalised place
	for _, e := range events {
		inc.Events = append(inc.Events, e.Ref)
		if e.Type != "" {
			types[e.Type]++
		}
		if e.Date != "" {
			dates[e.Date]++
		}
		for _, p := range e.Places {
			n := normPlace(p)
			if n == "" {
				continue
			}
			// spellings of one place count together ("Voufaibit", "Voufaibbit"): the
			// first spelling seen stands for the others
			sk := skeletonOf(n)
			if first, ok := bySkel[sk]; ok && sk != "" {
				n = first
			} else if sk != "" {
				bySkel[sk] = n
			}
			if docsOf[n] == nil {
				docsOf[n] = map[int64]bool{}
			}
			docsOf[n][e.Ref.DocID] = true
			if t, ok := shown[n]; !ok || len(tidy(p)) < len(t) {
				shown[n] = tidy(p)
			}
		}
	}
	inc.Type = mostFrequent(types, func(a, b string) bool { return a < b })
	if types["ATTACK"] > 0 {
		inc.Type = "ATTACK"
	}
	inc.Date = mostFrequent(dates, func(a, b string) bool { return a < b })
	names := make([]string, 0, len(docsOf))
	for n := range docsOf {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if len(docsOf[a]) != len(docsOf[b]) {
			return len(docsOf[a]) > len(docsOf[b])
		}
		if pl.depth(a) != pl.depth(b) {
			return pl.depth(a) > pl.depth(b)
		}
		if ra, rb := isRegion(shown[a]), isRegion(shown[b]); ra != rb {
			return rb // a town before "X province"
		}
		return a < b
	})
	if len(names) > 0 {
		place := names[0]
		// narrow to the most specific place that lies inside it
		for _, n := range names[1:] {
			if (pl.within(n, place) || containsTokens(n, place)) && pl.depth(n) >= pl.depth(place) {
				place = n
			}
		}
		inc.Place = shown[place]
	}
	inc.Title = titleOf(inc.Type, inc.Place, inc.Date)
	return inc
}

func titleOf(typ, place, date string) string {
	words := map[string]string{"ATTACK": "Attack", "DEATH": "Deaths", "INJURY": "Injuries"}
	t := words[typ]
	if t == "" {
		t = "Incident"
	}
	if place != "" {
		t += " in " + place
	}
	if date != "" {
		t += ", " + date
	}
	return t
}

// mostFrequent returns the key with the highest count, the first by less on a tie.
func mostFrequent(m map[string]int, less func(a, b string) bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		if less(a, b) {
			return -1
		}
		if less(b, a) {
			return 1
		}
		return 0
	})
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

// isRegion reports whether a place is written as a region ("Bruzo province").
func isRegion(s string) bool {
	f := strings.Fields(strings.ToLower(s))
	return len(f) > 1 && genericTail[f[len(f)-1]]
}
