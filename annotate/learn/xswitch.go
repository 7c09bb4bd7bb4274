package learn

import (
	"os"
	"strconv"
)

// Experiment switches (temporary; reverted after measuring).
var (
	xLSE     = os.Getenv("X_LSE") != ""
	xTLAB    = os.Getenv("X_TLAB") != ""
	xXSENT   = os.Getenv("X_XSENT") != ""
	xNOR     = os.Getenv("X_NOR") != ""
	xRLINK   = os.Getenv("X_RLINK") != ""
	xVETO, _ = strconv.Atoi(os.Getenv("X_VETO"))
	xTTHR, _ = strconv.ParseFloat(os.Getenv("X_TTHR"), 64)
)
