package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/internal/pgtest"
)

// writeImportCorpus writes n documents as the import benchmarks make them:
// about 1 KB of text each, with 10 spans of 10 labels.
func writeImportCorpus(tb testing.TB, path string, n int) {
	tb.Helper()
	words := strings.Fields(`the army said militants fired rockets at a base near the border on Monday killing
		three soldiers and wounding seven others according to officials residents reported heavy shelling
		overnight in several districts while aid groups said hundreds had fled Genève-based monitors counted`)
	labels := []string{"ACTOR", "TARGET", "LOCATION", "TIME", "CASUALTY", "SOURCE", "WEAPON", "VICTIM", "ATTACK", "DEATH"}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	r := rand.New(rand.NewPCG(1, 0))
	for i := 0; i < n; i++ {
		var b strings.Builder
		var spans []map[string]any
		cp := 0
		for cp < 1000 {
			if cp > 0 {
				b.WriteByte(' ')
				cp++
			}
			word := words[r.IntN(len(words))]
			if len(spans) < 10 && r.IntN(5) == 0 {
				spans = append(spans, map[string]any{"start": cp, "end": cp + len([]rune(word)), "label": labels[len(spans)]})
			}
			b.WriteString(word)
			cp += len([]rune(word))
		}
		for len(spans) < 10 {
			spans = append(spans, map[string]any{"start": 0, "end": 1, "label": labels[len(spans)]})
		}
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("gen-%d", i), "title": fmt.Sprintf("Generated report %d", i),
			"source": "Bench Wire", "published": "2024-05-01", "text": b.String(), "spans": spans})
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// serverCPU is the CPU time of a pgtest server's processes so far: the postmaster's,
// its live children's (checkpointer, WAL writer, backends) and those it has reaped (a
// connection's backend ends with it).
func serverCPU(tb testing.TB, srv *pgtest.Server) time.Duration {
	tb.Helper()
	pidFile, err := os.ReadFile(filepath.Join(srv.Dir, "data", "postmaster.pid"))
	if err != nil {
		tb.Fatal(err)
	}
	pm := strings.SplitN(string(pidFile), "\n", 2)[0]
	// fields after the command: state is [0], ppid [1], utime [11] … cstime [14].
	fields := func(pid string) []string {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return nil // a child that just ended
		}
		s := string(stat)
		return strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	}
	sum := func(f []string, ks ...int) (t int64) {
		for _, k := range ks {
			v, _ := strconv.ParseInt(f[k], 10, 64)
			t += v
		}
		return t
	}
	f := fields(pm)
	if f == nil {
		tb.Fatal("the PostgreSQL server is not running")
	}
	ticks := sum(f, 11, 12, 13, 14)
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		if c := fields(p.Name()); len(c) > 14 && c[1] == pm {
			ticks += sum(c, 11, 12)
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// idle waits until no backend serves database url's database, so that serverCPU
// counts the backends of a process that just ended.
func idle(tb testing.TB, srv *pgtest.Server, url string) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, srv.URL("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	db := url[strings.LastIndexByte(url, '/')+1:]
	if i := strings.IndexByte(db, '?'); i >= 0 {
		db = db[:i]
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1`, db).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			time.Sleep(100 * time.Millisecond) // the postmaster reaps them
			return
		}
	}
	tb.Fatal("backends of the import still run 10 s after it ended")
}

// BenchmarkImportCLIBackends: `evident import` of 100,000 documents (1 KB, 10 spans
// each) as a process, into a new SQLite file and into a new database on a durable local
// PostgreSQL server. Reports both wall times, their ratio (the target: at most
// 2×) and the CPU time of each, the server's included for PostgreSQL (the machine's
// load changes wall times more than CPU times).
func BenchmarkImportCLIBackends(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	corpus := filepath.Join(dir, "import100k.jsonl")
	writeImportCorpus(b, corpus, n)
	srv, err := pgtest.StartWith(pgtest.Options{Durable: true})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Stop()
	run := func(db string) (wall, cpu time.Duration) {
		cmd := cli("import", "--db", db, corpus)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall = time.Since(start)
		if err != nil || !strings.Contains(string(out), fmt.Sprintf("imported %d of %d", n, n)) {
			b.Fatalf("import into %s: %v\n%s", db, err, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return wall, time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for i := 0; b.Loop(); i++ {
		url, err := srv.CreateDB(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		wLite, cLite := run(filepath.Join(dir, fmt.Sprintf("import%d.db", i)))
		s0 := serverCPU(b, srv)
		wPG, cPG := run(url)
		idle(b, srv, url)
		cServer := serverCPU(b, srv) - s0
		b.ReportMetric(wLite.Seconds(), "s-sqlite")
		b.ReportMetric(wPG.Seconds(), "s-postgres")
		b.ReportMetric(wPG.Seconds()/wLite.Seconds(), "pg/sqlite")
		b.ReportMetric(cLite.Seconds(), "cpu-s-sqlite")
		b.ReportMetric(cPG.Seconds(), "cpu-s-postgres-client")
		b.ReportMetric(cServer.Seconds(), "cpu-s-postgres-server")
	}
}
