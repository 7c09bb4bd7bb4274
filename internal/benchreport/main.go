// Command benchreport turns `go test -bench` output into BENCHMARKS.md: each target from
// the issues beside the figure measured and the command that measured it. Misses are
// listed as misses. scripts/bench.sh runs the benchmarks and then this.
//
// Input lines it understands:
//
//	# cmd: COMMAND              the command whose output follows
//	pkg: IMPORT/PATH            (printed by go test) the package of the lines after it
//	BenchmarkName-2  N  V unit  V unit ...
//	# rss NAME: KB              peak resident set size of a run, from /usr/bin/time -v
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// result is one benchmark line.
type result struct {
	pkg, name, cmd string
	metrics        map[string]float64
}

// target is a promise from the issues and where its figure comes from.
type target struct {
	what      string
	pkg, name string // benchmark (without -N suffix)
	unit      string // metric to read
	rss       string // or: a peak RSS figure by name
	limit     float64
	atLeast   bool // the figure must be ≥ limit (throughput) rather than ≤
	show      func(v float64) string
}

func ms(v float64) string     { return fmt.Sprintf("%.2f ms", v/1e6) }
func sec(v float64) string    { return fmt.Sprintf("%.1f s", v) }
func mbps(v float64) string   { return fmt.Sprintf("%.1f MB/s", v) }
func mb(kb float64) string    { return fmt.Sprintf("%.0f MB", kb/1024) }
func docsps(v float64) string { return fmt.Sprintf("%.0f docs/s", v) }

