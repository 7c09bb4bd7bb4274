// Package pgtest starts a throwaway PostgreSQL server for tests and benchmarks: initdb
// into a new temporary folder (as the postgres user when run as root, since the server
// refuses to run as root), on a free TCP port of 127.0.0.1 with its unix socket in that
// folder, stopped and removed by Stop.
//
// The server binaries come from PATH or Debian's postgresql package
// (/usr/lib/postgresql/N/bin). Missing binaries are an error, never a skip: CI installs
// the package (.ci/run, scripts/deps.sh), and a suite that silently skipped the
// PostgreSQL backend would pass while testing half of the store.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// User and Password are the server's superuser and its password (TCP logins need it;
// the unix socket trusts local users).
const (
	User     = "evident"
	Password = "evident-test"
)

// Server is a running throwaway server.
type Server struct {
	Dir     string // data directory and unix socket folder
	Port    int
	bin     string
	cred    *syscall.Credential
	uid     int
	durable bool

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan error
	n    int // databases created, for unique names
}

// Bin finds the folder holding initdb and postgres.
func Bin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "postgres")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL server binaries (initdb, postgres) not found in PATH or /usr/lib/postgresql/*/bin: " +
		"install Debian's postgresql package (apt-get install postgresql) to run the PostgreSQL backend's tests")
}

func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// Start initialises and starts a server for tests: fsync off, since a test's data need
// not survive a power cut. Call Stop when done (TestMain).
func Start() (*Server, error) { return StartWith(Options{}) }

// Options configure StartWith.
type Options struct {
	// Durable keeps fsync on, as a real server runs: benchmarks of commit latency
	// measure what a team would see.
	Durable bool
}

// StartWith initialises and starts a server.
func StartWith(opts Options) (*Server, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, uid: -1, durable: opts.Durable}
	if os.Geteuid() == 0 {
		// The server refuses to run as root: run it as postgres (the Debian package's user).
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root and there is no postgres user to run the server as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		s.uid = uid
	}
	dir, err := os.MkdirTemp("", "evident-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s.Dir = dir
	if s.cred != nil {
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: %w", err)
		}
	}
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(Password+"\n"), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	data := filepath.Join(dir, "data")
	out, err := s.command(filepath.Join(bin, "initdb"), "-D", data, "-U", User, "--pwfile", pw,
		"--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	if s.Port, err = freePort(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = s.Dir
	// Kill the server if the test binary dies without calling Stop.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs the server on the existing data directory and waits until it accepts logins.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fsync := "off"
	if s.durable {
		fsync = "on"
	}
	cmd := s.command(filepath.Join(s.bin, "postgres"), "-D", filepath.Join(s.Dir, "data"), "-p", strconv.Itoa(s.Port),
		"-k", s.Dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync="+fsync, "-c", "max_connections=200")
	logf, err := os.OpenFile(filepath.Join(s.Dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	s.cmd = cmd
	s.done = make(chan error, 1)
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgx.Connect(ctx, s.URL("postgres"))
		cancel()
		if err == nil {
			c.Close(context.Background())
			return nil
		}
		select {
		case werr := <-s.done:
			log, _ := os.ReadFile(filepath.Join(s.Dir, "server.log"))
			return fmt.Errorf("pgtest: postgres exited: %v\n%s", werr, log)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgtest: postgres did not accept connections within a minute: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URL is a postgres:// URL of database db on this server, with the password.
func (s *Server) URL(db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(User, Password),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// CreateDB creates a new empty database and returns its URL.
func (s *Server) CreateDB(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.n++
	name := fmt.Sprintf("evident_%d", s.n)
	s.mu.Unlock()
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("pgtest: create database: %w", err)
	}
	return s.URL(name), nil
}

// CreateSchema makes a new empty schema in the shared database "evident" and returns a
// URL whose search_path is that schema: a project of its own, at a fraction of the
// cost of CREATE DATABASE (which copies a template, about a second here).
func (s *Server) CreateSchema(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.n++
	name := fmt.Sprintf("p%d", s.n)
	s.mu.Unlock()
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	defer c.Close(ctx)
	var exists bool
	if err := c.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'evident')`).Scan(&exists); err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	if !exists {
		if _, err := c.Exec(ctx, "CREATE DATABASE evident"); err != nil && !strings.Contains(err.Error(), "already exists") {
			return "", fmt.Errorf("pgtest: create database: %w", err)
		}
	}
	e, err := pgx.Connect(ctx, s.URL("evident"))
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	defer e.Close(ctx)
	if _, err := e.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", fmt.Errorf("pgtest: create schema: %w", err)
	}
	return s.URL("evident") + "&search_path=" + name, nil
}

// Pause stops the server abruptly (SIGKILL: a crash or a pulled cable, as the
// store sees it), keeping its data; Resume starts it again on the same port.
func (s *Server) Pause() error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	// Every server process goes, not only the postmaster: PostgreSQL makes each child (a
	// backend serving a connection) the leader of a session of its own, so killing the
	// postmaster's process group left the backends running, and under load a pooled
	// connection's backend still answered a decision made "while the server is down".
	// The children are listed before the postmaster dies (they are then re-parented).
	pid := cmd.Process.Pid
	children := childrenOf(pid)
	syscall.Kill(-pid, syscall.SIGKILL)
	for _, c := range children {
		syscall.Kill(c, syscall.SIGKILL)
	}
	<-done
	// Let the children go and the socket be freed.
	for i := 0; i < 250; i++ {
		alive := syscall.Kill(-pid, 0) == nil
		for _, c := range children {
			if !alive && syscall.Kill(c, 0) == nil && !zombie(c) {
				alive = true
			}
		}
		if !alive {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	os.Remove(filepath.Join(s.Dir, "data", "postmaster.pid"))
	return nil
}

// childrenOf lists the processes whose parent is pid (Linux /proc; none elsewhere).
func childrenOf(pid int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, _ := procStat(c); ppid == pid {
			out = append(out, c)
		}
	}
	return out
}

// procStat reads a process's parent id and state from /proc/PID/stat.
func procStat(pid int) (ppid int, state string) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, ""
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, ""
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, ""
	}
	ppid, _ = strconv.Atoi(f[1])
	return ppid, f[0]
}

// zombie reports whether pid has exited and waits to be reaped by its new parent.
func zombie(pid int) bool {
	_, st := procStat(pid)
	return st == "Z" || st == ""
}

// Resume restarts a paused server.
func (s *Server) Resume() error { return s.start() }

// Stop shuts the server down and removes its folder.
func (s *Server) Stop() error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd != nil {
		cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	if s.Dir != "" && strings.Contains(s.Dir, "evident-pg-") {
		return os.RemoveAll(s.Dir)
	}
	return nil
}
