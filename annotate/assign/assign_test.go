package assign_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"evident/annotate"
	"evident/annotate/assign"
	"evident/annotate/sqlite"
)

func ids(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i + 1)
	}
	return out
}

func TestMake(t *testing.T) {
	for _, c := range []struct {
		docs    int
		names   []string
		overlap float64
	}{
		{1000, []string{"a", "b", "c"}, 0.2},
		{7, []string{"a", "b"}, 0.5},
		{10, []string{"solo"}, 0},
		{0, []string{"a", "b"}, 0.3},
	} {
		p, err := assign.Make(ids(c.docs), c.names, c.overlap)
		if err != nil {
			t.Fatal(err)
		}
		count := map[int64]int{}
		total := 0
		for _, q := range p.Queues {
			for _, d := range q {
				count[d]++
			}
			total += len(q)
		}
		twice := 0
		for _, d := range ids(c.docs) {
			switch count[d] {
			case 1:
			case 2:
				twice++
			default:
				t.Fatalf("%+v: document %d assigned %d times", c, d, count[d])
			}
		}
		if want := int(float64(c.docs)*c.overlap + 0.5); twice != want || p.Shared != want {
			t.Errorf("%+v: %d documents shared, want %d", c, twice, want)
		}
		for _, a := range c.names {
			if n := len(p.Queues[a]); n < total/len(c.names)-1 || n > total/len(c.names)+2 {
				t.Errorf("%+v: %s has %d of %d assignments: not even", c, a, n, total)
			}
		}
		again, _ := assign.Make(ids(c.docs), c.names, c.overlap)
		if !reflect.DeepEqual(p, again) {
			t.Errorf("%+v: not deterministic", c)
		}
	}
	for _, bad := range []struct {
		names   []string
		overlap float64
	}{{nil, 0}, {[]string{"a", "a"}, 0}, {[]string{"a", ""}, 0}, {[]string{"a"}, 0.2}, {[]string{"a", "b"}, 1.5}, {[]string{"a", "b"}, -0.1}} {
		if _, err := assign.Make(ids(5), bad.names, bad.overlap); annotate.ErrorCode(err) != annotate.EInvalid {
			t.Errorf("Make(%v, %v): %v, want invalid", bad.names, bad.overlap, err)
		}
	}
}

func TestSaveQueueOwnFirst(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, _ := assign.Make(ids(6), []string{"ann", "bob"}, 0)
	if err := assign.Save(ctx, st, p); err != nil {
		t.Fatal(err)
	}
	q, err := assign.Queue(ctx, st, "bob")
	if err != nil || !reflect.DeepEqual(q, p.Queues["bob"]) || len(q) != 3 {
		t.Fatalf("queue of bob = %v, %v; want %v", q, err, p.Queues["bob"])
	}
	if q, err := assign.Queue(ctx, st, "carol"); err != nil || q != nil {
		t.Fatalf("queue of someone unassigned = %v, %v", q, err)
	}
	var docs []annotate.DocSummary
	for _, id := range ids(6) {
		docs = append(docs, annotate.DocSummary{ID: id})
	}
	docs[q[0]-1].Status = annotate.DocDone
	got, next := assign.OwnFirst(docs, q)
	want := []int64{q[1], q[2], q[0]}
	for i, id := range want {
		if got[i].ID != id {
			t.Fatalf("order %v, want bob's undone %v first, then his done one", got, want)
		}
	}
	if next != q[1] || len(got) != 6 {
		t.Fatalf("next = %d, want %d", next, q[1])
	}
}