var targets = []target{
	{what: "Open a 1 MB article with 20,000 highlights, on screen", pkg: "evident/app/docview", name: "BenchmarkOpen1MB", unit: "ns/op", limit: 300e6, show: ms},
	{what: "Scroll one page: the widget's work for a frame", pkg: "evident/app/docview", name: "BenchmarkScroll/layout", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Scroll one page, with a software render of the whole window (no GPU here)", pkg: "evident/app/docview", name: "BenchmarkScroll/paint", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Key to next suggestion: the widget's work for a frame", pkg: "evident/app/docview", name: "BenchmarkFocusNext/layout", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Key to next suggestion, with a software render of the whole window", pkg: "evident/app/docview", name: "BenchmarkFocusNext/paint", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Accept or reject one span, committed", pkg: "evident/annotate/sqlite", name: "BenchmarkAccept", unit: "ns/op", limit: 5e6, show: ms},
	{what: "Suggestions, news text per core", pkg: "evident/annotate/suggest", name: "BenchmarkSuggest1MB", unit: "MB/s", limit: 20, atLeast: true, show: mbps},
	{what: "Suggestions for a 1 MB article", pkg: "evident/annotate/suggest", name: "BenchmarkSuggest1MB", unit: "ns/op", limit: 100e6, show: ms},
	{what: "Train the tagger on 1,000 documents of 500 words", pkg: "evident/annotate/learn", name: "BenchmarkTrain1000", unit: "s/1000-docs", limit: 60, show: sec},
	{what: "Suggestions with the model for a 5,000-word document", pkg: "evident/annotate/learn", name: "BenchmarkSuggestModel5000", unit: "ns/op", limit: 200e6, show: ms},
	{what: "Import 100,000 documents (1 KB, 10 spans each)", pkg: "evident/annotate/sqlite", name: "BenchmarkImport100k", unit: "s/100k-docs", limit: 20, show: sec},
	{what: "Import 100,000 documents: peak memory", rss: "import100k", limit: 300 * 1024, show: mb},
	{what: "Export 100,000 documents / 1,000,000 spans (JSONL)", pkg: "evident/export", name: "BenchmarkExportBig/jsonl", unit: "s/run", limit: 15, show: sec},
	{what: "Export 100,000 documents: peak memory", rss: "export100k", limit: 300 * 1024, show: mb},
	{what: "Suggestions from an instant model over stdin/stdout, stored", pkg: "evident/annotate/remote", name: "BenchmarkModelPipe", unit: "docs/s", limit: 500, atLeast: true, show: docsps},
	{what: "Suggestions from an instant model over HTTP on localhost, stored", pkg: "evident/annotate/remote", name: "BenchmarkModelHTTP", unit: "docs/s", limit: 200, atLeast: true, show: docsps},
	{what: "A model run over 5,000 documents: peak memory", rss: "model5k", limit: 300 * 1024, show: mb},
	{what: "A model run over 50,000 documents: peak memory (flat: near the 5,000 figure)", rss: "model50k", limit: 300 * 1024, show: mb},
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+(\d+)\s+(.*)$`)

func parse(r io.Reader) ([]result, map[string]float64, map[string]string, error) {
	var out []result
	rss := map[string]float64{}
	rssCmd := map[string]string{}
	pkg, cmd := "", ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "# cmd: "):
			cmd = strings.TrimPrefix(line, "# cmd: ")
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimPrefix(line, "pkg: ")
		case strings.HasPrefix(line, "# rss "):
			name, kb, ok := strings.Cut(strings.TrimPrefix(line, "# rss "), ":")
			if !ok {
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(kb), 64)
			if err == nil {
				rss[name] = v
				rssCmd[name] = cmd
			}
		default:
			m := benchLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			res := result{pkg: pkg, name: m[1], cmd: cmd, metrics: map[string]float64{}}
			f := strings.Fields(m[4])
			for i := 0; i+1 < len(f); i += 2 {
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					res.metrics[f[i+1]] = v
				}
			}
			out = append(out, res)
		}
	}
	return out, rss, rssCmd, sc.Err()
}

func write(w io.Writer, results []result, rss map[string]float64, rssCmd map[string]string, host string) {
	fmt.Fprintf(w, "# Benchmarks\n\nWritten by `make bench` (scripts/bench.sh) on %s, %s. Each target\n", host, time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(w, "comes from the issues; the figure is what the named command measured on this machine.")
	fmt.Fprintln(w, "\n| target | limit | measured | verdict | command |\n| --- | --- | --- | --- | --- |")
	var cmds []string
	ref := func(cmd string) string {
		if cmd == "" {
			return ""
		}
		for i, c := range cmds {
			if c == cmd {
				return fmt.Sprintf("[%d]", i+1)
			}
		}
		cmds = append(cmds, cmd)
		return fmt.Sprintf("[%d]", len(cmds))
	}
	misses := 0
	for _, t := range targets {
		var v float64
		var cmd string
		found := false
		if t.rss != "" {
			v, found = rss[t.rss]
			cmd = rssCmd[t.rss]
		} else {
			for _, r := range results {
				if r.pkg == t.pkg && r.name == t.name {
					v, found = r.metrics[t.unit]
					cmd = r.cmd
				}
			}
		}
		limit := "≤ " + t.show(t.limit)
		if t.atLeast {
			limit = "≥ " + t.show(t.limit)
		}
		if !found {
			fmt.Fprintf(w, "| %s | %s | not measured | **missing** | |\n", t.what, limit)
			misses++
			continue
		}
		ok := v <= t.limit
		if t.atLeast {
			ok = v >= t.limit
		}
		verdict := "met"
		if !ok {
			verdict = "**missed**"
			misses++
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", t.what, limit, t.show(v), verdict, ref(cmd))
	}
	fmt.Fprintf(w, "\n%d of %d targets missed or not measured.\n", misses, len(targets))
	fmt.Fprintln(w, "\n## Every benchmark\n\n| package | benchmark | figures | command |\n| --- | --- | --- | --- |")
	defer func() {
		fmt.Fprint(w, "\n## Commands\n\n")
		for i, c := range cmds {
			fmt.Fprintf(w, "%d. `%s`\n", i+1, c)
		}
	}()
	sort.SliceStable(results, func(i, j int) bool { return results[i].pkg < results[j].pkg })
	for _, r := range results {
		var units []string
		for u := range r.metrics {
			units = append(units, u)
		}
		sort.Strings(units)
		var figs []string
		for _, u := range units {
			figs = append(figs, fmt.Sprintf("%s %s", strconv.FormatFloat(r.metrics[u], 'g', 4, 64), u))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.pkg, r.name, strings.Join(figs, ", "), ref(r.cmd))
	}
}

func main() {
	results, rss, rssCmd, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	host := "this machine"
	if len(os.Args) > 1 {
		host = os.Args[1]
	}
	write(os.Stdout, results, rss, rssCmd, host)
}
