package annotate

import (
	"math"
	"reflect"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestCombinedConfidence(t *testing.T) {
	for _, c := range []struct {
		ps   []Proposer
		want *float64
	}{
		{nil, nil},
		{[]Proposer{{Origin: "a"}}, nil},
		{[]Proposer{{Origin: "a", Confidence: f(0.6)}}, f(0.6)},
		{[]Proposer{{Origin: "a", Confidence: f(0.6)}, {Origin: "b", Confidence: f(0.5)}}, f(0.8)},
		{[]Proposer{{Origin: "a", Confidence: f(0.6)}, {Origin: "b"}}, f(0.6)},
		{[]Proposer{{Origin: "a", Confidence: f(math.NaN())}, {Origin: "b", Confidence: f(1.5)}}, f(1)},
	} {
		got := CombinedConfidence(c.ps)
		if (got == nil) != (c.want == nil) || got != nil && math.Abs(*got-*c.want) > 1e-12 {
			t.Errorf("CombinedConfidence(%v) = %v, want %v", c.ps, got, c.want)
		}
	}
}

func TestProposersEncoding(t *testing.T) {
	ps := []Proposer{{Origin: `rule:"x"`, Confidence: f(0.25), RunID: 3}, {Origin: "model:ner@1 ✓", RunID: 0}, {Origin: "c", Confidence: f(math.NaN()), RunID: 9}}
	enc := EncodeProposers(ps)
	if enc != `[["rule:\"x\"",0.25,3],["model:ner@1 ✓",null,0],["c",null,9]]` {
		t.Fatalf("encoded %s", enc)
	}
	got, err := DecodeProposers(enc)
	want := append([]Proposer(nil), ps...)
	want[2].Confidence = nil // NaN is no score
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded %+v, %v; want %+v", got, err, want)
	}
	if EncodeProposers(ps[:1]) != "" {
		t.Error("one proposer is the span's own columns: nothing to store")
	}
	for _, bad := range []string{`[`, `[["a",1]]`, `[[1,null,0],["b",null,0]]`, `[["a","x",0],["b",null,0]]`} {
		if _, err := DecodeProposers(bad); err == nil {
			t.Errorf("DecodeProposers(%s) accepted", bad)
		}
	}
}

func TestPlanProposals(t *testing.T) {
	sp := func(id int64, start int, st Status, origin string, c *float64, run int64) Suggested {
		return Suggested{Span: Span{ID: id, Start: start, End: start + 1, Label: "X", Status: st, Origin: origin, Confidence: c, RunID: run}}
	}
	stored := []Suggested{
		sp(1, 0, StatusSuggested, "rule:a", f(0.5), 1),    // the model proposes it too
		sp(2, 2, StatusRejected, "rule:a", nil, 1),        // stays rejected
		sp(3, 4, StatusSuggested, "model:m@1", f(0.9), 7), // the model's own, not proposed again
		sp(4, 6, StatusSuggested, "model:m@1", nil, 7),    // the same, but an event uses it
		sp(5, 8, StatusAccepted, "model:m@1", nil, 7),     // decided: never touched
	}
	stored[3].Locked = true
	// 6: proposed by rule:a first, then the model; the model no longer proposes it
	stored = append(stored, Suggested{Span: Span{ID: 6, Start: 10, End: 11, Label: "X", Status: StatusSuggested,
		Origin: "rule:a", Proposers: []Proposer{{"rule:a", f(0.4), 1}, {"model:m@1", f(0.5), 7}}}})
	// 7: the model first, then the rules: the rules become its origin
	stored = append(stored, Suggested{Span: Span{ID: 7, Start: 12, End: 13, Label: "X", Status: StatusSuggested,
		Origin: "model:m@1", RunID: 7, Proposers: []Proposer{{"model:m@1", f(0.5), 7}, {"rule:a", f(0.2), 1}}}})
	proposed := []Span{
		{Start: 0, End: 1, Label: "X", Confidence: f(0.5), RunID: 8},
		{Start: 2, End: 3, Label: "X", RunID: 8},
		{Start: 8, End: 9, Label: "X", RunID: 8},
		{Start: 20, End: 21, Label: "X", RunID: 8},
		{Start: 20, End: 21, Label: "X", RunID: 8, Confidence: f(0.1)}, // twice: the first counts
	}
	plan := PlanProposals(stored, "model:m@1", proposed)
	if len(plan.Insert) != 1 || plan.Insert[0].Start != 20 || plan.Insert[0].Origin != "model:m@1" || plan.Insert[0].Confidence != nil {
		t.Errorf("insert %+v", plan.Insert)
	}
	if !reflect.DeepEqual(plan.Remove, []int64{3}) {
		t.Errorf("remove %v, want [3]", plan.Remove)
	}
	byID := map[int64]Span{}
	for _, u := range plan.Update {
		byID[u.ID] = u
	}
	if len(byID) != 3 {
		t.Fatalf("updates %+v, want spans 1, 6, 7", plan.Update)
	}
	if u := byID[1]; u.Origin != "rule:a" || len(u.Proposers) != 2 || math.Abs(*u.Confidence-0.75) > 1e-12 {
		t.Errorf("span 1 %+v", u)
	}
	if u := byID[6]; u.Origin != "rule:a" || u.Proposers != nil || *u.Confidence != 0.4 || u.RunID != 1 {
		t.Errorf("span 6 %+v", u)
	}
	if u := byID[7]; u.Origin != "rule:a" || u.Proposers != nil || *u.Confidence != 0.2 || u.RunID != 1 {
		t.Errorf("span 7 %+v", u)
	}
	// Proposing again with the same score and run changes nothing.
	again := PlanProposals([]Suggested{{Span: byID[1]}}, "model:m@1", proposed[:1])
	if len(again.Update)+len(again.Insert)+len(again.Remove) != 0 {
		t.Errorf("an unchanged re-run planned %+v", again)
	}
}

// FuzzProposers: any stored proposers value either is refused or reads back to proposers
// that encode and read again to the same thing; a combined confidence is in [0, 1].
func FuzzProposers(f *testing.F) {
	for _, s := range []string{``, `[["rule:a",0.5,1],["model:m@1",null,2]]`, `[["a",1,0]]`, `[["é✓",1e-300,-1],["b",2,9]]`, `[[`, `[["a",null,0],["a",null,0],["b",0.1,3]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := DecodeProposers(s)
		if err != nil {
			return
		}
		again, err := DecodeProposers(EncodeProposers(ps))
		if err != nil || !reflect.DeepEqual(again, ps) {
			t.Fatalf("%q read as %+v, re-encoded and read as %+v (%v)", s, ps, again, err)
		}
		if c := CombinedConfidence(ps); c != nil && (*c < 0 || *c > 1 || math.IsNaN(*c)) {
			t.Fatalf("combined confidence %v of %+v", *c, ps)
		}
	})
}
