//go:build !linux

package sqlite

import "time"

// machineBusy is not measured here: the others' load reads 0.
func machineBusy() time.Duration { return 0 }
