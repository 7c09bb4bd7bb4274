package predict_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/predict"
	"evident/annotate/sqlite"
	"evident/assets"
)

const (
	text1 = "Rebels attacked Kadugli on Monday; 12 people were killed."
	text2 = "😀 Police in 東京 said nothing."
)

// openWithDocs opens a fresh store holding two documents, "a" and "b".
func openWithDocs(t *testing.T) (*sqlite.Store, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "e.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	im, err := st.BeginImport(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*annotate.Document{{ExternalID: "a", Text: text1}, {ExternalID: "b", Text: text2}} {
		d.SHA256 = annotate.TextHash(d.Text)
		if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	docs, _ := st.Documents(ctx)
	for _, d := range docs {
		ids[d.ExternalID] = d.ID
	}
	return st, ids
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func spansOf(t *testing.T, st annotate.Store, doc int64) map[string]annotate.Span {
	t.Helper()
	sp, err := st.Spans(context.Background(), doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]annotate.Span{}
	for _, s := range sp {
		out[s.Text+"/"+s.Label] = s
	}
	return out
}

func TestImportPredictionsAsSuggestions(t *testing.T) {
	ctx := context.Background()
	st, ids := openWithDocs(t)
	run1 := writeFile(t, "p1.jsonl", strings.Join([]string{
		`{"id":"a","model":"ner","model_version":"1","spans":[{"start":0,"end":6,"label":"ORG","score":0.8},{"start":16,"end":23,"label":"GPE","score":0.6},{"start":27,"end":33,"label":"DATE"},{"start":35,"end":37,"label":"PER","score":NaN}]}`,
		`{"id":"b","model":"ner","model_version":"1","spans":[{"start":12,"end":14,"label":"GPE","score":0.9,"text":"東京"},{"start":0,"end":1,"label":"ORG"}]}`,
		`{"id":"zzz","model":"ner","model_version":"1","spans":[]}`,
		`{"id":"a","model":"ner","model_version":"1","spans":[]}`,
	}, "\n"))
	m, _ := predict.ParseMapping("ORG=ACTOR,GPE=LOCATION,DATE=TIME")
	rep, err := predict.ImportFiles(ctx, st, []string{run1}, "", predict.ApplyOptions{Annotator: "t", Map: m}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 2 || rep.Added != 5 {
		t.Fatalf("report %+v", rep)
	}
	if len(rep.Problems) != 2 || !strings.Contains(rep.Problems[0].Error(), `p1.jsonl:3: document "zzz": no document`) ||
		!strings.Contains(rep.Problems[1].Error(), "second prediction") {
		t.Fatalf("problems %v", rep.Problems)
	}
	if u := rep.Unmapped(); len(u) != 1 || u[0].Label != "PER" || u[0].Spans != 1 {
		t.Fatalf("unmapped %v", u)
	}
	a := spansOf(t, st, ids["a"])
	actor := a["Rebels/ACTOR"]
	if actor.Status != annotate.StatusSuggested || actor.Origin != "model:ner@1" || actor.Confidence == nil || *actor.Confidence != 0.8 || actor.RunID == 0 {
		t.Fatalf("stored: %+v", actor)
	}
	if c := a["Monday/TIME"].Confidence; c != nil {
		t.Errorf("a span without a score got confidence %v", *c)
	}
	// The mapping was saved for the model.
	if s, _ := st.Setting(ctx, predict.MappingKey("ner")); s != "DATE=TIME,GPE=LOCATION,ORG=ACTOR" {
		t.Errorf("saved mapping %q", s)
	}

	// The annotator accepts one, rejects one and leaves the others.
	if err := st.SetSpanStatus(ctx, []int64{actor.ID}, annotate.StatusAccepted, "t"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSpanStatus(ctx, []int64{a["Kadugli/LOCATION"].ID}, annotate.StatusRejected, "t"); err != nil {
		t.Fatal(err)
	}
	// Another model's suggestion stays whatever this one does.
	other := writeFile(t, "o.jsonl", `{"id":"a","model":"other","spans":[{"start":38,"end":44,"label":"VICTIM"}]}`)
	if _, err := predict.ImportFiles(ctx, st, []string{other}, "", predict.ApplyOptions{Annotator: "t"}, nil); err != nil {
		t.Fatal(err)
	}

	// Run 2 of the same model and version, with the saved mapping: it proposes the accepted
	// and rejected spans again, drops "Monday", keeps "12" with a new score, adds "killed".
	run2 := writeFile(t, "p2.jsonl",
		`{"id":"a","model":"ner","model_version":"1","spans":[{"start":0,"end":6,"label":"ORG","score":0.1},{"start":16,"end":23,"label":"GPE"},{"start":35,"end":37,"label":"CARDINAL","score":0.3},{"start":50,"end":56,"label":"EVENT"}]}`)
	rep, err = predict.ImportFiles(ctx, st, []string{run2}, "", predict.ApplyOptions{Annotator: "t"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// CARDINAL and EVENT are not in the saved mapping nor the schema: reported, not stored.
	if rep.Added != 0 || rep.Removed != 1 || len(rep.Unmapped()) != 2 {
		t.Fatalf("run 2 report %+v unmapped %v", rep, rep.Unmapped())
	}
	a = spansOf(t, st, ids["a"])
	if _, ok := a["Monday/TIME"]; ok {
		t.Error("the earlier run's undecided suggestion was not replaced")
	}
	if s := a["Rebels/ACTOR"]; s.Status != annotate.StatusAccepted || *s.Confidence != 0.8 || s.Origin != "model:ner@1" {
		t.Errorf("the accepted span must keep its origin and score: %+v", s)
	}
	if s := a["Kadugli/LOCATION"]; s.Status != annotate.StatusRejected {
		t.Errorf("rejected span: %+v", s)
	}
	if _, ok := a["people/VICTIM"]; !ok {
		t.Error("another model's suggestion was removed")
	}
	if n := len(a); n != 3 {
		t.Errorf("spans after run 2: %v", a)
	}
	// Undo puts run 2's removal back.
	if _, err := st.Undo(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	if _, ok := spansOf(t, st, ids["a"])["Monday/TIME"]; !ok {
		t.Error("undo did not restore the replaced suggestion")
	}
}

func TestImportMatchesByTextHash(t *testing.T) {
	ctx := context.Background()
	st, ids := openWithDocs(t)
	// A Label Studio task whose id is Label Studio's own row number: the text finds it.
	f := writeFile(t, "ls.json", `[{"id": 999, "data": {"text": "😀 Police in 東京 said nothing."},
	  "predictions": [{"model_version": "v3", "result": [{"value": {"start": 13, "end": 15, "labels": ["LOCATION"]}, "score": 0.4}]}]}]`)
	rep, err := predict.ImportFiles(ctx, st, []string{f}, "spacy", predict.ApplyOptions{Annotator: "t", Units: predict.UnitsUTF16}, nil)
	if err != nil || len(rep.Problems) != 0 || rep.Added != 1 {
		t.Fatalf("%+v %v %v", rep, rep.Problems, err)
	}
	s, ok := spansOf(t, st, ids["b"])["東京/LOCATION"]
	if !ok || s.Origin != "model:spacy@v3" || s.Start != 12 {
		t.Fatalf("%+v", spansOf(t, st, ids["b"]))
	}
}

func TestImportMissingFileChangesNothing(t *testing.T) {
	st, ids := openWithDocs(t)
	good := writeFile(t, "p.jsonl", `{"id":"a","model":"m","spans":[{"start":0,"end":6,"label":"ACTOR"}]}`)
	_, err := predict.ImportFiles(context.Background(), st, []string{good, filepath.Join(t.TempDir(), "nope.jsonl")}, "", predict.ApplyOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Fatalf("err %v", err)
	}
	if n := len(spansOf(t, st, ids["a"])); n != 0 {
		t.Fatalf("%d spans stored", n)
	}
}

func TestUncertainty(t *testing.T) {
	ctx := context.Background()
	st, ids := openWithDocs(t)
	f := writeFile(t, "u.jsonl", `{"id":"a","model":"m","spans":[{"start":0,"end":6,"label":"ACTOR","score":0.95},{"start":16,"end":23,"label":"LOCATION","score":0.6}]}`+"\n"+
		`{"id":"b","model":"m","spans":[{"start":2,"end":8,"label":"ACTOR"}]}`)
	if _, err := predict.ImportFiles(ctx, st, []string{f}, "", predict.ApplyOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	u, err := st.Uncertainty(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(u) != 1 || u[ids["a"]] < 0.79 || u[ids["a"]] > 0.81 {
		t.Fatalf("uncertainty %v (b has no scored suggestion)", u)
	}
}

func TestMinScoreSavedPerModel(t *testing.T) {
	ctx := context.Background()
	st, ids := openWithDocs(t)
	f := writeFile(t, "m.jsonl", `{"id":"a","model":"m","model_version":"1","spans":[{"start":0,"end":6,"label":"ACTOR","score":0.4},{"start":16,"end":23,"label":"LOCATION","score":0.6},{"start":27,"end":33,"label":"TIME"}]}`)
	min := 0.5
	rep, err := predict.ImportFiles(ctx, st, []string{f}, "", predict.ApplyOptions{MinScore: &min}, nil)
	if err != nil || rep.Added != 2 || rep.Low != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	// Version 2 of the same model, without --min-score: the saved minimum still holds.
	g := writeFile(t, "m2.jsonl", `{"id":"b","model":"m","model_version":"2","spans":[{"start":2,"end":8,"label":"ACTOR","score":0.3}]}`)
	rep, err = predict.ImportFiles(ctx, st, []string{g}, "", predict.ApplyOptions{}, nil)
	if err != nil || rep.Added != 0 || rep.Low != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if n := len(spansOf(t, st, ids["b"])); n != 0 {
		t.Fatalf("%d spans under the saved minimum were stored", n)
	}
}
