package learn

import (
	"os"
	"strconv"
)

// Experiment switches of issue 13's third pass (docs/learned-figures.md, "Third pass"):
// X_BAG, X_TBAG, X_TRIGP, X_TCX, X_STEM, X_SYN, X_WCNT, X_NEAR, X_CAPEXT, X_TOPK,
// X_DENS, X_CVENS, X_ARGEV, X_NOTHR set in the environment of TestPrintCV turn on one
// variant each. None was kept; this commit is reverted by the next one and stays in the
// history only so that the figures can be made again.
func expOn(name string) bool { return os.Getenv("X_"+name) != "" }

func expF(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv("X_"+name), 64); err == nil {
		return v
	}
	return def
}
