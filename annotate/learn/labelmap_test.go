package learn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"evident/annotate"
)

// victimCorpus is n done documents whose annotator marks a counted victim ("12
// villagers") VICTIM and never uses CASUALTY, as some corpora do; the rules mark the same
// words CASUALTY.
func victimCorpus(seed uint64, n int) []Example {
	r := rand.New(rand.NewPCG(seed, 3))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	who := []string{"villagers", "farmers", "traders", "herders", "pupils"}
	var exs []Example
	for i := 0; i < n; i++ {
		var ss [][]piece
		for k := 0; k < 3; k++ {
			ss = append(ss, []piece{{"Shelling", "ATTACK"}, {" of the market in " + pick(townsA) + " ", ""}, {"killed", "DEATH"}, {" ", ""},
				{fmt.Sprintf("%d %s", 2+r.IntN(40), pick(who)), "VICTIM"}, {".", ""}})
			ss = append(ss, []piece{{pick(fillerA), ""}})
		}
		exs = append(exs, buildDoc(fmt.Sprintf("v%d", i), ss, true))
	}
	return exs
}

// TestLabelMapLearnsTheAnnotatorsLabel: the rules' CASUALTY spans, which this annotator
// marks VICTIM, become VICTIM candidates of the rule's origin, kept through a stored
// model; without the map they stay CASUALTY and the rules' figures are never VICTIM.
func TestLabelMapLearnsTheAnnotatorsLabel(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	exs := victimCorpus(1, 12)
	text := "Shelling of the depot in Ostrava killed 9 villagers."
	ruleVictims := func(m *Model) []string {
		d, err := Combined{Rules: r, Model: m}.Suggest(ctx, text, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sp := range d.Spans {
			if sp.Label == "VICTIM" && sp.Origin == "rule:casualty.exact" {
				out = append(out, string([]rune(text)[sp.Start:sp.End]))
			}
		}
		return out
	}
	m, err := Train(ctx, r, exs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"CASUALTY": "VICTIM"}; !reflect.DeepEqual(m.labelMap, want) {
		t.Fatalf("label map %v, want %v", m.labelMap, want)
	}
	m2 := storedCopy(t, m)
	if got := ruleVictims(m2); !reflect.DeepEqual(got, []string{"9 villagers"}) {
		t.Fatalf("the rules' VICTIM spans with the map (stored model): %q, want [9 villagers]", got)
	}
	off, err := Train(ctx, r, exs, Options{NoLabelMap: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ruleVictims(off); len(got) != 0 {
		t.Fatalf("the rules' VICTIM spans without the map: %q, want none", got)
	}
}

// TestLearnLabelMap: only a label the annotator never uses is mapped, to the label that
// overlaps enough of its spans in the annotator's done documents; base documents and
// rare labels teach no map.
func TestLearnLabelMap(t *testing.T) {
	span := func(s, e int, l string) annotate.Span { return annotate.Span{Start: s, End: e, Label: l} }
	// 10 rule spans of A, B and C; the annotator accepts X over 3 of A's (30%), 2 of B's
	// (20%), and uses C itself
	var rulesD annotate.Draft
	var acc []annotate.Span
	for i := 0; i < 10; i++ {
		a, b, c := i*30, i*30+10, i*30+20
		rulesD.Spans = append(rulesD.Spans, span(a, a+5, "A"), span(b, b+5, "B"), span(c, c+5, "C"))
		if i < 3 {
			acc = append(acc, span(a+1, a+3, "X"))
		}
		if i < 2 {
			acc = append(acc, span(b, b+5, "X"))
		}
		if i == 0 {
			acc = append(acc, span(c, c+5, "C"))
		}
	}
	own := Example{Complete: true, Accepted: annotate.Draft{Spans: acc}}
	got := learnLabelMap([]Example{own}, []annotate.Draft{rulesD})
	if want := map[string]string{"A": "X"}; !reflect.DeepEqual(got, want) {
		t.Errorf("map %v, want %v", got, want)
	}
	// the same as a base document: no map
	base := own
	base.Base = true
	if got := learnLabelMap([]Example{base}, []annotate.Draft{rulesD}); len(got) != 0 {
		t.Errorf("map %v from a base document, want none", got)
	}
	// fewer than minMapSpans spans of A: no map
	few := annotate.Draft{Spans: rulesD.Spans[:3*(minMapSpans-1)]}
	if got := learnLabelMap([]Example{own}, []annotate.Draft{few}); len(got) != 0 {
		t.Errorf("map %v from %d spans, want none", got, minMapSpans-1)
	}
	// relabel changes only mapped labels
	d := annotate.Draft{Spans: []annotate.Span{span(0, 1, "A"), span(2, 3, "C")}}
	relabel(d, map[string]string{"A": "X"})
	if d.Spans[0].Label != "X" || d.Spans[1].Label != "C" {
		t.Errorf("relabelled %v", d.Spans)
	}
}

// storedCopy is m after a round trip through its stored form.
func storedCopy(t *testing.T, m *Model) *Model {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return m2
}
