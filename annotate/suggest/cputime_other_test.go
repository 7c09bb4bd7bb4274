//go:build !unix

package suggest_test

import "time"

// processCPU is not measured on this platform; the benchmarks then report 0.
func processCPU() time.Duration { return 0 }
