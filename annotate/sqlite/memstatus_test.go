package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"evident/assets"
)

// SQLite's memory statistics are off (memstatus.go): with them on, every allocation of
// every connection takes one process-wide mutex, and the store's connections that work
// at once queue on it. sqlite3_memory_used counts only while they are on.
func TestSQLiteMemoryStatsOff(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"), Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE big (b BLOB); INSERT INTO big VALUES (randomblob(100000))`); err != nil {
		t.Fatal(err)
	}
	if n := sqliteMemoryUsed(); n != 0 {
		t.Fatalf("SQLite counts %d bytes in use: its memory statistics (and their global mutex) are on", n)
	}
}
