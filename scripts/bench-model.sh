#!/usr/bin/env bash
# Issue 18 through the binary: `evident suggest` with the example model (examples/tagger)
# answering at once, over stdin/stdout and over HTTP on localhost, 5,000 documents of
# about 1 KB, timed as a user runs it (/usr/bin/time -v). Appends to the raw file given
# (default build/bench.txt) benchmark lines that internal/benchreport reads:
#   BenchmarkEvidentModel{Pipe,HTTP} 1 NS ns/op DOCS docs/s CPU cpu-s
# plus "# rss" lines for the peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
TAGS=${TAGS:-sqlite_fts5}
raw=${1:-build/bench.txt}
n=${N:-5000}
mkdir -p build/model-bench
dir=build/model-bench
go build -tags "$TAGS" -o build/evident .
go build -o build/tagger ./examples/tagger
python3 - "$n" "$dir" <<'PY'
import json, sys
n, d = int(sys.argv[1]), sys.argv[2]
para = ("Officials in Rivertown said Colonel Ames met traders near the old bridge. "
        + "the market was quiet and the traders said they would come back after the rains. " * 12)
with open(d + "/docs.jsonl", "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": "doc-%06d" % i, "text": para}) + "\n")
with open(d + "/model.json", "w") as f:
    json.dump({"model": "gaz", "model_version": "1", "phrases": {"rivertown": {"LOCATION": 1},
               "colonel ames": {"ACTOR": 1}, "officials": {"ACTOR": 1}}}, f)
PY
echo "pkg: evident" >> "$raw"
# once NAME ARGS...: a fresh copy of the imported database, then evident suggest ARGS.
once() {
	local name=$1
	shift
	rm -f "$dir"/run.db*
	build/evident import --db "$dir/run.db" "$dir/docs.jsonl" > /dev/null
	echo "# cmd: /usr/bin/time -v build/evident suggest --db $dir/run.db $1 '$2'  ($n documents; load: $(cut -d' ' -f1-3 /proc/loadavg))" >> "$raw"
	/usr/bin/time -v build/evident suggest --db "$dir/run.db" "$@" > "$dir/out.txt" 2> "$dir/time.txt"
	grep -q "^$((3 * n)) new suggestions in $n documents" "$dir/out.txt" || { cat "$dir/out.txt" "$dir/time.txt" >&2; exit 1; }
	local wall cpu
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}')
	cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{print s}' "$dir/time.txt")
	echo "BenchmarkEvidentModel$name 1 $(awk -v w="$wall" 'BEGIN{printf "%.0f", w*1e9}') ns/op $(awk -v w="$wall" -v n="$n" 'BEGIN{printf "%.0f", n/w}') docs/s $cpu cpu-s" | tee -a "$raw"
	echo "# rss model-cli-$name: $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")" >> "$raw"
}
once Pipe --model-cmd "build/tagger --model $dir/model.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
build/tagger --model "$dir/model.json" --http "127.0.0.1:$port" 2> /dev/null &
tagger=$!
trap 'kill $tagger 2> /dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break; sleep 0.1; done
once HTTP --model-url "http://127.0.0.1:$port"
