package learn

import (
	"math/rand/v2"
	"os"
)

// Experiment (temporary): the argument tagger trained to rank, per trigger and label,
// the gold argument above the trigger's other words and above "none".
var xRANK = os.Getenv("X_RANK") != ""

func fitRank(L, nf int, data [][]argExample, docs []int, seed uint64, feats map[uint64]int32) []float32 {
	type group struct {
		doc   int
		pairs []int32
	}
	var groups []group
	for _, d := range docs {
		byTr := map[int32]int{}
		for k, x := range data[d] {
			g, ok := byTr[x.tr]
			if !ok {
				g = len(groups)
				byTr[x.tr] = g
				groups = append(groups, group{doc: d})
			}
			groups[g].pairs = append(groups[g].pairs, int32(k))
		}
	}
	w := make([]float32, nf*L)
	u := make([]float32, len(w))
	null := make([]float32, L) // the score of "no argument of this label"
	nu := make([]float32, L)
	rng := rand.New(rand.NewPCG(seed, 17))
	order := rng.Perm(len(groups))
	step := float32(1)
	score := func(x *argExample, l int) float32 {
		s := float32(0)
		for _, r := range x.rows {
			s += w[int(r)*L+l]
		}
		return s
	}
	upd := func(x *argExample, l int, y float32) {
		for _, r := range x.rows {
			w[int(r)*L+l] += y
			u[int(r)*L+l] += y * step
		}
	}
	for ep := 0; ep < argEpochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, gi := range order {
			g := groups[gi]
			xs := data[g.doc]
			for l := 0; l < L; l++ {
				// the best negative (a word not the argument, or none)
				bestNeg, bestS := -1, null[l]
				var wt float32 = 1
				for _, k := range g.pairs {
					x := &xs[k]
					wt = x.wt
					if x.y&(1<<l) != 0 {
						continue
					}
					if s := score(x, l); s > bestS {
						bestNeg, bestS = int(k), s
					}
				}
				anyPos := false
				for _, k := range g.pairs {
					x := &xs[k]
					if x.y&(1<<l) == 0 {
						continue
					}
					anyPos = true
					if score(x, l) > bestS {
						continue
					}
					upd(x, l, x.wt)
					if bestNeg >= 0 {
						upd(&xs[bestNeg], l, -x.wt)
					} else {
						null[l] -= x.wt
						nu[l] -= x.wt * step
					}
				}
				if !anyPos && bestNeg >= 0 {
					upd(&xs[bestNeg], l, -wt)
					null[l] += wt
					nu[l] += wt * step
				}
			}
			step++
		}
	}
	for i := range w {
		w[i] -= u[i] / step
	}
	// fold "none" into the bias row, so a word's score is its margin over none
	if r, ok := feats[feat("bias", "")]; ok {
		for l := 0; l < L; l++ {
			w[int(r)*L+l] -= null[l] - nu[l]/step
		}
	}
	return w
}
