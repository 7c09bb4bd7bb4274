package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"evident/annotate"
)

// TestUndoAndReplaceKeepSuggestionsWithoutText: the write paths TestStoreKeepsSuggestionsWithoutText
// does not take obey migration 0009's rule too: an undecided suggestion put back by
// Undo or Redo (through the spans view, whose trigger stores the text it is given) or
// added by ReplaceSpans stores no text, and each still reads its document's text.
func TestUndoAndReplaceKeepSuggestionsWithoutText(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s := mustOpenPath(t, path)
	text := "Rockets 🚀 hit غزة on Monday; 北京 said two died."
	doc := importOne(t, s, annotate.Document{ExternalID: "c", Text: text}, annotate.Draft{})
	add := func(sub, label string) annotate.Span {
		a, b := find(text, sub)
		sp, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: a, End: b, Label: label,
			Status: annotate.StatusSuggested, Origin: "rules", Annotator: "ana"})
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	raw := rawDB(t, path)
	storedTexts := func(step string) {
		t.Helper()
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM span_rows WHERE st = 0 AND text IS NOT NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("after %s: %d undecided suggestions store their text, want none", step, n)
		}
		spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		runes := []rune(text)
		for _, sp := range spans {
			if want := string(runes[sp.Start:sp.End]); sp.Text != want {
				t.Errorf("after %s: span %d reads %q, the text there is %q", step, sp.ID, sp.Text, want)
			}
		}
	}

	// undo of a delete puts the row back whole
	sp := add("Rockets 🚀", "WEAPON")
	if err := s.DeleteSpan(ctx, sp.ID, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	storedTexts("undo of a delete")

	// redo of an add
	add("غزة", "LOCATION")
	if _, err := s.Undo(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redo(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	storedTexts("redo of an add")

	// undo of a range change of a suggestion
	sp = add("北京", "ACTOR")
	a, b := find(text, "北京 said")
	if _, err := s.UpdateSpan(ctx, annotate.Span{ID: sp.ID, Start: a, End: b, Label: "ACTOR"}, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	storedTexts("undo of a range change")

	// a batch that adds a suggestion
	a, b = find(text, "Monday")
	if _, err := s.ReplaceSpans(ctx, doc, nil, []annotate.Span{{Start: a, End: b, Label: "TIME",
		Status: annotate.StatusSuggested, Origin: "rules", Annotator: "ana"}}, "ana"); err != nil {
		t.Fatal(err)
	}
	storedTexts("replace spans")
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %q %v", problems, err)
	}
}
