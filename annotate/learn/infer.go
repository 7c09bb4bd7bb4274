package learn

import (
	"math"
	"sort"
	"sync"
	"unicode/utf8"
)

// Inference of the BIO tagger, made cheap without changing one result: every sum is
// taken over the same terms in the same order as before, only terms that are exactly
// zero are skipped, and the buffers of one sentence are reused for the next (issue 20:
// the model's inference was three quarters of `evident suggest`'s CPU time).

// tagBuf holds what tagging one sentence needs, reused from sentence to sentence.
type tagBuf struct {
	fbuf        []uint64
	flat        []int32 // the feature rows of the sentence's tokens, one after another
	end         []int   // end[i] is where token i's rows end in flat
	rows        [][]int32
	e, em       []float64
	alpha, beta []float64
	score       []float64
	back        []int32
	tags        []int
	tr          []float64
	nz          [][]int // nz[j]: the tags k with a non-zero potential tr[j*T+k]
	transReady  bool
}

// predecessors lists, for each tag k, the tags j that may precede it, ascending: the
// order Viterbi tries them in.
func predecessors(T int) [][]int {
	prev := make([][]int, T)
	for k := 0; k < T; k++ {
		for j := 0; j < T; j++ {
			if allowed(j, k) {
				prev[k] = append(prev[k], j)
			}
		}
	}
	return prev
}

// predTable is predecessors(T) of a tagger, made once: a tagger's labels do not change
// after it is made, and training decodes every sentence of every pass.
type predTable struct {
	once sync.Once
	prev [][]int
}

func (pt *predTable) get(T int) [][]int {
	pt.once.Do(func() { pt.prev = predecessors(T) })
	if len(pt.prev) != T { // labels added after the first use: not cached
		return predecessors(T)
	}
	return pt.prev
}

// viterbiBuf is viterbi with its tables in b (nil: new ones). A tag's disallowed
// predecessors were skipped before too, so trying only the allowed ones, in the same
// order, picks the same best.
func (tg *tagger) viterbiBuf(n int, e []float64, trans []float32, b *tagBuf) []int {
	T := tg.nTags()
	if n == 0 {
		return nil
	}
	if b == nil {
		b = &tagBuf{}
	}
	prev := tg.pred.get(T)
	b.score = grow(b.score, n*T)
	if cap(b.back) < n*T {
		b.back = make([]int32, n*T)
	}
	back := b.back[:n*T]
	score := b.score
	for k := 0; k < T; k++ {
		score[k] = math.Inf(-1)
		if allowed(-1, k) {
			score[k] = e[k] + float64(trans[T*T+k])
		}
	}
	for i := 1; i < n; i++ {
		for k := 0; k < T; k++ {
			best, bj := math.Inf(-1), 0
			for _, j := range prev[k] {
				if s := score[(i-1)*T+j] + float64(trans[j*T+k]); s > best {
					best, bj = s, j
				}
			}
			score[i*T+k] = best + e[i*T+k]
			back[i*T+k] = int32(bj)
		}
	}
	if cap(b.tags) < n {
		b.tags = make([]int, n)
	}
	tags := b.tags[:n]
	tags[n-1] = 0
	best := math.Inf(-1)
	for k := 0; k < T; k++ {
		if s := score[(n-1)*T+k]; s > best {
			best, tags[n-1] = s, k
		}
	}
	for i := n - 1; i > 0; i-- {
		tags[i-1] = int(back[i*T+tags[i]])
	}
	return tags
}

// expTrans fills b.tr with the transition potentials of marginals (exp of the scaled
// transition scores, 0 where not allowed) and b.nz with each row's non-zero columns,
// once per document rather than once per sentence.
func (tg *tagger) expTrans(b *tagBuf) {
	T := tg.nTags()
	if b.transReady {
		return
	}
	b.tr = make([]float64, (T+1)*T)
	for j := 0; j <= T; j++ {
		prev := j
		if j == T {
			prev = -1
		}
		for k := 0; k < T; k++ {
			if allowed(prev, k) {
				b.tr[j*T+k] = math.Exp(tg.tr(j, k))
			}
		}
	}
	b.nz = nonzeroCols(b.tr, T)
	b.transReady = true
}

