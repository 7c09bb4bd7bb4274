package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/query"
)

// searchTexts are written for these tests: short reports in English, Arabic (with vowel
// marks and tatweel, and without), Russian, Chinese (with one- and two-character
// words), Hindi and Japanese, with emoji, and LIKE's wildcard characters (% _ \), which
// an SQL LIKE must take literally.
var searchTexts = []string{
	"Artillery fire killed 7 civilians near Dara on Friday, a local council said. 💥",
	"Residents left Târgu Mureș after the raid; police in Targu Jiu reported no damage.",
	"قَصَفَت الطائـــرات بلدة في الشمال وقُتل مدنيون، واستمر القصف.",
	"قصفت الطائرات البلدة صباحا وقتل خمسة مدنيين",
	"Взрыв прогремел утром; ранены четверо прохожих.",
	"上海发生火灾，上海消防说有两人受伤。",
	"大阪で火事があり、三人が死亡した。",
	"मुंबई में आग लगी, आग में तीन लोग मारे गए।",
	"Prices rose 50% in 2_000 shops; the path C:\\data was cited 🚒.",
	"Talks resumed in Dara as civilians came back. 🕊️",
	"火",
	"The convoy ambush killed 4 and wounded 19 👩‍👩‍👦 by the bridge.",
}

// searchQueries cover words, phrases, prefixes, exclusions, every field, scripts with
// and without spaces, one- and two-character CJK, emoji and wildcard characters.
var searchQueries = []string{
	`civilians`, `CIVILIANS`, `"killed 7 civilians"`, `kill`, `ill`, `civilians -talks`,
	`targu`, `Târgu`, `mures`, `قصف`, `الطائرات`, `مدني`, `взрыв`, `ВЗРЫВ`, `上海`, `上`, `火`, `火事`, `火灾`,
	`आग`, `मुंबई`, `💥`, `👩‍👩‍👦`, `dara`, `"in dara"`, `50%`, `2_000`, `"c:\data"`, `_`, `%`,
	`label:DEATH`, `label:DEATH|LOCATION status:accepted`, `label:DEATH "civilians"`, `-label:DEATH status:rejected`,
	`annotator:ana origin:rule`, `origin:model`, `origin:import`, `origin:gazetteer`, `origin:manual label:VICTIM`,
	`done:yes`, `done:no dara`, `has:CASUALTY`, `no:LOCATION`, `-has:DEATH`, `doc:3`, `doc:r1-d5`,
	`label:LOCATION no:CASUALTY`, `has:ATTACK label:VICTIM -status:suggested`, `the -the`, `qqqq`, `-qqqq`,
}

// ImportSearchTexts imports searchTexts rounds times into s, each document with a span
// on most words (labels, statuses, origins and annotators cycling) and some marked
// done. Exported for tests that compare backends on the same data.
func ImportSearchTexts(tb testing.TB, s annotate.Store, rounds int) {
	tb.Helper()
	ctx := context.Background()
	labels := []string{"DEATH", "LOCATION", "ATTACK", "VICTIM", "CASUALTY"}
	statuses := []annotate.Status{annotate.StatusAccepted, annotate.StatusSuggested, annotate.StatusRejected}
	origins := []string{"import", "rule:place", "model:tagger", "manual", "gazetteer:actor"}
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		tb.Fatal(err)
	}
	defer im.Rollback()
	k := 0
	for r := 0; r < rounds; r++ {
		for i, text := range searchTexts {
			doc := &annotate.Document{ExternalID: fmt.Sprintf("r%d-d%d", r, i), Title: fmt.Sprintf("Report %d.%d", r, i), Text: text}
			if (i+r)%3 == 0 {
				doc.Status = annotate.DocDone
			}
			var d annotate.Draft
			for _, w := range words(text) {
				if k%4 == 3 {
					k++
					continue // leave some words bare
				}
				d.Spans = append(d.Spans, annotate.Span{Start: w[0], End: w[1], Label: labels[k%len(labels)],
					Status: statuses[k%len(statuses)], Origin: origins[k%len(origins)], Annotator: []string{"ana", "ben"}[k%2]})
				k++
			}
			if _, err := im.Add(ctx, doc, d); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := im.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// SearchQueries returns the queries the suite checks.
func SearchQueries() []string { return searchQueries }

// words returns the code point ranges of the space-separated words of text.
func words(text string) [][2]int {
	var out [][2]int
	start, i := -1, 0
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

// HitsString renders hits for comparison: document title (not id: ids are each
// database's own), range, text, span label and status.
func HitsString(hits []annotate.Hit) string {
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "%s[%d,%d)%q", h.Title, h.Start, h.End, h.Text)
		if h.SpanID != 0 {
			fmt.Fprintf(&b, ":%s/%s/%s", h.Label, h.Status, h.Annotator)
		}
		b.WriteString(" ")
	}
	return b.String()
}

func searcher(tb testing.TB, s annotate.Store) annotate.Searcher {
	tb.Helper()
	se, ok := s.(annotate.Searcher)
	if !ok {
		tb.Fatalf("%T does not implement annotate.Searcher", s)
	}
	return se
}

// testSearchMatchesScan: the backend's search (its index narrowing, query.Eval
// deciding) gives exactly the brute-force scan's hits, for every query, order and
// limit, before and after more documents arrive.
func testSearchMatchesScan(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	se := searcher(t, s)
	check := func(t *testing.T) {
		for _, q := range searchQueries {
			for _, opt := range []annotate.SearchOptions{{}, {Order: annotate.SearchByDocument}, {Limit: 3}, {Limit: 1, Order: annotate.SearchByDocument}} {
				got, err := se.Search(ctx, q, opt)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				want, err := query.Scan{Store: s}.Search(ctx, q, opt)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := HitsString(got.Hits), HitsString(want.Hits); g != w {
					t.Errorf("%s %+v:\n got %s\nwant %s", q, opt, g, w)
				}
				if got.More != want.More {
					t.Errorf("%s %+v: More %v, want %v", q, opt, got.More, want.More)
				}
			}
		}
	}
	ImportSearchTexts(t, s, 2)
	t.Run("Imported", check)
	// A second import: the index follows new documents.
	ImportSearchTexts(t, s, 3) // rounds 0 and 1 are skipped as duplicates, round 2 is new
	t.Run("Reimported", check)
	// Hits are what the texts say.
	t.Run("Hits", func(t *testing.T) {
		res, err := se.Search(ctx, `"killed 7 civilians"`, annotate.SearchOptions{Order: annotate.SearchByDocument})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 3 || res.Hits[0].Title != "Report 0.0" || res.Hits[0].Text != "killed 7 civilians" {
			t.Fatalf("want the phrase in each round's first report, got %s", HitsString(res.Hits))
		}
		res, err = se.Search(ctx, `50%`, annotate.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 3 || res.Hits[0].Text != "50%" {
			t.Fatalf("%% must be searched literally: %s", HitsString(res.Hits))
		}
	})
}

// testSearchErrors: a query that does not parse fails with EInvalid and its column.
func testSearchErrors(t *testing.T, be Backend) {
	s := be.open(t)
	_, err := searcher(t, s).Search(context.Background(), `label:`, annotate.SearchOptions{})
	if annotate.ErrorCode(err) != annotate.EInvalid || !strings.Contains(err.Error(), "column") {
		t.Fatalf("want EInvalid with a column, got %v", err)
	}
}
