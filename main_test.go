package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evident runs the CLI in-process and returns its exit code, stdout and stderr.
func evident(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVersionFromFyneAppToml(t *testing.T) {
	code, out, _ := evident(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "evident ") || strings.Contains(out, "unknown") {
		t.Fatalf("--version: code %d, %q", code, out)
	}
}

// TestImportExportRoundTrip imports spans over text with emoji, CJK, Arabic and combining
// marks and checks that the export gives back the same offsets and texts.
func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	text := "😀 空爆 in قصف غزة killed e\u0301 3 people"
	runes := []rune(text)
	type sp struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Label string `json:"label"`
	}
	spans := []sp{{2, 4, "ATTACK"}, {8, 11, "ATTACK"}, {12, 15, "LOCATION"}, {16, 22, "DEATH"}, {25, 33, "CASUALTY"}}
	line, _ := json.Marshal(map[string]any{"id": "d1", "text": text, "spans": spans})
	in := writeFile(t, dir, "in.jsonl", string(line)+"\n")
	if code, _, errs := evident(t, "import", "--db", db, in); code != 0 {
		t.Fatalf("import failed: %s", errs)
	}
	out := filepath.Join(dir, "out.jsonl")
	if code, _, errs := evident(t, "export", "--db", db, "--format", "jsonl", "--out", out); code != 0 {
		t.Fatalf("export failed: %s", errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Text  string `json:"text"`
		Spans []struct {
			sp
			Text string `json:"text"`
		} `json:"spans"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(data), &got); err != nil {
		t.Fatalf("export is not one JSON line: %v\n%s", err, data)
	}
	if got.Text != text {
		t.Fatalf("text changed: %q", got.Text)
	}
	if len(got.Spans) != len(spans) {
		t.Fatalf("%d spans exported, want %d", len(got.Spans), len(spans))
	}
	for i, s := range got.Spans {
		if s.sp != spans[i] {
			t.Errorf("span %d = %+v, want %+v", i, s.sp, spans[i])
		}
		if want := string(runes[s.Start:s.End]); s.Text != want {
			t.Errorf("span %d text %q, want %q", i, s.Text, want)
		}
	}
	// Importing the same document again is reported and skipped.
	code, out2, errs := evident(t, "import", "--db", db, in)
	if code != 0 || !strings.Contains(errs, "already in the database") || !strings.Contains(out2, "imported 0 of 1") {
		t.Fatalf("re-import: code %d, out %q, err %q", code, out2, errs)
	}
}

// TestImportBadInputChangesNothing checks each kind of bad input is reported as
// FILE:LINE with a non-zero exit, and that the database keeps what it had.
func TestImportBadInputChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	good := writeFile(t, dir, "good.jsonl", `{"id":"a","text":"Shelling hit the town."}`+"\n")
	if code, _, errs := evident(t, "import", "--db", db, good); code != 0 {
		t.Fatal(errs)
	}
	cases := map[string]string{
		"bad json":      `{"id":"b","text":"ok"}` + "\n" + `{"id":"c","text":`,
		"missing text":  `{"id":"b","text":"ok"}` + "\n" + `{"id":"c"}`,
		"span range":    `{"id":"b","text":"ok"}` + "\n" + `{"id":"c","text":"abc","spans":[{"start":1,"end":9,"label":"ACTOR"}]}`,
		"start>=end":    `{"id":"b","text":"ok"}` + "\n" + `{"id":"c","text":"abc","spans":[{"start":2,"end":2,"label":"ACTOR"}]}`,
		"unknown label": `{"id":"b","text":"ok"}` + "\n" + `{"id":"c","text":"abc","spans":[{"start":0,"end":2,"label":"NOPE"}]}`,
		"bad date":      `{"id":"b","text":"ok"}` + "\n" + `{"id":"c","text":"abc","published":"31/12/2024"}`,
		"invalid utf8":  `{"id":"b","text":"ok"}` + "\n" + "{\"id\":\"c\",\"text\":\"a\xffb\"}",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			f := writeFile(t, dir, strings.ReplaceAll(name, " ", "_")+".jsonl", content+"\n")
			code, _, errs := evident(t, "import", "--db", db, f)
			if code == 0 {
				t.Fatalf("bad input accepted")
			}
			if !strings.Contains(errs, filepath.Base(f)+":2:") {
				t.Errorf("error does not name FILE:2: %s", errs)
			}
			_, stats, _ := evident(t, "stats", "--db", db, "--json")
			var s struct{ Documents struct{ Total int } }
			if err := json.Unmarshal([]byte(stats), &s); err != nil || s.Documents.Total != 1 {
				t.Errorf("database changed: %d documents (%v)", s.Documents.Total, err)
			}
		})
	}
	// --add-labels lets the unknown label in.
	f := writeFile(t, dir, "newlabel.jsonl", `{"id":"n","text":"abc","spans":[{"start":0,"end":2,"label":"NOPE"}]}`+"\n")
	if code, out, errs := evident(t, "import", "--db", db, "--add-labels", f); code != 0 || !strings.Contains(out, "added label NOPE") {
		t.Fatalf("--add-labels: %d %q %q", code, out, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, args := range [][]string{
		{"import", "--db", db},
		{"export", "--db", db, "--format", "jsonl"},
		{"export", "--db", db, "--format", "nope", "--out", "x"},
		{"eval"},
		{"nosuchcommand"},
	} {
		if code, _, _ := evident(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := evident(t, "stats", "--db", db); code == 0 || !strings.Contains(errs, "no database") {
		t.Errorf("stats on a missing file: %d %q", code, errs)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("stats created a database at a mistyped path")
	}
}

func TestSuggestIsIdempotentAndCheckPasses(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	in := writeFile(t, dir, "a.jsonl", `{"id":"a","published":"2024-03-05","text":"An airstrike on Tuesday killed at least 12 civilians in Aleppo, the health ministry said."}`+"\n")
	if code, _, errs := evident(t, "import", "--db", db, in); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := evident(t, "suggest", "--db", db)
	if code != 0 || strings.HasPrefix(out, "0 new") {
		t.Fatalf("first suggest: %d %q %q", code, out, errs)
	}
	if _, out, _ := evident(t, "suggest", "--db", db); !strings.HasPrefix(out, "0 new") {
		t.Fatalf("second suggest added more: %q", out)
	}
	if code, out, errs := evident(t, "check", "--db", db); code != 0 {
		t.Fatalf("check: %q %q", out, errs)
	}
	bak := filepath.Join(dir, "b.db")
	if code, _, errs := evident(t, "backup", "--db", db, "--out", bak); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := evident(t, "check", "--db", bak); code != 0 {
		t.Fatalf("check of backup: %q %q", out, errs)
	}
}
