#!/usr/bin/env bash
# Runs the benchmarks of every package and writes BENCHMARKS.md (targets beside figures).
# The raw output is kept in build/bench.txt. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# FTS5 (the search index) needs this go-sqlite3 build tag, as in the Makefile.
TAGS=${TAGS:-sqlite_fts5}
scripts/deps.sh time
mkdir -p build
raw=build/bench.txt
: > "$raw"

# bench CMD...: runs a go test benchmark command, recording it for the report.
bench() {
	echo "# cmd: $*" >> "$raw"
	"$@" 2>&1 | tee -a "$raw"
}
# rss NAME PKG BENCH: runs one big benchmark once in a compiled test binary under
# /usr/bin/time -v and records its peak resident set size.
rss() {
	local name=$1 pkg=$2 bench=$3 bin
	bin=build/$(basename "$pkg").test
	go test -tags "$TAGS" -c -o "$bin" "./$pkg"
	echo "# cmd: /usr/bin/time -v $bin -test.run '^\$' -test.bench '$bench' -test.benchtime 1x" >> "$raw"
	echo "pkg: evident/$pkg" >> "$raw"
	/usr/bin/time -v "$bin" -test.run '^$' -test.bench "$bench" -test.benchtime 1x 2> build/time.txt | tee -a "$raw"
	echo "# rss $name: $(sed -n 's/.*Maximum resident set size (kbytes): //p' build/time.txt)" >> "$raw"
}

fast='^Benchmark(Suggest1MB|SuggestArticle|Accept|OpenDocument|Documents|Read100k|Open1MB|Open1MBLayout|Scroll|FocusNext|Export(JSONL|JSONLUTF16|Doccano|Events|CSV|Casualties|CoNLL|Brat))$'
bench go test -tags "$TAGS" -run '^$' -bench "$fast" -benchmem ./annotate/... ./export/... ./app/...
bench go test -run '^$' -bench '^Benchmark(Train1000|SuggestModel5000)$' -benchtime 1x ./annotate/learn
rss import100k annotate/sqlite '^BenchmarkImport100k$'
rss export100k export '^BenchmarkExportBig$/^jsonl$'
# Outside models (issue 18): an instant model over pipes and over HTTP, and the peak memory
# of 5,000 against 50,000 documents through the pipe.
rss model5k annotate/remote '^BenchmarkModelPipe$'
rss model50k annotate/remote '^BenchmarkModelPipe50k$'
bench go test -run '^$' -bench '^BenchmarkModelHTTP$' -benchtime 1x ./annotate/remote

go run ./internal/benchreport "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3)" < "$raw" > BENCHMARKS.md
cat docs/learned-figures.md >> BENCHMARKS.md # quality on real news, measured by hand
echo "wrote BENCHMARKS.md"