// marginalsInto writes each token's tag probabilities into p (n × T), as marginals did.
// The forward and backward sums skip only the terms whose transition potential is 0,
// which added exactly 0 (the other factors are finite), in the same order as before.
func (tg *tagger) marginalsInto(n int, e, p []float64, b *tagBuf) {
	if n == 0 {
		return
	}
	T := tg.nTags()
	tg.expTrans(b)
	b.em = grow(b.em, n*T)
	b.alpha = grow(b.alpha, n*T)
	b.beta = grow(b.beta, n*T)
	em, alpha, beta, trp := b.em, b.alpha, b.beta, b.tr
	expScores(e[:n*T], em, T)
	forwardBackwardNZ(n, T, trp, b.nz, em, alpha, beta)
	for i := 0; i < n; i++ {
		row := p[i*T : (i+1)*T]
		for k := range row {
			row[k] = alpha[i*T+k] * beta[i*T+k]
		}
		normalize(row)
	}
}

// needMarginals says whether anything reads the tag probabilities of the sentence
// [a, end): the confidence of a span the tagger found there, or of a rule's span over
// its tokens (Model.candidates). Most sentences of news have neither, and forward-backward
// was the tagger's largest cost; the probabilities of the others are left 0, unread.
func needMarginals(p *prepared, a, end int, tags []int) bool {
	for i := a; i < end; i++ {
		if tags[i-a] != 0 || len(p.marks[i]) > 0 {
			return true
		}
	}
	return false
}

// tag runs the tagger over a prepared text: the Viterbi spans, and each token's tag
// probabilities (len(toks) × nTags) to score the rules' spans with: those of a sentence
// with no span of the rules or the tagger are not computed (0).
func (tg *tagger) tag(p *prepared) ([]tagged, []float64) {
	T := tg.nTags()
	probs := make([]float64, len(p.toks)*T)
	var out []tagged
	var b tagBuf
	for si, a := range p.sentStart {
		end := len(p.toks)
		if si+1 < len(p.sentStart) {
			end = p.sentStart[si+1]
		}
		n := end - a
		b.flat, b.end = b.flat[:0], b.end[:0]
		for i := a; i < end; i++ {
			b.fbuf = p.tokenFeatures(i, b.fbuf[:0])
			for _, f := range b.fbuf {
				if r, ok := tg.ft.get(tg.feats, f); ok {
					b.flat = append(b.flat, r)
				}
			}
			b.end = append(b.end, len(b.flat))
		}
		b.rows = b.rows[:0]
		start := 0
		for _, e := range b.end {
			b.rows = append(b.rows, b.flat[start:e:e])
			start = e
		}
		b.e = grow(b.e, n*T)
		e := b.e
		tg.emissions(b.rows, tg.w, e)
		tags := tg.viterbiBuf(n, e, tg.trans, &b)
		if tg.temp > 0 {
			for i := range e {
				e[i] /= tg.temp
			}
		}
		m := probs[a*T : end*T]
		if needMarginals(p, a, end, tags) {
			tg.marginalsInto(n, e, m, &b)
		}
		for i := 0; i < n; i++ {
			if tags[i] == 0 || isInside(tags[i]) {
				continue
			}
			j := i + 1
			for j < n && tags[j] == tags[i]+1 {
				j++
			}
			out = append(out, tagged{start: p.toks[a+i].s, end: p.toks[a+j-1].e, label: tagLabel(tg.labels, tags[i]),
				conf: spanProb(m, T, i, j, tags[i])})
		}
	}
	return out, probs
}

