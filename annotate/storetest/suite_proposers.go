package storetest

import (
	"context"
	"math"
	"reflect"
	"testing"

	"evident/annotate"
)

// proposerSummary is a span's proposers as origin -> score (-1 for none).
func proposerSummary(sp annotate.Span) map[string]float64 {
	out := map[string]float64{}
	for _, p := range sp.Proposals() {
		v := -1.0
		if p.Confidence != nil {
			v = *p.Confidence
		}
		out[p.Origin] = v
	}
	return out
}

func near(c *float64, want float64) bool { return c != nil && math.Abs(*c-want) < 1e-9 }

// testCoProposers: a span the rules and two models propose is stored once with every
// proposer and their combined evidence; undo takes back one model's put; a re-run of one
// model removes only its own proposals (the span stays under the others, the next
// proposer becoming its origin); a rejected span stays rejected; accepting keeps the
// proposers, and EachDocument (the export) reads them.
func testCoProposers(t *testing.T, be Backend) {
	ctx := context.Background()
	s := be.open(t)
	ps := predictionStore(t, s)
	doc := importOne(t, s, annotate.Document{ExternalID: "co", Text: sampleText}, annotate.Draft{})
	score := func(f float64) *float64 { return &f }
	rule := span(sampleText, "Gunmen", "ACTOR")
	rule.Origin, rule.Confidence = "rule:actor", score(0.6)
	if _, err := s.AddSuggestions(ctx, doc, annotate.Draft{Spans: []annotate.Span{rule}}, "rules"); err != nil {
		t.Fatal(err)
	}
	runA, err := ps.StartRun(ctx, annotate.Run{Source: "a", Version: "1", Annotator: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	runB, err := ps.StartRun(ctx, annotate.Run{Source: "b", Version: "1", Annotator: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	prop := func(sub, label string, c *float64, run int64) annotate.Span {
		sp := span(sampleText, sub, label)
		sp.Confidence, sp.RunID = c, run
		return sp
	}
	added, _, err := ps.PutModelSuggestions(ctx, doc, "model:a@1",
		[]annotate.Span{prop("Gunmen", "ACTOR", score(0.5), runA), prop("killing", "DEATH", score(0.7), runA)}, "ann")
	if err != nil || added != 1 {
		t.Fatalf("model a: added %d, %v; want 1 (Gunmen is the rules' span)", added, err)
	}
	g := spanByText(t, s, doc, "Gunmen")
	if g.Origin != "rule:actor" || !reflect.DeepEqual(proposerSummary(g), map[string]float64{"rule:actor": 0.6, "model:a@1": 0.5}) ||
		!near(g.Confidence, 0.8) {
		t.Fatalf("rules+model a: origin %q proposers %v confidence %v; want rule:actor first, both scores, combined 0.8",
			g.Origin, proposerSummary(g), g.Confidence)
	}
	before := snap(t, s, doc)
	if _, _, err := ps.PutModelSuggestions(ctx, doc, "model:b@2",
		[]annotate.Span{prop("Gunmen", "ACTOR", nil, runB), prop("killing", "DEATH", score(0.5), runB)}, "ann"); err != nil {
		t.Fatal(err)
	}
	if g := spanByText(t, s, doc, "Gunmen"); len(g.Proposers) != 3 || !near(g.Confidence, 0.8) {
		t.Fatalf("a third proposer without a score: %v confidence %v; want 3 proposers, still 0.8", proposerSummary(g), g.Confidence)
	}
	if k := spanByText(t, s, doc, "killing"); !near(k.Confidence, 0.85) || k.Origin != "model:a@1" {
		t.Fatalf("killing: origin %q confidence %v, want model:a@1 first and 1-(0.3*0.5)", k.Origin, k.Confidence)
	}
	// Undo takes back model b's proposals, leaving the rows as they were.
	if _, err := s.Undo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	if after := snap(t, s, doc); !reflect.DeepEqual(before, after) {
		t.Fatalf("undo of a co-proposal:\n got %+v\nwant %+v", after, before)
	}
	if _, err := s.Redo(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	// Model a runs again and proposes nothing: only its own proposals go.
	_, removed, err := ps.PutModelSuggestions(ctx, doc, "model:a@1", nil, "ann")
	if err != nil || removed != 0 {
		t.Fatalf("model a empty re-run: removed %d, %v; want 0 (every span has another proposer)", removed, err)
	}
	g = spanByText(t, s, doc, "Gunmen")
	if g.Origin != "rule:actor" || !reflect.DeepEqual(proposerSummary(g), map[string]float64{"rule:actor": 0.6, "model:b@2": -1}) ||
		!near(g.Confidence, 0.6) {
		t.Fatalf("Gunmen after model a left: origin %q %v confidence %v", g.Origin, proposerSummary(g), g.Confidence)
	}
	k := spanByText(t, s, doc, "killing")
	if k.Origin != "model:b@2" || k.RunID != runB || k.Proposers != nil || !near(k.Confidence, 0.5) {
		t.Fatalf("killing after model a left: %+v; want model b's alone, its run and score", k)
	}
	// Model b leaves too: killing (b's alone) goes, Gunmen stays the rules'.
	if _, removed, err = ps.PutModelSuggestions(ctx, doc, "model:b@2", nil, "ann"); err != nil || removed != 1 {
		t.Fatalf("model b empty re-run: removed %d, %v; want 1", removed, err)
	}
	if g := spanByText(t, s, doc, "Gunmen"); g.Proposers != nil || g.Origin != "rule:actor" || !near(g.Confidence, 0.6) {
		t.Fatalf("Gunmen back to the rules alone: %+v", g)
	}
	// Rejected stays rejected; accepted keeps its proposers.
	if _, _, err := ps.PutModelSuggestions(ctx, doc, "model:a@1",
		[]annotate.Span{prop("Gunmen", "ACTOR", score(0.9), runA), prop("market", "TARGET", score(0.9), runA)}, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, doc, "market").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, doc, "Gunmen").ID}, annotate.StatusAccepted, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ps.PutModelSuggestions(ctx, doc, "model:b@2",
		[]annotate.Span{prop("Gunmen", "ACTOR", score(0.1), runB), prop("market", "TARGET", score(0.1), runB)}, "ann"); err != nil {
		t.Fatal(err)
	}
	m := spanByText(t, s, doc, "market")
	if m.Status != annotate.StatusRejected || m.ProposedBy("model:b@2") {
		t.Fatalf("a rejected span proposed by another model: %+v", m)
	}
	var exported annotate.Span
	err = s.EachDocument(ctx, annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusAccepted}}},
		func(_ *annotate.Document, spans []annotate.Span, _ []annotate.Event) error {
			for _, sp := range spans {
				if sp.Text == "Gunmen" {
					exported = sp
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if exported.Status != annotate.StatusAccepted ||
		!reflect.DeepEqual(proposerSummary(exported), map[string]float64{"rule:actor": 0.6, "model:a@1": 0.9}) {
		t.Fatalf("accepted co-proposed span as exported: %+v (proposers %v)", exported, proposerSummary(exported))
	}

	// A draft span two suggesters found (the rules and the in-app tagger) keeps both,
	// stored by a suggestion run with the run's id.
	if sr, ok := s.(annotate.SuggestRunner); ok {
		docR := importOne(t, s, annotate.Document{ExternalID: "co-run", Text: sampleText}, annotate.Draft{})
		run, err := sr.BeginSuggestRun(ctx, annotate.Run{Source: "rules", Annotator: "ann"})
		if err != nil {
			t.Fatal(err)
		}
		both := span(sampleText, "Kato", "LOCATION")
		both.Origin, both.Confidence = "rule:place", score(0.7)
		both.Proposers = []annotate.Proposer{{Origin: "rule:place", Confidence: score(0.6)}, {Origin: "model:tagger@3", Confidence: score(0.4)}}
		if err := run.Add(ctx, docR, annotate.Draft{Spans: []annotate.Span{both}}); err != nil {
			t.Fatal(err)
		}
		if _, err := run.Finish(ctx, true); err != nil {
			t.Fatal(err)
		}
		k := spanByText(t, s, docR, "Kato")
		want := []annotate.Proposer{{Origin: "rule:place", Confidence: score(0.6), RunID: run.ID()}, {Origin: "model:tagger@3", Confidence: score(0.4), RunID: run.ID()}}
		if !reflect.DeepEqual(k.Proposers, want) || !near(k.Confidence, 0.7) || k.Origin != "rule:place" {
			t.Fatalf("a suggestion run's co-proposed span: %+v", k)
		}
	}

	// A rules run meets an outside model's suggestion: one span, both proposers; undoing
	// the run takes the rules' proposal back; a later rules run that no longer proposes
	// a span leaves it to the model, whichever proposed it first.
	if sr, ok := s.(annotate.SuggestRunner); ok {
		docM := importOne(t, s, annotate.Document{ExternalID: "co-model", Text: sampleText}, annotate.Draft{})
		runM, err := ps.StartRun(ctx, annotate.Run{Source: "m", Version: "1", Annotator: "ann"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ps.PutModelSuggestions(ctx, docM, "model:m@1", []annotate.Span{prop("Gunmen", "ACTOR", score(0.5), runM)}, "ann"); err != nil {
			t.Fatal(err)
		}
		rulesRun := func(spans ...annotate.Span) int64 {
			t.Helper()
			run, err := sr.BeginSuggestRun(ctx, annotate.Run{Source: "rules", Annotator: "ann", Replace: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := run.Add(ctx, docM, annotate.Draft{Spans: spans}); err != nil {
				t.Fatal(err)
			}
			if _, err := run.Finish(ctx, true); err != nil {
				t.Fatal(err)
			}
			return run.ID()
		}
		ruleSpan := func(sub, label string, c float64) annotate.Span {
			sp := span(sampleText, sub, label)
			sp.Origin, sp.Confidence = "rule:x", score(c)
			return sp
		}
		before := snap(t, s, docM)
		r1 := rulesRun(ruleSpan("Gunmen", "ACTOR", 0.6), ruleSpan("Kato", "LOCATION", 0.3))
		g := spanByText(t, s, docM, "Gunmen")
		if g.Origin != "model:m@1" || g.RunID != runM || !reflect.DeepEqual(proposerSummary(g), map[string]float64{"model:m@1": 0.5, "rule:x": 0.6}) ||
			!near(g.Confidence, 0.8) || g.Proposers[1].RunID != r1 {
			t.Fatalf("rules run over a model's span: %+v", g)
		}
		if _, err := s.Undo(ctx, "ann"); err != nil {
			t.Fatal(err)
		}
		if after := snap(t, s, docM); !reflect.DeepEqual(before, after) {
			t.Fatalf("undo of a rules run that co-proposed:\n got %+v\nwant %+v", after, before)
		}
		rulesRun(ruleSpan("Gunmen", "ACTOR", 0.6), ruleSpan("Kato", "LOCATION", 0.3))
		if _, _, err := ps.PutModelSuggestions(ctx, docM, "model:m@1",
			[]annotate.Span{prop("Gunmen", "ACTOR", score(0.5), runM), prop("Kato", "LOCATION", score(0.9), runM)}, "ann"); err != nil {
			t.Fatal(err)
		}
		rulesRun() // proposes nothing now
		g, k := spanByText(t, s, docM, "Gunmen"), spanByText(t, s, docM, "Kato")
		if g.Proposers != nil || g.Origin != "model:m@1" || !near(g.Confidence, 0.5) {
			t.Fatalf("Gunmen after the rules left: %+v", g)
		}
		if k.Proposers != nil || k.Origin != "model:m@1" || k.RunID != runM || !near(k.Confidence, 0.9) {
			t.Fatalf("Kato (the rules' first, then the model's) after the rules left: %+v", k)
		}
	}

	// Batches: a document with a bad span is left as it was, the others are stored.
	bs, ok := s.(annotate.ModelBatchStore)
	if !ok {
		return
	}
	doc2 := importOne(t, s, annotate.Document{ExternalID: "co2", Text: sampleText}, annotate.Draft{})
	doc3 := importOne(t, s, annotate.Document{ExternalID: "co3", Text: sampleText}, annotate.Draft{})
	before2 := snap(t, s, doc2)
	res, err := bs.PutModelBatch(ctx, "model:a@1", []annotate.ModelDoc{
		{DocID: doc2, Spans: []annotate.Span{prop("Kato", "LOCATION", nil, runA), {Start: 90, End: 500, Label: "ACTOR"}}},
		{DocID: doc3, Spans: []annotate.Span{prop("Kato", "LOCATION", score(0.4), runA)}},
	}, "ann")
	if err != nil || len(res) != 2 || annotate.ErrorCode(res[0].Err) != annotate.EInvalid || res[1].Err != nil || res[1].Added != 1 {
		t.Fatalf("batch: %+v, %v; want the first refused (EInvalid), the second added", res, err)
	}
	if after := snap(t, s, doc2); !reflect.DeepEqual(before2, after) {
		t.Fatalf("a refused document in a batch changed:\n got %+v\nwant %+v", after, before2)
	}
	if k := spanByText(t, s, doc3, "Kato"); !near(k.Confidence, 0.4) || k.Origin != "model:a@1" {
		t.Fatalf("batched suggestion: %+v", k)
	}
	if _, err := s.Undo(ctx, "ann"); err != nil { // each document of a batch is its own step
		t.Fatal(err)
	}
	if sp, _ := s.Spans(ctx, doc3, annotate.SpanFilter{}); len(sp) != 0 {
		t.Fatalf("undo of a batched document left %+v", sp)
	}
}
