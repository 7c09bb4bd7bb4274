package predict_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"evident/annotate/predict"
)

// readAll reads every record, collecting predictions and problems apart.
func readAll(t *testing.T, r *predict.Reader) ([]predict.Prediction, []*predict.Problem) {
	t.Helper()
	var preds []predict.Prediction
	var probs []*predict.Problem
	for {
		ps, err := r.Next()
		if err == io.EOF {
			return preds, probs
		}
		var p *predict.Problem
		if errors.As(err, &p) {
			probs = append(probs, p)
			continue
		}
		if err != nil {
			t.Fatalf("fatal: %v", err)
		}
		preds = append(preds, ps...)
	}
}

func TestReadFlatJSONL(t *testing.T) {
	in := `{"id":"d1","model":"ner","model_version":"3","spans":[{"start":0,"end":5,"label":"PER","score":0.9,"text":"Alice"},{"start":6,"end":9,"label":"GPE","attrs":{"k":1}}]}

{"id":7,"model":"ner","model_version":3,"spans":[]}
`
	preds, probs := readAll(t, predict.NewReader(strings.NewReader(in), "p.jsonl", "fallback"))
	if len(probs) != 0 || len(preds) != 2 {
		t.Fatalf("preds %d probs %v", len(preds), probs)
	}
	p := preds[0]
	if p.DocID != "d1" || p.Model != "ner" || p.Version != "3" || p.Line != 1 || len(p.Spans) != 2 {
		t.Fatalf("first: %+v", p)
	}
	if s := p.Spans[0]; s.Score == nil || *s.Score != 0.9 || !s.HasText || s.Text != "Alice" {
		t.Errorf("span 0: %+v", s)
	}
	if s := p.Spans[1]; s.Score != nil || s.HasText || string(s.Attrs) != `{"k":1}` {
		t.Errorf("span 1: missing score must stay nil, got %+v", s)
	}
	if preds[1].DocID != "7" || preds[1].Version != "3" || preds[1].Line != 3 {
		t.Errorf("numeric id and version, line after a blank line: %+v", preds[1])
	}
}

func TestReadNaNScoreIsNone(t *testing.T) {
	// Python's json.dumps writes NaN and Infinity bare; neither may become a score.
	in := `{"id":"d","model":"m","score":NaN,"spans":[{"start":0,"end":1,"label":"X","score":NaN},{"start":1,"end":2,"label":"X","score":"NaN"},{"start":2,"end":3,"label":"X","score":-Infinity},{"start":3,"end":4,"label":"NaN","score":null}]}`
	preds, probs := readAll(t, predict.NewReader(strings.NewReader(in), "p.jsonl", ""))
	if len(probs) != 0 || len(preds) != 1 {
		t.Fatalf("preds %v probs %v", preds, probs)
	}
	if preds[0].Score != nil {
		t.Errorf("document score NaN read as %v", *preds[0].Score)
	}
	for i, s := range preds[0].Spans {
		if s.Score != nil {
			t.Errorf("span %d score read as %v, want none", i, *s.Score)
		}
	}
	if preds[0].Spans[3].Label != "NaN" {
		t.Errorf("NaN inside a string was rewritten: %q", preds[0].Spans[3].Label)
	}
}

func TestReadLabelStudioArray(t *testing.T) {
	in := `[
  {"id": 101, "data": {"text": "Alice went to Paris.", "doc_id": "a-1"},
   "predictions": [{"model_version": "v2", "score": 0.5,
     "result": [
       {"from_name": "label", "to_name": "text", "type": "labels", "score": 0.75,
        "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}},
       {"type": "labels", "value": {"start": 14, "end": 19, "labels": ["GPE", "LOC"]}},
       {"type": "choices", "value": {"choices": ["war"]}}
     ]}]},
  {"id": 102, "data": {"text": "Nothing."}, "predictions": []}
]`
	preds, probs := readAll(t, predict.NewReader(strings.NewReader(in), "tasks.json", "spacy"))
	if len(probs) != 0 || len(preds) != 1 {
		t.Fatalf("preds %+v probs %v", preds, probs)
	}
	p := preds[0]
	if p.DocID != "a-1" || p.Model != "spacy" || p.Version != "v2" || p.Line != 2 || p.SHA256 == "" {
		t.Fatalf("task: %+v", p)
	}
	if len(p.Spans) != 3 {
		t.Fatalf("want 3 spans (one per label, choices skipped), got %+v", p.Spans)
	}
	if *p.Spans[0].Score != 0.75 || *p.Spans[1].Score != 0.5 || p.Spans[2].Label != "LOC" {
		t.Errorf("region score, else the prediction's: %+v", p.Spans)
	}
}

func TestReadLabelStudioJSONLTaskID(t *testing.T) {
	in := `{"id": 5, "data": {"text": "x"}, "predictions": [{"model_version": 1, "result": [{"value": {"start": 0, "end": 1, "labels": ["A"]}}]}]}`
	preds, probs := readAll(t, predict.NewReader(strings.NewReader(in), "t.jsonl", "m"))
	if len(probs) != 0 || len(preds) != 1 || preds[0].DocID != "5" || preds[0].Spans[0].Score != nil {
		t.Fatalf("preds %+v probs %v", preds, probs)
	}
}

