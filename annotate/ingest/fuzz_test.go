package ingest_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/ingest"
)

// checkRecords reads input as name and checks what every reader promises: no panic,
// errors that name the file and a line, and for every accepted record a valid text with
// every span, event and claimant inside it.
func checkRecords(t *testing.T, name, input string) {
	rd, err := ingest.NewReader(strings.NewReader(input), name, ingest.ReadOptions{AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(input, "\n") + 1
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			var ie *ingest.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is %T, not *ingest.Error", err, err)
			}
			if ie.File != name || ie.Line < 1 || ie.Line > lines {
				t.Fatalf("error at %s:%d, input has %d lines: %v", ie.File, ie.Line, lines, err)
			}
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Fatalf("code %q", annotate.ErrorCode(err))
			}
			return
		}
		text := rec.Doc.Text
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) || strings.HasPrefix(text, "\uFEFF") || text == "" {
			t.Fatalf("accepted bad text %q", text)
		}
		if rec.Doc.SHA256 != annotate.TextHash(text) {
			t.Fatal("hash mismatch")
		}
		if rec.Line < 1 || rec.Line > lines {
			t.Fatalf("record line %d of %d", rec.Line, lines)
		}
		o := annotate.NewOffsets(text)
		spans := rec.Draft.Spans
		for _, s := range spans {
			if s.Start < 0 || s.Start >= s.End || s.End > o.Len() {
				t.Fatalf("span [%d, %d) outside a text of %d code points", s.Start, s.End, o.Len())
			}
			if sub, _ := o.Slice(text, s.Start, s.End); sub != s.Text {
				t.Fatalf("span text %q, slice %q", s.Text, sub)
			}
			if !annotate.ValidLabelName(s.Label) {
				t.Fatalf("label %q", s.Label)
			}
		}
		for _, e := range rec.Draft.Events {
			if e.Trigger < 0 || e.Trigger >= len(spans) {
				t.Fatalf("trigger %d of %d spans", e.Trigger, len(spans))
			}
			for _, a := range e.Args {
				if a.Span < 0 || a.Span >= len(spans) {
					t.Fatalf("argument %d of %d spans", a.Span, len(spans))
				}
			}
		}
		for c, src := range rec.Draft.Claimants {
			if c < 0 || c >= len(spans) || src < 0 || src >= len(spans) || spans[src].Label != "SOURCE" {
				t.Fatalf("claimant %d -> %d", c, src)
			}
		}
	}
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		goodJSONL,
		`{"text":"🚀 rockets hit Haifa","spans":[{"start":2,"end":9,"label":"WEAPON","text":"rockets"}]}`,
		`{"id":1,"text":"Rockets hit Sderot.","label":[[0,7,"WEAPON"],[12,18,"LOCATION"]]}`,
		`{"text":"12 killed, police said","spans":[{"start":0,"end":2,"label":"CASUALTY","attrs":{"claimant":2,"kind":"killed","low":12}},{"start":3,"end":9,"label":"DEATH"},{"start":11,"end":17,"label":"SOURCE"}],"events":[{"type":"DEATH","trigger":1,"args":{"casualties":[0],"source":2}}]}`,
		"\ufeff{\"text\":\"\\ufeffa\\r\\nb\"}\r\n\r\n{\"text\":\"x\",\"published\":\"2024-02-30\"}",
		`{"text":"x","entities":[{"start_offset":0,"end_offset":1,"label":"ORG"}],"meta":{"a":[1]}}`,
		"{\"text\":\"caf\xe9\"}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkRecords(t, "f.jsonl", s) })
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"id,text\n1,hello\n",
		"\ufeffID,Title,text,published,outlet,spans\r\na,First,\"Line one\r\nline \"\"two\"\", Kabul\",2024-01-02,Wire,\"[{\"\"start\"\":22,\"\"end\"\":27,\"\"label\"\":\"\"LOCATION\"\"}]\"\r\n",
		"text,events,spans\n\"ab cd\",\"[{\"\"type\"\":\"\"ATTACK\"\",\"\"trigger\"\":0}]\",\"[[0,2,\"\"ATTACK\"\"]]\"\n",
		"text,meta\nx,\"{\"\"k\"\":1}\"\n\n\ny,\n",
		"id,text\n1,\"unclosed\n",
		"text\n\"a\"b\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkRecords(t, "f.csv", s) })
}

func FuzzTXT(f *testing.F) {
	for _, s := range []string{"Title\r\nbody", "\ufeff", "\xff\xfeh\x00", "a\x00b", "  \n\n  x  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkRecords(t, "f.txt", s) })
}
