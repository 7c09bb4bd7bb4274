package app_test

import (
	"context"
	"strconv"
	"testing"

	"evident/annotate/assign"
)

// TestOwnQueueFirst: an annotator with a queue (evident assign) gets the first document
// of it not done yet, not the last document someone opened; without a queue the window
// resumes the last document as before.
func TestOwnQueueFirst(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.addDoc("Alpha", report)
	f.addDoc("Bravo", report+" Two.")
	c := f.addDoc("Charlie", report+" Three.")
	p := assign.Plan{Annotators: []string{"bob"}, Queues: map[string][]int64{"bob": {c}}}
	if err := assign.Save(ctx, f.st, p); err != nil {
		t.Fatal(err)
	}
	last := func() string { s, _ := f.st.Setting(ctx, "window.last_document"); return s }
	if err := f.st.SetSetting(ctx, "window.last_document", strconv.FormatInt(a, 10)); err != nil {
		t.Fatal(err)
	}
	w := f.window("ann")
	if got := last(); got != strconv.FormatInt(a, 10) {
		t.Fatalf("ann (no queue) opened document %s, want the last one, %d", got, a)
	}
	w.Close()
	f.window("bob")
	if got := last(); got != strconv.FormatInt(c, 10) {
		t.Fatalf("bob opened document %s, want %d, the first of his queue", got, c)
	}
}
