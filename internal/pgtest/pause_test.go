package pgtest

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPauseStopsEveryBackend: a paused server must not answer anything. PostgreSQL's
// backends lead sessions of their own, so killing the postmaster's process group left a
// connection's backend running, and a decision "while the server is down" could succeed.
func TestPauseStopsEveryBackend(t *testing.T) {
	srv, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var backend int
	if err := c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		t.Fatal(err)
	}
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	if syscall.Kill(backend, 0) == nil && !zombie(backend) {
		t.Errorf("backend %d still runs after Pause", backend)
	}
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var one int
	if err := c.QueryRow(qctx, "SELECT 1").Scan(&one); err == nil {
		t.Fatal("a query on a connection made before Pause was answered after it")
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	c2, err := pgx.Connect(ctx, srv.URL("postgres"))
	if err != nil {
		t.Fatalf("after Resume: %v", err)
	}
	c2.Close(ctx)
}
