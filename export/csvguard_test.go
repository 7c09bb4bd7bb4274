package export_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"evident/export"
)

// hostileFixture is the fixture plus a document whose title, id and spans start with
// every character a spreadsheet runs: = + - @ TAB CR.
func hostileFixture(t *testing.T) *fakeSource {
	src := fixture(t)
	id := int64(100)
	h := newDoc(t, &id, 9, "@wire-009", "=SUM(1+1)",
		"Report: -5 were hurt and +3 missing; see @desk.\tTabbed note.\rCR note ends it.")
	h.span("-5 were hurt", "CASUALTY", 0, acc, `{"kind":"injured","low":5,"high":5,"qualifier":"exact","claimant_text":"=cmd|' /C calc'!A0"}`)
	h.span("+3 missing", "VICTIM", 0, acc, "")
	h.span("@desk", "SOURCE", 0, acc, "")
	h.span("\tTabbed", "LOCATION", 0, acc, "")
	h.span("\rCR", "LOCATION", 0, acc, "")
	src.docs = append(src.docs, h.d)
	return src
}

// readRealCSV reads an export with encoding/csv, every record as wide as the header.
func readRealCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the export: %v\n%s", err, data)
	}
	if len(rows) < 2 {
		t.Fatalf("export has %d rows", len(rows))
	}
	return rows
}

func runs(cell string) bool { return cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) }

// TestCSVExportsGuardFormulas reads every CSV export back with encoding/csv in both
// modes: by default no cell would run in a spreadsheet and each guarded cell is the raw
// cell with one leading '; with Raw the cells are exactly as stored.
func TestCSVExportsGuardFormulas(t *testing.T) {
	for _, f := range []export.Format{export.FormatCSV, export.FormatCasualties} {
		t.Run(string(f), func(t *testing.T) {
			src := hostileFixture(t)
			guardedOut, _ := run(t, src, export.Options{Format: f, Status: "all"})
			rawOut, _ := run(t, src, export.Options{Format: f, Status: "all", Raw: true})
			guarded, raw := readRealCSV(t, guardedOut), readRealCSV(t, rawOut)
			if len(guarded) != len(raw) {
				t.Fatalf("%d rows guarded, %d raw", len(guarded), len(raw))
			}
			risky := map[string]bool{}
			for i := range raw {
				if len(raw[i]) != len(guarded[i]) {
					t.Fatalf("row %d: %d cells guarded, %d raw", i, len(guarded[i]), len(raw[i]))
				}
				for k, c := range raw[i] {
					g := guarded[i][k]
					if runs(g) {
						t.Errorf("row %d: guarded cell %q would run as a formula", i, g)
					}
					if runs(c) {
						risky[c] = true
						if g != "'"+c {
							t.Errorf("row %d: raw %q guarded as %q, want one leading '", i, c, g)
						}
					} else if g != c {
						t.Errorf("row %d: harmless cell %q changed to %q", i, c, g)
					}
				}
			}
			// The raw mode really writes the dangerous cells (the test is not vacuous).
			want := []string{"-5 were hurt", "=cmd|' /C calc'!A0"}
			if f == export.FormatCSV {
				want = append(want, "=SUM(1+1)", "@wire-009", "+3 missing", "@desk", "\tTabbed", "\rCR")
			}
			for _, w := range want {
				if !risky[w] {
					t.Errorf("raw export lacks the cell %q", w)
				}
			}
		})
	}
}
