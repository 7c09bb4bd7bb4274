package sqlite

import (
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of /proc/stat's times (USER_HZ, 100 on every Linux Go runs on).
const clockTicks = 100

// procStatBusy sums the busy fields of /proc/stat's first ("cpu") line: user, nice,
// system, irq, softirq and steal (what the hypervisor gave other machines), that is
// everything but idle and iowait.
func procStatBusy(stat string) time.Duration {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}
