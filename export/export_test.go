package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"evident/annotate"
	"evident/export"
)

// run exports src to a buffer through the driver, as `evident export --out -` does.
func run(t *testing.T, src export.Source, opts export.Options) ([]byte, export.Result) {
	t.Helper()
	var buf bytes.Buffer
	opts.Out = "-"
	opts.Stdout = &buf
	res, err := export.Run(context.Background(), src, opts, nil)
	if err != nil {
		t.Fatalf("Run(%+v): %v", opts, err)
	}
	return buf.Bytes(), res
}

var units = []export.Unit{export.CodePoints, export.UTF16, export.Bytes}

func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		opts export.Options
	}{
		{"fixture.jsonl", export.Options{Format: export.FormatJSONL}},
		{"fixture.all.utf16.tokens.jsonl", export.Options{Format: export.FormatJSONL, Status: "all", Offsets: export.UTF16, Tokens: true}},
		{"fixture.all.bytes.jsonl", export.Options{Format: export.FormatJSONL, Status: "all", Offsets: export.Bytes}},
		{"fixture.doccano.jsonl", export.Options{Format: export.FormatDoccano}},
		{"fixture.events.jsonl", export.Options{Format: export.FormatEvents}},
		{"fixture.csv", export.Options{Format: export.FormatCSV, Status: "all"}},
		{"fixture.casualties.csv", export.Options{Format: export.FormatCasualties}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _ := run(t, fixture(t), c.opts)
			golden(t, c.name, out)
		})
	}
}

// jsonlLine is the reader's view of a jsonl line.
type jsonlLine struct {
	ID     string          `json:"id"`
	Text   string          `json:"text"`
	SHA256 string          `json:"sha256"`
	Meta   json.RawMessage `json:"meta"`
	Spans  []struct {
		Start, End int
		Label      string
		Text       string
		Status     string
		Attrs      map[string]any
		TokenStart *int `json:"token_start"`
		TokenEnd   *int `json:"token_end"`
	} `json:"spans"`
	Events []struct {
		Type    string
		Trigger int
		Args    map[string][]int
	} `json:"events"`
	Tokens []struct {
		ID, Start, End int
		Text           string
	} `json:"tokens"`
}

func parseJSONL[T any](t *testing.T, out []byte) []T {
	t.Helper()
	var lines []T
	for i, l := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(l, &v); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		lines = append(lines, v)
	}
	return lines
}

// expected returns, per document id, the fixture's span texts by "label|status".
func fixtureTexts(src *fakeSource) map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, d := range src.docs {
		name := d.doc.ExternalID
		if name == "" {
			name = strconv.FormatInt(d.doc.ID, 10)
		}
		m[name] = map[string]bool{}
		r := []rune(d.doc.Text)
		for _, s := range d.spans {
			m[name][s.Label+"|"+string(r[s.Start:s.End])] = true
		}
	}
	return m
}

