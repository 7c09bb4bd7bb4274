package learn

import (
	"context"
	"math"
	"os"
)

// Experiment (temporary): per-label Platt calibration of the candidates' confidences
// from 3 inner folds (X_CAL=1 triggers only, X_CAL=2 every label).
var xCAL = func() int {
	switch os.Getenv("X_CAL") {
	case "1":
		return 1
	case "2":
		return 2
	}
	return 0
}()

// fitConfCal fits, per label, p = sigmoid(a*logit(conf)+b) to the held-out candidates
// of inner models.
func fitConfCal(ctx context.Context, exs []Example, preps []*prepared, opt Options) (map[string][2]float64, error) {
	var test []int
	for i, ex := range exs {
		if ex.Complete && !ex.Base {
			test = append(test, i)
		}
	}
	const folds = 3
	if len(test) < folds {
		return nil, nil
	}
	foldOf := make([]int, len(exs))
	for i := range foldOf {
		foldOf[i] = -1
	}
	for k, i := range test {
		foldOf[i] = k % folds
	}
	runs := folds
	if len(test) >= manyDocs {
		runs = 1
	}
	pts := map[string][]calPoint{}
	for f := 0; f < runs; f++ {
		var trE []Example
		var trP []*prepared
		for i := range exs {
			if foldOf[i] != f {
				trE, trP = append(trE, exs[i]), append(trP, preps[i])
			}
		}
		mf, err := trainBase(ctx, trE, trP, opt)
		if err != nil {
			return nil, err
		}
		for _, i := range test {
			if foldOf[i] != f {
				continue
			}
			out := mf.candidates(preps[i], exs[i].Text)
			for _, o := range out {
				l := normLabel(o.sp.Label)
				if xCAL == 1 && !isTrigger(l) {
					continue
				}
				c := math.Min(math.Max(*o.sp.Confidence, 1e-4), 1-1e-4)
				pts[l] = append(pts[l], calPoint{math.Log(c / (1 - c)), overlapsAny(o.sp, exs[i].Accepted.Spans)})
			}
		}
	}
	cal := map[string][2]float64{}
	for l, ps := range pts {
		if len(ps) < 10 {
			continue
		}
		a, b := fitCalibration(ps)
		cal[l] = [2]float64{a, b}
	}
	return cal, nil
}

func (m *Model) calibrate(out []scored) {
	for i := range out {
		o := &out[i]
		ab, ok := m.confCal[normLabel(o.sp.Label)]
		if !ok {
			continue
		}
		c := math.Min(math.Max(*o.sp.Confidence, 1e-4), 1-1e-4)
		v := 1 / (1 + math.Exp(-(ab[0]*math.Log(c/(1-c)) + ab[1])))
		o.sp.Confidence = &v
	}
}
