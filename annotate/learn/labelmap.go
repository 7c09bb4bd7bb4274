package learn

import (
	"sort"

	"evident/annotate"
)

// A rule label the annotator never uses may still find what the annotator marks under
// another label: the rules mark "12 people" CASUALTY, and an annotator who counts a
// counted victim as a VICTIM marks the same words VICTIM. Left as they are, such spans get
// only their rule's acceptance rate (never accepted under their own label, so hidden);
// relabelled, the tagger scores them as candidates of the annotator's label. The map is
// learned from the annotator's done documents, never written per label.

// minMapShare is the share of a rule label's spans in the annotator's documents that an
// accepted span of another label must overlap for the one to be read as the other. Set
// before any figure: a wrong map costs little, since the tagger still scores every
// relabelled span (and hides those it does not believe).
const minMapShare = 0.25

// minMapSpans is the fewest spans of a rule label the map is learned from.
const minMapSpans = 5

// learnLabelMap maps each rule label that no accepted span of the annotator's uses to
// the annotator's label whose accepted spans overlap the largest share of its spans, when
// that share is at least minMapShare. drafts[i] is the rules' output on exs[i]; base
// documents do not count (the rules were written to their conventions).
func learnLabelMap(exs []Example, drafts []annotate.Draft) map[string]string {
	used := map[string]bool{}
	for _, ex := range exs {
		if ex.Base {
			continue
		}
		for _, sp := range ex.Accepted.Spans {
			used[normLabel(sp.Label)] = true
		}
	}
	total := map[string]int{}
	hits := map[string]map[string]int{}
	for i, ex := range exs {
		if ex.Base || !ex.Complete {
			continue
		}
		for _, sp := range drafts[i].Spans {
			l := normLabel(sp.Label)
			if used[l] {
				continue
			}
			total[l]++
			seen := map[string]bool{}
			for _, a := range ex.Accepted.Spans {
				al := normLabel(a.Label)
				if !seen[al] && a.Start < sp.End && sp.Start < a.End {
					seen[al] = true
					if hits[l] == nil {
						hits[l] = map[string]int{}
					}
					hits[l][al]++
				}
			}
		}
	}
	var out map[string]string
	for l, n := range total {
		if n < minMapSpans {
			continue
		}
		var labels []string
		for al := range hits[l] {
			labels = append(labels, al)
		}
		sort.Strings(labels) // ties go to the first label in order, the same every run
		best, bestN := "", 0
		for _, al := range labels {
			if hits[l][al] > bestN {
				best, bestN = al, hits[l][al]
			}
		}
		if best != "" && float64(bestN) >= minMapShare*float64(n) {
			if out == nil {
				out = map[string]string{}
			}
			out[l] = best
		}
	}
	return out
}

// relabel gives the rules' spans of a mapped label the label they map to (in place).
func relabel(d annotate.Draft, m map[string]string) {
	if len(m) == 0 {
		return
	}
	for i := range d.Spans {
		if to, ok := m[normLabel(d.Spans[i].Label)]; ok {
			d.Spans[i].Label = to
		}
	}
}
