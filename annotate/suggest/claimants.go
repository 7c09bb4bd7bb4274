package suggest

// linkClaimants gives each casualty figure the source that claims it: a SOURCE in the
// same sentence ("..., the health ministry said", "according to X", "X said that ..."),
// the nearest when there are several; in a sentence whose speaker is a pronoun ("he
// said", "it added") the latest source of the preceding sentences. A bare head ("the
// office said") stands for the latest longer source ending in the same word ("UN human
// rights office"). With none of these the claimant stays unstated.
func (d *doc) linkClaimants() {
	toks := d.toks
	var all []int // SOURCE candidates in token order
	for i := range d.cands {
		if d.cands[i].label == "SOURCE" {
			all = append(all, i)
		}
	}
	if len(all) == 0 {
		return
	}
	// the sources of sentence s are bySent[first[s]:first[s+1]], in candidate order
	nSent := int(toks[len(toks)-1].sent) + 1
	first := make([]int32, nSent+1)
	for _, i := range all {
		first[toks[d.cands[i].a].sent+1]++
	}
	for s := 1; s <= nSent; s++ {
		first[s] += first[s-1]
	}
	bySent := make([]int, len(all))
	next := append([]int32(nil), first[:nSent]...)
	for _, i := range all {
		s := toks[d.cands[i].a].sent
		bySent[next[s]] = i
		next[s]++
	}
	// full[si]: for a one-word source, the latest earlier longer source ending in the
	// same word (see fullSource), found in one pass
	full := map[int]int{}
	lastLong := map[string]int{}
	for _, si := range all {
		s := &d.cands[si]
		w := d.lw(s.b - 1)
		if s.b-s.a == 1 {
			if o, ok := lastLong[w]; ok {
				full[si] = o
			}
		} else {
			lastLong[w] = si
		}
	}
	// sentences holding a figure: a neighbour's source speaks for a figure only when the
	// neighbour has none of its own
	hasFig := make([]bool, nSent)
	for ci := range d.cands {
		if c := &d.cands[ci]; c.label == "CASUALTY" && c.cas != nil {
			hasFig[toks[c.a].sent] = true
		}
	}
	// sentStart[s]: whether sentence s starts a paragraph
	sentStart := make([]bool, nSent)
	for i := range toks {
		if i == 0 || toks[i-1].sent != toks[i].sent {
			sentStart[toks[i].sent] = toks[i].nl || i == 0
		}
	}
	var rel relClauses
	for ci := range d.cands {
		c := &d.cands[ci]
		if c.label != "CASUALTY" || c.cas == nil {
			continue
		}
		best, bestD := -1, 1<<30
		cs := toks[c.a].sent
		for _, si := range bySent[first[cs]:first[cs+1]] {
			s := &d.cands[si]
			dd := s.a - c.b
			if s.b <= c.a {
				dd = c.a - s.b
				if s.origin != "rule:source.according" && rel.between(d, s.b, c.a) {
					continue // "X says their attacks ..., which has killed N": not X's figure
				}
			}
			if dd < bestD {
				best, bestD = si, dd
			}
		}
		if best < 0 && d.pronounSaid(c.a) {
			best = d.latestSource(all, c.a, 3)
		}
		if best < 0 && !d.backgroundSentence(c.a) {
			// "The ministry said on Tuesday that the toll had climbed. Some 63 people are
			// now confirmed dead." / "The blast killed 21 people. A nurse said ...": the
			// source of the sentence before, else after, in the same paragraph, when that
			// sentence counts nothing itself; a background sentence ("A similar attack in
			// 2021 killed more than 70 people") is nobody's claim here
			if p := cs - 1; p >= 0 && !sentStart[cs] && !hasFig[p] && first[p+1] > first[p] {
				best = bySent[first[p+1]-1]
			} else if n := cs + 1; int(n) < nSent && !sentStart[n] && !hasFig[n] && first[n+1] > first[n] {
				best = bySent[first[n]]
			}
		}
		if best < 0 {
			continue
		}
		if o, ok := full[best]; ok {
			best = o
		}
		s := &d.cands[best]
		c.claim = best
		c.cas.ClaimantText = d.text[toks[s.a].bs:toks[s.b-1].be]
	}
}

// relClauses answers whether a relative clause (", which", ", who") starts between two
// tokens. It counts the clause starts of a sentence once, when first asked about it, so
// each question costs two lookups: a run-on sentence with many figures and sources would
// otherwise be rescanned for every pair.
type relClauses struct {
	lo, hi int     // the counted sentence is tokens [lo, hi); hi == 0: none yet
	upTo   []int32 // upTo[j-lo]: clause starts at tokens lo..j-1
}

// isClauseStart reports whether a relative clause starts at token j.
func (d *doc) isClauseStart(j int) bool {
	return j > 0 && in(d.lw(j), "which", "who", "whose", "whom") && d.lw(j-1) == ","
}

func (r *relClauses) between(d *doc, a, b int) bool {
	if a >= b {
		return false
	}
	toks := d.toks
	if toks[a].sent != toks[b-1].sent {
		for j := a; j < b; j++ { // not within one sentence: count directly
			if d.isClauseStart(j) {
				return true
			}
		}
		return false
	}
	if a < r.lo || b > r.hi {
		sent := toks[a].sent
		r.lo, r.hi = a, b
		for r.lo > 0 && toks[r.lo-1].sent == sent {
			r.lo--
		}
		for r.hi < len(toks) && toks[r.hi].sent == sent {
			r.hi++
		}
		r.upTo = r.upTo[:0]
		n := int32(0)
		for j := r.lo; j < r.hi; j++ {
			r.upTo = append(r.upTo, n)
			if d.isClauseStart(j) {
				n++
			}
		}
		r.upTo = append(r.upTo, n)
	}
	return r.upTo[b-r.lo] > r.upTo[a-r.lo]
}

// pronounSaid reports whether the sentence of token i has a pronoun speaker: "he said",
// "it added", "they told", "the statement said".
func (d *doc) pronounSaid(i int) bool {
	toks := d.toks
	sent := toks[i].sent
	lo := i
	for lo > 0 && toks[lo-1].sent == sent {
		lo--
	}
	for j := lo; j+1 < len(toks) && toks[j].sent == sent; j++ {
		if in(d.lw(j), "he", "she", "it", "they", "statement") && d.s.lReport.has(d, j+1) {
			return true
		}
	}
	return false
}

// latestSource returns the last SOURCE before token i within n sentences, or -1.
func (d *doc) latestSource(all []int, i, n int) int {
	sent := d.toks[i].sent
	for k := len(all) - 1; k >= 0; k-- {
		s := &d.cands[all[k]]
		if s.b > i {
			continue
		}
		if sent-d.toks[s.a].sent > int32(n) {
			return -1
		}
		return all[k]
	}
	return -1
}

// backgroundSentence reports whether the sentence of token i looks back beyond the news:
// it names a year or a span of years ("in 2021", "over the past decade").
func (d *doc) backgroundSentence(i int) bool {
	toks := d.toks
	sent := toks[i].sent
	lo := i
	for lo > 0 && toks[lo-1].sent == sent {
		lo--
	}
	for j := lo; j < len(toks) && toks[j].sent == sent; j++ {
		w := d.lw(j)
		if toks[j].kind == kNum && len(w) == 4 && w >= "1900" && w <= "2100" {
			return true
		}
		if in(w, "decade", "decades", "years", "past", "history", "previous", "earlier", "ago") {
			return true
		}
	}
	return false
}
