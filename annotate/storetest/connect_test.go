package storetest_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/assets"
	"evident/internal/pgtest"
)

// TestPostgresConnectErrors: a wrong password and a server that is not there give an
// error that says so, well within 10 s, and never show the password.
func TestPostgresConnectErrors(t *testing.T) {
	ctx := context.Background()
	good, err := server.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(good)
	u.User = url.UserPassword(pgtest.User, "not-the-password")
	wrongPassword := u.String()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().String()
	l.Close()
	// A port that accepts connections and never answers: the timeout must still hold.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	for _, c := range []struct {
		name, url, want string
	}{
		{"WrongPassword", wrongPassword, "refused the login"},
		{"NoServer", "postgres://evident:pw-secret@" + closedPort + "/x?sslmode=disable", "cannot reach the PostgreSQL server"},
		{"SilentServer", "postgres://evident:pw-secret@" + silent.Addr().String() + "/x?sslmode=disable", "cannot reach the PostgreSQL server"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			st, err := backend.Open(ctx, c.url, backend.Options{Schema: assets.Schema()})
			took := time.Since(start)
			t.Logf("%v after %v", err, took.Round(time.Millisecond))
			if err == nil {
				st.Close()
				t.Fatal("opened")
			}
			if took > 10*time.Second {
				t.Errorf("took %v, want under 10 s", took)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if strings.Contains(err.Error(), "pw-secret") || strings.Contains(err.Error(), "not-the-password") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

// TestURLDispatch: postgres URLs open PostgreSQL, other URLs are refused with a message
// naming the scheme, and a plain path is a file.
func TestURLDispatch(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind backend.Kind
		bad  bool
	}{
		{"team.db", backend.SQLite, false},
		{"/data/a:b.db", backend.SQLite, false},
		{`C:\evident\team.db`, backend.SQLite, false},
		{"postgres://u@h/db", backend.PostgreSQL, false},
		{"PostgreSQL://u@h/db", backend.PostgreSQL, false},
		{"mysql://u@h/db", backend.SQLite, true},
		{"file:///tmp/x.db", backend.SQLite, true},
		{"https://example.org/x.db", backend.SQLite, true},
	} {
		k, err := backend.Parse(c.in)
		if (err != nil) != c.bad || (!c.bad && k != c.kind) {
			t.Errorf("Parse(%q) = %v, %v", c.in, k, err)
		}
		if c.bad && annotate.ErrorCode(err) != annotate.EInvalid {
			t.Errorf("Parse(%q): code %q, want invalid", c.in, annotate.ErrorCode(err))
		}
	}
	if got := backend.Redact("postgres://ann:s3cret@h:5432/db?sslmode=require"); strings.Contains(got, "s3cret") {
		t.Errorf("Redact kept the password: %s", got)
	}
}
