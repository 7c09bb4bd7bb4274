// Command evident is a desktop tool for labelling conflict-event news. With no subcommand
// it opens the window; subcommands serve batch work and scripts:
//
//	evident [--db PATH] [--annotator NAME] [--samples]      open the window
//	evident import [--db PATH] [--annotator NAME] [--add-labels] FILE...
//	evident suggest [--db PATH] [--doc ID]
//	evident export [--db PATH] --format F [--status S] --out FILE
//	evident stats [--db PATH] [--json]
//	evident eval --gold FILE.jsonl [--json]
//	evident agree [--db PATH] [--json]
//	evident incidents [--db PATH] [--json] [--propose] [--accept-proposals]
//	evident merge --into TEAM.db A.db B.db ...
//	evident check [--db PATH]
//	evident backup [--db PATH] --out FILE
//	evident search [--db PATH] [--json] [--limit N] [--inconsistent] QUERY
//	evident copy --from DB --to DB
//	evident assign [--db DB] --annotators a,b,c [--overlap 0.2]
//	evident --version
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"syscall"

	_ "evident/internal/plainlocale" // must init before Fyne's lang package
)

//go:embed FyneApp.toml
var fyneAppToml string

// version is read from FyneApp.toml, the one place it is set.
func version() string {
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindStringSubmatch(fyneAppToml)
	if m == nil {
		return "unknown"
	}
	return m[1]
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: it gets its own flag set and the shared options.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv carries what every command needs; tests fill it with buffers.
type cliEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// usageError marks errors in how a command was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"import", "import documents from .txt, .jsonl and .csv files", cmdImport},
		{"suggest", "propose spans and events for all documents or one", cmdSuggest},
		{"export", "write annotations as training data", cmdExport},
		{"stats", "print documents, spans by label and status, annotators", cmdStats},
		{"eval", "score the suggestion engine against gold annotations; --cv K: rules vs rules+model by cross-validation", cmdEval},
		{"train", "train the suggestion model on the database's decisions and store it", cmdTrain},
		{"agree", "inter-annotator agreement: span F1, Cohen's kappa, Krippendorff's alpha", cmdAgree},
		{"check", "check the database's integrity and Evident's invariants", cmdCheck},
		{"backup", "write a consistent copy of the database while it is in use", cmdBackup},
		{"incidents", "list incidents with their figures and disputes; --propose links events into incidents", cmdIncidents},
		{"merge", "merge annotators' databases of the same documents: merge --into TEAM.db A.db B.db ...", cmdMerge},
		{"search", `find text and annotations: search [--json] [--limit N] 'label:DEATH "civilians"'; --inconsistent`, cmdSearch},
		{"copy", "move a whole project between SQLite and PostgreSQL: copy --from A --to B", cmdCopy},
		{"assign", "hand out documents to annotators: assign --annotators a,b,c [--overlap 0.2]", cmdAssign},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cliEnv{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version", "version":
			fmt.Fprintf(stdout, "evident %s\n", version())
			return 0
		case "help", "-h", "--help":
			usage(stdout)
			return 0
		}
		for _, c := range commands() {
			if c.name == args[0] {
				return exitCode(stderr, c.name, offLockedThread(func() error { return c.run(ctx, env, args[1:]) }))
			}
		}
	}
	return exitCode(stderr, "evident", cmdWindow(ctx, env, args))
}

func exitCode(stderr io.Writer, name string, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "evident %s: %v\n", name, err)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "evident %s: label conflict-event news\n\n", version())
	fmt.Fprintln(w, "usage: evident [--db PATH] [--annotator NAME] [--samples]   open the window")
	fmt.Fprintln(w, "       evident COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n--db defaults to $EVIDENT_DB, else evident.db in the user's data directory.")
	fmt.Fprintln(w, "Run 'evident COMMAND -h' for a command's flags.")
}

// dataDir is where the default database lives: the platform's per-user data directory.
func dataDir(getenv func(string) string) (string, error) {
	home, err := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "Evident"), nil
		}
	case "darwin":
		if err == nil {
			return filepath.Join(home, "Library", "Application Support", "Evident"), nil
		}
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "evident"), nil
		}
		if err == nil {
			return filepath.Join(home, ".local", "share", "evident"), nil
		}
	}
	return "", fmt.Errorf("no data directory (set --db or EVIDENT_DB): %w", err)
}

// dbPath resolves --db, then EVIDENT_DB, then the default in the data directory.
func dbPath(env *cliEnv, flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if p := env.getenv("EVIDENT_DB"); p != "" {
		return p, nil
	}
	dir, err := dataDir(env.getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "evident.db"), nil
}

// annotatorName resolves --annotator, then EVIDENT_ANNOTATOR, then the login name.
func annotatorName(env *cliEnv, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if a := env.getenv("EVIDENT_ANNOTATOR"); a != "" {
		return a
	}
	return ""
}
