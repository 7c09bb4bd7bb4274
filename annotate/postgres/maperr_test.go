package postgres

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"evident/annotate"
)

// TestMapErrConnClosed: a statement on a connection pgx closed after it broke (here an
// import's commit while the server stopped) says the server cannot be reached, as a
// reset or EOF does. It used to pass through as "conn closed".
func TestMapErrConnClosed(t *testing.T) {
	err := mapErr(fmt.Errorf("commit search rows: %w", pgconn.ErrConnClosed))
	if annotate.ErrorCode(err) != annotate.EUnavailable {
		t.Fatalf("mapErr(conn closed) = %v (%s), want %s", err, annotate.ErrorCode(err), annotate.EUnavailable)
	}
}
