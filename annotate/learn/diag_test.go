package learn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/evaluate"
	"evident/annotate/suggest"
)

// TestPrintArgReach counts, over the gold file in EVAL_DIAG, what the gold arguments
// (ACTOR, TARGET, VICTIM, LOCATION) the argument tagger cannot reach have in common: their
// distance from their own trigger and from the nearest rule trigger, whether a rule
// found their trigger, the rule spans over them, capitalisation and length. Aggregate
// counts only (a development aid, as TestPrintCV): it prints no text of the file.
func TestPrintArgReach(t *testing.T) {
	path := os.Getenv("EVAL_DIAG")
	if path == "" {
		t.Skip("set EVAL_DIAG=gold.jsonl to print where the gold arguments lie")
	}
	golds, err := evaluate.ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]map[string]int{} // group -> key -> n
	add := func(group, key string) {
		if count[group] == nil {
			count[group] = map[string]int{}
		}
		count[group][key]++
	}
	for _, g := range golds {
		d, err := s.Suggest(context.Background(), g.Text, g.Published, nil)
		if err != nil {
			t.Fatal(err)
		}
		relabel(d, map[string]string{"CASUALTY": "VICTIM"})
		p := prepare(g.Text, d)
		var rtrig [][2]int
		for _, sp := range d.Spans {
			if isTrigger(sp.Label) {
				a, b := tokenRange(p.toks, sp.Start, sp.End)
				if a < b {
					rtrig = append(rtrig, [2]int{a, b})
				}
			}
		}
		gs := g.Draft.Spans
		trigOf := map[int][]int{} // arg span -> gold trigger spans
		for _, ev := range g.Draft.Events {
			for _, a := range ev.Args {
				trigOf[a.Span] = append(trigOf[a.Span], ev.Trigger)
			}
		}
		for si, sp := range gs {
			l := normLabel(sp.Label)
			switch l {
			case "ACTOR", "TARGET", "VICTIM", "LOCATION":
			default:
				continue
			}
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			if a >= b {
				add(l, "no tokens")
				continue
			}
			sent := p.toks[a].sent
			// nearest rule trigger: same sentence, words between
			best, bestSent := 1<<30, 1<<30
			for _, r := range rtrig {
				ds := p.toks[r[0]].sent - sent
				if ds < 0 {
					ds = -ds
				}
				bestSent = min(bestSent, ds)
				if ds == 0 {
					dist := 0
					if r[1] <= a {
						dist = a - r[1]
					} else if b <= r[0] {
						dist = r[0] - b
					}
					best = min(best, dist)
				}
			}
			reach := best <= maxArgDist
			grp := "reached"
			if !reach {
				grp = "unreached"
			}
			add("all", grp)
			add(l, grp)
			// own trigger
			own := "in no event"
			if ts := trigOf[si]; len(ts) > 0 {
				own = "own trigger not found by a rule"
				od, osent := 1<<30, 1<<30
				for _, ti := range ts {
					ta, tb := tokenRange(p.toks, gs[ti].Start, gs[ti].End)
					for _, r := range rtrig {
						if r[0] < tb && ta < r[1] {
							own = "own trigger found by a rule"
						}
					}
					ds := p.toks[ta].sent - sent
					if ds < 0 {
						ds = -ds
					}
					osent = min(osent, ds)
					if ds == 0 {
						dist := 0
						if tb <= a {
							dist = a - tb
						} else if b <= ta {
							dist = ta - b
						}
						od = min(od, dist)
					}
				}
				switch {
				case osent > 0:
					add(grp+": own trigger sentences away", nbucket(osent))
				default:
					add(grp+": own trigger words away (same sentence)", nbucket(od))
				}
			}
			add(grp+": own trigger", own)
			if bestSent > 0 {
				add(grp+": nearest rule trigger", fmt.Sprintf("%s sentences away", nbucket(bestSent)))
			} else {
				add(grp+": nearest rule trigger", fmt.Sprintf("same sentence, %s words", nbucket(best)))
			}
			// rule spans over it
			over := "no rule span"
			for _, rs := range d.Spans {
				if rs.Start < sp.End && sp.Start < rs.End {
					if normLabel(rs.Label) == l {
						over = "rule span of its label"
						break
					}
					over = "rule span of another label (" + normLabel(rs.Label) + ")"
				}
			}
			add(grp+": rule spans", over)
			c := "lower case"
			if isCap(p.toks[a].raw) {
				c = "capitalised"
			}
			add(grp+": case", c)
			add(grp+": words", nbucket(b-a))
		}
	}
	var groups []string
	for g := range count {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		var keys []string
		for k := range count[g] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Printf("%s:", g)
		for _, k := range keys {
			fmt.Printf("  %s %d;", k, count[g][k])
		}
		fmt.Println()
	}
}

