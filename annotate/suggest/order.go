package suggest

// Ordering candidates: resolve and draft sort every kept candidate, tens of thousands
// on a long text. Comparison sorts with string keys were a tenth of the run time; these
// counting sorts are linear and give exactly the order of the stable sorts they replace.

// countingSort reorders idx stably by key(i), which must lie in [0, n); tmp and counts
// are scratch (grown as needed) and returned for reuse.
func countingSort(idx []int, n int, key func(int) int, tmp []int, counts []int32) ([]int, []int32) {
	if cap(counts) < n+1 {
		counts = make([]int32, n+1)
	}
	counts = counts[:n+1]
	clear(counts)
	for _, i := range idx {
		counts[key(i)+1]++
	}
	for k := 1; k <= n; k++ {
		counts[k] += counts[k-1]
	}
	if cap(tmp) < len(idx) {
		tmp = make([]int, len(idx))
	}
	tmp = tmp[:len(idx)]
	for _, i := range idx {
		k := key(i)
		tmp[counts[k]] = i
		counts[k]++
	}
	copy(idx, tmp)
	return tmp, counts
}

// sortLongestFirst orders idx (ascending candidate indices) by length (longest first),
// then label priority (highest first), then first token, then index.
func (d *doc) sortLongestFirst(idx []int) {
	if len(idx) < 2 {
		return
	}
	minLen, maxLen := 1<<30, -1<<30
	for _, i := range idx {
		l := d.cands[i].b - d.cands[i].a
		minLen, maxLen = min(minLen, l), max(maxLen, l)
	}
	// least significant key first: start token, then length and priority together
	d.tmp, d.counts = countingSort(idx, len(d.toks)+1, func(i int) int { return d.cands[i].a }, d.tmp, d.counts)
	const prios = 7 // labelPrio is 0..6
	d.tmp, d.counts = countingSort(idx, (maxLen-minLen+1)*prios, func(i int) int {
		c := &d.cands[i]
		return (maxLen-(c.b-c.a))*prios + 6 - labelPrio(c.label)
	}, d.tmp, d.counts)
}

// sortTextOrder orders idx (ascending candidate indices) by first token, then end
// token, then label, then index.
func (d *doc) sortTextOrder(idx []int) {
	if len(idx) < 2 {
		return
	}
	d.tmp, d.counts = countingSort(idx, len(d.toks)+1, func(i int) int { return d.cands[i].a }, d.tmp, d.counts)
	// runs with one start are short: a stable insertion sort finishes them
	for lo := 0; lo < len(idx); {
		hi := lo + 1
		for hi < len(idx) && d.cands[idx[hi]].a == d.cands[idx[lo]].a {
			hi++
		}
		for j := lo + 1; j < hi; j++ {
			for k := j; k > lo && textOrderLess(&d.cands[idx[k]], &d.cands[idx[k-1]]); k-- {
				idx[k], idx[k-1] = idx[k-1], idx[k]
			}
		}
		lo = hi
	}
}

// textOrderLess orders two candidates with the same start by end, then label.
func textOrderLess(a, b *cand) bool {
	if a.b != b.b {
		return a.b < b.b
	}
	return a.label < b.label
}
