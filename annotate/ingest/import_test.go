package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"evident/annotate"
	"evident/annotate/ingest"
	"evident/assets"
)

// fakeStore implements the part of annotate.Store an import uses; the embedded nil
// interface makes any other call panic, which would show the driver overstepping.
type fakeStore struct {
	annotate.Store
	schema     *annotate.Schema
	docs       map[string]string // external id -> text hash, committed
	spans      int
	labeler    bool // importers implement annotate.ImportLabeler
	addLabels  int  // calls of Store.AddLabels
	open       bool // an import transaction is open
	rolledBack int
}

func newFake(t *testing.T) *fakeStore {
	s, err := ingest.DefaultSchema()
	if err != nil {
		t.Fatal(err)
	}
	return &fakeStore{schema: s, docs: map[string]string{}}
}

func (s *fakeStore) Schema(context.Context) (*annotate.Schema, error) {
	c := *s.schema
	c.Labels = slices.Clone(s.schema.Labels)
	return &c, nil
}

func (s *fakeStore) AddLabels(_ context.Context, ls []annotate.Label, _ string) error {
	if s.open {
		return errors.New("AddLabels while an import transaction is open would deadlock")
	}
	s.addLabels++
	s.schema.Labels = append(s.schema.Labels, ls...)
	return nil
}

func (s *fakeStore) BeginImport(context.Context, string) (annotate.Importer, error) {
	if s.open {
		return nil, errors.New("second import transaction")
	}
	s.open = true
	im := &fakeImporter{s: s, docs: map[string]string{}}
	if s.labeler {
		return &fakeLabeler{im}, nil
	}
	return im, nil
}

type fakeImporter struct {
	s      *fakeStore
	docs   map[string]string
	spans  int
	labels []annotate.Label
	closed bool
}

func (im *fakeImporter) Add(_ context.Context, d *annotate.Document, dr annotate.Draft) (bool, error) {
	if im.closed {
		return false, errors.New("add after close")
	}
	for _, sp := range dr.Spans {
		if _, ok := im.s.schema.Label(sp.Label); !ok && !slices.ContainsFunc(im.labels, func(l annotate.Label) bool { return l.Name == sp.Label }) {
			return false, annotate.Errorf(annotate.EInvalid, "unknown label %s", sp.Label)
		}
	}
	if h, ok := im.s.docs[d.ExternalID]; ok && h == d.SHA256 {
		return false, nil
	}
	im.docs[d.ExternalID] = d.SHA256
	im.spans += len(dr.Spans)
	return true, nil
}

func (im *fakeImporter) Commit() error {
	if im.closed {
		return errors.New("commit after close")
	}
	im.closed, im.s.open = true, false
	for k, v := range im.docs {
		im.s.docs[k] = v
	}
	im.s.spans += im.spans
	im.s.schema.Labels = append(im.s.schema.Labels, im.labels...)
	return nil
}

func (im *fakeImporter) Rollback() error {
	if !im.closed {
		im.closed, im.s.open = true, false
		im.s.rolledBack++
	}
	return nil
}

type fakeLabeler struct{ *fakeImporter }

func (im *fakeLabeler) AddLabels(_ context.Context, ls []annotate.Label) error {
	im.labels = append(im.labels, ls...)
	return nil
}