func nbucket(n int) string {
	switch {
	case n <= 2:
		return fmt.Sprint(n)
	case n <= 5:
		return "3-5"
	case n <= 10:
		return "6-10"
	case n <= 20:
		return "11-20"
	case n <= 40:
		return "21-40"
	}
	return ">40"
}

// TestPrintRanking cross-validates (5 folds, the default model with the base corpus in
// EVAL_BASE) on the gold file in EVAL_DIAG and prints how the argument tagger ranks the
// words of each label (recall of gold arguments against precision of candidate words,
// each word its own candidate) and how the tagger scores the gold triggers no rule
// marked. Aggregate counts only.
func TestPrintRanking(t *testing.T) {
	golds, bg, s := diagInputs(t)
	var exs []Example
	for _, g := range golds {
		exs = append(exs, Example{ID: g.ID, Text: g.Text, Accepted: g.Draft, Complete: true})
	}
	byLabel := map[string][]cand{}
	goldN := map[string]int{}
	gid := 0
	joinedTP, joinedN := map[string]int{}, map[string]int{}
	var trigMissP []float64 // the tagger's best P(label) on gold triggers no rule marked
	trigFound, trigMiss := 0, 0
	for f := 0; f < 5; f++ {
		var train []Example
		for i, ex := range exs {
			if i%5 != f {
				train = append(train, ex)
			}
		}
		m, err := Train(context.Background(), s, train, Options{Base: BaseExamples(bg), BaseWeight: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		for i, ex := range exs {
			if i%5 != f {
				continue
			}
			d, _ := s.Suggest(context.Background(), ex.Text, "", nil)
			relabel(d, m.labelMap)
			p := prepare(ex.Text, d)
			found, probs := m.tg.tag(p)
			T := m.tg.nTags()
			trig := append([]annotate.Span(nil), d.Spans...)
			for _, fd := range found {
				if isTrigger(fd.label) {
					trig = append(trig, annotate.Span{Start: fd.start, End: fd.end, Label: fd.label})
				}
			}
			sc := m.at.scoresOf(p, triggerRanges(p, trig))
			L := len(m.at.labels)
			// every word a candidate of its best label, adjacent words of one label joined
			// (the argument tagger's spans with no thresholds), matched one to one
			noThr := make([]float64, L)
			for l := range noThr {
				noThr[l] = -1e9
			}
			joined := m.at.spansAt(p, sc, noThr)
			for l, lab := range m.at.labels {
				tp, _, fn := overlapCounts(p, filterLabel(joined, l), ex.Accepted.Spans, lab)
				joinedTP[lab] += tp
				joinedN[lab] += tp + fn
			}
			for l, lab := range m.at.labels {
				goldOf := make([]int, len(p.toks))
				for k := range goldOf {
					goldOf[k] = -1
				}
				for _, sp := range ex.Accepted.Spans {
					if normLabel(sp.Label) != lab {
						continue
					}
					a, b := tokenRange(p.toks, sp.Start, sp.End)
					for k := a; k < b; k++ {
						goldOf[k] = gid
					}
					gid++
					goldN[lab]++
				}
				for k := range p.toks {
					if v := sc[k*L+l]; !math.IsInf(v, -1) {
						byLabel[lab] = append(byLabel[lab], cand{m.at.prob(l, v), goldOf[k]})
					}
				}
			}
			// gold triggers with no rule span over them
			for _, sp := range ex.Accepted.Spans {
				l := normLabel(sp.Label)
				if !isTrigger(l) {
					continue
				}
				covered := false
				for _, rs := range d.Spans {
					if rs.Start < sp.End && sp.Start < rs.End {
						covered = true
					}
				}
				if covered {
					continue
				}
				trigMiss++
				for _, fd := range found {
					if fd.label == l && fd.start < sp.End && sp.Start < fd.end {
						trigFound++
					}
				}
				k := -1
				for j, tl := range m.tg.labels {
					if tl == l {
						k = j
					}
				}
				a, b := tokenRange(p.toks, sp.Start, sp.End)
				best := 0.0
				for x := a; x < b && k >= 0; x++ {
					best = math.Max(best, probs[x*T+2*k+1]+probs[x*T+2*k+2])
				}
				trigMissP = append(trigMissP, best)
			}
		}
	}
	for lab, n := range joinedN {
		fmt.Printf("joined spans, no thresholds: %s recall %.2f (%d/%d)\n", lab, float64(joinedTP[lab])/float64(n), joinedTP[lab], n)
	}
	fmt.Printf("gold triggers no rule marked: %d; the tagger's Viterbi found %d; best P(label) on them:", trigMiss, trigFound)
	sort.Float64s(trigMissP)
	for _, q := range []float64{0.25, 0.5, 0.75, 0.9, 1} {
		fmt.Printf(" q%.2f=%.3f", q, trigMissP[min(len(trigMissP)-1, int(q*float64(len(trigMissP))))])
	}
	fmt.Println()
	var all []cand
	total := 0
	for lab, cs := range byLabel {
		all = append(all, cs...)
		total += goldN[lab]
		prCurve(lab, cs, goldN[lab])
	}
	prCurve("all args", all, total)
}

// prCurve prints, at falling thresholds, the share of gold spans some candidate word over
// the threshold lies in, and the share of those words in a gold span.
func prCurve(name string, cs []cand, n int) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].p > cs[j].p })
	hit := map[int]bool{}
	tp := 0
	fmt.Printf("%s (%d gold, %d candidate words):", name, n, len(cs))
	next := 0.9
	for k, c := range cs {
		if c.gold >= 0 {
			tp++
			hit[c.gold] = true
		}
		if k+1 == len(cs) || cs[k+1].p < next {
			fmt.Printf(" [>=%.1f R %.2f P %.2f]", next, float64(len(hit))/float64(n), float64(tp)/float64(k+1))
			for k+1 < len(cs) && cs[k+1].p < next {
				next -= 0.1
			}
			if next < 0.05 {
				next = 0
			}
		}
	}
	fmt.Println()
}

