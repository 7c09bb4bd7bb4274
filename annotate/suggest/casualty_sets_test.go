package suggest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/suggest"
)

// figureGold is one casualty figure of testdata/casualty/*.jsonl.
type figureGold struct {
	Span      string `json:"span"`
	Kind      string `json:"kind"`
	Low       *int   `json:"low"`
	High      *int   `json:"high"`
	Qualifier string `json:"qualifier"`
	Claimant  string `json:"claimant"`
}

type figureText struct {
	ID      string       `json:"id"`
	Lang    string       `json:"lang"`
	Text    string       `json:"text"`
	Figures []figureGold `json:"figures"`
}

func readFigureTexts(tb testing.TB, path string) []figureText {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var out []figureText
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var ft figureText
		if err := json.Unmarshal(sc.Bytes(), &ft); err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		for _, g := range ft.Figures {
			if !strings.Contains(ft.Text, g.Span) || g.Claimant != "" && !strings.Contains(ft.Text, g.Claimant) {
				tb.Fatalf("%s:%d (%s): figure %q or claimant %q is not in the text", path, n, ft.ID, g.Span, g.Claimant)
			}
		}
		out = append(out, ft)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return out
}

// runeSpan is the code point range of the first occurrence of sub in text.
func runeSpan(text, sub string) (int, int) {
	i := strings.Index(text, sub)
	a := utf8.RuneCountInString(text[:i])
	return a, a + utf8.RuneCountInString(sub)
}

// figureScore counts how the suggester does on one file of figure texts.
type figureScore struct {
	gold, pred, matched, claimant, all int
	misses                             []string // one line per wrong or missed figure
}

func (s figureScore) String() string {
	r := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	return fmt.Sprintf("figures %3d  recall %.2f  precision %.2f  claimant %.2f  all five %.2f (of matched; %.2f of all)",
		s.gold, r(s.matched, s.gold), r(s.matched, s.pred), r(s.claimant, s.matched), r(s.all, s.matched), r(s.all, s.gold))
}

func (s *figureScore) add(o figureScore) {
	s.gold += o.gold
	s.pred += o.pred
	s.matched += o.matched
	s.claimant += o.claimant
	s.all += o.all
	s.misses = append(s.misses, o.misses...)
}

