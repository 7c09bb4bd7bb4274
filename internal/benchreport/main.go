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
//	# secs NAME: S              wall-clock seconds of a run, from /usr/bin/time -v
//	# cpu NAME: S               CPU seconds (user + system) of a run, from /usr/bin/time -v
package main

import (
	"bufio"
	_ "embed"
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
	pkg, name string    // benchmark (without -N suffix)
	unit      string    // metric to read
	rss       string    // or: a figure of a timed command by name (# rss or # secs)
	ratio     [2]string // or: the quotient of two such figures (e.g. our time over a script's)
	limit     float64
	atLeast   bool // the figure must be ≥ limit (throughput) rather than ≤
	baseline  bool // no target of its own: what another target is compared with
	figure    bool // no target of its own: a figure shown beside others (e.g. CPU time)
	overhead  bool // a ratio shown as the percentage the first figure exceeds the second
	show      func(v float64) string
}

func ms(v float64) string     { return fmt.Sprintf("%.2f ms", v/1e6) }
func sec(v float64) string    { return fmt.Sprintf("%.1f s", v) }
func mbps(v float64) string   { return fmt.Sprintf("%.1f MB/s", v) }
func mb(kb float64) string    { return fmt.Sprintf("%.0f MB", kb/1024) }
func docsps(v float64) string { return fmt.Sprintf("%.0f docs/s", v) }
func frac(v float64) string   { return fmt.Sprintf("%.3f", v) }
func msOf(v float64) string   { return fmt.Sprintf("%.0f ms", v) }
func pct(v float64) string    { return fmt.Sprintf("%.0f%%", v) }

// msFigure shows a figure already in milliseconds.
func msFigure(v float64) string { return fmt.Sprintf("%.1f ms", v) }