type cand struct {
	p    float64
	gold int // index of the gold span (global), -1 none
}

// TestPrintTriggerWords counts, for each gold trigger no rule marked, whether its word is
// a gold trigger in the other documents of EVAL_DIAG (how often, against its uses there),
// and how often it occurs in the base corpus EVAL_BASE as a gold trigger. Counts only.
func TestPrintTriggerWords(t *testing.T) {
	golds, bg, s := diagInputs(t)
	// per document: word -> uses, uses as a gold trigger
	type wc struct{ uses, trig int }
	countDoc := func(text string, spans []annotate.Span) map[string]*wc {
		p := prepare(text, annotate.Draft{})
		out := map[string]*wc{}
		isT := make([]bool, len(p.toks))
		for _, sp := range spans {
			if isTrigger(normLabel(sp.Label)) {
				a, b := tokenRange(p.toks, sp.Start, sp.End)
				for k := a; k < b; k++ {
					isT[k] = true
				}
			}
		}
		for k, tk := range p.toks {
			c := out[tk.lower]
			if c == nil {
				c = &wc{}
				out[tk.lower] = c
			}
			c.uses++
			if isT[k] {
				c.trig++
			}
		}
		return out
	}
	per := make([]map[string]*wc, len(golds))
	for i, g := range golds {
		per[i] = countDoc(g.Text, g.Draft.Spans)
	}
	base := map[string]*wc{}
	for _, g := range bg {
		for w, c := range countDoc(g.Text, g.Draft.Spans) {
			if base[w] == nil {
				base[w] = &wc{}
			}
			base[w].uses += c.uses
			base[w].trig += c.trig
		}
	}
	hist := map[string]int{}
	for i, g := range golds {
		d, _ := s.Suggest(context.Background(), g.Text, "", nil)
		p := prepare(g.Text, d)
		for _, sp := range g.Draft.Spans {
			if !isTrigger(normLabel(sp.Label)) {
				continue
			}
			covered := false
			for _, rs := range d.Spans {
				if rs.Start < sp.End && sp.Start < rs.End {
					covered = true
				}
			}
			if covered {
				continue
			}
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			if a >= b {
				continue
			}
			w := p.toks[b-1].lower
			uses, trig := 0, 0
			for j := range golds {
				if j != i && per[j][w] != nil {
					uses += per[j][w].uses
					trig += per[j][w].trig
				}
			}
			key := "other docs: never used"
			switch {
			case trig > 0:
				key = fmt.Sprintf("other docs: a trigger %s of %s uses", nbucket(trig), nbucket(uses))
			case uses > 0:
				key = fmt.Sprintf("other docs: used %s times, never a trigger", nbucket(uses))
			}
			hist[key]++
			bk := "base: never used"
			if c := base[w]; c != nil {
				bk = fmt.Sprintf("base: a trigger %s of %s uses", nbucket(c.trig), nbucket(c.uses))
			}
			hist[bk]++
			hist[fmt.Sprintf("in this doc: %s gold-trigger uses of %s", nbucket(per[i][w].trig), nbucket(per[i][w].uses))]++
		}
	}
	printHist(hist)
}

