package storetest

import (
	"context"
	"testing"

	"evident/annotate"
)

// testCreateIncidentsAllOrNothing: `incidents --accept-proposals` stores every proposal
// in one transaction (annotate.IncidentBatcher): a proposal that cannot be stored leaves
// none of them, and one undo removes them all.
func testCreateIncidentsAllOrNothing(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	b, ok := s.(annotate.IncidentBatcher)
	if !ok {
		t.Fatal("the store cannot create incidents in one transaction")
	}
	docs, evs := importIncidentDocs(t, s)
	before := incState(t, s)
	ops, _ := s.History(ctx, 0)
	// The second claims an event the first has just taken: nothing is stored.
	_, err := b.CreateIncidents(ctx, []annotate.Incident{
		{Title: "Kato", Events: []annotate.EventRef{ref(docs[0], evs[0]), ref(docs[1], evs[1])}},
		{Title: "Kato again", Events: []annotate.EventRef{ref(docs[0], evs[0])}},
	}, "rev")
	if annotate.ErrorCode(err) != annotate.EConflict {
		t.Fatalf("conflicting batch: %v, want a conflict", err)
	}
	if incState(t, s) != before {
		t.Fatal("a failed batch left incidents behind")
	}
	if after, _ := s.History(ctx, 0); len(after) != len(ops) {
		t.Fatalf("a failed batch was logged: %d ops, %d before", len(after), len(ops))
	}
	ids, err := b.CreateIncidents(ctx, []annotate.Incident{
		{Title: "Kato", Events: []annotate.EventRef{ref(docs[0], evs[0]), ref(docs[1], evs[1])}},
		{Title: "Kato, third report", Events: []annotate.EventRef{ref(docs[2], evs[2])}},
	}, "rev")
	if err != nil || len(ids) != 2 {
		t.Fatalf("batch: %v %v", ids, err)
	}
	for i, want := range []int{2, 1} {
		inc, err := s.Incident(ctx, ids[i])
		if err != nil || len(inc.Events) != want || inc.Annotator != "rev" {
			t.Fatalf("incident %d: %+v %v", i, inc, err)
		}
	}
	if after, _ := s.History(ctx, 0); len(after) != len(ops)+1 {
		t.Fatalf("the batch is %d ops, want one", len(after)-len(ops))
	}
	mustCheck(t, s)
	if op, err := s.Undo(ctx, "rev"); err != nil || op == nil {
		t.Fatalf("undo: %v %v", op, err)
	}
	if incState(t, s) != before {
		t.Fatal("one undo did not remove the whole batch")
	}
	mustCheck(t, s)
}
