package query

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"testing"
)

// numbered is a dialect that numbers its placeholders ($1, $2, ...), as PostgreSQL's does.
type numbered struct{ args []any }

func (n *numbered) Arg(v any) string {
	n.args = append(n.args, v)
	return "$" + strconv.Itoa(len(n.args))
}

func (n *numbered) Text(string) string { return "" }

// The values of a condition are recorded in the order their placeholders appear in the
// SQL, so a numbering dialect binds each to its own place (doc:ID once bound the id to
// the external id's place and the other way round).
func TestSQLArgumentOrder(t *testing.T) {
	for _, q := range []string{`doc:42`, `doc:abc`, `doc:7 label:DEATH status:accepted`, `has:CASUALTY doc:12 annotator:ann`} {
		parsed, err := Parse(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		d := &numbered{}
		sql := parsed.SQL(d)
		var order []int
		for _, m := range regexp.MustCompile(`\$(\d+)`).FindAllStringSubmatch(sql, -1) {
			n, _ := strconv.Atoi(m[1])
			order = append(order, n)
		}
		want := make([]int, len(d.args))
		for i := range want {
			want[i] = i + 1
		}
		if !reflect.DeepEqual(order, want) {
			t.Errorf("%s: placeholders appear as %v in %s (args %s)", q, order, sql, fmt.Sprint(d.args))
		}
	}
}
