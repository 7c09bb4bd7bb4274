// Package bytebudget bounds the bytes in flight between a producer and a consumer (the
// documents an import has read and not yet stored, the drafts suggesters have made and the
// writer has not yet stored).
package bytebudget

import (
	"context"
	"sync"
)

// Budget is a counting semaphore over bytes. One item larger than the whole budget may
// still pass when nothing else is in flight, so no item is too big to go through.
type Budget struct {
	mu   sync.Mutex
	cond *sync.Cond
	max  int
	used int
}

// New returns a budget of max bytes.
func New(max int) *Budget {
	b := &Budget{max: max}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Acquire waits until n more bytes fit (or nothing is in flight) and takes them; it
// returns false, taking nothing, when ctx ends first.
func (b *Budget) Acquire(ctx context.Context, n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used > 0 && b.used+n > b.max {
		// wake the wait below when ctx ends
		stop := context.AfterFunc(ctx, func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.cond.Broadcast()
		})
		defer stop()
	}
	for b.used > 0 && b.used+n > b.max {
		if ctx.Err() != nil {
			return false
		}
		b.cond.Wait()
	}
	if ctx.Err() != nil {
		return false
	}
	b.used += n
	return true
}

// Release gives back n bytes taken by Acquire.
func (b *Budget) Release(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
