package learn

import (
	"context"
	"testing"

	"evident/annotate"
)

// TestBaseCorpusTeachesFewDocuments: with one annotated document the model misses a
// label that a base corpus teaches; the base corpus's labels the annotator does not use
// are never suggested, and the base examples are not changed.
func TestBaseCorpusTeachesFewDocuments(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	// the annotator's one document: a facility and an attack, not in the base's sentences,
	// and no places marked
	own := []Example{buildDoc("own", [][]piece{
		{{"Inspectors toured the ", ""}, {"grain silo", "FACILITY"}, {" on Tuesday.", ""}},
		{{"Gunmen", "ACTOR"}, {" ", ""}, {"raided", "ATTACK"}, {" a village overnight.", ""}},
		{{"Markets opened late on Monday.", ""}},
	}, true)}
	base := corpus(1, 30)
	depot := "radio mast"
	test := buildDoc("t", [][]piece{{{"In ", ""}, {"Harwick", "LOCATION"}, {", ", ""}, {"fighters", "ACTOR"}, {" ", ""}, {"attacked", "ATTACK"}, {" a ", ""}, {depot, "FACILITY"}, {".", ""}}}, true)
	facility := func(opt Options) (found bool, labels map[string]bool) {
		m, err := Train(ctx, r, own, opt)
		if err != nil {
			t.Fatal(err)
		}
		if m.Docs != len(own) {
			t.Errorf("model counts %d documents, want the annotator's %d", m.Docs, len(own))
		}
		d, err := Combined{Rules: r, Model: m, MinConfidence: 0.3}.Suggest(ctx, test.Text, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		labels = map[string]bool{}
		for _, sp := range d.Spans {
			if sp.Origin == m.Origin() {
				labels[sp.Label] = true
			}
			if sp.Label == "FACILITY" && sp.Text == depot {
				found = true
			}
		}
		return found, labels
	}
	if found, _ := facility(Options{}); found {
		t.Errorf("one document alone already finds %q: the test shows nothing", depot)
	}
	found, labels := facility(Options{Base: base, BaseWeight: 0.5})
	if !found {
		t.Errorf("with the base corpus no FACILITY on %q", test.Text)
	}
	if labels["LOCATION"] {
		t.Errorf("model suggested LOCATION, a label the annotator does not use")
	}
	for _, b := range base {
		if b.Base || b.Weight != 0 {
			t.Fatalf("base example changed: Base %v Weight %v", b.Base, b.Weight)
		}
	}
}

func TestWithBase(t *testing.T) {
	own := []Example{{Accepted: annotate.Draft{Spans: []annotate.Span{{Label: "ATTACK"}, {Label: "VICTIM"}}}}}
	base := []Example{{Accepted: annotate.Draft{
		Spans:  []annotate.Span{{Label: "ATTACK"}, {Label: "CASUALTY"}, {Label: "TIME"}},
		Events: []annotate.DraftEvent{{Type: "ATTACK", Trigger: 0, Args: []annotate.DraftArg{{Role: "victim", Span: 1}, {Role: "time", Span: 2}}}},
	}, Rejected: []annotate.Span{{Label: "ATTACK"}}}}
	out := withBase(own, base, 0)
	if len(out) != 2 || out[0].Base || !out[1].Base || out[1].Weight != DefaultBaseWeight {
		t.Fatalf("withBase = %+v", out)
	}
	b := out[1].Accepted
	if len(b.Spans) != 2 || b.Spans[0].Label != "ATTACK" || b.Spans[1].Label != "VICTIM" {
		t.Fatalf("base spans = %+v, want ATTACK and the casualty as VICTIM, no TIME", b.Spans)
	}
	if len(b.Events) != 1 || len(b.Events[0].Args) != 1 || b.Events[0].Args[0].Span != 1 {
		t.Fatalf("base events = %+v", b.Events)
	}
	if out[1].Rejected != nil {
		t.Errorf("rejected spans of the base kept: %+v", out[1].Rejected)
	}
	if base[0].Accepted.Spans[1].Label != "CASUALTY" || len(base[0].Accepted.Spans) != 3 {
		t.Errorf("withBase changed its input: %+v", base[0].Accepted.Spans)
	}
	if got := withBase(own, nil, 0); len(got) != 1 {
		t.Errorf("no base: %d examples", len(got))
	}
}