func eqIntp(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func showp(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// scoreFigures runs the suggester over one text and scores its CASUALTY spans: a gold
// figure is found when a suggested figure overlaps it (one to one); the claimant is right
// when both are unstated or the suggested claimant overlaps the gold one.
func scoreFigures(tb testing.TB, s *suggest.Suggester, ft figureText) figureScore {
	d := run(tb, s, ft.Text, "")
	var sc figureScore
	var preds []int
	for i, sp := range d.Spans {
		if sp.Label == "CASUALTY" {
			preds = append(preds, i)
		}
	}
	sc.gold, sc.pred = len(ft.Figures), len(preds)
	used := map[int]bool{}
	for _, g := range ft.Figures {
		ga, gb := runeSpan(ft.Text, g.Span)
		best, bestOv := -1, 0
		for _, pi := range preds {
			sp := d.Spans[pi]
			if ov := min(gb, sp.End) - max(ga, sp.Start); ov > bestOv && !used[pi] {
				best, bestOv = pi, ov
			}
		}
		if best < 0 {
			sc.misses = append(sc.misses, fmt.Sprintf("%s MISSED %q", ft.ID, g.Span))
			continue
		}
		used[best] = true
		sc.matched++
		var c annotate.Casualty
		if err := json.Unmarshal(d.Spans[best].Attrs, &c); err != nil {
			tb.Fatalf("%s: casualty attrs %s: %v", ft.ID, d.Spans[best].Attrs, err)
		}
		ci, hasClaim := d.Claimants[best]
		claimOK := !hasClaim && g.Claimant == ""
		if hasClaim && g.Claimant != "" {
			ca, cb := runeSpan(ft.Text, g.Claimant)
			claimOK = min(cb, d.Spans[ci].End) > max(ca, d.Spans[ci].Start)
		}
		if claimOK {
			sc.claimant++
		}
		fieldsOK := c.Kind == g.Kind && eqIntp(c.Low, g.Low) && eqIntp(c.High, g.High) && c.Qualifier == g.Qualifier
		if fieldsOK && claimOK {
			sc.all++
			continue
		}
		got := ""
		if hasClaim {
			got = d.Spans[ci].Text
		}
		sc.misses = append(sc.misses, fmt.Sprintf("%s %q as %q: got %s %s-%s %s claimant %q; want %s %s-%s %s claimant %q", ft.ID, g.Span, d.Spans[best].Text,
			c.Kind, showp(c.Low), showp(c.High), c.Qualifier, got, g.Kind, showp(g.Low), showp(g.High), g.Qualifier, g.Claimant))
	}
	for _, pi := range preds {
		if !used[pi] {
			sc.misses = append(sc.misses, fmt.Sprintf("%s EXTRA %q", ft.ID, d.Spans[pi].Text))
		}
	}
	return sc
}

// scoreFigureFile scores a file, overall and by language.
func scoreFigureFile(tb testing.TB, s *suggest.Suggester, path string) (figureScore, map[string]figureScore) {
	var total figureScore
	byLang := map[string]figureScore{}
	for _, ft := range readFigureTexts(tb, path) {
		sc := scoreFigures(tb, s, ft)
		total.add(sc)
		l := byLang[ft.Lang]
		l.add(sc)
		byLang[ft.Lang] = l
	}
	return total, byLang
}

// TestCasualtySets scores casualty figures on the development and held-out sentences of
// testdata/casualty and holds them at or above what they reached. The held-out file was
// written before the rules and is never tuned to; its floors are regression guards set a
// little under the figures it measured. CASUALTY_MISSES=1 lists the development misses.
func TestCasualtySets(t *testing.T) {
	s := mustNew(t)
	type floor struct{ recall, precision, claimant, all float64 }
	for _, set := range []struct {
		file string
		min  floor
	}{
		{"testdata/casualty/dev.jsonl", floor{0.95, 0.95, 0.90, 0.80}},
		// held out: measured 0.97, 0.99, 0.98, 0.97 (2026-12-06); floors at the targets
		{"testdata/casualty/heldout.jsonl", floor{0.95, 0.95, 0.90, 0.80}},
	} {
		total, byLang := scoreFigureFile(t, s, set.file)
		t.Logf("%s: %v", set.file, total)
		langs := make([]string, 0, len(byLang))
		for l := range byLang {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			t.Logf("  %s %v", l, byLang[l])
		}
		if os.Getenv("CASUALTY_MISSES") != "" && !strings.Contains(set.file, "heldout") {
			for _, m := range total.misses {
				t.Log("  " + m)
			}
		}
		r := func(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
		for _, c := range []struct {
			name     string
			got, min float64
		}{
			{"recall", r(total.matched, total.gold), set.min.recall},
			{"precision", r(total.matched, total.pred), set.min.precision},
			{"claimant", r(total.claimant, total.matched), set.min.claimant},
			{"all five fields", r(total.all, total.matched), set.min.all},
		} {
			if c.got < c.min {
				t.Errorf("%s: %s %.3f, below %.2f", set.file, c.name, c.got, c.min)
			}
		}
	}
}

// BenchmarkSuggestMultilingual runs the suggester over about 100 KB of the casualty
// sentences in ten languages, one per line: the per-language rules must cost about what
// the English ones do.
func BenchmarkSuggestMultilingual(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 100_000 {
		for _, ft := range readFigureTexts(b, "testdata/casualty/dev.jsonl") {
			sb.WriteString(ft.Text + "\n")
		}
	}
	text := sb.String()
	s := mustNew(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := s.Suggest(context.Background(), text, "", nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
