// Package evaluate measures a suggester against gold annotations: precision, recall and
// F1 per label for exact and overlapping matches, trigger F1, casualty normalisation
// accuracy (kind, low, high, qualifier, claimant) and event argument recall per role.
package evaluate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"evident/annotate"
)

// Suggester is what Evaluate runs: annotate/suggest's *Suggester satisfies it.
type Suggester interface {
	Suggest(ctx context.Context, text, published string, learned []annotate.PhraseStat) (annotate.Draft, error)
}

// Score counts matches; Precision, Recall and F1 are derived from the counts.
type Score struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func (s *Score) finish() {
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

func (s *Score) add(o Score) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

// LabelScore is one label's scores: Exact needs the same offsets, Overlap any common
// code point (each gold span matches at most one suggestion and vice versa).
type LabelScore struct {
	Label   string `json:"label"`
	Gold    int    `json:"gold"`
	Pred    int    `json:"suggested"`
	Exact   Score  `json:"exact"`
	Overlap Score  `json:"overlap"`
}

// Accuracy is a share of correct values.
type Accuracy struct {
	Correct int     `json:"correct"`
	Total   int     `json:"total"`
	Rate    float64 `json:"rate"`
}

func (a *Accuracy) count(ok bool) {
	a.Total++
	if ok {
		a.Correct++
	}
}

func (a *Accuracy) finish() {
	if a.Total > 0 {
		a.Rate = float64(a.Correct) / float64(a.Total)
	}
}

// CasualtyScore is the normalisation accuracy over CASUALTY spans matched by overlap.
// Numbers counts pairs whose low and high are both right.
type CasualtyScore struct {
	Matched   int      `json:"matched"`
	Kind      Accuracy `json:"kind"`
	Low       Accuracy `json:"low"`
	High      Accuracy `json:"high"`
	Numbers   Accuracy `json:"numbers"`
	Qualifier Accuracy `json:"qualifier"`
	Claimant  Accuracy `json:"claimant"`
	Scope     Accuracy `json:"scope"`
}

// RoleRecall is the share of gold event arguments in one role that the suggested event
// with the same type and an overlapping trigger has, in that role, on overlapping text.
type RoleRecall struct {
	Role   string  `json:"role"`
	Found  int     `json:"found"`
	Total  int     `json:"total"`
	Recall float64 `json:"recall"`
}

// Report is the result of an evaluation. String prints it as a table; it marshals to JSON.
type Report struct {
	Documents int           `json:"documents"`
	Labels    []LabelScore  `json:"labels"`
	All       LabelScore    `json:"all"`
	Triggers  LabelScore    `json:"triggers"`
	Casualty  CasualtyScore `json:"casualty"`
	Args      []RoleRecall  `json:"arguments"`
	Errors    []string      `json:"errors,omitempty"`
	perLabel  map[string]*LabelScore
}

// Label returns the scores of one label (zero if the label never occurred).
func (r Report) Label(name string) LabelScore {
	for _, l := range r.Labels {
		if l.Label == name {
			return l
		}
	}
	return LabelScore{Label: name}
}

// Role returns the argument recall of one role.
func (r Report) Role(name string) RoleRecall {
	for _, a := range r.Args {
		if a.Role == name {
			return a
		}
	}
	return RoleRecall{Role: name}
}

var triggerLabels = map[string]bool{"ATTACK": true, "DEATH": true, "INJURY": true}

// Evaluate runs sug on every gold document (without learned phrases) and scores the
// suggestions against the gold spans and events. A document the suggester fails on is
// named in Report.Errors and counts as having no suggestions; a cancelled ctx stops the
// run early with its error recorded.
func Evaluate(ctx context.Context, sug Suggester, golds []Gold) Report {
	r := Report{perLabel: map[string]*LabelScore{}}
	roles := map[string]*RoleRecall{}
	for _, g := range golds {
		if err := ctx.Err(); err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("stopped: %v", err))
			break
		}
		pred, err := sug.Suggest(ctx, g.Text, g.Published, nil)
		if err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", g.ID, err))
			pred = annotate.Draft{}
		}
		r.Documents++
		r.scoreDoc(g, pred, roles)
	}
	labels := make([]string, 0, len(r.perLabel))
	for l := range r.perLabel {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	r.All = LabelScore{Label: "ALL"}
	r.Triggers = LabelScore{Label: "TRIGGERS"}
	for _, l := range labels {
		ls := r.perLabel[l]
		r.All.Gold += ls.Gold
		r.All.Pred += ls.Pred
		r.All.Exact.add(ls.Exact)
		r.All.Overlap.add(ls.Overlap)
		if triggerLabels[l] {
			r.Triggers.Gold += ls.Gold
			r.Triggers.Pred += ls.Pred
			r.Triggers.Exact.add(ls.Exact)
			r.Triggers.Overlap.add(ls.Overlap)
		}
		ls.Exact.finish()
		ls.Overlap.finish()
		r.Labels = append(r.Labels, *ls)
	}
	r.All.Exact.finish()
	r.All.Overlap.finish()
	r.Triggers.Exact.finish()
	r.Triggers.Overlap.finish()
	c := &r.Casualty
	for _, a := range []*Accuracy{&c.Kind, &c.Low, &c.High, &c.Numbers, &c.Qualifier, &c.Claimant, &c.Scope} {
		a.finish()
	}
	names := make([]string, 0, len(roles))
	for k := range roles {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return roleOrder(names[i]) < roleOrder(names[j]) })
	for _, k := range names {
		rr := roles[k]
		if rr.Total > 0 {
			rr.Recall = float64(rr.Found) / float64(rr.Total)
		}
		r.Args = append(r.Args, *rr)
	}
	r.perLabel = nil
	return r
}