// TestPrintConfusion cross-validates the default model (5 folds, base corpus EVAL_BASE,
// threshold 0.3) on EVAL_DIAG and counts what the shown argument spans that match no gold
// span of their label lie over, and what lies over the gold arguments missed.
func TestPrintConfusion(t *testing.T) {
	golds, bg, s := diagInputs(t)
	var exs []Example
	for _, g := range golds {
		exs = append(exs, Example{ID: g.ID, Text: g.Text, Accepted: g.Draft, Complete: true})
	}
	hist := map[string]int{}
	isArg := func(l string) bool { return l == "ACTOR" || l == "TARGET" || l == "VICTIM" || l == "LOCATION" }
	for f := 0; f < 5; f++ {
		var train []Example
		for i, ex := range exs {
			if i%5 != f {
				train = append(train, ex)
			}
		}
		m, err := Train(context.Background(), s, train, Options{Base: BaseExamples(bg), BaseWeight: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		c := Combined{Rules: s, Model: m, MinConfidence: 0.3}
		for i, ex := range exs {
			if i%5 != f {
				continue
			}
			d, err := c.Suggest(context.Background(), ex.Text, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			gs := ex.Accepted.Spans
			usedG := map[int]bool{}
			for _, sp := range d.Spans {
				l := normLabel(sp.Label)
				if !isArg(l) {
					continue
				}
				origin := "model"
				if len(sp.Origin) < 6 || sp.Origin[:6] != "model:" {
					origin = "rule"
				}
				key := ""
				for gi, g := range gs {
					if g.Start < sp.End && sp.Start < g.End && normLabel(g.Label) == l && !usedG[gi] {
						usedG[gi] = true
						key = "right"
						break
					}
				}
				if key == "" {
					key = "over nothing"
					for _, g := range gs {
						if g.Start < sp.End && sp.Start < g.End {
							if normLabel(g.Label) == l {
								key = "a second span over a gold span"
							} else {
								key = "over gold " + normLabel(g.Label)
							}
						}
					}
				}
				hist[fmt.Sprintf("shown %s (%s): %s", l, origin, key)]++
			}
			for gi, g := range gs {
				l := normLabel(g.Label)
				if !isArg(l) || usedG[gi] {
					continue
				}
				key := "nothing shown over it"
				for _, sp := range d.Spans {
					if g.Start < sp.End && sp.Start < g.End {
						key = "shown as " + normLabel(sp.Label)
					}
				}
				hist[fmt.Sprintf("missed %s: %s", l, key)]++
			}
		}
	}
	printHist(hist)
}

func filterLabel(spans []argSpan, l int) []argSpan {
	var out []argSpan
	for _, s := range spans {
		if s.label == l {
			out = append(out, s)
		}
	}
	return out
}

// diagInputs reads the gold file in EVAL_DIAG and the base corpus in EVAL_BASE (skipping
// the test without them) and makes the rules.
func diagInputs(t *testing.T) (golds, base []evaluate.Gold, s *suggest.Suggester) {
	path, bpath := os.Getenv("EVAL_DIAG"), os.Getenv("EVAL_BASE")
	if path == "" || bpath == "" {
		t.Skip("set EVAL_DIAG=gold.jsonl EVAL_BASE=base.jsonl")
	}
	golds, err := evaluate.ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	base, err = evaluate.ReadGoldFile(bpath)
	if err != nil {
		t.Fatal(err)
	}
	var cfg suggest.Config
	if dir := os.Getenv("EVAL_LEXDIR"); dir != "" { // the rules' lexicons from a directory
		cfg.Data = os.DirFS(dir)
	}
	s, err = suggest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return golds, base, s
}

// TestPrintArgCurve is the learning curve split by who found what: over EVAL_REPEAT
// shufflings (default 5) of the gold file in EVAL_DIAG, 5 folds each, models trained
// on 1, 2, 4, 8 and 16 of the fold's training documents (beside the base corpus
// EVAL_BASE at 0.1, threshold 0.3) suggest on the fold's documents. For each size it
// prints, for the arguments (ACTOR/TARGET/VICTIM/LOCATION) and the triggers apart,
// the gold found by a shown rules' span and by a shown span only the model made, the
// shown spans of each kind and how many are right, and the gold that lies under a
// rules' span of its label at all (what the rules offer, shown or not). Counts only.
func TestPrintArgCurve(t *testing.T) {
	golds, bg, s := diagInputs(t)
	repeats, _ := strconv.Atoi(os.Getenv("EVAL_REPEAT"))
	if repeats == 0 {
		repeats = 5
	}
	var exs []Example
	for _, g := range golds {
		exs = append(exs, Example{ID: g.ID, Text: g.Text, Accepted: g.Draft, Complete: true})
	}
	isArg := func(l string) bool { return l == "ACTOR" || l == "TARGET" || l == "VICTIM" || l == "LOCATION" }
	kindOf := func(l string) string {
		if isArg(l) {
			return "arguments"
		}
		if isTrigger(l) {
			return "triggers"
		}
		return ""
	}
	sizes := []int{1, 2, 4, 8, 16}
	type counts struct{ gold, offered, byRule, byModel, shownRule, rightRule, shownModel, rightModel int }
	tab := map[string]*counts{}
	key := func(kind string, n int) string { return fmt.Sprintf("%s %2d", kind, n) }
	for _, kind := range []string{"arguments", "triggers"} {
		for _, n := range sizes {
			tab[key(kind, n)] = &counts{}
		}
	}
	overlaps := func(a, b annotate.Span) bool { return a.Start < b.End && b.Start < a.End }
	for seed := 1; seed <= repeats; seed++ {
		shuf := append([]Example(nil), exs...)
		rand.New(rand.NewPCG(uint64(seed), 5)).Shuffle(len(shuf), func(i, j int) { shuf[i], shuf[j] = shuf[j], shuf[i] })
		for f := 0; f < 5; f++ {
			var train, test []Example
			for i, ex := range shuf {
				if i%5 != f {
					train = append(train, ex)
				} else {
					test = append(test, ex)
				}
			}
			for _, n := range sizes {
				m, err := Train(context.Background(), s, train[:min(n, len(train))], Options{Base: BaseExamples(bg), BaseWeight: 0.1})
				if err != nil {
					t.Fatal(err)
				}
				c := Combined{Rules: s, Model: m, MinConfidence: 0.3}
				for _, ex := range test {
					d, err := c.Suggest(context.Background(), ex.Text, "", nil)
					if err != nil {
						t.Fatal(err)
					}
					rd, err := s.Suggest(context.Background(), ex.Text, "", nil)
					if err != nil {
						t.Fatal(err)
					}
					relabel(rd, m.labelMap)
					gs := ex.Accepted.Spans
					used := make([]bool, len(gs))
					for _, sp := range d.Spans {
						l := normLabel(sp.Label)
						kind := kindOf(l)
						if kind == "" {
							continue
						}
						cn := tab[key(kind, n)]
						model := strings.HasPrefix(sp.Origin, "model:")
						right := false
						for gi, g := range gs {
							if !used[gi] && normLabel(g.Label) == l && overlaps(g, sp) {
								used[gi], right = true, true
								if model {
									cn.byModel++
								} else {
									cn.byRule++
								}
								break
							}
						}
						if model {
							cn.shownModel++
							if right {
								cn.rightModel++
							}
						} else {
							cn.shownRule++
							if right {
								cn.rightRule++
							}
						}
					}
					for _, g := range gs {
						l := normLabel(g.Label)
						kind := kindOf(l)
						if kind == "" {
							continue
						}
						cn := tab[key(kind, n)]
						cn.gold++
						for _, sp := range rd.Spans {
							if normLabel(sp.Label) == l && overlaps(g, sp) {
								cn.offered++
								break
							}
						}
					}
				}
			}
		}
	}
	fmt.Printf("%d shufflings x 5 folds; recall = found / gold, precision = right / shown\n", repeats)
	for _, kind := range []string{"arguments", "triggers"} {
		for _, n := range sizes {
			cn := tab[key(kind, n)]
			r := func(a, b int) float64 {
				if b == 0 {
					return 0
				}
				return float64(a) / float64(b)
			}
			fmt.Printf("%s %2d docs: gold %d; under a rules' span %.3f; recall by rules' spans %.3f, by the model's own %.3f; shown rules' %d (precision %.3f), model's own %d (precision %.3f)\n",
				kind, n, cn.gold, r(cn.offered, cn.gold), r(cn.byRule, cn.gold), r(cn.byModel, cn.gold), cn.shownRule, r(cn.rightRule, cn.shownRule), cn.shownModel, r(cn.rightModel, cn.shownModel))
		}
	}
}

// TestPrintTriggerFalse counts where the rules' trigger spans that match no gold trigger
// of their label lie, over the gold file in EVAL_DIAG (rules alone): over a gold trigger
// of another label; in a sentence with a gold trigger; in a sentence with gold arguments
// but no trigger; in a sentence with no gold span at all. And whether the same word is a
// gold trigger elsewhere in the same document (an event the gold marks once, or a word
// it marks in one use and not another). Counts only.
func TestPrintTriggerFalse(t *testing.T) {
	golds, _, s := diagInputs(t)
	hist := map[string]int{}
	right := 0
	for _, g := range golds {
		d, err := s.Suggest(context.Background(), g.Text, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		p := prepare(g.Text, annotate.Draft{})
		sentOf := func(sp annotate.Span) int {
			a, _ := tokenRange(p.toks, sp.Start, sp.End)
			if a >= len(p.toks) {
				return -1
			}
			return p.toks[a].sent
		}
		goldTrigSent, goldArgSent := map[int]bool{}, map[int]bool{}
		goldTrigWord := map[string]bool{}
		for _, gs := range g.Draft.Spans {
			if isTrigger(normLabel(gs.Label)) {
				goldTrigSent[sentOf(gs)] = true
				a, b := tokenRange(p.toks, gs.Start, gs.End)
				for k := a; k < b; k++ {
					goldTrigWord[p.toks[k].lower] = true
				}
			} else {
				goldArgSent[sentOf(gs)] = true
			}
		}
		for _, sp := range d.Spans {
			l := normLabel(sp.Label)
			if !isTrigger(l) {
				continue
			}
			match, other := false, false
			for _, gs := range g.Draft.Spans {
				if gs.Start < sp.End && sp.Start < gs.End && isTrigger(normLabel(gs.Label)) {
					if normLabel(gs.Label) == l {
						match = true
					} else {
						other = true
					}
				}
			}
			if match {
				right++
				continue
			}
			where := "in a sentence with no gold span"
			switch k := sentOf(sp); {
			case other:
				where = "over a gold trigger of another label"
			case goldTrigSent[k]:
				where = "in a sentence with a gold trigger"
			case goldArgSent[k]:
				where = "in a sentence with gold arguments, no trigger"
			}
			a, b := tokenRange(p.toks, sp.Start, sp.End)
			same := "its word never a gold trigger in the document"
			for k := a; k < b; k++ {
				if goldTrigWord[p.toks[k].lower] {
					same = "its word a gold trigger elsewhere in the document"
				}
			}
			hist[l+": "+where]++
			hist[l+": "+same]++
		}
	}
	fmt.Printf("rules' trigger spans matching a gold trigger of their label: %d\n", right)
	printHist(hist)
}

// printHist prints a histogram's keys in order with their counts.
func printHist(hist map[string]int) {
	keys := make([]string, 0, len(hist))
	for k := range hist {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s: %d\n", k, hist[k])
	}
}
