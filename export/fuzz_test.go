package export_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/export"
)

// FuzzExportOffsets exports one document with spans at fuzzed positions in every offset
// convention and through every JSON format, and checks each offset slices the text to
// the span's text.
func FuzzExportOffsets(f *testing.F) {
	f.Add("Drone strike 💥 hit Port Halden\r\nlate", uint16(0), uint16(5), uint16(14), uint16(30))
	f.Add("周二清晨，导弹袭击了北港", uint16(5), uint16(7), uint16(1), uint16(11))
	f.Add("Cafe\u0301 👨‍👩‍👧\tقال", uint16(3), uint16(9), uint16(0), uint16(12))
	f.Add("a\"b\\c\u2028d\x01e", uint16(0), uint16(9), uint16(2), uint16(3))
	schema := mustSchema(f)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d uint16) {
		if !utf8.ValidString(text) {
			return // refused at import, never stored
		}
		n := utf8.RuneCountInString(text)
		if n == 0 {
			return
		}
		mk := func(x, y uint16, id int64, label string) (annotate.Span, bool) {
			s, e := int(x)%n, int(y)%(n+1)
			if s > e {
				s, e = e, s
			}
			return annotate.Span{ID: id, Start: s, End: e, Label: label, Status: annotate.StatusAccepted}, s < e
		}
		var spans []annotate.Span
		if s, ok := mk(a, b, 1, "SOURCE"); ok {
			spans = append(spans, s)
		}
		if s, ok := mk(c, d, 2, "CASUALTY"); ok {
			s.Attrs = []byte(`{"kind":"killed","claimant":1}`)
			spans = append(spans, s)
		}
		src := &fakeSource{schema: schema, docs: []fakeDoc{{doc: annotate.Document{ID: 1, ExternalID: "f", Text: text}, spans: spans}}}
		for _, u := range units {
			out, _ := run(t, src, export.Options{Format: export.FormatJSONL, Offsets: u, Tokens: true})
			for _, l := range parseJSONL[jsonlLine](t, out) {
				if l.Text != text {
					t.Fatalf("text changed: %q", l.Text)
				}
				for _, s := range l.Spans {
					if got := sliceIn(t, text, u, s.Start, s.End); got != s.Text {
						t.Fatalf("%s [%d,%d) slices to %q, span says %q", u, s.Start, s.End, got, s.Text)
					}
				}
				for _, tok := range l.Tokens {
					if got := sliceIn(t, text, u, tok.Start, tok.End); got != tok.Text {
						t.Fatalf("%s token [%d,%d) slices to %q, says %q", u, tok.Start, tok.End, got, tok.Text)
					}
				}
			}
			if _, err := export.Run(context.Background(), src, export.Options{Format: export.FormatEvents, Out: "-", Stdout: discard{}}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := export.Run(context.Background(), src, export.Options{Format: export.FormatCoNLL, Out: "-", Stdout: discard{}}, nil); err != nil {
			t.Fatal(err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
