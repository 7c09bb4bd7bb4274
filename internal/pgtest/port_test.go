package pgtest

import (
	"net"
	"strconv"
	"testing"
)

// TestFreePortOutsideEphemeralRange: a server's port must not be one the kernel hands to
// other processes for port 0, or another test process's server can take it while this
// one is paused (see freePort).
func TestFreePortOutsideEphemeralRange(t *testing.T) {
	lo, _ := ephemeralRange()
	seen := map[int]bool{}
	for i := 0; i < 20; i++ {
		p, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if p < 1024 || p >= lo {
			t.Fatalf("freePort() = %d, want a port in [1024, %d)", p, lo)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d is not free: %v", p, err)
		}
		l.Close()
		seen[p] = true
	}
	if len(seen) < 10 {
		t.Errorf("20 calls gave only %d different ports: concurrent test processes would collide", len(seen))
	}
}
