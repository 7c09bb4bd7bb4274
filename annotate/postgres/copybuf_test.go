package postgres

import (
	"context"
	"slices"
	"testing"
)

// TestCopyBufRoundTrip: rows written by copyBuf in COPY's binary format read back as
// written: int8 at both ends of its range, text with emoji, Arabic and CJK, NULL, an
// empty string, and int4 arrays empty, of one element and of several with negatives.
func TestCopyBufRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, Options{})
	tx, err := st.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE cb (n BIGINT, "end" TEXT, j TEXT, k INT4[])`); err != nil {
		t.Fatal(err)
	}
	type row struct {
		n    int64
		s    string
		j    any
		keys []int32
	}
	rows := []row{
		{-1 << 63, "قال مسؤولون 👍🏽 北京", "{\"a\":1}", []int32{}},
		{1<<63 - 1, "", nil, []int32{7}},
		{0, "x", "", []int32{-2147483648, 2147483647, 0, -1}},
	}
	var c copyBuf
	for _, r := range rows {
		c.row(4)
		c.int8(r.n)
		c.text(r.s)
		c.textOrNull(r.j)
		c.int4s(r.keys)
	}
	if err := c.copyTo(ctx, tx, "cb", []string{"n", "end", "j", "k"}); err != nil {
		t.Fatal(err)
	}
	if c.rows != 0 || len(c.b) != 0 {
		t.Fatalf("copyTo left %d rows, %d bytes in the buffer", c.rows, len(c.b))
	}
	got, err := tx.Query(ctx, `SELECT n, "end", j, k FROM cb ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	want := []row{rows[0], rows[2], rows[1]}
	i := 0
	for ; got.Next(); i++ {
		var r row
		var j *string
		if err := got.Scan(&r.n, &r.s, &j, &r.keys); err != nil {
			t.Fatal(err)
		}
		w := want[i]
		wj, isText := w.j.(string)
		if r.n != w.n || r.s != w.s || (j == nil) == isText || (j != nil && *j != wj) || !slices.Equal(r.keys, w.keys) {
			t.Errorf("row %d: %d %q %v %v, want %+v", i, r.n, r.s, j, r.keys, w)
		}
	}
	if err := got.Err(); err != nil || i != len(want) {
		t.Fatalf("%d rows (%v), want %d", i, err, len(want))
	}
}
