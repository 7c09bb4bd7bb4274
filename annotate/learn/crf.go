package learn

import (
	"math"
	"math/rand/v2"
)

// trainCRF fits the tagger's weights as a linear-chain conditional random field: the same
// features, tags and transitions as the perceptron, but trained by stochastic gradient
// ascent on the log-likelihood of the gold tags (observed minus expected feature counts,
// from forward-backward), with L2 regularisation applied to the rows each sentence
// touches. It exists to compare the two learners on the same features (Options.CRF;
// docs/learned-figures.md has the figures); the perceptron is the default.
func (tg *tagger) trainCRF(seqs []seq, epochs int, seed uint64) {
	T := tg.nTags()
	w := make([]float32, len(tg.feats)*T)
	tr := make([]float32, (T+1)*T)
	const (
		lr0    = 0.1
		lambda = 1e-4 // per touched row and step
	)
	rng := rand.New(rand.NewPCG(seed, 17))
	order := make([]int, len(seqs))
	for i := range order {
		order[i] = i
	}
	step := 0
	var e, em, alpha, beta, node []float64
	trp := make([]float64, (T+1)*T)
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, si := range order {
			s := &seqs[si]
			n := len(s.gold)
			if n == 0 {
				continue
			}
			lr := lr0 / (1 + float64(step)/float64(len(seqs)))
			step++
			e, em, alpha, beta, node = grow(e, n*T), grow(em, n*T), grow(alpha, n*T), grow(beta, n*T), grow(node, n*T)
			tg.emissions(s.rows, w, e)
			for j := 0; j <= T; j++ {
				prev := j
				if j == T {
					prev = -1
				}
				for k := 0; k < T; k++ {
					trp[j*T+k] = 0
					if allowed(prev, k) {
						trp[j*T+k] = math.Exp(float64(tr[j*T+k]))
					}
				}
			}
			expScores(e, em, T)
			forwardBackward(n, T, trp, em, alpha, beta)
			// node marginals
			for i := 0; i < n; i++ {
				for k := 0; k < T; k++ {
					node[i*T+k] = alpha[i*T+k] * beta[i*T+k]
				}
				normalize(node[i*T : (i+1)*T])
			}
			// emission gradient: gold minus expected, on the rows of each token
			for i := 0; i < n; i++ {
				g := s.gold[i]
				for _, r := range s.rows[i] {
					ws := w[int(r)*T : (int(r)+1)*T]
					for k := range ws {
						grad := -node[i*T+k]
						if k == g {
							grad++
						}
						ws[k] += float32(lr * (grad - lambda*float64(ws[k])))
					}
				}
			}
			// transition gradient: gold minus the edge marginals
			for k := 0; k < T; k++ {
				grad := -node[k]
				if k == s.gold[0] {
					grad++
				}
				tr[T*T+k] += float32(lr * grad)
			}
			for i := 1; i < n; i++ {
				sum := 0.0
				for j := 0; j < T; j++ {
					for k := 0; k < T; k++ {
						sum += alpha[(i-1)*T+j] * trp[j*T+k] * em[i*T+k] * beta[i*T+k]
					}
				}
				for j := 0; j < T; j++ {
					a := alpha[(i-1)*T+j] / sum
					for k := 0; k < T; k++ {
						grad := -a * trp[j*T+k] * em[i*T+k] * beta[i*T+k]
						if j == s.gold[i-1] && k == s.gold[i] {
							grad++
						}
						tr[j*T+k] += float32(lr * grad)
					}
				}
			}
		}
	}
	tg.w, tg.trans = w, tr
}

// forwardBackward fills scaled alpha and beta (n × T) for transition potentials trp
// ((T+1) × T, the last row the start) and emission potentials em; each position's rows
// are normalised, which cancels in the marginals.
func forwardBackward(n, T int, trp, em, alpha, beta []float64) {
	forwardBackwardNZ(n, T, trp, nonzeroCols(trp, T), em, alpha, beta)
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// normalize scales xs to sum to 1 (left as it is when it sums to 0).
func normalize(xs []float64) {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	if s > 0 {
		for i := range xs {
			xs[i] /= s
		}
	}
}

// expScores fills em with exp of each token's scores in e (rows of T), shifted by the
// row's maximum so exp stays in range (the shift cancels in normalising).
func expScores(e, em []float64, T int) {
	for i := 0; i+T <= len(e); i += T {
		m := math.Inf(-1)
		for _, v := range e[i : i+T] {
			m = math.Max(m, v)
		}
		for k, v := range e[i : i+T] {
			em[i+k] = math.Exp(v - m)
		}
	}
}
