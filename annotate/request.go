package annotate

import (
	"context"
	"fmt"
	"sync/atomic"
)

// A request names one user action across retries, so that a store shared over a network
// applies it once however often it is sent: the window keeps a decision made while the
// server is unreachable and sends it again later, and the first attempt may have been
// committed just before the connection dropped. Each write a store makes under the
// request gets the key "ID/N" (N counting the writes of this attempt); a store that
// finds the key already recorded skips the write and reports success.
type request struct {
	id string
	n  atomic.Int64
}

type requestKey struct{}

// WithRequest returns ctx carrying request id for one attempt at an action. Retries
// call it again with the same id: the action makes the same writes in the same order,
// so they get the same keys.
func WithRequest(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestKey{}, &request{id: id})
}

// NextRequestKey returns the key of the next write made under ctx's request, "" when
// ctx carries none.
func NextRequestKey(ctx context.Context) string {
	r, _ := ctx.Value(requestKey{}).(*request)
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s/%d", r.id, r.n.Add(1))
}