// labelIndex finds the candidates of a label overlapping a span quickly: addArgs asked
// every candidate for every argument span, quadratic in a long document. Per label the
// candidates are sorted by start; a candidate that overlaps [start, end) starts before
// end and after start minus the label's longest candidate.
type labelIndex struct {
	byLabel map[string]*labelRun
}

type labelRun struct {
	idx    []int // candidate indices, by start
	maxLen int
}

func newLabelIndex(out []scored) labelIndex {
	li := labelIndex{byLabel: map[string]*labelRun{}}
	for i := range out {
		l := normLabel(out[i].sp.Label)
		r := li.byLabel[l]
		if r == nil {
			r = &labelRun{}
			li.byLabel[l] = r
		}
		r.idx = append(r.idx, i)
		r.maxLen = max(r.maxLen, out[i].sp.End-out[i].sp.Start)
	}
	for _, r := range li.byLabel {
		sort.SliceStable(r.idx, func(a, b int) bool { return out[r.idx[a]].sp.Start < out[r.idx[b]].sp.Start })
	}
	return li
}

// overlapping calls fn with each candidate of label that overlaps [start, end) and
// reports whether there was one.
func (li labelIndex) overlapping(out []scored, label string, start, end int, fn func(o *scored)) bool {
	r := li.byLabel[label]
	if r == nil {
		return false
	}
	lo := sort.Search(len(r.idx), func(k int) bool { return out[r.idx[k]].sp.Start > start-r.maxLen })
	hit := false
	for k := lo; k < len(r.idx); k++ {
		o := &out[r.idx[k]]
		if o.sp.Start >= end {
			break
		}
		if o.sp.End > start {
			hit = true
			fn(o)
		}
	}
	return hit
}

// scoresOf is scores(len(p.toks), argPairs(p, trig, nil, nil, nil)) without keeping the
// pairs: each pair's features go into one reused buffer and are scored at once, in the
// same order (find allocated a feature slice for every word near every trigger).
func (at *argTagger) scoresOf(p *prepared, trig [][3]int) []float64 {
	L := len(at.labels)
	out := make([]float64, len(p.toks)*L)
	for i := range out {
		out[i] = math.Inf(-1)
	}
	s := make([]float64, L)
	var f []uint64
	for _, tr := range trig {
		ta, tb := tr[0], tr[1]
		tlab := ""
		for _, m := range p.marks[ta] {
			if isTrigger(m.label) {
				tlab = m.label
			}
		}
		sent := p.toks[ta].sent
		lo, hi := max(0, ta-maxArgDist), min(len(p.toks), tb+maxArgDist)
		for i := lo; i < hi; i++ {
			if i >= ta && i < tb || p.toks[i].sent != sent || !(p.toks[i].e-p.toks[i].s > 1 || p.shapeAt(i) != p.toks[i].raw) { // isWordTok
				continue
			}
			f = argFeatures(p, i, ta, tb, tlab, f[:0])
			at.scorePair(i, f, s, out)
		}
	}
	return out
}

// shapeAt is shape(p.toks[i].raw), made once per token: the tagger and the argument
// tagger ask for it several times per token.
func (p *prepared) shapeAt(i int) string {
	p.perToken()
	return p.shapes[i]
}

// numAt is numberWords[p.toks[i].lower], looked up once per token: the argument tagger
// asks for it for every pair of word and trigger.
func (p *prepared) numAt(i int) bool {
	p.perToken()
	return p.nums[i]
}

func (p *prepared) perToken() {
	if p.shapes != nil {
		return
	}
	p.shapes = make([]string, len(p.toks))
	p.nums = make([]bool, len(p.toks))
	for k, t := range p.toks {
		p.shapes[k] = shape(t.raw)
		p.nums[k] = numberWords[t.lower]
	}
}

// headRunes is string([]rune(s)[:k]) and tailRunes string([]rune(s)[n-k:]) for a string
// s of at least k code points, without converting s where it is valid UTF-8 (the same
// bytes then). A bad byte becomes U+FFFD in a []rune, so such a token keeps that way.
func headRunes(s string, k int) string {
	if !utf8.ValidString(s) {
		return string([]rune(s)[:k])
	}
	i := 0
	for ; k > 0; k-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i]
}

