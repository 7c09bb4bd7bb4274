package postgres

import (
	"context"
	"testing"

	"evident/internal/pgtest"
)

// testStore starts a throwaway server and opens a store on a new database of it, both
// closed when the test ends.
func testStore(t *testing.T, opts Options) *Store {
	t.Helper()
	ctx := context.Background()
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	url, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
