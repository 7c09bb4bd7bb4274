#!/usr/bin/env bash
# Runs the real-window end-to-end tests (e2e/) against a built binary under a private
# Xvfb server. Screenshots of each step land in build/e2e/.
set -euo pipefail
bin=$(realpath "${1:?usage: e2e.sh PATH/TO/evident}")
cd "$(dirname "$0")/.."
mkdir -p build
EVIDENT_BIN=$bin go test -count=1 -tags "e2e ${TAGS:-sqlite_fts5}" -v ./e2e/ 2>&1 | tee build/e2e.log | grep -E '^(=== RUN|--- |PASS|FAIL|ok|\s+e2e_test)' || true
grep -q '^ok' build/e2e.log