func tailRunes(s string, k int) string {
	if !utf8.ValidString(s) {
		r := []rune(s)
		return string(r[len(r)-k:])
	}
	i := len(s)
	for ; k > 0; k-- {
		_, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
	}
	return s[i:]
}

// featTable is a model's feature map (hash -> row) as one open-addressed array: a lookup
// is a probe or two in one cache line, where a Go map hashes the key again and reads its
// control bytes first. Lookups were the largest single cost of tagging. It is built once,
// on first use, from a map that no longer changes (a trained or loaded model's), and read
// by any number of goroutines.
type featTable struct {
	once  sync.Once
	slots []featSlot
	mask  uint64
}

type featSlot struct {
	key uint64
	row int32 // -1: empty
}

// get returns the row of feature h in m.
func (ft *featTable) get(m map[uint64]int32, h uint64) (int32, bool) {
	ft.once.Do(func() { ft.build(m) })
	// the keys are FNV hashes: their high bits, folded down, spread them over the slots
	for i := (h ^ h>>32) & ft.mask; ; i = (i + 1) & ft.mask {
		s := &ft.slots[i]
		if s.row < 0 {
			return 0, false
		}
		if s.key == h {
			return s.row, true
		}
	}
}

func (ft *featTable) build(m map[uint64]int32) {
	n := uint64(4)
	for n < 2*uint64(len(m)) {
		n *= 2
	}
	ft.slots = make([]featSlot, n)
	for i := range ft.slots {
		ft.slots[i].row = -1
	}
	ft.mask = n - 1
	for h, r := range m {
		i := (h ^ h>>32) & ft.mask
		for ft.slots[i].row >= 0 {
			i = (i + 1) & ft.mask
		}
		ft.slots[i] = featSlot{key: h, row: r}
	}
}

// forwardBackwardNZ is forwardBackward with nz[j] the columns k where trp[j*T+k] is not 0:
// only those terms are summed, in the same order. A skipped term was exactly 0 (the
// other factors are finite), so the sums are the same.
func forwardBackwardNZ(n, T int, trp []float64, nz [][]int, em, alpha, beta []float64) {
	for k := 0; k < T; k++ {
		alpha[k] = trp[T*T+k] * em[k]
	}
	normalize(alpha[:T])
	for i := 1; i < n; i++ {
		cur, prev := alpha[i*T:(i+1)*T], alpha[(i-1)*T:i*T]
		clear(cur)
		for j, a := range prev {
			if a == 0 {
				continue
			}
			row := trp[j*T : (j+1)*T]
			for _, k := range nz[j] {
				cur[k] += a * row[k]
			}
		}
		for k := range cur {
			cur[k] *= em[i*T+k]
		}
		normalize(cur)
	}
	for k := 0; k < T; k++ {
		beta[(n-1)*T+k] = 1
	}
	for i := n - 2; i >= 0; i-- {
		cur, next := beta[i*T:(i+1)*T], beta[(i+1)*T:(i+2)*T]
		emn := em[(i+1)*T : (i+2)*T]
		for j := range cur {
			row := trp[j*T : (j+1)*T]
			s := 0.0
			for _, k := range nz[j] {
				s += row[k] * emn[k] * next[k]
			}
			cur[j] = s
		}
		normalize(cur)
	}
}

// nonzeroCols lists, for each row j of trp ((T+1) × T), the columns k with trp[j*T+k] != 0.
func nonzeroCols(trp []float64, T int) [][]int {
	nz := make([][]int, len(trp)/T)
	for j := range nz {
		for k := 0; k < T; k++ {
			if trp[j*T+k] != 0 {
				nz[j] = append(nz[j], k)
			}
		}
	}
	return nz
}
