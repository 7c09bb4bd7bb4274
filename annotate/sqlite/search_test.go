package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/query"
	"evident/annotate/sqlite"
)

// searchCorpus is written for these tests: short reports in English, Arabic (with and
// without vowel marks and tatweel), Russian, Chinese, Japanese, Hindi, with emoji.
var searchCorpus = []string{
	"Shelling killed 12 civilians in Qaryat on Monday, the ministry said. 🔥",
	"Civilians fled São Vicente after the strike; officials in Sao Tome denied it.",
	"قَصَفَ الجيشُ قرية في غـــزة وقُتل مدنيون، والقصف مستمر.",
	"قصف الجيش مدينة غزة ليلا وقتل ثلاثة مدنيين",
	"Обстрел продолжался всю ночь; погибли трое мирных жителей.",
	"北京市发生爆炸，北京警方说有三人死亡。",
	"东京で爆発があり、二人が負傷した。",
	"दिल्ली में धमाका हुआ, धमाके में पाँच लोग घायल हुए।",
	"Straße blocked by STRASSE protesters 🚧; no one was killed.",
	"A ceasefire held in Qaryat while civilians returned home. 🕊️",
	"战",
	"The market attack killed 3 and wounded 40 👨‍👩‍👧 near the river.",
}

// searchLabels cycles through labels, statuses and origins for the spans of the corpus.
var (
	searchLabels   = []string{"DEATH", "LOCATION", "ATTACK", "VICTIM", "CASUALTY"}
	searchStatuses = []annotate.Status{annotate.StatusAccepted, annotate.StatusSuggested, annotate.StatusRejected}
	searchOrigins  = []string{"import", "rule:place", "model:tagger", "manual", "gazetteer:actor"}
)

