//go:build linux

package sqlite

import (
	"os"
	"testing"
	"time"
)

// machineBusy is the CPU time the whole machine has spent busy since boot, every process
// of every container on the kernel (/proc/stat), or 0 when it cannot be read. Other
// engineers' processes on a shared machine are not in this process's view (ps shows
// none of them) but are in this figure, and a run's wall time depends on them.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	return procStatBusy(string(data))
}

func TestProcStatBusy(t *testing.T) {
	// user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
	got := procStatBusy("cpu  300 10 200 9000 50 5 15 20 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n")
	if want := 550 * time.Second / clockTicks; got != want {
		t.Fatalf("busy = %v, want %v", got, want)
	}
	if got := procStatBusy("intr 1 2 3\n"); got != 0 {
		t.Fatalf("busy without a cpu line = %v, want 0", got)
	}
}
