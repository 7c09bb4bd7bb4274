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

// TestRequestAppliedOnce: an action sent again under the same request (a retry after
// a dropped connection) is applied once; its writes are recognised one by one, so a
// retry of a two-write action whose first write landed applies only the second.
func TestRequestAppliedOnce(t *testing.T) {
	ctx := context.Background()
	url, err := server.CreateSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := open(t, url)
	fill(t, st)
	docs, _ := st.Documents(ctx)
	doc := docs[9].ID
	add := func(rctx context.Context) {
		t.Helper()
		s := sp("Gunmen", "ACTOR")
		s.DocID, s.Annotator = doc, "ann"
		if _, err := st.AddSpan(rctx, s); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		spans, _ := st.Spans(ctx, doc, annotate.SpanFilter{Labels: []string{"ACTOR"}})
		return len(spans)
	}
	add(annotate.WithRequest(ctx, "req-1"))
	add(annotate.WithRequest(ctx, "req-1"))
	if n := count(); n != 1 {
		t.Fatalf("%d spans after a retried add, want 1", n)
	}
	// First attempt: only the first of two writes lands (the connection dropped).
	first := annotate.WithRequest(ctx, "req-2")
	if err := st.SetDocumentStatus(first, doc, annotate.DocInProgress, "ann"); err != nil {
		t.Fatal(err)
	}
	retry := annotate.WithRequest(ctx, "req-2")
	if err := st.SetDocumentStatus(retry, doc, annotate.DocNew, "ann"); err != nil { // skipped: applied before
		t.Fatal(err)
	}
	add(retry) // the second write, never applied: applied now
	if n := count(); n != 2 {
		t.Fatalf("%d spans after the retry, want 2", n)
	}
	if d, _ := st.Document(ctx, doc); d.Status != annotate.DocInProgress {
		t.Fatalf("status %s: the retried first write was applied again", d.Status)
	}
	for i := 0; i < 2; i++ {
		if _, err := st.Undo(annotate.WithRequest(ctx, "req-3"), "ann"); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 1 {
		t.Fatalf("%d spans after a retried undo, want 1 (undone once)", n)
	}
}