func TestJSONLOffsetsSliceText(t *testing.T) {
	for _, u := range units {
		t.Run(string(u), func(t *testing.T) {
			src := fixture(t)
			want := fixtureTexts(src)
			out, res := run(t, src, export.Options{Format: export.FormatJSONL, Status: "all", Offsets: u, Tokens: true})
			lines := parseJSONL[jsonlLine](t, out)
			if len(lines) != len(src.docs) || res.Documents != len(src.docs) {
				t.Fatalf("%d lines, result %d documents, want %d", len(lines), res.Documents, len(src.docs))
			}
			spans := 0
			for _, l := range lines {
				if annotate.TextHash(l.Text) != l.SHA256 {
					t.Errorf("%s: sha256 does not match the text", l.ID)
				}
				for _, tok := range l.Tokens {
					if got := sliceIn(t, l.Text, u, tok.Start, tok.End); got != tok.Text {
						t.Errorf("%s: token %d slices to %q, says %q", l.ID, tok.ID, got, tok.Text)
					}
				}
				for _, s := range l.Spans {
					spans++
					got := sliceIn(t, l.Text, u, s.Start, s.End)
					if got != s.Text {
						t.Errorf("%s: [%d,%d) slices to %q, span says %q", l.ID, s.Start, s.End, got, s.Text)
					}
					if !want[l.ID][s.Label+"|"+s.Text] {
						t.Errorf("%s: span %s %q is not in the fixture", l.ID, s.Label, s.Text)
					}
					if s.TokenStart == nil || s.TokenEnd == nil {
						t.Errorf("%s: span %q has no token range", l.ID, s.Text)
						continue
					}
					first, last := l.Tokens[*s.TokenStart], l.Tokens[*s.TokenEnd]
					if first.End <= s.Start || first.Start >= s.End || last.Start >= s.End || last.End <= s.Start || *s.TokenStart > *s.TokenEnd {
						t.Errorf("%s: span %q [%d,%d) token range %d..%d does not overlap it", l.ID, s.Text, s.Start, s.End, *s.TokenStart, *s.TokenEnd)
					}
					if *s.TokenStart > 0 && l.Tokens[*s.TokenStart-1].End > s.Start {
						t.Errorf("%s: span %q: token_start %d is not the first overlapping token", l.ID, s.Text, *s.TokenStart)
					}
					if *s.TokenEnd+1 < len(l.Tokens) && l.Tokens[*s.TokenEnd+1].Start < s.End {
						t.Errorf("%s: span %q: token_end %d is not the last overlapping token", l.ID, s.Text, *s.TokenEnd)
					}
					if c, ok := s.Attrs["claimant"]; ok {
						i := int(c.(float64))
						if i < 0 || i >= len(l.Spans) || l.Spans[i].Label != "SOURCE" {
							t.Errorf("%s: claimant %v of %q is not the index of a SOURCE span", l.ID, c, s.Text)
						}
					}
				}
				for _, e := range l.Events {
					if l.Spans[e.Trigger].Label != e.Type {
						t.Errorf("%s: event %s has trigger %d labelled %s", l.ID, e.Type, e.Trigger, l.Spans[e.Trigger].Label)
					}
					for role, idx := range e.Args {
						for _, i := range idx {
							if i < 0 || i >= len(l.Spans) {
								t.Errorf("%s: event %s role %s points at span %d of %d", l.ID, e.Type, role, i, len(l.Spans))
							}
						}
					}
				}
			}
			if spans != res.Spans {
				t.Errorf("read %d spans, Result says %d", spans, res.Spans)
			}
			total := 0
			for _, d := range src.docs {
				total += len(d.spans)
			}
			if spans != total {
				t.Errorf("status all exported %d spans, fixture has %d", spans, total)
			}
		})
	}
}

func TestJSONLClaimantIsIndex(t *testing.T) {
	out, _ := run(t, fixture(t), export.Options{Format: export.FormatJSONL})
	l := parseJSONL[jsonlLine](t, out)[0]
	for _, s := range l.Spans {
		if s.Label != "CASUALTY" {
			continue
		}
		i := int(s.Attrs["claimant"].(float64))
		if l.Spans[i].Text != "health ministry" {
			t.Errorf("claimant index %d points at %q, want the health ministry span", i, l.Spans[i].Text)
		}
		return
	}
	t.Fatal("no CASUALTY span in the first document")
}

func TestDoccanoOffsetsSliceText(t *testing.T) {
	for _, u := range units {
		t.Run(string(u), func(t *testing.T) {
			src := fixture(t)
			want := fixtureTexts(src)
			out, res := run(t, src, export.Options{Format: export.FormatDoccano, Status: "all", Offsets: u})
			type line struct {
				ID    string
				Text  string
				Label [][3]any
			}
			n := 0
			for _, l := range parseJSONL[line](t, out) {
				for _, lab := range l.Label {
					n++
					s, e, label := int(lab[0].(float64)), int(lab[1].(float64)), lab[2].(string)
					if !want[l.ID][label+"|"+sliceIn(t, l.Text, u, s, e)] {
						t.Errorf("%s: %s [%d,%d) = %q is not a fixture span", l.ID, label, s, e, sliceIn(t, l.Text, u, s, e))
					}
				}
			}
			if n != res.Spans || n == 0 {
				t.Errorf("read %d labels, Result says %d", n, res.Spans)
			}
		})
	}
}

