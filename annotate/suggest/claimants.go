package suggest

// linkClaimants gives each casualty figure the source that claims it: a SOURCE in the
// same sentence ("..., the health ministry said", "according to X", "X says ..."), the
// nearest one when there are several. It fills Casualty.ClaimantText and the draft's
// Claimants map; with no source in the sentence the claimant stays unstated.
func (d *doc) linkClaimants() {
	toks := d.toks
	bySent := map[int32][]int{}
	for i := range d.cands {
		if d.cands[i].label == "SOURCE" {
			s := toks[d.cands[i].a].sent
			bySent[s] = append(bySent[s], i)
		}
	}
	if len(bySent) == 0 {
		return
	}
	for ci := range d.cands {
		c := &d.cands[ci]
		if c.label != "CASUALTY" || c.cas == nil {
			continue
		}
		best, bestD := -1, 1<<30
		for _, si := range bySent[toks[c.a].sent] {
			s := &d.cands[si]
			dd := s.a - c.b
			if s.b <= c.a {
				dd = c.a - s.b
				if dd > 10 && s.origin != "rule:source.according" {
					continue // "X says their attacks ..., which has killed N": too far to be X's figure
				}
			}
			if dd < bestD {
				best, bestD = si, dd
			}
		}
		if best >= 0 {
			s := &d.cands[best]
			c.claim = best
			c.cas.ClaimantText = d.text[toks[s.a].bs:toks[s.b-1].be]
		}
	}
}
