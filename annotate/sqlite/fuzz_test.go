package sqlite_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"evident/annotate"
)

// FuzzImportSpans imports a text with one span at arbitrary offsets: the store must
// either refuse it with code invalid or store exactly the code point slice, and in
// both cases the database must pass Check.
func FuzzImportSpans(f *testing.F) {
	f.Add("Gunmen attacked Kato", 0, 6)
	f.Add("قُتل ١٢ مدنياً في غزة 👨‍👩‍👧", 5, 7)
	f.Add("東京で爆発、3人死亡 🇺🇦", 9, 12)
	f.Add("e\u0301te\u0301", 1, 2)
	f.Add("x", 0, 2)
	f.Add("abc", 2, 1)
	f.Add("\xff\xfe", 0, 1)
	s := MustOpen(f)
	ctx := context.Background()
	n := 0
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		n++
		im, err := s.BeginImport(ctx, "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		doc := annotate.Document{ExternalID: "fuzz", Text: text}
		added, err := im.Add(ctx, &doc, annotate.Draft{Spans: []annotate.Span{{Start: start, End: end, Label: "LOCATION"}}})
		runes := []rune(text)
		valid := utf8.ValidString(text) && start >= 0 && start < end && end <= len(runes)
		if !valid {
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Fatalf("text %q span [%d, %d): err = %v, want invalid", text, start, end, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("text %q span [%d, %d): %v", text, start, end, err)
		}
		if !added {
			return // the same text was imported before
		}
		if err := im.Commit(); err != nil {
			t.Fatal(err)
		}
		spans, err := s.Spans(ctx, doc.ID, annotate.SpanFilter{})
		if err != nil || len(spans) != 1 {
			t.Fatalf("%d spans, %v", len(spans), err)
		}
		if want := string(runes[start:end]); spans[0].Text != want {
			t.Fatalf("span text %q, want %q", spans[0].Text, want)
		}
		got, err := s.Document(ctx, doc.ID)
		if err != nil || got.Text != text {
			t.Fatalf("stored text %q, want %q (%v)", got.Text, text, err)
		}
		if n%50 == 1 {
			problems, err := s.Check(ctx)
			if err != nil || len(problems) > 0 {
				t.Fatalf("check: %v %v", problems, err)
			}
		}
	})
}