func TestEventsOffsetsSliceText(t *testing.T) {
	for _, u := range units {
		t.Run(string(u), func(t *testing.T) {
			src := fixture(t)
			texts := map[string]string{}
			for _, d := range src.docs {
				texts[d.doc.ExternalID] = d.doc.Text
			}
			out, _ := run(t, src, export.Options{Format: export.FormatEvents, Offsets: u})
			type sp struct {
				Start, End  int
				Label, Text string
				Claimant    *sp `json:"claimant_span"`
			}
			type line struct {
				Doc, SHA256, Type string
				Trigger           sp
				Args              map[string][]sp
			}
			lines := parseJSONL[line](t, out)
			if len(lines) != 3 {
				t.Fatalf("%d events, want the fixture's 3 accepted", len(lines))
			}
			check := func(doc string, s sp) {
				if got := sliceIn(t, texts[doc], u, s.Start, s.End); got != s.Text {
					t.Errorf("%s: [%d,%d) slices to %q, says %q", doc, s.Start, s.End, got, s.Text)
				}
			}
			claimants := 0
			for _, l := range lines {
				if annotate.TextHash(texts[l.Doc]) != l.SHA256 {
					t.Errorf("%s: wrong sha256", l.Doc)
				}
				check(l.Doc, l.Trigger)
				if l.Trigger.Label != l.Type {
					t.Errorf("trigger label %s for event %s", l.Trigger.Label, l.Type)
				}
				for _, args := range l.Args {
					for _, a := range args {
						check(l.Doc, a)
						if a.Claimant != nil {
							claimants++
							check(l.Doc, *a.Claimant)
						}
					}
				}
			}
			if claimants == 0 {
				t.Error("no casualty argument carried its claimant span")
			}
			// The suggested TIME span is not exported, so it must not appear as an argument.
			if bytes.Contains(out, []byte("late on Tuesday")) {
				t.Error("a suggested span appears as an argument of an accepted export")
			}
		})
	}
}

// readCSV is an RFC 4180 reader that keeps CR and LF inside quoted fields exactly
// (encoding/csv folds CRLF to LF, which would hide an offset bug).
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	var rows [][]string
	var row []string
	var field []byte
	s := string(data)
	for i := 0; i < len(s); {
		if s[i] == '"' {
			i++
			for {
				if i >= len(s) {
					t.Fatal("csv: unterminated quoted field")
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						field = append(field, '"')
						i += 2
						continue
					}
					i++
					break
				}
				field = append(field, s[i])
				i++
			}
		}
		for i < len(s) && s[i] != ',' && s[i] != '\n' {
			if s[i] == '"' {
				t.Fatalf("csv: quote inside an unquoted field at byte %d", i)
			}
			field = append(field, s[i])
			i++
		}
		row = append(row, string(field))
		field = field[:0]
		if i >= len(s) || s[i] == '\n' {
			rows = append(rows, row)
			row = nil
		}
		i++
	}
	return rows
}

func TestCSVOffsetsSliceText(t *testing.T) {
	for _, u := range units {
		t.Run(string(u), func(t *testing.T) {
			src := fixture(t)
			texts := map[string]string{}
			for _, d := range src.docs {
				name := d.doc.ExternalID
				if name == "" {
					name = strconv.FormatInt(d.doc.ID, 10)
				}
				texts[name] = d.doc.Text
			}
			out, res := run(t, src, export.Options{Format: export.FormatCSV, Status: "all", Offsets: u, Raw: true})
			rows := readCSV(t, out)
			if strings.Join(rows[0], ",") != strings.Join(export.CSVHeader, ",") {
				t.Fatalf("header %v", rows[0])
			}
			for _, r := range rows[1:] {
				if len(r) != len(export.CSVHeader) {
					t.Fatalf("row has %d cells: %q", len(r), r)
				}
				s, _ := strconv.Atoi(r[3])
				e, _ := strconv.Atoi(r[4])
				if got := sliceIn(t, texts[r[0]], u, s, e); got != r[6] {
					t.Errorf("%s: [%d,%d) slices to %q, row says %q", r[0], s, e, got, r[6])
				}
				if annotate.TextHash(texts[r[0]]) != r[1] {
					t.Errorf("%s: wrong sha256", r[0])
				}
			}
			if len(rows)-1 != res.Spans {
				t.Errorf("%d rows, Result says %d spans", len(rows)-1, res.Spans)
			}
		})
	}
}

