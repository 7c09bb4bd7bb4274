package annotate

import (
	"slices"
	"testing"
)

// Every table comes after the tables its rows refer to, or a copy fails on a foreign key.
func TestSortTablesRefersBackwards(t *testing.T) {
	got := SortTables([]string{"spans", "zeta", "event_args", "runs", "events", "documents", "labels", "op_changes", "ops"})
	pos := func(n string) int { return slices.Index(got, n) }
	for _, ref := range [][2]string{{"runs", "spans"}, {"documents", "spans"}, {"spans", "events"}, {"events", "event_args"}, {"ops", "op_changes"}} {
		if pos(ref[0]) > pos(ref[1]) {
			t.Errorf("%s after %s: %v", ref[0], ref[1], got)
		}
	}
	if got[len(got)-1] != "zeta" {
		t.Errorf("unknown tables go last: %v", got)
	}
}
