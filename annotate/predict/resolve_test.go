package predict_test

import (
	"errors"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/predict"
)

func doc(text string) *annotate.Document {
	return &annotate.Document{ID: 1, ExternalID: "d", Text: text, SHA256: annotate.TextHash(text)}
}

func f(v float64) *float64 { return &v }

func TestResolveCodePointsAndUnits(t *testing.T) {
	d := doc("😀 Ali in 東京.") // emoji (2 UTF-16 units, 4 bytes), CJK (3 bytes each)
	cases := []struct {
		units      string
		start, end int
	}{
		{predict.UnitsCodePoints, 9, 11},
		{predict.UnitsUTF16, 10, 12},
		{predict.UnitsBytes, 12, 18},
	}
	for _, c := range cases {
		p := &predict.Prediction{DocID: "d", Spans: []predict.Span{{Start: c.start, End: c.end, Label: "GPE", Text: "東京", HasText: true}}}
		res, err := predict.Resolve(p, d, nil, predict.Options{Units: c.units})
		if err != nil {
			t.Fatalf("%s: %v", c.units, err)
		}
		if s := res.Spans[0]; s.Start != 9 || s.End != 11 {
			t.Errorf("%s: got [%d, %d), want [9, 11)", c.units, s.Start, s.End)
		}
	}
	// Half a surrogate pair or the middle of a UTF-8 sequence is refused.
	p := &predict.Prediction{DocID: "d", Spans: []predict.Span{{Start: 1, End: 3, Label: "X"}}}
	if _, err := predict.Resolve(p, d, nil, predict.Options{Units: predict.UnitsUTF16}); err == nil || !strings.Contains(err.Error(), "inside a character") {
		t.Errorf("inside a surrogate pair: %v", err)
	}
}

func TestResolveBadSpans(t *testing.T) {
	d := doc("Alice met Bob.")
	cases := []struct {
		name  string
		spans []predict.Span
		want  string
	}{
		{"PastEnd", []predict.Span{{Start: 10, End: 40, Label: "PER"}}, "ends past the text"},
		{"Reversed", []predict.Span{{Start: 9, End: 5, Label: "PER"}}, "empty or reversed"},
		{"Negative", []predict.Span{{Start: -1, End: 5, Label: "PER"}}, "negative"},
		{"TextMismatch", []predict.Span{{Start: 0, End: 5, Label: "PER", Text: "Bob", HasText: true}}, `quotes "Bob" but the text there is "Alice"`},
		{"Duplicate", []predict.Span{{Start: 0, End: 5, Label: "PER"}, {Start: 0, End: 5, Label: "PER"}}, "spans[1] [0, 5) PER repeats spans[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &predict.Prediction{File: "p.jsonl", Line: 3, DocID: "d", Spans: c.spans}
			_, err := predict.Resolve(p, d, nil, predict.Options{})
			var prob *predict.Problem
			if !errors.As(err, &prob) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), `p.jsonl:3: document "d": `) {
				t.Fatalf("got %v, want a problem at p.jsonl:3 saying %q", err, c.want)
			}
		})
	}
	p := &predict.Prediction{DocID: "d", SHA256: annotate.TextHash("other text")}
	if _, err := predict.Resolve(p, d, nil, predict.Options{}); err == nil || !strings.Contains(err.Error(), "not the stored text") {
		t.Errorf("hash mismatch: %v", err)
	}
	p = &predict.Prediction{DocID: "d", Err: "timeout"}
	if _, err := predict.Resolve(p, d, nil, predict.Options{}); err == nil || !strings.Contains(err.Error(), `model reported an error: "timeout"`) {
		t.Errorf("model error: %v", err)
	}
}

func TestResolveMappingAndMinScore(t *testing.T) {
	d := doc("Alice met Bob in Rome.")
	m, err := predict.ParseMapping("PER=ACTOR, GPE=LOCATION")
	if err != nil {
		t.Fatal(err)
	}
	p := &predict.Prediction{DocID: "d", Spans: []predict.Span{
		{Start: 0, End: 5, Label: "PER", Score: f(0.9)},
		{Start: 10, End: 13, Label: "PER", Score: f(0.2)},
		{Start: 17, End: 21, Label: "GPE"},
		{Start: 0, End: 5, Label: "MISC"},
		{Start: 10, End: 13, Label: "MISC"},
		{Start: 17, End: 21, Label: "DATE"},
	}}
	opt := predict.Options{Map: m, Known: map[string]bool{"ACTOR": true, "LOCATION": true}, MinScore: f(0.5)}
	res, err := predict.Resolve(p, d, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Spans) != 2 || res.Spans[0].Label != "ACTOR" || res.Spans[1].Label != "LOCATION" || res.Spans[1].Score != nil {
		t.Errorf("kept: %+v (an unscored span passes the minimum)", res.Spans)
	}
	if res.Unmapped["MISC"] != 2 || res.Unmapped["DATE"] != 1 || len(res.Unmapped) != 2 || res.Low != 1 {
		t.Errorf("unmapped %v low %d", res.Unmapped, res.Low)
	}
	if got := m.String(); got != "GPE=LOCATION,PER=ACTOR" {
		t.Errorf("mapping round trip: %q", got)
	}
	for _, bad := range []string{"PER", "=ACTOR", "PER=A,PER=B"} {
		if _, err := predict.ParseMapping(bad); annotate.ErrorCode(err) != annotate.EInvalid {
			t.Errorf("ParseMapping(%q): %v", bad, err)
		}
	}
}
