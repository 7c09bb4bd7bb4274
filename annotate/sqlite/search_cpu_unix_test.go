//go:build unix

package sqlite

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system), of all its threads:
// SQLite's, the checkpointer's and the Go runtime's (GC) as well as the import's own.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// syncDisk writes every dirty page of the machine out, so one measured import does not
// pay for writing back the last one's files (its fsyncs wait for them).
func syncDisk() { syscall.Sync() }