var roleNames = []string{"attacker", "target", "victim", "place", "time", "instrument", "casualties", "source"}

func roleOrder(r string) int {
	for i, n := range roleNames {
		if n == r {
			return i
		}
	}
	return len(roleNames)
}

func (r *Report) label(l string) *LabelScore {
	ls := r.perLabel[l]
	if ls == nil {
		ls = &LabelScore{Label: l}
		r.perLabel[l] = ls
	}
	return ls
}

func overlaps(a, b annotate.Span) bool { return a.Start < b.End && b.Start < a.End }

func overlapLen(a, b annotate.Span) int {
	s, e := max(a.Start, b.Start), min(a.End, b.End)
	return e - s
}

// match pairs gold and suggested spans of the same label one to one: exact pairs first,
// then (for overlap) the largest overlap. It returns gold index -> suggested index.
func match(gold, pred []annotate.Span, exact bool) map[int]int {
	out := map[int]int{}
	used := map[int]bool{}
	for gi, g := range gold {
		for pi, p := range pred {
			if !used[pi] && p.Label == g.Label && p.Start == g.Start && p.End == g.End {
				out[gi], used[pi] = pi, true
				break
			}
		}
	}
	if exact {
		return out
	}
	for gi, g := range gold {
		if _, ok := out[gi]; ok {
			continue
		}
		best, bestLen := -1, 0
		for pi, p := range pred {
			if used[pi] || p.Label != g.Label || !overlaps(g, p) {
				continue
			}
			if l := overlapLen(g, p); l > bestLen {
				best, bestLen = pi, l
			}
		}
		if best >= 0 {
			out[gi], used[best] = best, true
		}
	}
	return out
}

func (r *Report) scoreDoc(g Gold, pred annotate.Draft, roles map[string]*RoleRecall) {
	gs, ps := g.Draft.Spans, pred.Spans
	for _, s := range gs {
		r.label(s.Label).Gold++
	}
	for _, s := range ps {
		r.label(s.Label).Pred++
	}
	for _, exact := range []bool{true, false} {
		m := match(gs, ps, exact)
		matchedPred := map[int]bool{}
		for gi, s := range gs {
			ls := r.label(s.Label)
			sc := &ls.Overlap
			if exact {
				sc = &ls.Exact
			}
			if pi, ok := m[gi]; ok {
				sc.TP++
				matchedPred[pi] = true
			} else {
				sc.FN++
			}
		}
		for pi, s := range ps {
			if !matchedPred[pi] {
				ls := r.label(s.Label)
				if exact {
					ls.Exact.FP++
				} else {
					ls.Overlap.FP++
				}
			}
		}
		if !exact {
			r.scoreCasualties(g, pred, m)
			r.scoreArgs(g, pred, m, roles)
		}
	}
}

type casualtyAttrs struct {
	Kind      string `json:"kind"`
	Low       *int   `json:"low"`
	High      *int   `json:"high"`
	Qualifier string `json:"qualifier"`
	Scope     string `json:"scope"`
}

