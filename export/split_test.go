package export_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/export"
)

// splitSource has n documents; every fourth group of three shares an incident in meta.
func splitSource(t testing.TB, n int) *fakeSource {
	src := &fakeSource{schema: mustSchema(t)}
	for i := 1; i <= n; i++ {
		text := fmt.Sprintf("Report %d: shelling near the port.", i)
		d := annotate.Document{ID: int64(i), ExternalID: fmt.Sprintf("d%04d", i), Text: text, SHA256: annotate.TextHash(text)}
		if i%4 == 0 {
			d.Meta = []byte(fmt.Sprintf(`{"incident":"inc-%d","lang":"en"}`, i/12))
		}
		src.docs = append(src.docs, fakeDoc{doc: d})
	}
	return src
}

// splitRun exports with a split and returns part name -> document ids and the bytes.
func splitRun(t *testing.T, src export.Source, split string, seed int64) (map[string][]string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	res, err := export.Run(context.Background(), src, export.Options{Format: export.FormatJSONL, Split: split, Seed: seed, Out: filepath.Join(dir, "set.jsonl")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	raw := map[string]string{}
	for _, f := range res.Files {
		part := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "set."), ".jsonl")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw[part] = string(b)
		for _, l := range parseJSONL[jsonlLine](t, b) {
			ids[part] = append(ids[part], l.ID)
		}
	}
	return ids, raw
}

func TestSplit(t *testing.T) {
	const n = 600
	src := splitSource(t, n)
	ids, raw := splitRun(t, src, "train=0.8,dev=0.1,test=0.1", 7)
	if len(raw) != 3 {
		t.Fatalf("parts %v", raw)
	}
	total := 0
	where := map[string]string{}
	for part, list := range ids {
		total += len(list)
		for _, id := range list {
			where[id] = part
		}
	}
	if total != n || len(where) != n {
		t.Fatalf("%d documents in the parts (%d distinct), want %d", total, len(where), n)
	}
	// Proportions near 80/10/10 (600 docs, groups of up to 3: allow a wide margin).
	if c := len(ids["train"]); c < 420 || c > 540 {
		t.Errorf("train has %d of %d", c, n)
	}
	if len(ids["dev"]) == 0 || len(ids["test"]) == 0 {
		t.Errorf("dev %d, test %d", len(ids["dev"]), len(ids["test"]))
	}
	// One incident, one part.
	incidentPart := map[string]string{}
	for _, d := range src.docs {
		if d.doc.Meta == nil {
			continue
		}
		inc := export.DefaultGroupKey(&d.doc)
		p := where[d.doc.ExternalID]
		if q, ok := incidentPart[inc]; ok && q != p {
			t.Errorf("%s is split between %s and %s", inc, q, p)
		}
		incidentPart[inc] = p
	}
	// Same seed, same bytes; also when documents come in another order.
	_, again := splitRun(t, src, "train=0.8,dev=0.1,test=0.1", 7)
	for part := range raw {
		if raw[part] != again[part] {
			t.Errorf("part %s differs between two runs with one seed", part)
		}
	}
	rev := &fakeSource{schema: src.schema}
	for i := len(src.docs) - 1; i >= 0; i-- {
		rev.docs = append(rev.docs, src.docs[i])
	}
	revIDs, _ := splitRun(t, rev, "train=0.8,dev=0.1,test=0.1", 7)
	for part, list := range revIDs {
		for _, id := range list {
			if where[id] != part {
				t.Fatalf("%s went to %s in reversed order, %s before", id, part, where[id])
			}
		}
	}
	// Another seed, another split.
	other, _ := splitRun(t, src, "train=0.8,dev=0.1,test=0.1", 8)
	moved := 0
	for part, list := range other {
		for _, id := range list {
			if where[id] != part {
				moved++
			}
		}
	}
	if moved == 0 {
		t.Error("seed 8 gives the same split as seed 7")
	}
}

func TestSplitGroupKeyIsSwappable(t *testing.T) {
	src := splitSource(t, 200)
	dir := t.TempDir()
	// Everything in one group: one part gets every document.
	res, err := export.Run(context.Background(), src, export.Options{Format: export.FormatDoccano, Split: "a=1,b=1", Seed: 3,
		GroupKey: func(*annotate.Document) string { return "all" }, Out: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 || filepath.Base(res.Files[0]) != "evident.a.jsonl" {
		t.Fatalf("files %v", res.Files)
	}
	sizes := 0
	for _, f := range res.Files {
		if len(mustRead(t, f)) > 0 {
			sizes++
		}
	}
	if sizes != 1 {
		t.Errorf("one group landed in %d parts", sizes)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSplit(t *testing.T) {
	for _, bad := range []string{"train", "train=x", "train=-1", "a=0,b=0", "a=1,a=1", "../x=1", "=1"} {
		if _, err := export.ParseSplit(bad); annotate.ErrorCode(err) != annotate.EInvalid {
			t.Errorf("ParseSplit(%q) = %v, want invalid", bad, err)
		}
	}
	p, err := export.ParseSplit("train=8, test=2")
	if err != nil || len(p) != 2 || p[0].Fraction != 0.8 || p[1].Name != "test" {
		t.Errorf("ParseSplit = %v, %v", p, err)
	}
	if _, err := export.Run(context.Background(), splitSource(t, 3), export.Options{Format: export.FormatJSONL, Split: "a=1,b=1", Out: "-"}, nil); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Errorf("split to stdout: %v", err)
	}
}
