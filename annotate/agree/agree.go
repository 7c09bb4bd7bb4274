// Package agree measures inter-annotator agreement on spans: span-level F1 per pair of
// annotators (exact and overlapping match, overall and per label), Cohen's kappa over
// tokens per pair, and Krippendorff's alpha (nominal) over tokens across all annotators.
//
// The unit for kappa and alpha is the token (annotate.Tokens); a token's value is the label
// of the shortest span covering it, or "O" when no span covers it. Only documents that two
// annotators both annotated (at least one span each) are compared for that pair; alpha
// uses every document annotated by two or more.
package agree

import (
	"sort"

	"evident/annotate"
)

// Outside is the token value of a token no span covers.
const Outside = "O"

// Span is one annotator's labelled range, in code points.
type Span struct {
	Start, End int
	Label      string
}

// Doc is one document with each annotator's spans.
type Doc struct {
	ID     string
	Tokens []annotate.Token
	Spans  map[string][]Span // annotator -> spans
}

// F1 holds a span-level comparison.
type F1 struct {
	A, B    int     `json:"-"`
	Matched int     `json:"matched"`
	F1      float64 `json:"f1"`
}

// Pair is the agreement of two annotators.
type Pair struct {
	A         string        `json:"a"`
	B         string        `json:"b"`
	Documents int           `json:"documents"`
	Exact     F1            `json:"exact"`
	Overlap   F1            `json:"overlap"`
	Kappa     float64       `json:"kappa"`
	Tokens    int           `json:"tokens"`
	Labels    []LabelResult `json:"labels"`
}

// LabelResult is a pair's span F1 on one label.
type LabelResult struct {
	Label   string `json:"label"`
	Exact   F1     `json:"exact"`
	Overlap F1     `json:"overlap"`
}

// Report is the agreement of a set of documents.
type Report struct {
	Annotators []string `json:"annotators"`
	Pairs      []Pair   `json:"pairs"`
	Alpha      float64  `json:"alpha"`
	AlphaDocs  int      `json:"alpha_documents"`
	AlphaUnits int      `json:"alpha_tokens"`
}

// Compute compares every pair of annotators over docs.
func Compute(docs []Doc) Report {
	names := map[string]bool{}
	for _, d := range docs {
		for a, s := range d.Spans {
			if len(s) > 0 {
				names[a] = true
			}
		}
	}
	var rep Report
	for a := range names {
		rep.Annotators = append(rep.Annotators, a)
	}
	sort.Strings(rep.Annotators)
	for i, a := range rep.Annotators {
		for _, b := range rep.Annotators[i+1:] {
			rep.Pairs = append(rep.Pairs, comparePair(docs, a, b))
		}
	}
	rep.Alpha, rep.AlphaDocs, rep.AlphaUnits = alpha(docs)
	return rep
}

func comparePair(docs []Doc, a, b string) Pair {
	p := Pair{A: a, B: b}
	perLabel := map[string]*LabelResult{}
	get := func(l string) *LabelResult {
		if perLabel[l] == nil {
			perLabel[l] = &LabelResult{Label: l}
		}
		return perLabel[l]
	}
	var agreeTok, total int
	countA, countB := map[string]int{}, map[string]int{}
	for _, d := range docs {
		sa, sb := d.Spans[a], d.Spans[b]
		if len(sa) == 0 || len(sb) == 0 {
			continue
		}
		p.Documents++
		addF1(&p.Exact, sa, sb, exactMatches(sa, sb))
		addF1(&p.Overlap, sa, sb, overlapMatches(sa, sb))
		for _, l := range labelsOf(sa, sb) {
			la, lb := only(sa, l), only(sb, l)
			r := get(l)
			addF1(&r.Exact, la, lb, exactMatches(la, lb))
			addF1(&r.Overlap, la, lb, overlapMatches(la, lb))
		}
		va, vb := tokenValues(d.Tokens, sa), tokenValues(d.Tokens, sb)
		for i := range va {
			total++
			countA[va[i]]++
			countB[vb[i]]++
			if va[i] == vb[i] {
				agreeTok++
			}
		}
	}
	finish(&p.Exact)
	finish(&p.Overlap)
	for _, r := range perLabel {
		finish(&r.Exact)
		finish(&r.Overlap)
		p.Labels = append(p.Labels, *r)
	}
	sort.Slice(p.Labels, func(i, j int) bool { return p.Labels[i].Label < p.Labels[j].Label })
	p.Tokens = total
	p.Kappa = kappa(agreeTok, total, countA, countB)
	return p
}

