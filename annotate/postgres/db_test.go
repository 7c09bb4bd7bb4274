package postgres

import (
	"strconv"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT 1`:                            `SELECT 1`,
		`a = ? AND b IN (?, ?)`:               `a = $1 AND b IN ($2, $3)`,
		`x = '?' AND "we?ird" = ? AND y = ?`:  `x = '?' AND "we?ird" = $1 AND y = $2`,
		`attrs::jsonb -> 'claimant' = ?::int`: `attrs::jsonb -> 'claimant' = $1::int`,
		`it''s ? here`:                        `it''s $1 here`,
	} {
		if got := rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRebind: placeholders outside quotes are numbered 1..n in order, and nothing else
// changes.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{`SELECT ? FROM t WHERE a = '?' AND "b?" = ?`, `?`, `'`, `"?'?"?`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := rebind(in)
		// Walk both: a ? outside quotes must be $n (n counting up), all else the same.
		j, n := 0, 0
		var quote byte
		for i := 0; i < len(in); i++ {
			c := in[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '\'' || c == '"':
				quote = c
			case c == '?':
				n++
				want := "$" + strconv.Itoa(n)
				if !strings.HasPrefix(out[j:], want) {
					t.Fatalf("rebind(%q) = %q: placeholder %d is not %s", in, out, n, want)
				}
				j += len(want)
				continue
			}
			if j >= len(out) || out[j] != c {
				t.Fatalf("rebind(%q) = %q changes more than placeholders", in, out)
			}
			j++
		}
		if j != len(out) {
			t.Fatalf("rebind(%q) = %q adds text", in, out)
		}
	})
}