var targets = []target{
	{what: "Open a 1 MB article with 20,000 highlights, on screen", pkg: "evident/app/docview", name: "BenchmarkOpen1MB", unit: "ns/op", limit: 300e6, show: ms},
	{what: "Scroll one page: the widget's work for a frame", pkg: "evident/app/docview", name: "BenchmarkScroll/layout", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Scroll one page, with a software render of the whole window (no GPU here)", pkg: "evident/app/docview", name: "BenchmarkScroll/paint", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Key to next suggestion: the widget's work for a frame", pkg: "evident/app/docview", name: "BenchmarkFocusNext/layout", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Key to next suggestion, with a software render of the whole window", pkg: "evident/app/docview", name: "BenchmarkFocusNext/paint", unit: "ns/op", limit: 16e6, show: ms},
	{what: "Accept or reject one span, committed", pkg: "evident/annotate/sqlite", name: "BenchmarkAccept", unit: "ns/op", limit: 5e6, show: ms},
	{what: "Suggestions, news text per core", pkg: "evident/annotate/suggest", name: "BenchmarkSuggest1MB", unit: "MB/s", limit: 20, atLeast: true, show: mbps},
	{what: "Suggestions for a 1 MB article", pkg: "evident/annotate/suggest", name: "BenchmarkSuggest1MB", unit: "ns/op", limit: 100e6, show: ms},
	{what: "Train the tagger on 1,000 documents of 500 words (beside the 45-article base corpus)", pkg: "evident/annotate/learn", name: "BenchmarkTrain1000", unit: "s/1000-docs", limit: 60, show: sec},
	{what: "Suggestions with the model for a 5,000-word document", pkg: "evident/annotate/learn", name: "BenchmarkSuggestModel5000", unit: "ns/op", limit: 200e6, show: ms},
	{what: "The same training with the tagger as a linear-chain CRF (the perceptron's comparison)", pkg: "evident/annotate/learn", name: "BenchmarkTrain1000CRF", unit: "s/1000-docs", baseline: true, show: sec},
	{what: "Import 100,000 documents (1 KB, 10 spans each)", pkg: "evident/annotate/sqlite", name: "BenchmarkImport100k", unit: "s/100k-docs", limit: 20, show: sec},
	{what: "Import 100,000 documents: peak memory", rss: "import100k", limit: 300 * 1024, show: mb},
	{what: "`evident import` of 100,000 documents / 1,000,000 spans, as a process", rss: "import-cli-secs", limit: 20, show: sec},
	{what: "The same import by a plain Python sqlite3 script", rss: "import-python-secs", baseline: true, show: sec},
	{what: "`evident import` time over the plain Python script's, same data", ratio: [2]string{"import-cli-secs", "import-python-secs"}, limit: 1, show: times},
	{what: "`evident import` of 100,000 documents, as a process: peak memory", rss: "import-cli", limit: 300 * 1024, show: mb},
	{what: "`evident import` of 100,000 documents: CPU time (user + system)", rss: "import-cli-cpu", figure: true, show: sec},
	{what: "The plain Python script's import: CPU time (user + system)", rss: "import-python-cpu", figure: true, show: sec},
	{what: "`evident import` built without the search index (FTS5), same data", rss: "import-noindex-secs", figure: true, show: sec},
	{what: "Search index upkeep: share of `evident import` time, as a process", ratio: [2]string{"import-cli-secs", "import-noindex-secs"}, overhead: true, limit: 30, show: pct},
	{what: "Search index upkeep: share of `evident import` CPU time, as a process", ratio: [2]string{"import-cli-cpu", "import-noindex-cpu"}, overhead: true, limit: 30, show: pct},
	{what: "A decision saved while another process imports (slowest of 20)", pkg: "evident", name: "BenchmarkWritersDuringImport", unit: "max-decision-ms", limit: 200, show: msOf},
	{what: "A second `evident import` while another process imports", pkg: "evident", name: "BenchmarkWritersDuringImport", unit: "second-import-ms", limit: 2000, show: msOf},
	{what: "A decision saved while 6,400 proposals are stored as incidents (slowest)", pkg: "evident/annotate/sqlite", name: "BenchmarkAcceptProposalsWhileSaving", unit: "worst-save-ms", limit: 200, show: msOf},
	{what: "A decision saved while 10,000 documents / 100,000 spans are merged in (slowest)", pkg: "evident/annotate/sqlite", name: "BenchmarkMergeWhileSaving", unit: "worst-save-ms", limit: 200, show: msOf},
	{what: "Export 100,000 documents / 1,000,000 spans (JSONL)", pkg: "evident/export", name: "BenchmarkExportBig/jsonl", unit: "s/run", limit: 15, show: sec},
	{what: "Export 100,000 documents: peak memory", rss: "export100k", limit: 300 * 1024, show: mb},
	{what: "Suggestions from an instant model over stdin/stdout, stored", pkg: "evident/annotate/remote", name: "BenchmarkModelPipe", unit: "docs/s", limit: 500, atLeast: true, show: docsps},
	{what: "Suggestions from an instant model over HTTP on localhost, stored", pkg: "evident/annotate/remote", name: "BenchmarkModelHTTP", unit: "docs/s", limit: 200, atLeast: true, show: docsps},
	{what: "`evident suggest --model-cmd` as a process, the example model answering at once (5,000 documents)", pkg: "evident", name: "BenchmarkEvidentModelPipe", unit: "docs/s", limit: 500, atLeast: true, show: docsps},
	{what: "`evident suggest --model-url` as a process, the example model on localhost (5,000 documents)", pkg: "evident", name: "BenchmarkEvidentModelHTTP", unit: "docs/s", limit: 200, atLeast: true, show: docsps},
	{what: "A model run over 5,000 documents: peak memory", rss: "model5k", limit: 300 * 1024, show: mb},
	{what: "A model run over 50,000 documents: peak memory (flat: near the 5,000 figure)", rss: "model50k", limit: 300 * 1024, show: mb},
	// issue 20: `evident suggest` as a process (scripts/bench-suggest.sh)
	{what: "`evident suggest`, 100,000 real-sized articles, rules alone", pkg: procPkg, name: "BenchmarkProcSuggest/articles100000", unit: "MB/s", limit: 5, atLeast: true, show: mbps},
	{what: "Database growth from suggestions, 100,000 articles (× the text)", pkg: procPkg, name: "BenchmarkProcSuggest/articles100000", unit: "growth-x", limit: 2, show: times},
	{what: "`evident suggest` with a trained model, 10,000 real-sized articles", pkg: procPkg, name: "BenchmarkProcSuggest/model10000", unit: "MB/s", limit: 2, atLeast: true, show: mbps},
	{what: "`evident suggest`, one 1 MB document stored", pkg: procPkg, name: "BenchmarkProcSuggest/long1MB", unit: "s/run", limit: 1, show: sec},
	{what: "1 MB document opened without suggestions: first screen's suggestions stored for the window", pkg: "evident/annotate/suggestrun", name: "BenchmarkFirstScreen1MB", unit: "first-ms", limit: 300, show: msFig},
	{what: "`evident suggest`, one 30 MB document: done or refused", pkg: procPkg, name: "BenchmarkProcSuggest/long30MB", unit: "s/run", limit: 30, show: sec},
	{what: "`evident suggest`, one 30 MB document: peak memory", pkg: procPkg, name: "BenchmarkProcSuggest/long30MB", unit: "MB-rss", limit: 1024, show: mbFig},
	{what: "Propose incidents over 20,000 reports (evident incidents --propose, wall)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "s/run", limit: 30, show: sec},
	{what: "Propose incidents over 20,000 reports: peak memory", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "peak-KB", limit: 500 * 1024, show: mb},
	{what: "Incident proposals, B-cubed precision (tuned styles)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "bcubed-P", limit: 0.95, atLeast: true, show: frac},
	{what: "Incident proposals, B-cubed F1 (tuned styles)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "bcubed-F1", limit: 0.9, atLeast: true, show: frac},
	{what: "Disputed incidents flagged (tuned styles)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "disputed-flagged", limit: 0.9, atLeast: true, show: frac},
	{what: "Incident proposals, B-cubed precision (held-out styles)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "heldout-P", limit: 0.95, atLeast: true, show: frac},
	{what: "Incident proposals, B-cubed F1 (held-out styles)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "heldout-F1", limit: 0.9, atLeast: true, show: frac},
	{what: "Disputed incidents flagged (held-out styles)", pkg: "evident/internal/reportgen", name: "BenchmarkIncidentsBinary20k", unit: "heldout-disputed-flagged", limit: 0.9, atLeast: true, show: frac},
	// Search (issue 19): 100,000 documents, about 50 MB of text; first 100 hits.
	{what: "Search 100,000 documents: a word (first 100 hits)", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/word", unit: "ns/op", limit: 100e6, show: ms},
	{what: "Search 100,000 documents: a phrase", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/phrase", unit: "ns/op", limit: 100e6, show: ms},
	{what: "Search 100,000 documents: label-filtered (label:DEATH \"civilians\")", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/label", unit: "ns/op", limit: 200e6, show: ms},
	// The target is the import's time (wall clock, what the user waits for): since
	// the index is written on a second core its CPU share is shown beside it as a figure.
	{what: "Search: index upkeep, share of import CPU time (both cores)", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/import", unit: "%-index-cost", figure: true, show: pct},
	{what: "Search: index upkeep, share of import time", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/import", unit: "%-index-cost-wall", limit: 30, show: pct},
	{what: "Search: index size on disk, times the text's", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/import", unit: "index/text", limit: 2, show: times},
	{what: "`evident search` as a process on that database: a word", pkg: "evident", name: "BenchmarkEvidentSearch/word", unit: "ns/op", limit: 100e6, show: ms},
	{what: "`evident search` as a process: label-filtered", pkg: "evident", name: "BenchmarkEvidentSearch/label", unit: "ns/op", limit: 200e6, show: ms},
	{what: "Team on PostgreSQL: 10 annotators × 10 decisions/s, p99 save (fsync on)", pkg: "evident/annotate/storetest", name: "BenchmarkTeamSave/postgres", unit: "p99-ms", limit: 50, show: msFigure},
	{what: "The same load on one SQLite file, p99 save", pkg: "evident/annotate/storetest", name: "BenchmarkTeamSave/sqlite", unit: "p99-ms", limit: 50, show: msFigure},
	{what: "Import 100,000 documents into PostgreSQL, × the SQLite time", pkg: "evident/annotate/storetest", name: "BenchmarkImport100kBackends", unit: "pg/sqlite", limit: 2, show: times},
	{what: "Export from PostgreSQL the same bytes as from SQLite (1 = same)", pkg: "evident/annotate/storetest", name: "BenchmarkImport100kBackends", unit: "same-bytes", limit: 1, atLeast: true, show: times},
	{what: "`evident import` of 100,000 documents as a process into PostgreSQL, × the SQLite time", pkg: "evident", name: "BenchmarkImportCLIBackends", unit: "pg/sqlite", limit: 2, show: times},
	{what: "`evident import` as a process into SQLite: CPU time", pkg: "evident", name: "BenchmarkImportCLIBackends", unit: "cpu-s-sqlite", figure: true, show: sec},
	{what: "`evident import` as a process into PostgreSQL: CPU time of the process", pkg: "evident", name: "BenchmarkImportCLIBackends", unit: "cpu-s-postgres-client", figure: true, show: sec},
	{what: "`evident import` as a process into PostgreSQL: CPU time of the server", pkg: "evident", name: "BenchmarkImportCLIBackends", unit: "cpu-s-postgres-server", figure: true, show: sec},
	// issue 19: how quiet the machine was while the search benchmark imported (/proc/stat)
	{what: "Other processes' CPU during the search benchmark's imports (cores; its wall share means little above 0.1)", pkg: "evident/annotate/sqlite", name: "BenchmarkSearch100k/import", unit: "cores-others", figure: true, show: frac},
}

// procPkg is the "package" of benchmark lines that time the evident binary as a process.
const procPkg = "evident (process)"

func times(v float64) string { return fmt.Sprintf("%.2f×", v) }
func mbFig(v float64) string { return fmt.Sprintf("%.0f MB", v) }
func msFig(v float64) string { return fmt.Sprintf("%.0f ms", v) }

// notes are figures kept by hand beside the generated ones: profiles and the figures
// before a change, which a later run cannot measure again.
//
//go:embed notes.md
var notes string

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
		case strings.HasPrefix(line, "# rss "), strings.HasPrefix(line, "# secs "), strings.HasPrefix(line, "# cpu "):
			kind, rest, _ := strings.Cut(strings.TrimPrefix(line, "# "), " ")
			name, kb, ok := strings.Cut(rest, ":")
			if kind != "rss" {
				name += "-" + kind
			}
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
		if t.ratio[0] != "" {
			a, okA := rss[t.ratio[0]]
			b, okB := rss[t.ratio[1]]
			if found = okA && okB && b > 0; found {
				v, cmd = a/b, rssCmd[t.ratio[0]]
				if t.overhead {
					v = 100 * (v - 1)
				}
			}
		} else if t.rss != "" {
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
		if t.baseline {
			limit, ok, verdict = "(baseline)", true, "baseline"
		}
		if t.figure {
			limit, ok, verdict = "(figure)", true, "—"
		}
		if !ok {
			verdict = "**missed**"
			misses++
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", t.what, limit, t.show(v), verdict, ref(cmd))
	}
	fmt.Fprintf(w, "\n%d of %d targets missed or not measured.\n", misses, len(targets))
	if notes != "" {
		fmt.Fprint(w, "\n"+notes)
	}
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
