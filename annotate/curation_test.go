package annotate_test

import (
	"encoding/json"
	"testing"

	"evident/annotate"
)

func TestDisagreements(t *testing.T) {
	doc := &annotate.Document{ID: 7, Title: "Strike"}
	acc := func(start, end int, label, ann string) annotate.Span {
		return annotate.Span{Start: start, End: end, Label: label, Annotator: ann, Status: annotate.StatusAccepted}
	}
	agreeing := []annotate.Span{acc(0, 5, "ACTOR", "alice"), acc(0, 5, "ACTOR", "bob"), acc(9, 12, "TIME", "gold")}
	if d, ok := annotate.Disagreements(doc, agreeing); ok || d.Gold != 1 || len(d.Annotators) != 2 {
		t.Fatalf("agreeing versions: %+v, %v", d, ok)
	}
	spans := []annotate.Span{
		acc(0, 5, "ACTOR", "alice"), acc(0, 5, "ACTOR", "bob"),
		acc(6, 9, "LOCATION", "alice"), acc(6, 10, "LOCATION", "bob"), // range differs
		acc(11, 14, "TIME", "bob"),
		{Start: 20, End: 24, Label: "WEAPON", Annotator: "alice", Status: annotate.StatusSuggested}, // not a decision
	}
	d, ok := annotate.Disagreements(doc, spans)
	if !ok || d.Differing != 3 || len(d.Annotators) != 2 || d.Annotators[0] != "alice" {
		t.Fatalf("got %+v, %v; want alice and bob differing on 3 spans", d, ok)
	}
	vs := annotate.Versions(spans)
	diff := annotate.Diff(vs["alice"], vs["bob"])
	if len(diff.Both) != 1 || len(diff.OnlyA) != 1 || len(diff.OnlyB) != 2 || diff.Agree() {
		t.Fatalf("diff = %+v", diff)
	}
	if _, ok := annotate.Disagreements(doc, spans[:2]); ok {
		t.Fatal("one shared span reported as a disagreement")
	}
}

func TestGoldCopy(t *testing.T) {
	s := annotate.Span{ID: 4, Label: "CASUALTY", Annotator: "bob", Status: annotate.StatusAccepted, Origin: "manual",
		Attrs: json.RawMessage(`{"kind":"killed","low":3,"claimant":9}`)}
	g := annotate.GoldCopy(s, map[int64]bool{9: true})
	if g.Annotator != annotate.GoldAnnotator || g.Origin != "curation:bob" || annotate.CuratedFrom(g.Origin) != "bob" || g.ID != 4 {
		t.Fatalf("copy = %+v", g)
	}
	if string(g.Attrs) != string(s.Attrs) {
		t.Fatalf("claimant in the batch must stay: %s", g.Attrs)
	}
	g = annotate.GoldCopy(s, nil)
	var c annotate.Casualty
	if err := json.Unmarshal(g.Attrs, &c); err != nil || c.Claimant != 0 || c.Kind != "killed" {
		t.Fatalf("claimant outside the batch must go, the rest stay: %s", g.Attrs)
	}
}
