# Evident: `make run` opens the app on the sample corpus, `make test` runs every test.
# Both install the system packages Fyne and cgo need when run as root on Debian/Ubuntu
# (scripts/deps.sh), or print the exact apt-get command.

GO       ?= go
BIN      ?= evident
# SQLite's full-text search (FTS5) is compiled into go-sqlite3 only with this tag; every
# build, test, fuzz and bench run carries it (a binary without it searches by a scan).
TAGS     ?= sqlite_fts5
# The window tests run the real binary under a private X server.
E2E_DEPS := xvfb xdotool imagemagick

.PHONY: all deps build run test unit e2e fuzz bench package clean

all: build

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

# Opens the window on the default database in the user's data directory, loading the
# sample corpus (and suggestions for it) the first time.
run: build
	LANG=C.UTF-8 ./$(BIN) --samples

test: unit e2e

unit: deps
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -tags $(TAGS) -count=1 ./...

# Real-window end-to-end test: scripts/e2e.sh drives the built binary with xdotool.
e2e: build
	@scripts/deps.sh $(E2E_DEPS)
	TAGS=$(TAGS) scripts/e2e.sh ./$(BIN)

# A short run of every fuzz target (go test allows one target per invocation). The budget
# is a count of inputs: a time budget (e.g. 10s) can end in a spurious "context deadline
# exceeded" failure when the deadline falls in the middle of an input, as seen in CI here.
FUZZTIME ?= 30000x
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -tags $(TAGS) -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$t"; $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Runs every package's benchmarks and writes BENCHMARKS.md (targets beside figures).
bench: deps
	TAGS=$(TAGS) scripts/bench.sh

# A desktop package for Linux: build/evident-VERSION-linux-amd64.tar.gz holding the
# binary, a .desktop file and the icon, with an install script for the current user.
package: build
	scripts/package.sh ./$(BIN)

clean:
	rm -rf $(BIN) build
