package learn

import (
	"context"
	"fmt"
	"math"
	"testing"
	"unicode/utf8"

	"evident/annotate"
)

// TestArgTaggerFindsArgumentsByTheirTrigger: the argument tagger finds a place it never
// saw from where it stands to an attack word, and does not make the same kind of word an
// argument in a sentence with no event.
func TestArgTaggerFindsArgumentsByTheirTrigger(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	m, err := Train(ctx, r, corpus(1, 30), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.at == nil {
		t.Fatal("no argument tagger trained")
	}
	find := func(text string) map[string]string {
		d, err := r.Suggest(ctx, text, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		p := prepare(text, d)
		got := map[string]string{}
		for _, f := range m.at.find(p, d.Spans) {
			got[string([]rune(text)[f.start:f.end])] = f.label
			if f.conf <= 0 || f.conf >= 1 {
				t.Errorf("confidence %v of %s outside (0, 1)", f.conf, f.label)
			}
		}
		return got
	}
	// Wendrel and Quorvath appear in no training document
	got := find("The Quorvath brigade shelled the fuel depot near Wendrel.")
	if got["Wendrel"] != "LOCATION" {
		t.Fatalf("argument spans %v: want Wendrel as LOCATION", got)
	}
	if got := find("Visitors from Wendrel admired the quiet harbour."); len(got) != 0 {
		t.Fatalf("arguments %v found in a sentence without an event", got)
	}
}

// TestArgCalibrationFromHeldOut: thresholds and confidences come from documents the
// inner models did not see. A label put on random words teaches nothing that holds on
// other documents, so its spans get about the share of them that is right (low), while
// the label that follows its trigger gets a high confidence.
func TestArgCalibrationFromHeldOut(t *testing.T) {
	// three inner folds below manyDocs done documents, one held-out third from it on
	for _, n := range []int{16, manyDocs + 4} {
		t.Run(fmt.Sprint(n), func(t *testing.T) { argCalibration(t, n) })
	}
}

func argCalibration(t *testing.T, n int) {
	exs := corpus(8, n+8)
	for d := range exs {
		ex := &exs[d]
		k := 0
		for _, w := range words(ex.Text) {
			if overlapsAnyLabel(w, ex.Accepted.Spans) {
				continue
			}
			if k++; (k+d)%11 == 0 { // every 11th free word, wherever it is, is a WEAPON
				w.Label, w.Status = "WEAPON", annotate.StatusAccepted
				ex.Accepted.Spans = append(ex.Accepted.Spans, w)
			}
		}
	}
	r := rules(t)
	preps := make([]*prepared, len(exs))
	for i := range exs {
		d, err := r.Suggest(context.Background(), exs[i].Text, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		preps[i] = prepare(exs[i].Text, d)
	}
	at := trainArgTagger(exs[:n], preps[:n], 1)
	var loc, weapon []float64
	for i := n; i < len(exs); i++ {
		for _, f := range at.find(preps[i], preps[i].rules.Spans) {
			switch f.label {
			case "LOCATION":
				loc = append(loc, f.conf)
			case "WEAPON":
				weapon = append(weapon, f.conf)
			}
		}
	}
	if len(loc) == 0 || mean(loc) < 0.5 {
		t.Fatalf("LOCATION on held-out documents: confidences %v, want high", loc)
	}
	if len(weapon) > 0 && mean(weapon) >= DefaultMinConfidence {
		t.Fatalf("random WEAPON spans get confidence %.2f (%d spans): at or above the default threshold %.2f", mean(weapon), len(weapon), DefaultMinConfidence)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// words are the spans of the space-separated words of text, without trailing punctuation.
func words(text string) []annotate.Span {
	var out []annotate.Span
	start := -1
	rs := []rune(text)
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) && rs[i] != ' ' && rs[i] != '.' && rs[i] != ',' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, annotate.Span{Start: start, End: i, Text: string(rs[start:i])})
			start = -1
		}
	}
	return out
}

func overlapsAnyLabel(w annotate.Span, list []annotate.Span) bool {
	for _, o := range list {
		if o.Start < w.End && w.Start < o.End {
			return true
		}
	}
	return false
}

// TestFitCalibration: Platt scaling recovers the share of right spans at each score
// from held-out spans drawn with a known rate, and never makes a higher score less sure.
func TestFitCalibration(t *testing.T) {
	var pts []calPoint
	// at score s, s of every 10 spans are right (s = 1..9)
	for s := 1; s <= 9; s++ {
		for k := 0; k < 10; k++ {
			pts = append(pts, calPoint{float64(s) * 3, k < s})
		}
	}
	a, b := fitCalibration(pts)
	at := &argTagger{a: []float64{a}, b: []float64{b}}
	for _, s := range []int{2, 5, 8} {
		got, want := at.prob(0, float64(s)*3), float64(s)/10
		if math.Abs(got-want) > 0.08 {
			t.Errorf("score %d: confidence %.3f, want about %.2f", s*3, got, want)
		}
	}
	// right and wrong spread alike over the scores: the score says nothing, the rate is flat
	pts = pts[:0]
	for s := 1; s <= 9; s++ {
		pts = append(pts, calPoint{float64(s), s%3 == 0}, calPoint{float64(s), false})
	}
	a, b = fitCalibration(pts)
	if a < 0 || math.Abs(1/(1+math.Exp(-(a*5+b)))-3.0/18) > 0.08 {
		t.Errorf("uninformative scores: a %.3f b %.3f", a, b)
	}
	if a, b := fitCalibration(nil); a != 0 || b >= 0 {
		t.Errorf("no spans: a %v b %v, want a cautious constant", a, b)
	}
}

// FuzzCombinedSuggest: any text gets suggestions from rules and a model with its argument
// tagger whose offsets are code points inside the text, whose Text is the text they
// cover, and whose events point at triggers and arguments among them.
func FuzzCombinedSuggest(f *testing.F) {
	r := rules(f)
	m, err := Train(context.Background(), r, corpus(9, 12), Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"The Vornak militia shelled the fuel depot near Qesh, killing two guards.",
		"In Belkora, fighters 🔥 attacked a rail yard. 三人死亡. قتل ثلاثة في Zelmot.",
		"Gunmen attacked\n\nthe market in Mirtaval; 12 people were killed and 3 wounded.",
		"", ".", "Attack", "a\u0301 b\u0301 killed",
	} {
		f.Add(s)
	}
	c := Combined{Rules: r, Model: m}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		d, err := c.Suggest(context.Background(), text, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		rs := []rune(text)
		for _, sp := range d.Spans {
			if sp.Start < 0 || sp.End > len(rs) || sp.Start >= sp.End {
				t.Fatalf("span [%d,%d) %s outside a text of %d code points", sp.Start, sp.End, sp.Label, len(rs))
			}
			if sp.Origin == m.Origin() && sp.Text != string(rs[sp.Start:sp.End]) {
				t.Fatalf("span [%d,%d) has text %q, the text there is %q", sp.Start, sp.End, sp.Text, string(rs[sp.Start:sp.End]))
			}
		}
		for _, ev := range d.Events {
			if ev.Trigger < 0 || ev.Trigger >= len(d.Spans) {
				t.Fatalf("event trigger %d of %d spans", ev.Trigger, len(d.Spans))
			}
			for _, a := range ev.Args {
				if a.Span < 0 || a.Span >= len(d.Spans) {
					t.Fatalf("argument %d of %d spans", a.Span, len(d.Spans))
				}
			}
		}
	})
}

// TestModelWithoutArgTagger: a model stored before the argument tagger (none in the file)
// still decodes and suggests, with the tagger's and the rules' arguments.
func TestModelWithoutArgTagger(t *testing.T) {
	r := rules(t)
	m, err := Train(context.Background(), r, corpus(10, 10), Options{NoArgTagger: true})
	if err != nil {
		t.Fatal(err)
	}
	m2 := storedCopy(t, m)
	if m2.at != nil {
		t.Fatal("an argument tagger appeared from a file without one")
	}
	d, err := Combined{Rules: r, Model: m2}.Suggest(context.Background(), "The Selt brigade shelled the grain silo near Harwick.", "", nil)
	if err != nil || len(d.Spans) == 0 {
		t.Fatalf("suggestions %+v, %v", d.Spans, err)
	}
}
