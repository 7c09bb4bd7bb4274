package sqlite_test

import (
	"context"
	"testing"

	"evident/annotate"
)

// TestCreateIncidentsImages: the op-log images that CreateIncidents builds from staged
// rows are byte-identical to the stored rows' (undo compares them and refuses otherwise),
// also for titles JSON escapes (quotes, <&>, emoji, U+2028) and for an empty title that
// becomes "Incident N"; one undo removes the batch, redo brings it back.
func TestCreateIncidentsImages(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	docs, evs := importIncidentDocs(t, s)
	before := incState(t, s)
	titles := []string{"Kato \"strike\" <&> 🔥\u2028 قصف", ""}
	ids, err := s.CreateIncidents(ctx, []annotate.Incident{
		{Title: titles[0], Place: "Kato", Date: "2026-03-12", Type: "ATTACK",
			Events: []annotate.EventRef{ref(docs[0], evs[0]), ref(0, evs[1]), ref(docs[0], evs[0])}},
		{Title: titles[1], Events: []annotate.EventRef{ref(docs[2], evs[2])}},
	}, "rev")
	if err != nil || len(ids) != 2 {
		t.Fatalf("batch: %v %v", ids, err)
	}
	for i, want := range []string{titles[0], "Incident " + itoa(ids[1])} {
		inc, err := s.Incident(ctx, ids[i])
		if err != nil || inc.Title != want || inc.Annotator != "rev" || len(inc.Events) != 2-i {
			t.Fatalf("incident %d: %+v %v", i, inc, err)
		}
	}
	inc, _ := s.Incident(ctx, ids[0])
	if inc.Events[1].DocID != docs[1] {
		t.Fatalf("an event given without its document was linked as %+v", inc.Events[1])
	}
	mustCheck(t, s)
	after := incState(t, s)
	if op, err := s.Undo(ctx, "rev"); err != nil || op == nil || op.Summary != "create 2 incidents" {
		t.Fatalf("undo: %+v %v", op, err)
	}
	if incState(t, s) != before {
		t.Fatal("undo did not remove the whole batch")
	}
	if op, err := s.Redo(ctx, "rev"); err != nil || op == nil {
		t.Fatalf("redo: %+v %v", op, err)
	}
	if incState(t, s) != after {
		t.Fatal("redo did not bring the batch back as it was")
	}
	mustCheck(t, s)
}

// TestCreateIncidentsChecksStoredLinks: an event that is gone, in another document than
// given, or in an incident already (checked when the staged batch is published, since
// another writer may link it meanwhile) fails the whole batch with the error
// CreateIncident gives, and nothing is stored or logged.
func TestCreateIncidentsChecksStoredLinks(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	docs, evs := importIncidentDocs(t, s)
	if _, err := s.CreateIncident(ctx, annotate.Incident{Title: "taken", Events: []annotate.EventRef{ref(docs[2], evs[2])}}, "ann"); err != nil {
		t.Fatal(err)
	}
	k1, err := s.Events(ctx, docs[0])
	if err != nil || len(k1) != 2 {
		t.Fatalf("events of k1: %v %v", k1, err)
	}
	injury := ref(docs[0], k1[1].ID)
	before := incState(t, s)
	ops, _ := s.History(ctx, 0)
	for _, c := range []struct {
		ev   annotate.EventRef
		code string
	}{
		{ref(docs[2], evs[2]), annotate.EConflict},
		{ref(docs[1], evs[0]), annotate.EInvalid},
		{ref(0, 99999), annotate.ENotFound},
	} {
		_, err := s.CreateIncidents(ctx, []annotate.Incident{
			{Title: "fine", Events: []annotate.EventRef{ref(docs[1], evs[1])}},
			{Title: "bad", Events: []annotate.EventRef{injury, c.ev}},
		}, "rev")
		if annotate.ErrorCode(err) != c.code {
			t.Fatalf("batch with %+v: %v, want %s", c.ev, err, c.code)
		}
		if incState(t, s) != before {
			t.Fatalf("a failed batch (%v) left incidents behind", err)
		}
		if now, _ := s.History(ctx, 0); len(now) != len(ops) {
			t.Fatalf("a failed batch (%v) was logged", err)
		}
	}
	// The staged rows of the failed batches are gone: a new batch publishes only its own.
	ids, err := s.CreateIncidents(ctx, []annotate.Incident{{Title: "one", Events: []annotate.EventRef{ref(docs[1], evs[1])}}}, "rev")
	if err != nil || len(ids) != 1 {
		t.Fatalf("batch after failed ones: %v %v", ids, err)
	}
	incs, _ := s.ListIncidents(ctx, annotate.IncidentFilter{})
	if len(incs) != 2 {
		t.Fatalf("%d incidents, want the one from before and the new one", len(incs))
	}
	mustCheck(t, s)
}