func addF1(f *F1, a, b []Span, matched int) {
	f.A += len(a)
	f.B += len(b)
	f.Matched += matched
}

func finish(f *F1) {
	if f.A+f.B > 0 {
		f.F1 = 2 * float64(f.Matched) / float64(f.A+f.B)
	}
}

// kappa is Cohen's kappa from observed agreement and each rater's marginals. When both
// raters put every token in one and the same category, agreement is perfect: 1.
func kappa(agree, total int, ca, cb map[string]int) float64 {
	if total == 0 {
		return 0
	}
	po := float64(agree) / float64(total)
	pe := 0.0
	for c, n := range ca {
		pe += float64(n) / float64(total) * float64(cb[c]) / float64(total)
	}
	if pe == 1 {
		return 1
	}
	return (po - pe) / (1 - pe)
}

func exactMatches(a, b []Span) int {
	set := map[Span]int{}
	for _, s := range a {
		set[s]++
	}
	n := 0
	for _, s := range b {
		if set[s] > 0 {
			set[s]--
			n++
		}
	}
	return n
}

// overlapMatches pairs spans of the same label whose ranges overlap, one to one, greedily
// in order of start (exact matches first so they are never stolen by a neighbour).
func overlapMatches(a, b []Span) int {
	used := make([]bool, len(b))
	n := 0
	taken := make([]bool, len(a))
	for i, s := range a {
		for j, t := range b {
			if !used[j] && s == t {
				used[j], taken[i] = true, true
				n++
				break
			}
		}
	}
	for i, s := range a {
		if taken[i] {
			continue
		}
		for j, t := range b {
			if !used[j] && s.Label == t.Label && s.Start < t.End && t.Start < s.End {
				used[j] = true
				n++
				break
			}
		}
	}
	return n
}

func labelsOf(a, b []Span) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]Span(nil), a...), b...) {
		if !seen[s.Label] {
			seen[s.Label] = true
			out = append(out, s.Label)
		}
	}
	return out
}

func only(s []Span, label string) []Span {
	var out []Span
	for _, x := range s {
		if x.Label == label {
			out = append(out, x)
		}
	}
	return out
}

// tokenValues gives each token the label of the shortest span covering any of it.
func tokenValues(toks []annotate.Token, spans []Span) []string {
	vals := make([]string, len(toks))
	best := make([]int, len(toks))
	for i := range vals {
		vals[i] = Outside
	}
	for _, s := range spans {
		// Tokens are sorted: find the first that ends after the span starts.
		i := sort.Search(len(toks), func(i int) bool { return toks[i].End > s.Start })
		for ; i < len(toks) && toks[i].Start < s.End; i++ {
			if l := s.End - s.Start; vals[i] == Outside || l < best[i] {
				vals[i], best[i] = s.Label, l
			}
		}
	}
	return vals
}

// alpha is Krippendorff's alpha for nominal data: units are the tokens of documents that
// two or more annotators annotated, each annotator giving every token one value.
func alpha(docs []Doc) (float64, int, int) {
	coinc := map[[2]string]float64{}
	var ndocs, units int
	for _, d := range docs {
		var coders []string
		for a, s := range d.Spans {
			if len(s) > 0 {
				coders = append(coders, a)
			}
		}
		if len(coders) < 2 {
			continue
		}
		sort.Strings(coders)
		ndocs++
		vals := make([][]string, len(coders))
		for i, a := range coders {
			vals[i] = tokenValues(d.Tokens, d.Spans[a])
		}
		m := float64(len(coders))
		for t := range d.Tokens {
			units++
			for i := range coders {
				for j := range coders {
					if i != j {
						coinc[[2]string{vals[i][t], vals[j][t]}] += 1 / (m - 1)
					}
				}
			}
		}
	}
	nc := map[string]float64{}
	var n, disagree float64
	for k, v := range coinc {
		nc[k[0]] += v
		n += v
		if k[0] != k[1] {
			disagree += v
		}
	}
	if n <= 1 {
		return 0, ndocs, units
	}
	var expected float64
	for c, a := range nc {
		for k, b := range nc {
			if c != k {
				expected += a * b
			}
		}
	}
	if expected == 0 {
		return 1, ndocs, units // every value the same everywhere: no disagreement possible
	}
	return 1 - (n-1)*disagree/expected, ndocs, units
}
