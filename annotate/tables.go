package annotate

import (
	"context"
	"slices"
	"strings"
)

// Table is one table of a project as rows, for moving a whole project between backends
// (`evident copy`, a PostgreSQL backup to an SQLite file). Values are int64, float64,
// string or nil; both backends store every column as one of these.
type Table struct {
	Name    string
	Columns []string
	// Rows calls yield for each row in the table's key order, stopping at its error.
	Rows func(yield func(row []any) error) error
}

// TableDumper is implemented by stores whose whole project can be read table by table.
type TableDumper interface {
	// DumpTables calls fn for every table of the project (its labels, documents,
	// spans, events, operations log, settings, incidents, ...), parents before the
	// tables that refer to them, all from one snapshot.
	DumpTables(ctx context.Context, fn func(t Table) error) error
}

// TableLoader is implemented by stores that can be filled from a TableDumper.
type TableLoader interface {
	// LoadTables fills this project, which must hold no documents and no operations,
	// with every row of src, ids included, in one transaction: all of it or nothing.
	// The schema the project was seeded with is replaced by src's.
	LoadTables(ctx context.Context, src TableDumper) error
}

// SortTables orders table names so that a table comes after the tables it refers to:
// the known tables in their order, then any others by name. (runs comes before spans:
// spans.run refers to it.)
func SortTables(names []string) []string {
	order := []string{"labels", "event_types", "roles", "settings", "import_batches", "documents", "runs", "spans", "events",
		"event_args", "ops", "op_changes", "phrases", "incidents", "incident_events", "adjudications", "rejected_proposals",
		"models"}
	rank := make(map[string]int, len(order))
	for i, n := range order {
		rank[n] = i + 1
	}
	out := slices.Clone(names)
	slices.SortFunc(out, func(a, b string) int {
		ra, rb := rank[a], rank[b]
		switch {
		case ra != 0 && rb != 0:
			return ra - rb
		case ra != 0:
			return -1
		case rb != 0:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}