func TestReadBadLinesNamedAndSkipped(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"ok1","spans":[{"start":0,"end":1,"label":"A"}]}`,
		`{"id":"broken", "spans": [`,
		`{"id":"s","spans":[{"start":"0","end":1,"label":"A"}]}`,
		`{"id":"n","spans":[{"end":1,"label":"A"}]}`,
		`{"id":"l","spans":[{"start":0,"end":1}]}`,
		`["not an object"]`,
		`{"spans":[]}`,
		`{"id":"e","error":"CUDA out of memory"}`,
		`{"id":"sc","spans":[{"start":0,"end":1,"label":"A","score":"high"}]}`,
		`{"id":"at","spans":[{"start":0,"end":1,"label":"A","attrs":[1]}]}`,
		"{\"id\":\"u\",\"spans\":[{\"start\":0,\"end\":1,\"label\":\"\xff\"}]}",
		`{"id":"ok2","spans":[{"start":0,"end":1,"label":"A"}]}`,
	}, "\n")
	preds, probs := readAll(t, predict.NewReader(strings.NewReader(in), "p.jsonl", "m"))
	if len(preds) != 3 || preds[0].DocID != "ok1" || preds[1].DocID != "e" || preds[2].DocID != "ok2" {
		t.Fatalf("valid records must survive bad ones: %+v", preds)
	}
	if preds[1].Err != "CUDA out of memory" {
		t.Errorf("model error not kept: %+v", preds[1])
	}
	want := []struct {
		line int
		has  string
	}{
		{2, "malformed JSON"},
		{3, "must be a int"},
		{4, "start and end are required"},
		{5, "label is required"},
		{6, "want one JSON object"},
		{7, "no id"},
		{9, `want a number, got "\"high\""`},
		{10, "attrs must be an object"},
		{11, "not valid UTF-8"},
	}
	if len(probs) != len(want) {
		t.Fatalf("problems: %v", probs)
	}
	for i, w := range want {
		msg := probs[i].Error()
		if probs[i].Line != w.line || !strings.Contains(msg, w.has) || !strings.HasPrefix(msg, "p.jsonl:") {
			t.Errorf("problem %d: %q, want line %d containing %q", i, msg, w.line, w.has)
		}
	}
}

func TestReadLongLines(t *testing.T) {
	// A 10 MB line is an ordinary (long) document's prediction and is read whole.
	big := strings.Repeat(`{"start":0,"end":1,"label":"A"},`, 10<<20/32)
	in := `{"id":"big","spans":[` + big + `{"start":1,"end":2,"label":"B"}]}` + "\n" + `{"id":"next","spans":[]}`
	r := predict.NewReader(strings.NewReader(in), "big.jsonl", "m")
	preds, probs := readAll(t, r)
	if len(probs) != 0 || len(preds) != 2 || len(preds[0].Spans) != 10<<20/32+1 || preds[1].Line != 2 {
		t.Fatalf("probs %v, preds %d", probs, len(preds))
	}
	// Over the limit, the line is reported by number and skipped; the next one is read.
	r = predict.NewReader(strings.NewReader(in), "big.jsonl", "m")
	r.MaxLine = 1 << 20
	preds, probs = readAll(t, r)
	if len(probs) != 1 || probs[0].Line != 1 || !strings.Contains(probs[0].Error(), "longer than 1 MB") {
		t.Fatalf("problems %v", probs)
	}
	if len(preds) != 1 || preds[0].DocID != "next" || preds[0].Line != 2 {
		t.Fatalf("the line after a long one: %+v", preds)
	}
}

func TestReadBrokenArrayKeepsEarlierElements(t *testing.T) {
	in := "[\n{\"id\":\"a\",\"spans\":[]},\n{\"id\":\"b\",\n\"spans\": [}\n]"
	preds, probs := readAll(t, predict.NewReader(strings.NewReader(in), "a.json", "m"))
	if len(preds) != 1 || preds[0].DocID != "a" || preds[0].Line != 2 {
		t.Fatalf("preds %+v", preds)
	}
	if len(probs) != 1 || probs[0].Line != 4 || !strings.Contains(probs[0].Error(), "a.json:4: ") {
		t.Fatalf("problem %v, want a.json:4", probs)
	}
}

func TestParseReply(t *testing.T) {
	p, err := predict.ParseReply([]byte(`{"id":"d","spans":[{"start":0,"end":2,"label":"X","score":0.1}]}`), "m", "v1")
	if err != nil || p.Model != "m" || p.Version != "v1" || len(p.Spans) != 1 {
		t.Fatalf("%+v %v", p, err)
	}
	_, err = predict.ParseReply([]byte(`Loading weights... done`), "m", "v1")
	if err == nil || !strings.Contains(err.Error(), `"Loading weights... done"`) {
		t.Fatalf("garbage must be quoted: %v", err)
	}
}
