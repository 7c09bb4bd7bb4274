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

fast='^Benchmark(Suggest1MB|SuggestArticle|SuggestRunStore|FirstScreen1MB|Accept|OpenDocument|Documents|Read100k|Open1MB|Open1MBLayout|Scroll|FocusNext|Export(JSONL|JSONLUTF16|Doccano|Events|CSV|Casualties|CoNLL|Brat))$'
bench go test -tags "$TAGS" -run '^$' -bench "$fast" -benchmem ./annotate/... ./export/... ./app/...
bench go test -tags "$TAGS" -run '^$' -bench '^Benchmark(Train1000|Train1000CRF|SuggestModel5000)$' -benchtime 1x ./annotate/learn
rss import100k annotate/sqlite '^BenchmarkImport100k$'
rss export100k export '^BenchmarkExportBig$/^jsonl$'
# Outside models (issue 18): an instant model over pipes and over HTTP, and the peak memory
# of 5,000 against 50,000 documents through the pipe.
rss model5k annotate/remote '^BenchmarkModelPipe$'
rss model50k annotate/remote '^BenchmarkModelPipe50k$'
bench go test -tags "$TAGS" -run '^$' -bench '^BenchmarkModelHTTP$' -benchtime 1x ./annotate/remote
# ... and through the binary as a user runs it, with the example model (examples/tagger).
scripts/bench-model.sh "$raw"

scripts/bench-suggest.sh

# incidents (issue 14): 20,000 constructed reports imported and suggested through the
# binary, then `evident incidents --propose` timed as a user runs it; the proposals are
# then stored (--accept-proposals, not timed) to score B-cubed and dispute flags.
go build -tags "$TAGS" -o build/evident .
go run ./internal/reportgen > build/reports.jsonl
rm -f build/reports.db build/reports.db-wal build/reports.db-shm build/reports.db-search build/reports.db-search-wal build/reports.db-search-shm
build/evident import --db build/reports.db build/reports.jsonl
build/evident suggest --db build/reports.db > /dev/null
echo "# cmd: /usr/bin/time -v build/evident incidents --db build/reports.db --propose --json" >> "$raw"
/usr/bin/time -v build/evident incidents --db build/reports.db --propose --json > build/proposals.json 2> build/time.txt
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' build/time.txt | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}')
cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{print s}' build/time.txt)
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' build/time.txt)
build/evident incidents --db build/reports.db --propose --accept-proposals --annotator bench --json > build/incidents.json
echo "pkg: evident/internal/reportgen" >> "$raw"
go run ./internal/reportgen -score build/incidents.json -timed build/proposals.json -seconds "$wall" -cpu "$cpu" -rss "$kb" | tee -a "$raw"

# timed NAME CMD...: runs a command as a user would, under /usr/bin/time -v, recording its
# wall-clock seconds and peak resident set size.
timed() {
	local name=$1
	shift
	echo "# cmd: /usr/bin/time -v $*" >> "$raw"
	/usr/bin/time -v "$@" 2> build/time.txt | tee -a "$raw"
	echo "# secs $name: $(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' build/time.txt |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')" >> "$raw"
	echo "# rss $name: $(sed -n 's/.*Maximum resident set size (kbytes): //p' build/time.txt)" >> "$raw"
	echo "# cpu $name: $(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' build/time.txt)" >> "$raw"
}
# The import as a user runs it, `evident import` as a process, beside the plain Python
# sqlite3 script a user could write instead, on the same 100,000 documents / 1,000,000
# spans. The script writes into a database `evident import` created, so both fill the
# same schema and indexes.
go build -tags "$TAGS" -o build/evident .
[ -f build/import100k.jsonl ] || python3 scripts/import_bench.py gen 100000 build/import100k.jsonl
rm -f build/import-ev.db* build/import-py.db*
: > build/empty.jsonl
build/evident import --db build/import-py.db build/empty.jsonl > /dev/null
timed import-cli build/evident import --db build/import-ev.db build/import100k.jsonl
# The same binary built without FTS5 keeps no search index: the difference is the index's upkeep.
go build -o build/evident-noindex .
rm -f build/import-noindex.db*
timed import-noindex build/evident-noindex import --db build/import-noindex.db build/import100k.jsonl
timed import-python python3 scripts/import_bench.py import build/import100k.jsonl build/import-py.db
# Writers during an import in another process: a decision (the window) and a second import.
bench go test -tags "$TAGS" -run '^$' -bench '^BenchmarkWritersDuringImport$' -benchtime 1x .
# A decision saved while `incidents --accept-proposals` stores 6,400 incidents, and while a
# 10,000-document file is merged (both staged, then published in one short transaction).
bench go test -tags "$TAGS" -run '^$' -bench '^Benchmark(AcceptProposals|Merge)WhileSaving$' -benchtime 1x ./annotate/sqlite/

# Search (issue 19): the Go benchmark keeps its 100,000-document database for the
# binary to be timed as a user runs it (an absolute path: go test runs in the package folder).
rm -f build/search100k.db*
SEARCH_BENCH_DB="$PWD/build/search100k.db" bench go test -tags "$TAGS" -run '^$' -bench '^BenchmarkSearch100k$' -benchtime 20x -timeout 60m ./annotate/sqlite/
go build -tags "$TAGS" -o build/evident .
echo "pkg: evident" >> "$raw"
for q in 'word civilians' 'phrase "civilians in qaryat"' 'label label:DEATH "civilians"'; do
	name=${q%% *}
	echo "# cmd: /usr/bin/time -f %e build/evident search --db build/search100k.db --limit 100 '${q#* }'" >> "$raw"
	/usr/bin/time -f %e -o build/time.txt build/evident search --db build/search100k.db --limit 100 "${q#* }" > /dev/null
	echo "BenchmarkEvidentSearch/$name 1 $(awk '{printf "%d", $1 * 1e9}' build/time.txt) ns/op" | tee -a "$raw"
done

# The team backend beside SQLite: throwaway PostgreSQL servers with fsync on (internal/pgtest).
bench go test -tags "$TAGS" -run '^$' -bench '^Benchmark(TeamSave|Import100kBackends)$' -benchtime 1x ./annotate/storetest/
# The same import as a user runs it: `evident import` as a process into each backend.
bench go test -tags "$TAGS" -run '^$' -bench '^BenchmarkImportCLIBackends$' -benchtime 1x .

go run ./internal/benchreport "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3)" < "$raw" > BENCHMARKS.md
cat docs/learned-figures.md >> BENCHMARKS.md # quality on real news, measured by hand
echo "wrote BENCHMARKS.md"