// importSearchCorpus imports the corpus rounds times, each document with a span on
// every word (labels, statuses, origins and annotators cycling), some documents done.
func importSearchCorpus(t testing.TB, s *sqlite.Store, rounds int) {
	t.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	k := 0
	for r := 0; r < rounds; r++ {
		for i, text := range searchCorpus {
			doc := &annotate.Document{ExternalID: fmt.Sprintf("r%d-d%d", r, i), Title: fmt.Sprintf("Report %d.%d", r, i), Text: text}
			if (i+r)%3 == 0 {
				doc.Status = annotate.DocDone
			}
			var d annotate.Draft
			for _, w := range wordRanges(text) {
				if k%4 == 3 {
					k++
					continue // leave some words bare
				}
				d.Spans = append(d.Spans, annotate.Span{Start: w[0], End: w[1], Label: searchLabels[k%len(searchLabels)],
					Status: searchStatuses[k%len(searchStatuses)], Origin: searchOrigins[k%len(searchOrigins)],
					Annotator: []string{"ana", "ben"}[k%2]})
				k++
			}
			if _, err := im.Add(ctx, doc, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
}

// wordRanges returns the code point ranges of the space-separated words of text.
func wordRanges(text string) [][2]int {
	var out [][2]int
	start := -1
	i := 0
	for _, r := range text {
		if r == ' ' {
			if start >= 0 {
				out = append(out, [2]int{start, i})
			}
			start = -1
		} else if start < 0 {
			start = i
		}
		i++
	}
	if start >= 0 {
		out = append(out, [2]int{start, i})
	}
	return out
}

var searchQueries = []string{
	`civilians`, `CIVILIANS`, `"killed 12 civilians"`, `kill`, `ill`, `civilians -ceasefire`,
	`sao`, `São`, `strasse`, `قصف`, `غزة`, `مدني`, `обстрел`, `ОБСТРЕЛ`, `北京`, `北`, `战`, `爆発`, `爆`,
	`धमाक`, `🔥`, `👨‍👩‍👧`, `qaryat`, `"in qaryat"`,
	`label:DEATH`, `label:DEATH|LOCATION status:accepted`, `label:DEATH "civilians"`, `-label:DEATH status:rejected`,
	`annotator:ana origin:rule`, `origin:model`, `origin:import`, `origin:gazetteer`, `origin:manual label:VICTIM`,
	`done:yes`, `done:no qaryat`, `has:CASUALTY`, `no:LOCATION`, `-has:DEATH`, `doc:3`, `doc:r1-d5`,
	`label:LOCATION no:CASUALTY`, `has:ATTACK label:VICTIM -status:suggested`, `the -the`, `zzzz`, `-zzzz`,
}

func TestSearchMatchesScan(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	importSearchCorpus(t, s, 3)
	check := func(t *testing.T) {
		for _, q := range searchQueries {
			for _, opt := range []annotate.SearchOptions{{}, {Order: annotate.SearchByDocument}, {Limit: 3}, {Limit: 1, Order: annotate.SearchByDocument}} {
				got, err := s.Search(ctx, q, opt)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				want, err := query.Scan{Store: s}.Search(ctx, q, opt)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := hitsString(got.Hits), hitsString(want.Hits); g != w {
					t.Errorf("%s %+v:\n got %s\nwant %s", q, opt, g, w)
				}
				if got.More != want.More {
					t.Errorf("%s %+v: More %v, want %v", q, opt, got.More, want.More)
				}
			}
		}
	}
	t.Run("Indexed", func(t *testing.T) {
		res, err := s.Search(ctx, "civilians", annotate.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: "index", false: "scan"}[s.HasFTS(ctx)]; res.Method != want {
			t.Errorf("method %s, want %s", res.Method, want)
		}
		check(t)
	})
	// A document written behind the store's back (as a script would) is found before
	// the index has caught up, and after.
	t.Run("Pending", func(t *testing.T) {
		db, err := sql.Open("sqlite3", s.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`INSERT INTO documents (external_id, title, added, sha256, text) VALUES ('x', 'Script', 0, '', 'Civilians in Qaryat 北京')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE documents SET text = 'The ceasefire held 战' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		check(t)
		s2 := mustOpenPath(t, s.Path()) // opening indexes what is pending
		res, err := s2.Search(ctx, `"civilians in qaryat"`, annotate.SearchOptions{})
		if err != nil || len(res.Hits) != 3 || res.Hits[0].Title != "Script" || res.Hits[1].DocID == 1 || res.Hits[2].DocID == 1 {
			t.Fatalf("%+v %v", res, err)
		}
		check(t)
	})
}

func hitsString(hits []annotate.Hit) string {
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "[%d %d:%d %q %d %s %s %s]", h.DocID, h.Start, h.End, h.Text, h.SpanID, h.Label, h.Status, h.Annotator)
	}
	return b.String()
}

func TestSearchCorrect(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	importSearchCorpus(t, s, 1)
	for _, c := range []struct {
		q    string
		want []string // titles and texts of the hits, in order
	}{
		{`北京`, []string{"Report 0.5 北京", "Report 0.5 北京"}},
		{`战`, []string{"Report 0.10 战"}},
		{`قصف`, []string{"Report 0.3 قصف", "Report 0.2 قَصَفَ", "Report 0.2 قصف"}},
		{`sao`, []string{"Report 0.1 São", "Report 0.1 Sao"}},
		{`São`, []string{"Report 0.1 São"}},
		{`"killed 12 civilians"`, []string{"Report 0.0 killed 12 civilians"}},
	} {
		res, err := s.Search(ctx, c.q, annotate.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Title+" "+h.Text)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.q, got, c.want)
		}
	}
	_, err := s.Search(ctx, `label:DEATH "civilians`, annotate.SearchOptions{})
	if annotate.ErrorCode(err) != annotate.EInvalid || !strings.Contains(err.Error(), "column 13") {
		t.Errorf("unclosed phrase: %v", err)
	}
}

// TestSearchRandom compares the store with the scan on random queries made of words and
// pieces of the corpus.
func TestSearchRandom(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	importSearchCorpus(t, s, 2)
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		text := []rune(searchCorpus[r.IntN(len(searchCorpus))])
		a := r.IntN(len(text))
		b := min(len(text), a+1+r.IntN(6))
		q := `"` + strings.ReplaceAll(string(text[a:b]), `"`, "") + `"`
		if r.IntN(3) == 0 {
			q += " label:" + searchLabels[r.IntN(len(searchLabels))]
		}
		got, err1 := s.Search(ctx, q, annotate.SearchOptions{})
		want, err2 := query.Scan{Store: s}.Search(ctx, q, annotate.SearchOptions{})
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("%s: %v vs %v", q, err1, err2)
		}
		if err1 != nil {
			continue
		}
		if g, w := hitsString(got.Hits), hitsString(want.Hits); g != w {
			t.Errorf("%s:\n got %s\nwant %s", q, g, w)
		}
	}
}

func TestInconsistencies(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	im, err := s.BeginImport(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	add := func(text string, spans ...annotate.Span) {
		t.Helper()
		if _, err := im.Add(ctx, &annotate.Document{ExternalID: text, Text: text}, annotate.Draft{Spans: spans}); err != nil {
			t.Fatal(err)
		}
	}
	sp := func(s, e int, label string) annotate.Span { return annotate.Span{Start: s, End: e, Label: label} }
	add("Fighting in Qaryat left two dead.", sp(12, 18, "LOCATION"))         // 1
	add("Qaryat residents fled.", sp(0, 6, "ACTOR"))                         // 2
	add("The road to qaryat was shelled.")                                   // 3: bare (case folded)
	add("Qaryatayn is another town.")                                        // 4: not a whole word
	add("北京发生爆炸", sp(0, 2, "LOCATION"))                                      // 5
	add("警方在北京说", sp(3, 5, "LOCATION"))                                      // 6
	add("昨天北京很冷")                                                            // 7: bare
	add("Troops entered Qaryat.", sp(0, 6, "ACTOR"), sp(15, 21, "LOCATION")) // 8
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := query.Inconsistencies(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	byText := map[string]query.Inconsistency{}
	for _, in := range got {
		byText[in.Text] = in
	}
	q := byText["Qaryat"]
	if q.Labels["LOCATION"] != 2 || q.Labels["ACTOR"] != 1 || q.Labelled != 3 || q.Bare != 1 || fmt.Sprint(q.BareDocs) != "[3]" {
		t.Errorf("Qaryat: %+v", q)
	}
	b := byText["北京"]
	if b.Labels["LOCATION"] != 2 || len(b.Labels) != 1 || b.Bare != 1 || fmt.Sprint(b.BareDocs) != "[7]" {
		t.Errorf("北京: %+v", b)
	}
	if _, ok := byText["Troops"]; ok {
		t.Errorf("Troops is labelled once and never bare: %+v", got)
	}
}
