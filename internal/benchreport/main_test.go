package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestReportMarksMetAndMissed(t *testing.T) {
	in := `# cmd: go test -bench . ./annotate/sqlite
pkg: evident/annotate/sqlite
BenchmarkAccept-2   	    1000	   1200000 ns/op	  512 B/op
pkg: evident/annotate/suggest
BenchmarkSuggest1MB-2   	      10	 150000000 ns/op	   7.00 MB/s
# cmd: /usr/bin/time -v x
# rss import100k: 102400
`
	res, rss, rssCmd, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].metrics["ns/op"] != 1200000 || res[1].metrics["MB/s"] != 7 {
		t.Fatalf("parsed %+v", res)
	}
	var b bytes.Buffer
	write(&b, res, rss, rssCmd, "test")
	out := b.String()
	for _, want := range []string{
		"| Accept or reject one span, committed | ≤ 5.00 ms | 1.20 ms | met | [1] |",
		"| Suggestions, news text per core | ≥ 20.0 MB/s | 7.0 MB/s | **missed** |",
		"| Suggestions for a 1 MB article | ≤ 100.00 ms | 150.00 ms | **missed** |",
		"| Import 100,000 documents: peak memory | ≤ 300 MB | 100 MB | met |",
		"| Scroll one page: the widget's work for a frame | ≤ 16.00 ms | not measured | **missing** |",
		"| Import 100,000 documents: peak memory | ≤ 300 MB | 100 MB | met | [2] |",
		"1. `go test -bench . ./annotate/sqlite`",
		"2. `/usr/bin/time -v x`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, out)
		}
	}
}

// TestReportRatioOfTimedCommands: "# secs" figures are read, and a ratio target compares
// our command with the baseline script run in the same session.
func TestReportRatioOfTimedCommands(t *testing.T) {
	in := `# cmd: /usr/bin/time -v ./evident import x
# secs import-cli: 6.00
# rss import-cli: 204800
# cmd: /usr/bin/time -v python3 scripts/import_bench.py import x y
# secs import-python: 8.00
# cpu import-python: 7.50
# cmd: /usr/bin/time -v ./evident import x
# cpu import-cli: 9.00
# cmd: /usr/bin/time -v build/evident-noindex import x
# secs import-noindex: 5.00
# cpu import-noindex: 8.00
`
	res, rss, rssCmd, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	write(&b, res, rss, rssCmd, "test")
	out := b.String()
	for _, want := range []string{
		"| `evident import` time over the plain Python script's, same data | ≤ 1.00× | 0.75× | met | [1] |",
		"| `evident import` of 100,000 documents / 1,000,000 spans, as a process | ≤ 20.0 s | 6.0 s | met | [1] |",
		"| `evident import` of 100,000 documents, as a process: peak memory | ≤ 300 MB | 200 MB | met | [1] |",
		"| The same import by a plain Python sqlite3 script | (baseline) | 8.0 s | baseline | [2] |",
		"| The plain Python script's import: CPU time (user + system) | (figure) | 7.5 s | — | [2] |",
		"| `evident import` of 100,000 documents: CPU time (user + system) | (figure) | 9.0 s | — | [1] |",
		"| Search index upkeep: share of `evident import` time, as a process | ≤ 30% | 20% | met | [1] |",
		"| Search index upkeep: share of `evident import` CPU time, as a process | ≤ 30% | 12% | met | [1] |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, out)
		}
	}
	rss["import-python-secs"] = 5
	b.Reset()
	write(&b, res, rss, rssCmd, "test")
	if !strings.Contains(b.String(), "| 1.20× | **missed** |") {
		t.Errorf("a slower import is not a miss:\n%s", b.String())
	}
}
