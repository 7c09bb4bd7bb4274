package app_test

import (
	"reflect"
	"testing"

	"evident/annotate"
	"evident/app"
	"evident/assets"
)

func TestRankDocuments(t *testing.T) {
	docs := []annotate.DocSummary{
		{ID: 1, Title: "Drone strike on fuel depot"},
		{ID: 2, Title: "Market reopens after curfew"},
		{ID: 3, Title: "Port city shelled overnight"},
		{ID: 4, Title: "Ministry revises death toll"},
	}
	titles := func(idx []int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, docs[i].Title)
		}
		return out
	}
	if got := app.RankDocuments(docs, ""); !reflect.DeepEqual(got, []int{0, 1, 2, 3}) {
		t.Errorf("empty filter: %v, want natural order", got)
	}
	if got := app.RankDocuments(docs, "  "); !reflect.DeepEqual(got, []int{0, 1, 2, 3}) {
		t.Errorf("blank filter: %v, want natural order", got)
	}
	got := titles(app.RankDocuments(docs, "mkt"))
	if len(got) != 1 || got[0] != "Market reopens after curfew" {
		t.Errorf("mkt: %v", got)
	}
	got = titles(app.RankDocuments(docs, "toll"))
	if len(got) == 0 || got[0] != "Ministry revises death toll" {
		t.Errorf("toll: %v, want the death toll first", got)
	}
	if got := app.RankDocuments(docs, "zzzq"); len(got) != 0 {
		t.Errorf("zzzq matched %v", got)
	}
}

func TestRankLabels(t *testing.T) {
	schema, err := annotate.ParseSchema(assets.Schema())
	if err != nil {
		t.Fatal(err)
	}
	names := func(ls []annotate.Label) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Name)
		}
		return out
	}
	all := app.RankLabels(schema, []string{"SOURCE", "CASUALTY"}, "")
	if got := names(all); len(got) != len(schema.Labels) || got[0] != "SOURCE" || got[1] != "CASUALTY" || got[2] != "ATTACK" {
		t.Errorf("empty query: %v, want recent labels first then schema order", got)
	}
	if got := names(app.RankLabels(schema, nil, "loc")); len(got) == 0 || got[0] != "LOCATION" {
		t.Errorf("loc: %v", got)
	}
	if got := names(app.RankLabels(schema, nil, "8")); len(got) == 0 || got[0] != "CASUALTY" {
		t.Errorf("key 8: %v, want CASUALTY first", got)
	}
	// Among equal matches the recently used label comes first.
	tie := &annotate.Schema{Labels: []annotate.Label{{Name: "XA"}, {Name: "YA"}}}
	if got := names(app.RankLabels(tie, nil, "a")); !reflect.DeepEqual(got, []string{"XA", "YA"}) {
		t.Errorf("tie without recency: %v, want schema order", got)
	}
	if got := names(app.RankLabels(tie, []string{"YA"}, "a")); !reflect.DeepEqual(got, []string{"YA", "XA"}) {
		t.Errorf("tie with YA recent: %v, want YA first", got)
	}
}

// BenchmarkRankDocuments ranks 100,000 titles, the filter's work per keystroke on a
// large corpus.
func BenchmarkRankDocuments(b *testing.B) {
	words := []string{"strike", "market", "convoy", "drone", "shelling", "port", "village", "militia", "ministry", "toll"}
	docs := make([]annotate.DocSummary, 100000)
	for i := range docs {
		docs[i] = annotate.DocSummary{ID: int64(i + 1), Title: words[i%10] + " hits " + words[(i/10)%10] + " near " + words[(i/100)%10] + " town"}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(app.RankDocuments(docs, "drn mkt")) == 0 {
			b.Fatal("no match")
		}
	}
}

func TestOrderByUncertainty(t *testing.T) {
	docs := []annotate.DocSummary{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4}}
	got := app.OrderByUncertainty(docs, []int{0, 1, 2, 3}, map[int64]float64{3: 0.2, 2: 0.9, 4: 0.2})
	want := []int{1, 2, 3, 0} // 2 (0.9), then 3 and 4 (0.2, kept in order), then 1 (no score)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
