package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/ingest"
	"evident/annotate/sqlite"
	"evident/assets"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s := openStoreAt(t, filepath.Join(t.TempDir(), "evident.db"))
	t.Cleanup(func() { s.Close() })
	return s
}

func openStoreAt(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func counts(t *testing.T, s annotate.Store) (docs, spans int) {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Spans {
		spans += c.Count
	}
	return st.Documents, spans
}

// TestSQLite imports into the real store: offsets survive for non-Latin text, a claimant
// index becomes the stored SOURCE span's id, a re-import skips, a bad file changes nothing.
func TestSQLite(t *testing.T) {
	ctx := context.Background()
	text := "🇸🇩 قصف مخيم: قُتل 9 مدنيين, وقال المسعفون. 周二 e\u0301vacue\u0301s."
	spanAt := func(sub, label string, attrs string) string {
		b := strings.Index(text, sub)
		start := len([]rune(text[:b]))
		s := `{"start":` + itoa(start) + `,"end":` + itoa(start+len([]rune(sub))) + `,"label":"` + label + `","text":` + q(sub)
		if attrs != "" {
			s += `,"attrs":` + attrs
		}
		return s + "}"
	}
	line := `{"id":"u1","text":` + q(text) + `,"spans":[` +
		spanAt("قصف", "ATTACK", "") + "," +
		spanAt("9 مدنيين", "CASUALTY", `{"kind":"killed","low":9,"high":9,"qualifier":"exact","claimant":3,"scope":"single"}`) + "," +
		spanAt("قُتل", "DEATH", "") + "," +
		spanAt("المسعفون", "SOURCE", "") + "," +
		spanAt("e\u0301vacue\u0301s", "VICTIM", "") +
		`],"events":[{"type":"DEATH","trigger":2,"args":{"casualties":[1],"source":[3]}}]}`
	dir := writeFiles(t, map[string]string{
		"u.jsonl": line + "\n",
		"b.txt":   "Shelling hit Kherson overnight.\r\nMore.\r\n",
		"c.csv":   "id,text,desk\nc1,\"Clashes in Tripoli.\",Africa\n",
		"bad.csv": "id,text\nc2,ok\nc3,\"unclosed\n",
	})
	files := []string{filepath.Join(dir, "u.jsonl"), filepath.Join(dir, "b.txt"), filepath.Join(dir, "c.csv")}
	s := openStore(t)

	res, err := ingest.ImportFiles(ctx, s, files, ingest.Options{Annotator: "tester"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 {
		t.Fatalf("added %d", res.Added)
	}
	docs, spans := counts(t, s)
	if docs != 3 || spans != 5 {
		t.Fatalf("store holds %d docs, %d spans", docs, spans)
	}

	list, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]int64{}
	for _, d := range list {
		byID[d.ExternalID] = d.ID
	}
	doc, err := s.Document(ctx, byID["u1"])
	if err != nil {
		t.Fatal(err)
	}
	if doc.Text != text {
		t.Fatalf("text changed: %q", doc.Text)
	}
	if d, _ := s.Document(ctx, byID["b"]); d == nil || d.Text != "Shelling hit Kherson overnight.\r\nMore.\r\n" {
		t.Errorf("CRLF not kept: %+v", d)
	}
	got, err := s.Spans(ctx, byID["u1"], annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var source annotate.Span
	var casualty annotate.Span
	o := annotate.NewOffsets(text)
	for _, sp := range got {
		sub, _ := o.Slice(text, sp.Start, sp.End)
		if sp.Text != sub || sp.Status != annotate.StatusAccepted || sp.Origin != annotate.OriginImport || sp.Annotator != "tester" {
			t.Errorf("span %+v (slice %q)", sp, sub)
		}
		switch sp.Label {
		case "SOURCE":
			source = sp
		case "CASUALTY":
			casualty = sp
		}
	}
	var c annotate.Casualty
	if err := json.Unmarshal(casualty.Attrs, &c); err != nil {
		t.Fatal(err)
	}
	if c.Claimant != source.ID || c.Claimant == 0 || c.Scope != "incident" || c.ClaimantText != "المسعفون" {
		t.Errorf("casualty attrs %s, SOURCE id %d", casualty.Attrs, source.ID)
	}
	evs, err := s.Events(ctx, byID["u1"])
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != "DEATH" || len(evs[0].Args) != 2 {
		t.Errorf("events %+v", evs)
	}

	res, err = ingest.ImportFiles(ctx, s, files, ingest.Options{Annotator: "tester"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 0 || len(res.Skipped) != 3 {
		t.Errorf("re-import: %+v", res)
	}
	if d, sp := counts(t, s); d != 3 || sp != 5 {
		t.Errorf("re-import changed the store: %d docs, %d spans", d, sp)
	}

	_, err = ingest.ImportFiles(ctx, s, []string{filepath.Join(dir, "c.csv"), filepath.Join(dir, "bad.csv")}, ingest.Options{}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "bad.csv")+":3: ") {
		t.Fatalf("bad file: err = %v", err)
	}
	if d, sp := counts(t, s); d != 3 || sp != 5 {
		t.Errorf("failed import changed the store: %d docs, %d spans", d, sp)
	}

	// New labels: refused without the option, added with it (and only then).
	nl := writeFiles(t, map[string]string{"n.jsonl": `{"id":"n1","text":"Wagner fighters advanced.","spans":[{"start":0,"end":6,"label":"ORG"}]}` + "\n"})
	if _, err := ingest.ImportFiles(ctx, s, []string{filepath.Join(nl, "n.jsonl")}, ingest.Options{}, nil); err == nil {
		t.Fatal("unknown label accepted without AddLabels")
	}
	res, err = ingest.ImportFiles(ctx, s, []string{filepath.Join(nl, "n.jsonl")}, ingest.Options{AddLabels: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := s.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := sch.Label("ORG"); !ok || l.Color != res.NewLabels[0].Color || res.Added != 1 {
		t.Errorf("ORG label %+v, result %+v", l, res)
	}
}

// The sample corpus imports into a real database, as on first start.
func TestSQLiteSamples(t *testing.T) {
	s := openStore(t)
	res, err := ingest.ImportFS(context.Background(), s, assets.Samples(), nil, ingest.Options{Annotator: "samples"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := counts(t, s); d != res.Added || d < 12 {
		t.Errorf("%d documents stored, %d added", d, res.Added)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// A bad line deep in a big file, read while the store has already committed chunks and
// indexed some of the documents before it: the error names the file and line, and the
// database is as it was, its search index included.
func TestSQLiteBadLineMidFile(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := ingest.ImportFiles(ctx, s, []string{filepath.Join(writeFiles(t, map[string]string{"a.jsonl": `{"id":"keep","text":"A ceasefire held."}` + "\n"}), "a.jsonl")}, ingest.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	const n, bad = 12000, 11000
	body := strings.Repeat("Shelling near the river crossing wounded several farmers overnight. ", 12)
	for i := 1; i <= n; i++ {
		end := 8
		if i == bad {
			end = 5000 // past the end of the text
		}
		// Each document has 30 words of its own (about 3 MB of index tokens in all), so
		// the import writes some of its index before the bad line.
		own := make([]string, 30)
		for k := range own {
			own[k] = fmt.Sprintf("w%dk%d", i, k)
		}
		fmt.Fprintf(&b, `{"id":"d%d","text":"Report %d zz%dqq %s. %s","spans":[{"start":0,"end":%d,"label":"ACTOR"}]}`+"\n", i, i, i, strings.Join(own, " "), body, end)
	}
	file := filepath.Join(writeFiles(t, map[string]string{"big.jsonl": b.String()}), "big.jsonl")
	_, err := ingest.ImportFiles(ctx, s, []string{file}, ingest.Options{}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("%s:%d: ", file, bad)) {
		t.Fatalf("err = %v, want %s:%d: …", err, file, bad)
	}
	if d, sp := counts(t, s); d != 1 || sp != 0 {
		t.Errorf("the failed import left %d documents, %d spans; want the 1 and 0 before it", d, sp)
	}
	if staged, err := s.StagedBatches(ctx); err != nil || len(staged) != 0 {
		t.Errorf("staged batches left: %v (%v)", staged, err)
	}
	for _, q := range []string{"farmers", "zz5qq", "ceasefire"} {
		res, err := s.Search(ctx, q, annotate.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 1, false: 0}[q == "ceasefire"]; len(res.Hits) != want {
			t.Errorf("search %q: %d hits, want %d", q, len(res.Hits), want)
		}
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}