func TestCasualtiesNeutralisesFormulas(t *testing.T) {
	out, _ := run(t, fixture(t), export.Options{Format: export.FormatCasualties})
	rows := readCSV(t, out)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byText := map[string][]string{}
	for _, r := range rows[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q would run as a formula", c)
			}
		}
		byText[r[col["text"]]] = r
	}
	r, ok := byText[`'=HYPERLINK("x")`]
	if !ok {
		t.Fatalf("the =HYPERLINK figure is missing or not neutralised: %q", rows)
	}
	if r[col["claimant"]] != "'=cmd|' /C calc'!A0" || r[col["scope"]] != "incident" {
		t.Errorf("claimant %q scope %q", r[col["claimant"]], r[col["scope"]])
	}
	if _, ok := byText["'-3 dead"]; !ok {
		t.Errorf("-3 dead is missing or not neutralised")
	}
	if _, ok := byText["'+2 hurt"]; !ok {
		t.Errorf("+2 hurt is missing or not neutralised")
	}
	r = byText["at least 12 civilians"]
	if r == nil {
		t.Fatal("at least 12 civilians is missing")
	}
	want := map[string]string{"document": "wire-001", "outlet": "Evident Wire", "kind": "killed", "low": "12", "high": "",
		"qualifier": "at_least", "victims": "civilians", "claimant": "health ministry", "scope": "incident",
		"sentence": "late on Tuesday; at least 12 civilians were killed,\tthe health ministry said.", "best": ""}
	for k, v := range want {
		if r[col[k]] != v {
			t.Errorf("%s = %q, want %q", k, r[col[k]], v)
		}
	}
	// Neutralise itself.
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx", "1-1": "1-1", "": "", "'a": "'a"} {
		if got := export.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFilters(t *testing.T) {
	count := func(opts export.Options) (map[string]int, int) {
		opts.Format = export.FormatJSONL
		out, res := run(t, fixture(t), opts)
		by := map[string]int{}
		for _, l := range parseJSONL[jsonlLine](t, out) {
			for _, s := range l.Spans {
				by[s.Status]++
			}
		}
		return by, res.Documents
	}
	if by, _ := count(export.Options{}); by["accepted"] == 0 || by["suggested"]+by["rejected"] != 0 {
		t.Errorf("default export: %v, want accepted only", by)
	}
	if by, _ := count(export.Options{Status: "suggested"}); by["suggested"] != 3 || len(by) != 1 {
		t.Errorf("suggested: %v, want the 3 suggested spans", by)
	}
	if by, _ := count(export.Options{Status: "rejected"}); by["rejected"] != 2 || len(by) != 1 {
		t.Errorf("rejected: %v", by)
	}
	if by, _ := count(export.Options{Status: "all", Annotator: "nobody"}); len(by) != 0 {
		t.Errorf("annotator nobody: %v", by)
	}
	out, _ := run(t, fixture(t), export.Options{Format: export.FormatJSONL, Labels: []string{"LOCATION"}})
	for _, l := range parseJSONL[jsonlLine](t, out) {
		for _, s := range l.Spans {
			if s.Label != "LOCATION" {
				t.Errorf("labels LOCATION exported %s", s.Label)
			}
		}
		if len(l.Events) != 0 {
			t.Errorf("events without their trigger exported: %v", l.Events)
		}
	}
	src := fixture(t)
	src.docs[1].doc.Status = annotate.DocInProgress
	_, res := run(t, src, export.Options{Format: export.FormatJSONL, DoneOnly: true})
	if res.Documents != len(src.docs)-1 {
		t.Errorf("done-only exported %d documents, want %d", res.Documents, len(src.docs)-1)
	}
	if _, err := export.Run(context.Background(), src, export.Options{Format: "xml", Out: "-"}, nil); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Errorf("format xml: %v", err)
	}
	if _, err := export.Run(context.Background(), src, export.Options{Format: export.FormatJSONL, Status: "maybe", Out: "-"}, nil); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Errorf("status maybe: %v", err)
	}
}

// entries lists a folder's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestAtomicWriteOnError(t *testing.T) {
	for _, f := range []export.Format{export.FormatJSONL, export.FormatCSV} {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out"+f.Ext())
			src := fixture(t)
			src.failAt = 3
			_, err := export.Run(context.Background(), src, export.Options{Format: f, Out: out}, nil)
			if !errors.Is(err, errHalfway) {
				t.Fatalf("Run = %v, want the source's error", err)
			}
			if names := entries(t, dir); len(names) != 0 {
				t.Errorf("a failed export left %v", names)
			}
			// An older export under the real name survives a failed one untouched.
			if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := export.Run(context.Background(), src, export.Options{Format: f, Out: out}, nil); err == nil {
				t.Fatal("no error")
			}
			if b, _ := os.ReadFile(out); string(b) != "old\n" || len(entries(t, dir)) != 1 {
				t.Errorf("failed export changed %s to %q or left %v", out, b, entries(t, dir))
			}
		})
	}
	t.Run("cancel", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err := export.Run(ctx, fixture(t), export.Options{Format: export.FormatJSONL, Out: filepath.Join(dir, "x.jsonl"), Split: "train=1,test=1"},
			func(done, total int) {
				if done == 2 {
					cancel()
				}
			})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("a cancelled export left %v", names)
		}
	})
	t.Run("success", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "x.jsonl")
		res, err := export.Run(context.Background(), fixture(t), export.Options{Format: export.FormatJSONL, Out: out}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if names := entries(t, dir); len(names) != 1 || names[0] != "x.jsonl" || len(res.Files) != 1 || res.Files[0] != out {
			t.Errorf("folder holds %v, Files %v", names, res.Files)
		}
		want, _ := run(t, fixture(t), export.Options{Format: export.FormatJSONL})
		if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
			t.Error("file and stdout exports differ")
		}
	})
}

