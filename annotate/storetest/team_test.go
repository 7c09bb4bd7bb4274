package storetest_test

import (
	"context"
	"testing"
	"time"

	"evident/annotate"
)

// waitFor reads changes until one satisfies ok, failing after d.
func waitFor(t *testing.T, ch <-chan annotate.Change, d time.Duration, what string, ok func(annotate.Change) bool) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case c := <-ch:
			if ok(c) {
				return
			}
		case <-deadline:
			t.Fatalf("no %s within %v", what, d)
		}
	}
}

// TestTeamWatchAndPresence: two sessions on one database. One sees the other's decision
// and presence within a second or two, learns that the server went away when it is
// killed, and that it is back when it restarts; decisions made after it is back work.
func TestTeamWatchAndPresence(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ann, bob := open(t, url), open(t, url)
	fill(t, ann)
	ch := make(chan annotate.Change, 100)
	done := make(chan struct{})
	go func() {
		ann.(annotate.TeamStore).Watch(ctx, func(c annotate.Change) { ch <- c })
		close(done)
	}()
	waitFor(t, ch, 5*time.Second, "first refresh", func(c annotate.Change) bool { return !c.Status && c.Doc == 0 })

	docs, _ := bob.Documents(ctx)
	doc := docs[7].ID
	spans, _ := bob.Spans(ctx, doc, annotate.SpanFilter{})
	start := time.Now()
	if err := bob.SetSpanStatus(ctx, []int64{spans[0].ID}, annotate.StatusRejected, "bob"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 3*time.Second, "notice of bob's decision", func(c annotate.Change) bool { return c.Doc == doc })
	t.Logf("bob's decision seen after %v", time.Since(start))
	if err := bob.(annotate.TeamStore).SetPresence(ctx, "bob", doc); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 3*time.Second, "notice of bob's presence", func(c annotate.Change) bool { return c.Doc == doc })
	ps, err := ann.(annotate.TeamStore).Presence(ctx, time.Minute)
	if err != nil || len(ps) != 1 || ps[0].Annotator != "bob" || ps[0].Doc != doc {
		t.Fatalf("presence = %+v, %v", ps, err)
	}

	if err := server.Pause(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 5*time.Second, "report of the lost server", func(c annotate.Change) bool { return c.Status && !c.Online })
	if err := bob.SetSpanStatus(ctx, []int64{spans[1].ID}, annotate.StatusRejected, "bob"); annotate.ErrorCode(err) != annotate.EUnavailable {
		t.Errorf("decision while the server is down: %v, want code unavailable", err)
	}
	if err := server.Resume(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 10*time.Second, "report of the server back", func(c annotate.Change) bool { return c.Status && c.Online })
	if err := bob.SetSpanStatus(ctx, []int64{spans[1].ID}, annotate.StatusRejected, "bob"); err != nil {
		t.Fatalf("decision after the server is back: %v", err)
	}
	cancel()
	<-done
}
