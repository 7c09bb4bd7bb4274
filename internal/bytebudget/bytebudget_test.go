package bytebudget

import (
	"context"
	"testing"
	"time"
)

// TestBudget: items wait while the budget is full, one oversized item passes alone, and
// a cancelled wait returns false without taking anything.
func TestBudget(t *testing.T) {
	ctx := context.Background()
	b := New(10)
	if !b.Acquire(ctx, 6) || !b.Acquire(ctx, 4) {
		t.Fatal("10 bytes did not fit in 10")
	}
	got := make(chan bool)
	go func() { got <- b.Acquire(ctx, 1) }()
	select {
	case <-got:
		t.Fatal("an 11th byte went through a full budget")
	case <-time.After(50 * time.Millisecond):
	}
	b.Release(6)
	if !<-got {
		t.Fatal("the wait ended without the bytes")
	}
	b.Release(4)
	b.Release(1)
	if !b.Acquire(ctx, 100) {
		t.Fatal("an oversized item did not pass an empty budget")
	}
	cctx, cancel := context.WithCancel(ctx)
	go func() { got <- b.Acquire(cctx, 1) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if <-got {
		t.Fatal("a cancelled wait took bytes")
	}
	b.Release(100)
	if b.used != 0 {
		t.Fatalf("%d bytes still in use", b.used)
	}
}
