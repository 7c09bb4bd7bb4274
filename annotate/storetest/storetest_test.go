package storetest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"evident/annotate/storetest"
	"evident/internal/pgtest"
)

// server is the throwaway PostgreSQL server of this test binary (TestMain).
var server *pgtest.Server

func TestMain(m *testing.M) {
	s, err := pgtest.Start()
	if err != nil {
		// Fail, never skip: a missing server would leave half of the store untested.
		fmt.Fprintln(os.Stderr, "storetest:", err)
		os.Exit(1)
	}
	server = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "storetest: stop server:", err)
	}
	os.Exit(code)
}

// backends is every store implementation; each runs the whole suite.
func backends() []storetest.Backend {
	return []storetest.Backend{
		{Name: "sqlite", New: func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "evident.db") }},
		{Name: "postgres", New: func(tb testing.TB) string {
			url, err := server.CreateSchema(context.Background())
			if err != nil {
				tb.Fatal(err)
			}
			return url
		}},
	}
}

func TestStore(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.Name, func(t *testing.T) { storetest.Run(t, b) })
	}
}