func readCasualty(raw json.RawMessage) casualtyAttrs {
	var c casualtyAttrs
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &c) // malformed attributes score as empty ones
	}
	if c.Qualifier == "" {
		c.Qualifier = "exact"
	}
	switch c.Scope {
	case "", "single":
		c.Scope = "incident"
	}
	return c
}

func eqInt(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func (r *Report) scoreCasualties(g Gold, pred annotate.Draft, m map[int]int) {
	c := &r.Casualty
	for gi, s := range g.Draft.Spans {
		if s.Label != "CASUALTY" {
			continue
		}
		pi, ok := m[gi]
		if !ok {
			continue
		}
		c.Matched++
		ga, pa := readCasualty(s.Attrs), readCasualty(pred.Spans[pi].Attrs)
		c.Kind.count(ga.Kind == pa.Kind)
		c.Low.count(eqInt(ga.Low, pa.Low))
		c.High.count(eqInt(ga.High, pa.High))
		c.Numbers.count(eqInt(ga.Low, pa.Low) && eqInt(ga.High, pa.High))
		c.Qualifier.count(ga.Qualifier == pa.Qualifier)
		c.Scope.count(ga.Scope == pa.Scope)
		gc, gok := g.Draft.Claimants[gi]
		pc, pok := pred.Claimants[pi]
		c.Claimant.count(gok == pok && (!gok || overlaps(g.Draft.Spans[gc], pred.Spans[pc])))
	}
}

// scoreArgs counts, per role, the gold arguments found in the suggested event whose
// trigger matched the gold trigger (same label, overlapping).
func (r *Report) scoreArgs(g Gold, pred annotate.Draft, m map[int]int, roles map[string]*RoleRecall) {
	byTrigger := map[int][]annotate.DraftEvent{}
	for _, e := range pred.Events {
		byTrigger[e.Trigger] = append(byTrigger[e.Trigger], e)
	}
	for _, ge := range g.Draft.Events {
		var pevs []annotate.DraftEvent
		if pi, ok := m[ge.Trigger]; ok {
			for _, pe := range byTrigger[pi] {
				if pe.Type == ge.Type {
					pevs = append(pevs, pe)
				}
			}
		}
		for _, a := range ge.Args {
			rr := roles[a.Role]
			if rr == nil {
				rr = &RoleRecall{Role: a.Role}
				roles[a.Role] = rr
			}
			rr.Total++
			found := false
			for _, pe := range pevs {
				for _, pa := range pe.Args {
					if pa.Role == a.Role && overlaps(pred.Spans[pa.Span], g.Draft.Spans[a.Span]) {
						found = true
					}
				}
			}
			if found {
				rr.Found++
			}
		}
	}
}

// String prints the report as a text table.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "documents: %d\n\n", r.Documents)
	fmt.Fprintf(&b, "%-10s %5s %5s | %-17s | %-17s\n", "label", "gold", "sugg", "exact  P    R    F1", "overlap P   R    F1")
	row := func(l LabelScore) {
		fmt.Fprintf(&b, "%-10s %5d %5d | %.2f %.2f %.2f    | %.2f %.2f %.2f\n", l.Label, l.Gold, l.Pred,
			l.Exact.Precision, l.Exact.Recall, l.Exact.F1, l.Overlap.Precision, l.Overlap.Recall, l.Overlap.F1)
	}
	for _, l := range r.Labels {
		row(l)
	}
	b.WriteString(strings.Repeat("-", 62) + "\n")
	row(r.Triggers)
	row(r.All)
	c := r.Casualty
	fmt.Fprintf(&b, "\ncasualty normalisation on %d matched figures:\n", c.Matched)
	for _, x := range []struct {
		n string
		a Accuracy
	}{{"kind", c.Kind}, {"low", c.Low}, {"high", c.High}, {"numbers", c.Numbers}, {"qualifier", c.Qualifier}, {"claimant", c.Claimant}, {"scope", c.Scope}} {
		fmt.Fprintf(&b, "  %-10s %.2f (%d/%d)\n", x.n, x.a.Rate, x.a.Correct, x.a.Total)
	}
	if len(r.Args) > 0 {
		b.WriteString("\nevent argument recall:\n")
		for _, a := range r.Args {
			fmt.Fprintf(&b, "  %-10s %.2f (%d/%d)\n", a.Role, a.Recall, a.Found, a.Total)
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error: %s\n", e)
	}
	return b.String()
}
