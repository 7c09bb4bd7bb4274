package suggest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"evident/annotate"
)

var update = flag.Bool("update", false, "rewrite testdata/behaviour.golden from the current engine")

// goldenInput is one text the behaviour snapshot runs the engine over.
type goldenInput struct {
	name, text, published string
	learned               []annotate.PhraseStat
}

// readJSONLTexts reads the id, text and published fields of a JSONL document file.
func readJSONLTexts(tb testing.TB, path string) []goldenInput {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var out []goldenInput
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var doc struct {
			ID        string `json:"id"`
			Text      string `json:"text"`
			Published string `json:"published"`
		}
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, goldenInput{name: fmt.Sprintf("%s:%d %s", filepath.Base(path), n, doc.ID), text: doc.Text, published: doc.Published})
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return out
}

// TestBehaviourGolden pins the engine's exact output (every span with its offsets, label,
// origin and attrs, every event and claimant link) over the sample and dev-gold texts and
// the benchmark text, so performance work cannot change behaviour unnoticed. After a
// deliberate change of behaviour, rewrite it with
//
//	go test ./annotate/suggest -run TestBehaviourGolden -update
func TestBehaviourGolden(t *testing.T) {
	inputs := readJSONLTexts(t, filepath.Join("..", "..", "assets", "samples", "samples.jsonl"))
	inputs = append(inputs, readJSONLTexts(t, filepath.Join("..", "..", "testdata", "gold", "dev.jsonl"))...)
	if len(inputs) < 40 {
		t.Fatalf("only %d input texts: the snapshot would pin too little", len(inputs))
	}
	inputs = append(inputs, goldenInput{name: "wireText 48KB", text: wireText(48 << 10), published: "2024-01-23"})
	// the same kind of text with a non-ASCII character takes the tokenizer's other path
	inputs = append(inputs, goldenInput{name: "wireText 16KB non-ASCII", text: "BAGHDAD — " + wireText(16<<10) + " Ségou’s", published: "2023-10-09"})
	// learned phrases exercise the learned matcher and the suppression of rejected ones
	learned := []annotate.PhraseStat{
		{Text: "al-Asad", Label: "TARGET", Accepted: 2},
		{Text: "strikes", Label: "ATTACK", Rejected: 3},
		{Text: "Kharkiv", Label: "LOCATION", Rejected: 2},
		{Text: "fuel depot", Label: "TARGET", Accepted: 1},
		{Text: "outskirts", Label: "LOCATION", Accepted: 1},
		{Text: "killing", Label: "DEATH", Rejected: 2},
	}
	for i, in := range inputs[:6] {
		inputs = append(inputs, goldenInput{name: fmt.Sprintf("learned %d", i), text: in.text, published: in.published, learned: learned})
	}
	for i, s := range fuzzSeeds {
		inputs = append(inputs, goldenInput{name: fmt.Sprintf("seed %d", i), text: s, published: "2024-01-23", learned: learned})
	}

	s := mustNew(t)
	var buf bytes.Buffer
	for _, in := range inputs {
		d, err := s.Suggest(context.Background(), in.text, in.published, in.learned)
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		writeDraft(&buf, in.name, d)
	}
	path := filepath.Join("testdata", "behaviour.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		got := bytes.Split(buf.Bytes(), []byte("\n"))
		wl := bytes.Split(want, []byte("\n"))
		for i := 0; i < len(got) || i < len(wl); i++ {
			var g, w []byte
			if i < len(got) {
				g = got[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if !bytes.Equal(g, w) {
				t.Fatalf("behaviour changed; first difference at line %d:\n got: %s\nwant: %s", i+1, g, w)
			}
		}
	}
}

// writeDraft prints a draft one item per line in a stable order.
func writeDraft(buf *bytes.Buffer, name string, d annotate.Draft) {
	fmt.Fprintf(buf, "== %s: %d spans, %d events\n", name, len(d.Spans), len(d.Events))
	for i, sp := range d.Spans {
		fmt.Fprintf(buf, "S%d %d %d %s %q %s %s %s\n", i, sp.Start, sp.End, sp.Label, sp.Text, sp.Status, sp.Origin, sp.Attrs)
	}
	for i, e := range d.Events {
		fmt.Fprintf(buf, "E%d %s %d %s", i, e.Type, e.Trigger, e.Origin)
		for _, a := range e.Args {
			fmt.Fprintf(buf, " %s=%d", a.Role, a.Span)
		}
		buf.WriteByte('\n')
	}
	keys := make([]int, 0, len(d.Claimants))
	for k := range d.Claimants {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Fprintf(buf, "C %d<-%d\n", k, d.Claimants[k])
	}
}