// countingSource is a source that can count in advance.
type countingSource struct{ *fakeSource }

func (c countingSource) CountDocuments(context.Context, annotate.ExportFilter) (int, error) {
	return len(c.docs), nil
}

func TestProgressAndDocIDs(t *testing.T) {
	var calls [][2]int
	src := fixture(t)
	_, err := export.Run(context.Background(), countingSource{src}, export.Options{Format: export.FormatDoccano, Out: "-", Stdout: discard{}},
		func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != len(src.docs) || calls[len(calls)-1] != [2]int{5, 5} || calls[0] != [2]int{1, 5} {
		t.Errorf("progress calls %v", calls)
	}
	calls = nil
	if _, err := export.Run(context.Background(), src, export.Options{Format: export.FormatDoccano, Out: "-", Stdout: discard{}},
		func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil || calls[4] != [2]int{5, 0} {
		t.Errorf("progress without a count: %v, %v", calls, err)
	}
	out, res := run(t, src, export.Options{Format: export.FormatJSONL, DocIDs: []int64{2, 4}})
	lines := parseJSONL[jsonlLine](t, out)
	if res.Documents != 2 || len(lines) != 2 || lines[0].ID != "cjk-002" || lines[1].ID != "4" {
		t.Errorf("DocIDs 2,4 exported %d documents", res.Documents)
	}
}

// A span's confidence is exported when it has one, and absent when it has none.
func TestJSONLConfidence(t *testing.T) {
	src := fixture(t)
	c := 0.375
	scored := &src.docs[0].spans[0]
	scored.Confidence = &c
	out, _ := run(t, src, export.Options{Format: export.FormatJSONL})
	var line struct {
		Spans []map[string]any `json:"spans"`
	}
	if err := json.Unmarshal(bytes.SplitN(out, []byte("\n"), 2)[0], &line); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sp := range line.Spans {
		got, ok := sp["confidence"]
		if int(sp["start"].(float64)) == scored.Start && sp["label"] == scored.Label {
			found = true
			if !ok || got != 0.375 {
				t.Errorf("scored span's confidence = %v (present %v), want 0.375", got, ok)
			}
		} else if ok {
			t.Errorf("a span without a score must have no confidence key: %v", sp)
		}
	}
	if !found {
		t.Fatal("scored span not exported")
	}
}

// A span several suggesters proposed lists them all with their own scores; one with a
// single proposer has no proposers key.
func TestJSONLProposers(t *testing.T) {
	src := fixture(t)
	c, a := 0.8, 0.6
	sp := &src.docs[0].spans[0]
	sp.Confidence = &c
	sp.Proposers = []annotate.Proposer{{Origin: "rule:x", Confidence: &a, RunID: 2}, {Origin: "model:ner@1", RunID: 3}}
	out, _ := run(t, src, export.Options{Format: export.FormatJSONL})
	var line struct {
		Spans []map[string]any `json:"spans"`
	}
	if err := json.Unmarshal(bytes.SplitN(out, []byte("\n"), 2)[0], &line); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range line.Spans {
		ps, ok := s["proposers"]
		if !ok {
			continue
		}
		n++
		want := []any{map[string]any{"origin": "rule:x", "confidence": 0.6}, map[string]any{"origin": "model:ner@1"}}
		if !reflect.DeepEqual(ps, want) {
			t.Errorf("proposers = %v, want %v", ps, want)
		}
	}
	if n != 1 {
		t.Fatalf("%d spans with proposers, want 1", n)
	}
}
