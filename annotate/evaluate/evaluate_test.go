package evaluate_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/evaluate"
)

// fixed is a Suggester that returns a prepared draft per text.
type fixed map[string]annotate.Draft

func (f fixed) Suggest(_ context.Context, text, _ string, _ []annotate.PhraseStat) (annotate.Draft, error) {
	d, ok := f[text]
	if !ok {
		return annotate.Draft{}, errors.New("no draft")
	}
	return d, nil
}

const goldJSONL = `{"id":"g1","published":"2024-01-10","text":"Gunmen killed 12 civilians in Mali, officials said.","spans":[{"start":0,"end":6,"label":"ACTOR"},{"start":7,"end":13,"label":"DEATH"},{"start":14,"end":26,"label":"CASUALTY","attrs":{"kind":"killed","low":12,"high":12,"qualifier":"exact","scope":"single","claimant":4}},{"start":30,"end":34,"label":"LOCATION"},{"start":36,"end":45,"label":"SOURCE"}],"events":[{"type":"DEATH","trigger":1,"args":{"attacker":[0],"casualties":[2],"place":[3]}}]}
{"id":"g2","text":"A blast hit Kabul.","label":[[2,7,"ATTACK"],[12,17,"LOCATION"]]}
`

func span(start, end int, label string, attrs string) annotate.Span {
	s := annotate.Span{Start: start, End: end, Label: label}
	if attrs != "" {
		s.Attrs = json.RawMessage(attrs)
	}
	return s
}

func TestReadGold(t *testing.T) {
	golds, err := evaluate.ReadGold(strings.NewReader(goldJSONL))
	if err != nil {
		t.Fatal(err)
	}
	if len(golds) != 2 {
		t.Fatalf("got %d documents", len(golds))
	}
	g := golds[0]
	if g.ID != "g1" || g.Published != "2024-01-10" || len(g.Draft.Spans) != 5 || g.Draft.Spans[2].Text != "12 civilians" {
		t.Fatalf("first document read as %+v", g)
	}
	if g.Draft.Claimants[2] != 4 {
		t.Errorf("claimants %v, want 2 -> 4", g.Draft.Claimants)
	}
	if len(g.Draft.Events) != 1 || len(g.Draft.Events[0].Args) != 3 {
		t.Errorf("events %+v", g.Draft.Events)
	}
	if d := golds[1].Draft; len(d.Spans) != 2 || d.Spans[1].Text != "Kabul" {
		t.Errorf("doccano document read as %+v", d)
	}
}

func TestReadGoldErrors(t *testing.T) {
	for name, in := range map[string]string{
		"NotJSON":     "{",
		"PastText":    `{"id":"x","text":"abc","spans":[{"start":1,"end":9,"label":"ACTOR"}]}`,
		"BadTrigger":  `{"id":"x","text":"abc","spans":[],"events":[{"type":"ATTACK","trigger":3}]}`,
		"BadClaimant": `{"id":"x","text":"abc","spans":[{"start":0,"end":1,"label":"CASUALTY","attrs":{"claimant":7}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := evaluate.ReadGold(strings.NewReader(in))
			if err == nil {
				t.Fatal("no error")
			}
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Errorf("code %q for %v", annotate.ErrorCode(err), err)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEvaluateScores(t *testing.T) {
	golds, err := evaluate.ReadGold(strings.NewReader(goldJSONL))
	if err != nil {
		t.Fatal(err)
	}
	sug := fixed{
		golds[0].Text: {
			Spans: []annotate.Span{
				span(0, 6, "ACTOR", ""),  // exact
				span(7, 13, "DEATH", ""), // exact
				span(14, 16, "CASUALTY", `{"kind":"killed","low":12,"high":12,"qualifier":"approx","scope":"incident"}`), // overlap only
				span(30, 34, "LOCATION", ""),
				span(36, 45, "SOURCE", ""),
				span(20, 26, "VICTIM", ""), // spurious
			},
			Claimants: map[int]int{2: 4},
			Events:    []annotate.DraftEvent{{Type: "DEATH", Trigger: 1, Args: []annotate.DraftArg{{Role: "attacker", Span: 0}, {Role: "casualties", Span: 2}}}},
		},
		// g2: the suggester fails; the document counts as empty and is reported
	}
	r := evaluate.Evaluate(context.Background(), sug, golds)
	if r.Documents != 2 || len(r.Errors) != 1 {
		t.Fatalf("documents %d errors %q", r.Documents, r.Errors)
	}
	cas := r.Label("CASUALTY")
	if cas.Exact.TP != 0 || cas.Exact.FN != 1 || cas.Exact.FP != 1 || cas.Overlap.TP != 1 || !near(cas.Overlap.F1, 1) {
		t.Errorf("CASUALTY %+v", cas)
	}
	loc := r.Label("LOCATION")
	if loc.Overlap.TP != 1 || loc.Overlap.FN != 1 || !near(loc.Overlap.Recall, 0.5) || !near(loc.Overlap.Precision, 1) {
		t.Errorf("LOCATION %+v", loc)
	}
	if v := r.Label("VICTIM"); v.Overlap.FP != 1 || v.Overlap.Precision != 0 {
		t.Errorf("VICTIM %+v", v)
	}
	// triggers: DEATH found, ATTACK of g2 missed
	if tr := r.Triggers; tr.Overlap.TP != 1 || tr.Overlap.FN != 1 || !near(tr.Overlap.F1, 2.0/3) {
		t.Errorf("triggers %+v", tr)
	}
	c := r.Casualty
	if c.Matched != 1 || c.Kind.Correct != 1 || c.Low.Correct != 1 || c.High.Correct != 1 || c.Qualifier.Correct != 0 || c.Claimant.Correct != 1 || c.Scope.Correct != 1 {
		t.Errorf("casualty %+v", c)
	}
	if a := r.Role("attacker"); a.Found != 1 || a.Total != 1 {
		t.Errorf("attacker %+v", a)
	}
	if p := r.Role("place"); p.Found != 0 || p.Total != 1 {
		t.Errorf("place %+v", p)
	}
	out := r.String()
	for _, want := range []string{"CASUALTY", "TRIGGERS", "qualifier", "attacker", "error: g2"} {
		if !strings.Contains(out, want) {
			t.Errorf("report text lacks %q:\n%s", want, out)
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil || back["documents"].(float64) != 2 {
		t.Errorf("JSON %s: %v", b, err)
	}
}

func TestEvaluateStopsOnCancel(t *testing.T) {
	golds, _ := evaluate.ReadGold(strings.NewReader(goldJSONL))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := evaluate.Evaluate(ctx, fixed{}, golds)
	if r.Documents != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "stopped") {
		t.Errorf("cancelled run: %+v", r)
	}
}
