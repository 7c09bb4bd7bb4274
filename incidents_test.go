package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// sampleLines returns the lines of assets/samples/samples.jsonl with the given ids.
func sampleLines(t *testing.T, ids ...string) string {
	t.Helper()
	f, err := assets.Samples().Open("samples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	n := 0
	for sc.Scan() {
		var row struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids, row.ID) {
			b.Write(sc.Bytes())
			b.WriteByte('\n')
			n++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(ids) {
		t.Fatalf("found %d of the samples %v", n, ids)
	}
	return b.String()
}

// incidentsOut is the part of `incidents --json` the tests read.
type incidentsOut struct {
	Incidents []struct {
		ID        int64
		Title     string
		Place     string
		Date      string
		Events    []annotate.EventRef
		Documents []struct {
			ExternalID string `json:"external_id"`
			Outlet     string
			Published  string
		}
		Figures  []annotate.Figure
		Disputed bool
		Spread   int
		Kinds    []struct {
			Kind        string
			Figures     int
			Disputes    int
			Adjudicated *annotate.Adjudication
		}
		Disputes []struct {
			Kind  string
			Gap   int
			Lower int64 `json:"lower_span"`
			Upper int64 `json:"upper_span"`
		}
		Adjudications []annotate.Adjudication
	}
	Proposals []struct {
		Events   []annotate.EventRef
		Score    float64
		Reasons  []string
		Incident int64
	}
}

func incidentsJSON(t *testing.T, args ...string) incidentsOut {
	t.Helper()
	code, out, errs := evident(t, append([]string{"incidents", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("incidents %v: exit %d: %s", args, code, errs)
	}
	var r incidentsOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("incidents --json is not one JSON object: %v\n%s", err, out)
	}
	return r
}

// TestIncidentsOnSampleArticles runs the whole path on the three sample articles about
// the strike at Um Kadada: import, suggest, propose and accept; one incident holds the
// three documents and its death tolls (41 from the armed group, 25 to 30 from the UN)
// are reported as disputed. An adjudication made through the store shows in the JSON.
func TestIncidentsOnSampleArticles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "um.db")
	in := writeFile(t, dir, "um.jsonl", sampleLines(t, "sample-11", "sample-12", "sample-13"))
	if code, _, errs := evident(t, "import", "--db", db, in); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := evident(t, "suggest", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	if r := incidentsJSON(t, "--db", db); len(r.Incidents) != 0 || r.Proposals != nil {
		t.Fatalf("before proposing: %+v", r)
	}
	// --propose alone stores nothing
	r := incidentsJSON(t, "--db", db, "--propose")
	if len(r.Proposals) != 1 || len(r.Incidents) != 0 || r.Proposals[0].Incident != 0 {
		t.Fatalf("--propose: %d proposals, %d incidents", len(r.Proposals), len(r.Incidents))
	}

	r = incidentsJSON(t, "--db", db, "--propose", "--accept-proposals", "--annotator", "rev")
	if len(r.Proposals) != 1 || len(r.Incidents) != 1 {
		t.Fatalf("accept: %d proposals, %d incidents: %+v", len(r.Proposals), len(r.Incidents), r)
	}
	p, inc := r.Proposals[0], r.Incidents[0]
	if p.Incident != inc.ID || p.Score < 0.5 || !slices.Contains(p.Reasons, "same type ATTACK") {
		t.Errorf("proposal %+v", p)
	}
	if !slices.Equal(p.Events, inc.Events) {
		t.Errorf("the incident's events %v are not the proposal's %v", inc.Events, p.Events)
	}
	var docs []string
	for _, d := range inc.Documents {
		docs = append(docs, d.ExternalID)
		if d.Outlet == "" || d.Published == "" {
			t.Errorf("document %s without outlet or date", d.ExternalID)
		}
	}
	if !slices.Equal(docs, []string{"sample-11", "sample-12", "sample-13"}) {
		t.Fatalf("incident documents %v", docs)
	}
	if inc.Place != "Um Kadada" || inc.Date != "2026-03-12" || !strings.Contains(inc.Title, "Um Kadada") {
		t.Errorf("incident described as %q, place %q, date %q", inc.Title, inc.Place, inc.Date)
	}
	if !inc.Disputed || inc.Spread <= 0 || len(inc.Kinds) == 0 || inc.Kinds[0].Kind != "killed" || inc.Kinds[0].Disputes == 0 {
		t.Fatalf("killed not reported as disputed: disputed %v spread %d kinds %+v", inc.Disputed, inc.Spread, inc.Kinds)
	}
	texts := map[int64]annotate.Figure{}
	for _, f := range inc.Figures {
		texts[f.SpanID] = f
		if f.Outlet == "" || f.Published == "" || f.Sentence == "" {
			t.Errorf("figure %q lacks outlet, date or sentence: %+v", f.Text, f)
		}
	}
	for _, d := range inc.Disputes {
		lo, up := texts[d.Lower], texts[d.Upper]
		// the hospital's 53 injured against the armed group's 62 wounded is a dispute too,
		// now that the injury events are linked with the attack
		if lo.Kind != d.Kind || up.Kind != d.Kind || lo.High == nil || up.Low == nil || *lo.High >= *up.Low {
			t.Errorf("dispute %+v between %q and %q is not two figures of one kind that cannot both hold", d, lo.Text, up.Text)
		}
	}
	killed41 := false
	for _, f := range inc.Figures {
		if f.Kind == "killed" && f.Low != nil && *f.Low == 41 && f.DocExternalID == "sample-12" {
			killed41 = true
		}
	}
	if !killed41 {
		t.Error("the armed group's 41 killed (sample-12) is not among the figures")
	}

	// proposing again offers nothing: the events are linked
	if r := incidentsJSON(t, "--db", db, "--propose"); r.Proposals == nil || len(r.Proposals) != 0 || len(r.Incidents) != 1 {
		t.Fatalf("second --propose: %d proposals, %d incidents", len(r.Proposals), len(r.Incidents))
	}
	code, out, _ := evident(t, "incidents", "--db", db)
	if code != 0 || !strings.Contains(out, "DISPUTED") || !strings.Contains(out, "dispute killed:") || !strings.Contains(out, "The Daily Ledger") {
		t.Fatalf("text listing:\n%s", out)
	}

	// an adjudication is reported with the history and as the one in effect
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	for _, best := range []int{41, 27} {
		if _, err := st.Adjudicate(ctx, annotate.Adjudication{IncidentID: inc.ID, Kind: "killed", Best: &best, Note: "hospital records"}, "rev"); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	r = incidentsJSON(t, "--db", db)
	got := r.Incidents[0]
	if len(got.Adjudications) != 2 || got.Kinds[0].Adjudicated == nil || *got.Kinds[0].Adjudicated.Best != 27 || got.Kinds[0].Adjudicated.Reviewer != "rev" {
		t.Fatalf("adjudications %+v, in effect %+v", got.Adjudications, got.Kinds[0].Adjudicated)
	}
	if code, out, errs := evident(t, "check", "--db", db); code != 0 {
		t.Fatalf("check: %s %s", out, errs)
	}

	// The casualties export names the incident and the adjudication in effect ...
	csvOut := filepath.Join(dir, "cas.csv")
	if code, _, errs := evident(t, "export", "--db", db, "--format", "casualties", "--status", "all", "--out", csvOut); code != 0 {
		t.Fatal(errs)
	}
	rows := readCSV(t, csvOut)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	inIncident := 0
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[col["incident"]], strconv.FormatInt(inc.ID, 10)+": ") {
			continue
		}
		inIncident++
		if row[col["kind"]] == "killed" && row[col["best"]] != "27" {
			t.Errorf("killed figure %q in the incident has best %q, want the adjudicated 27", row[col["text"]], row[col["best"]])
		}
	}
	if inIncident != len(inc.Figures) {
		t.Errorf("%d casualty rows name the incident, want its %d figures", inIncident, len(inc.Figures))
	}
	// ... and a split keeps the incident's three documents in one part, whatever the seed.
	for seed := 1; seed <= 5; seed++ {
		out := filepath.Join(dir, fmt.Sprintf("split%d.jsonl", seed))
		if code, _, errs := evident(t, "export", "--db", db, "--format", "jsonl", "--status", "all",
			"--split", "train=0.34,dev=0.33,test=0.33", "--seed", fmt.Sprint(seed), "--out", out); code != 0 {
			t.Fatal(errs)
		}
		nonEmpty := 0
		for _, part := range []string{"train", "dev", "test"} {
			data, _ := os.ReadFile(strings.TrimSuffix(out, ".jsonl") + "." + part + ".jsonl")
			if n := strings.Count(string(data), "\n"); n > 0 {
				nonEmpty++
				if n != 3 {
					t.Errorf("seed %d: part %s holds %d of the incident's 3 documents", seed, part, n)
				}
			}
		}
		if nonEmpty != 1 {
			t.Errorf("seed %d: the incident's documents went to %d parts", seed, nonEmpty)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestIncidentsUsage(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := evident(t, "incidents", "--db", filepath.Join(dir, "none.db")); code != 1 || !strings.Contains(errs, "no database") {
		t.Errorf("missing database: exit %d, %q", code, errs)
	}
	if code, _, _ := evident(t, "incidents", "--db", filepath.Join(dir, "x.db"), "extra"); code != 2 {
		t.Errorf("stray argument: exit %d, want 2", code)
	}
}
