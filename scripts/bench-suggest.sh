#!/usr/bin/env bash
# `evident suggest` as a user runs it, on generated corpora (internal/corpusgen): the
# time, throughput, peak memory and database growth of each case, printed as benchmark
# lines for internal/benchreport. Called by scripts/bench.sh; appends to build/bench.txt.
#   scripts/bench-suggest.sh [ARTICLES [MODEL-ARTICLES]]   (default 100000 articles for the
#   big case, 10000 for the case with a trained model)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
model_articles=${2:-10000}
raw=${BENCH_RAW:-build/bench.txt}
dir=build/suggest
mkdir -p "$dir"
go build -tags "${TAGS:-sqlite_fts5}" -o "$dir/evident" .
go build -o "$dir/corpusgen" ./internal/corpusgen

# case NAME CORPUSGEN-ARGS... : generate, import, then time `evident suggest`.
case_() {
	local name=$1 bytes
	shift
	bytes=$("$dir/corpusgen" "$@" -out "$dir/$name.jsonl")
	rm -f "$dir/$name.db" "$dir/$name.db-wal" "$dir/$name.db-shm" "$dir/$name.db-search"*
	"$dir/evident" import --db "$dir/$name.db" "$dir/$name.jsonl" > /dev/null
	time_ "$name" "$bytes" "corpusgen $*"
}

# model_case NAME ARTICLES: 300 done articles with spans to train on (corpusgen -kind
# gold) and ARTICLES new ones, imported, a model trained (not timed), then `evident
# suggest` timed with the model over all of them.
model_case() {
	local name=$1 n=$2 gold bytes
	gold=$("$dir/corpusgen" -kind gold -n 300 -seed 7 -out "$dir/$name.gold.jsonl")
	bytes=$("$dir/corpusgen" -kind articles -n "$n" -out "$dir/$name.jsonl")
	rm -f "$dir/$name.db" "$dir/$name.db-wal" "$dir/$name.db-shm" "$dir/$name.db-search"*
	"$dir/evident" import --db "$dir/$name.db" "$dir/$name.gold.jsonl" "$dir/$name.jsonl" > /dev/null
	"$dir/evident" train --db "$dir/$name.db" --cv 0
	rm -f "$dir/$name.gold.jsonl"
	time_ "$name" $((gold + bytes)) "corpusgen -kind gold -n 300, corpusgen -kind articles -n $n, evident train"
}

# time_ NAME TEXT-BYTES WHAT: time `evident suggest` on build/suggest/NAME.db.
time_() {
	local name=$1 bytes=$2 before after secs cpu rss
	before=$(stat -c %s "$dir/$name.db")
	echo "# cmd: /usr/bin/time -v evident suggest --db $name.db   ($name: $3; load: $(cut -d' ' -f1-3 /proc/loadavg))" >> "$raw"
	echo "pkg: evident (process)" >> "$raw"
	/usr/bin/time -v "$dir/evident" suggest --db "$dir/$name.db" > "$dir/$name.out" 2> "$dir/time.txt" || true
	cat "$dir/$name.out"
	grep '^suggest:' "$dir/time.txt" || true
	after=$(stat -c %s "$dir/$name.db")
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$dir/time.txt")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
	awk -v n="$name" -v b="$bytes" -v s="$secs" -v c="$cpu" -v r="$rss" -v g=$((after - before)) 'BEGIN {
		printf "BenchmarkProcSuggest/%s 1 %.3f s/run %.3f cpu-s/run %.2f MB/s %.2f growth-x %.0f MB-rss %d text-bytes\n",
			n, s, c, b / 1e6 / s, g / b, r / 1024, b }' | tee -a "$raw"
	rm -f "$dir/$name.jsonl"
}

case_ articles40 -kind articles -n 40
case_ reports5000 -kind reports -n 5000 -size 1000
case_ long1MB -kind long -size 1048576
case_ dense1MB -kind dense -size 1048576
case_ long30MB -kind long -size 31457280
case_ "articles${articles}" -kind articles -n "$articles"
model_case "model${model_articles}" "$model_articles"
rm -f "$dir"/*.db "$dir"/*.db-wal "$dir"/*.db-shm "$dir"/*.db-search*
