// Command reportgen writes the constructed multi-report corpus of
// annotate/incident/corpus as JSONL for `evident import`, and scores the proposals of
// `evident incidents --propose --json` against the corpus truth. scripts/bench.sh uses it
// to measure incident linking through the evident binary, as a user runs it:
//
//	reportgen -incidents 6700 -max 20000 > reports.jsonl
//	reportgen -incidents 6700 -max 20000 -score proposals.json -seconds S -rss KB
//
// The score is printed as benchmark lines (B-cubed precision and F1 over reports, the
// share of disputed incidents flagged; tuned and held-out styles apart) so that
// internal/benchreport reads them beside the Go benchmarks.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"evident/annotate/incident/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "reportgen:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("reportgen", flag.ContinueOnError)
	n := fs.Int("incidents", 6700, "incidents to write (2 to 4 reports each)")
	limit := fs.Int("max", 20000, "at most this many reports")
	seed := fs.Uint64("seed", 3, "seed: the same seed writes the same corpus")
	score := fs.String("score", "", "score this `evident incidents --propose --json` output instead of writing reports")
	secs := fs.Float64("seconds", 0, "with -score: the run's wall time, printed beside the scores")
	rss := fs.Float64("rss", 0, "with -score: the run's peak resident set size in KB")
	cpu := fs.Float64("cpu", 0, "with -score: the run's user and system CPU seconds")
	timed := fs.String("timed", "", "with -score: proposals JSON of the timed run, when -score reads a later run that stored them (--accept-proposals)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := corpus.Generate(corpus.Options{Incidents: *n, Seed: *seed})
	c.Reports = c.Reports[:min(*limit, len(c.Reports))]
	if *score != "" {
		return scoreFile(c, *score, *timed, *secs, *cpu, *rss, out)
	}
	enc := json.NewEncoder(out)
	for _, r := range c.Reports {
		row := map[string]string{"id": r.ID, "title": r.Title, "source": r.Outlet, "published": r.Published, "text": r.Text}
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	return nil
}

// proposalsFile is the part of `evident incidents --json` this reads.
type proposalsFile struct {
	Proposals []struct {
		Documents []struct {
			ExternalID string `json:"external_id"`
		} `json:"documents"`
	} `json:"proposals"`
	Incidents []struct {
		Disputed  bool `json:"disputed"`
		Documents []struct {
			ExternalID string `json:"external_id"`
		} `json:"documents"`
	} `json:"incidents"`
}

func scoreFile(c corpus.Corpus, path, timed string, secs, cpu, rss float64, out io.Writer) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var pf proposalsFile
	if err := json.Unmarshal(b, &pf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if timed != "" { // the timed run must have proposed what was stored
		tb, err := os.ReadFile(timed)
		if err != nil {
			return err
		}
		var tf proposalsFile
		if err := json.Unmarshal(tb, &tf); err != nil {
			return fmt.Errorf("%s: %w", timed, err)
		}
		if len(tf.Proposals) != len(pf.Proposals) {
			return fmt.Errorf("%s has %d proposals, %s %d: not the same run", timed, len(tf.Proposals), path, len(pf.Proposals))
		}
	}
	index := map[string]int{}
	for i, r := range c.Reports {
		index[r.ID] = i
	}
	// groups from the incidents stored by --accept-proposals (they carry the dispute
	// flag); with --propose alone, from the proposals
	group := map[int]int{}
	flagged := map[int]bool{}
	add := func(g int, ids []string, disputed bool) error {
		for _, id := range ids {
			i, ok := index[id]
			if !ok {
				return fmt.Errorf("%s: document %q is not in the corpus (other options than the import's?)", path, id)
			}
			if _, seen := group[i]; !seen {
				group[i] = g
			}
		}
		flagged[g] = disputed
		return nil
	}
	for g, inc := range pf.Incidents {
		var ids []string
		for _, d := range inc.Documents {
			ids = append(ids, d.ExternalID)
		}
		if err := add(g, ids, inc.Disputed); err != nil {
			return err
		}
	}
	if len(pf.Incidents) == 0 {
		for g, p := range pf.Proposals {
			var ids []string
			for _, d := range p.Documents {
				ids = append(ids, d.ExternalID)
			}
			if err := add(g, ids, false); err != nil {
				return err
			}
		}
	}
	isFlagged := func(g int) bool { return flagged[g] }
	tuned := c.Score(group, isFlagged, func(st int) bool { return !corpus.HeldOut(st) })
	held := c.Score(group, isFlagged, corpus.HeldOut)
	var line strings.Builder
	fmt.Fprintf(&line, "BenchmarkIncidentsBinary20k 1 %.2f s/run %.2f cpu-s %d reports", secs, cpu, len(c.Reports))
	fmt.Fprintf(&line, " %.4f bcubed-P %.4f bcubed-F1 %.4f disputed-flagged", tuned.Precision, tuned.F1, tuned.DisputedFlagged)
	fmt.Fprintf(&line, " %.4f heldout-P %.4f heldout-F1 %.4f heldout-disputed-flagged", held.Precision, held.F1, held.DisputedFlagged)
	if rss > 0 {
		fmt.Fprintf(&line, " %.0f peak-KB", rss)
	}
	_, err = fmt.Fprintln(out, line.String())
	return err
}
