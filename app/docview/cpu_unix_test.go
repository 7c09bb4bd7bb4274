//go:build unix

package docview_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time. The build machine is shared, so wall
// time per op says more about the neighbours than about the view; benchmarks report
// CPU time per op as well.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