func writeFiles(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodJSONL = `{"id":"j1","text":"Militants attacked a base in Kidal.","spans":[{"start":0,"end":9,"label":"ACTOR"},{"start":29,"end":34,"label":"LOCATION"}]}
{"id":"j2","text":"Two soldiers were wounded.","spans":[{"start":0,"end":12,"label":"CASUALTY","attrs":{"kind":"injured","low":2,"high":2,"qualifier":"exact"}}]}
`

func TestImportFilesAndReimport(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.jsonl": goodJSONL,
		"b.txt":   "Shelling hit Kherson overnight.\n",
		"c.csv":   "id,text\nc1,\"Clashes in Tripoli.\"\n",
	})
	files := []string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.txt"), filepath.Join(dir, "c.csv")}
	s := newFake(t)
	var reports []ingest.Progress
	res, err := ingest.ImportFiles(context.Background(), s, files, ingest.Options{Annotator: "ann"}, func(p ingest.Progress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 4 || res.Documents != 4 || len(res.Skipped) != 0 || res.Files != 3 {
		t.Errorf("result %+v", res)
	}
	if len(s.docs) != 4 || s.spans != 3 || s.open {
		t.Errorf("store: %d docs, %d spans, open %v", len(s.docs), s.spans, s.open)
	}
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	final := reports[len(reports)-1]
	if final.Bytes != final.TotalBytes || final.TotalBytes == 0 || final.Documents != 4 {
		t.Errorf("final progress %+v", final)
	}

	res, err = ingest.ImportFiles(context.Background(), s, files, ingest.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 0 || len(res.Skipped) != 4 {
		t.Fatalf("re-import: %+v", res)
	}
	want := ingest.Skipped{File: files[0], Line: 2, ID: "j2"}
	if res.Skipped[1] != want || res.Skipped[2].ID != "b" || res.Skipped[3].Line != 2 {
		t.Errorf("skipped = %+v", res.Skipped)
	}
}

func TestImportRollsBack(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		order    []string
		wantFile string
		wantLine int
		want     string
	}{
		{"bad second file", map[string]string{"a.jsonl": goodJSONL, "b.jsonl": "{\"text\":\"ok\"}\n{\"id\":\"x\"}\n"},
			[]string{"a.jsonl", "b.jsonl"}, "b.jsonl", 2, `missing "text"`},
		{"duplicate id across files", map[string]string{"a.jsonl": goodJSONL, "j2.txt": "Other text."},
			[]string{"a.jsonl", "j2.txt"}, "j2.txt", 1, `duplicate id "j2" (first at`},
		{"duplicate id in a file", map[string]string{"a.jsonl": goodJSONL + `{"id":"j1","text":"again"}` + "\n"},
			[]string{"a.jsonl"}, "a.jsonl", 3, `duplicate id "j1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, c.files)
			var files []string
			for _, f := range c.order {
				files = append(files, filepath.Join(dir, f))
			}
			s := newFake(t)
			s.docs["keep"] = "h"
			_, err := ingest.ImportFiles(context.Background(), s, files, ingest.Options{}, nil)
			var ie *ingest.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want *ingest.Error", err, err)
			}
			if ie.File != filepath.Join(dir, c.wantFile) || ie.Line != c.wantLine || !strings.Contains(ie.Msg, c.want) {
				t.Errorf("error %v, want %s:%d: %s", err, c.wantFile, c.wantLine, c.want)
			}
			if len(s.docs) != 1 || s.spans != 0 || s.open || s.rolledBack != 1 {
				t.Errorf("store changed: %d docs, %d spans, open %v, rollbacks %d", len(s.docs), s.spans, s.open, s.rolledBack)
			}
		})
	}
}

func TestImportStoreErrorHasPosition(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.jsonl": goodJSONL})
	s := newFake(t)
	// The reader knows ACTOR from the schema it was given; a store that disagrees rejects it.
	s.schema.Labels = slices.DeleteFunc(s.schema.Labels, func(l annotate.Label) bool { return l.Name == "ACTOR" })
	_, err := ingest.ImportFiles(context.Background(), &schemaLies{s}, []string{filepath.Join(dir, "a.jsonl")}, ingest.Options{}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "a.jsonl")+":1: ") || annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("err = %v", err)
	}
}

// schemaLies reports the default schema whatever the store holds.
type schemaLies struct{ *fakeStore }

func (s *schemaLies) Schema(context.Context) (*annotate.Schema, error) { return ingest.DefaultSchema() }

func TestImportCancel(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.jsonl": goodJSONL})
	s := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ingest.ImportFiles(ctx, s, []string{filepath.Join(dir, "a.jsonl")}, ingest.Options{}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(s.docs) != 0 || s.open {
		t.Errorf("cancelled import left %d docs, open %v", len(s.docs), s.open)
	}
}

func TestImportAddLabels(t *testing.T) {
	good := `{"id":"n1","text":"Wagner fighters advanced.","spans":[{"start":0,"end":6,"label":"ORG"}]}` + "\n"
	bad := good + `{"id":"n2","text":"x","spans":[{"start":0,"end":5,"label":"ORG"}]}` + "\n"
	for _, labeler := range []bool{false, true} {
		name := "via Store.AddLabels"
		if labeler {
			name = "inside the transaction"
		}
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"good.jsonl": good, "bad.jsonl": bad})
			s := newFake(t)
			s.labeler = labeler
			n := len(s.schema.Labels)
			_, err := ingest.ImportFiles(context.Background(), s, []string{filepath.Join(dir, "bad.jsonl")}, ingest.Options{AddLabels: true}, nil)
			if err == nil || !strings.Contains(err.Error(), "bad.jsonl:2: ") {
				t.Fatalf("err = %v", err)
			}
			if len(s.schema.Labels) != n || len(s.docs) != 0 {
				t.Errorf("failed import changed the store: %d labels, %d docs", len(s.schema.Labels), len(s.docs))
			}
			_, err = ingest.ImportFiles(context.Background(), s, []string{filepath.Join(dir, "good.jsonl")}, ingest.Options{}, nil)
			if err == nil || !strings.Contains(err.Error(), `unknown label "ORG"`) {
				t.Fatalf("without AddLabels: err = %v", err)
			}
			res, err := ingest.ImportFiles(context.Background(), s, []string{filepath.Join(dir, "good.jsonl")}, ingest.Options{AddLabels: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.NewLabels) != 1 || res.NewLabels[0].Name != "ORG" || res.Added != 1 {
				t.Errorf("result %+v", res)
			}
			if l, ok := s.schema.Label("ORG"); !ok || l.Color == "" || l.Kind != annotate.KindSpan {
				t.Errorf("ORG not in the store's schema: %+v", l)
			}
			if err := s.schema.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestImportFS(t *testing.T) {
	fsys := fstest.MapFS{
		"README.txt":     {Data: []byte("This corpus is fictional.")},
		"notes.md":       {Data: []byte("# not imported")},
		"wire/a.jsonl":   {Data: []byte(goodJSONL)},
		"wire/story.txt": {Data: []byte("Rocket fire in Ashkelon.")},
	}
	names, err := ingest.FSFiles(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"wire/a.jsonl", "wire/story.txt"}) {
		t.Errorf("FSFiles = %v", names)
	}
	s := newFake(t)
	res, err := ingest.ImportFS(context.Background(), s, fsys, nil, ingest.Options{}, nil)
	if err != nil || res.Added != 3 {
		t.Fatalf("ImportFS: %+v, %v", res, err)
	}
}

// The embedded sample corpus must import cleanly: the app imports it on first start.
func TestSamplesImport(t *testing.T) {
	s := newFake(t)
	res, err := ingest.ImportFS(context.Background(), s, assets.Samples(), nil, ingest.Options{Annotator: "samples"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added < 12 {
		t.Errorf("only %d sample documents", res.Added)
	}
}

func TestImportCancelMidway(t *testing.T) {
	var sb strings.Builder
	for i := range 5000 {
		sb.WriteString(`{"id":"d` + itoa(i) + `","text":"Shelling resumed near the river."}` + "\n")
	}
	dir := writeFiles(t, map[string]string{"many.jsonl": sb.String()})
	s := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := ingest.ImportFiles(ctx, s, []string{filepath.Join(dir, "many.jsonl")}, ingest.Options{}, func(p ingest.Progress) {
		if p.Documents > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(s.docs) != 0 || s.open || s.rolledBack != 1 {
		t.Errorf("cancelled import: %d docs, open %v, rollbacks %d", len(s.docs), s.open, s.rolledBack)
	}
}
