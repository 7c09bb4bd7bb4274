package postgres

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/assets"
	"evident/internal/pgtest"
)

// tripCounter counts the round trips a connection makes: a statement, or a batch sent
// as one pipeline.
type tripCounter struct{ statements, batches atomic.Int64 }

func (c *tripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.statements.Add(1)
	return ctx
}
func (c *tripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *tripCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.batches.Add(1)
	return ctx
}
func (c *tripCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *tripCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (c *tripCounter) trips() int64 { return c.statements.Load() + c.batches.Load() }

// TestDecisionRoundTrips: accepting or rejecting a suggestion, the window's most frequent
// save, costs two round trips to the server (images and update; phrase counts, log,
// commit and notification), three under a request key (the window's), where statement
// by statement it cost ten. On a loaded machine each round trip is a wait to be
// scheduled, so this count is what the p99 of BenchmarkTeamSave follows.
func TestDecisionRoundTrips(t *testing.T) {
	ctx := context.Background()
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	url, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var c tripCounter
	st, err := Open(ctx, url, Options{Schema: assets.Schema(), tracer: &c})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	d := &annotate.Document{ExternalID: "a", Text: "Rebels shelled the town on Monday."}
	if _, err := im.Add(ctx, d, annotate.Draft{Spans: []annotate.Span{
		{Start: 0, End: 6, Label: "ACTOR", Status: annotate.StatusSuggested},
		{Start: 7, End: 14, Label: "ATTACK", Status: annotate.StatusSuggested},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	spans, err := st.Spans(ctx, d.ID, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		request bool
		want    int64
	}{{false, 2}, {false, 2}, {true, 3}, {true, 3}} {
		sctx := ctx
		if tc.request {
			sctx = annotate.WithRequest(ctx, "r"+string(rune('0'+i)))
		}
		status := []annotate.Status{annotate.StatusAccepted, annotate.StatusRejected}[i/2]
		before := c.trips()
		if err := st.SetSpanStatus(sctx, []int64{spans[i%2].ID}, status, "ann"); err != nil {
			t.Fatal(err)
		}
		if got := c.trips() - before; got > tc.want {
			t.Errorf("save %d (request key %v): %d round trips, want at most %d", i, tc.request, got, tc.want)
		}
	}
	// Still a correct save: logged, undoable, counted as a phrase.
	op, err := st.Undo(ctx, "ann")
	if err != nil || op == nil || op.Kind != "set_status" {
		t.Fatalf("undo after the saves: %+v, %v", op, err)
	}
	got, _ := st.Spans(ctx, d.ID, annotate.SpanFilter{})
	if got[1].Status != annotate.StatusAccepted {
		t.Fatalf("span after undoing its reject: %+v", got[1])
	}
}
