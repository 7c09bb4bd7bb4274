package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"evident/annotate"
)

// TestUnknownLabelSaysSo: a span given a label the project lacks is refused with an
// error that names the label, as before 0009 (then a foreign key refused it); since
// spans store their label's id, the row table only saw a NULL, and the user read
// "NOT NULL constraint failed: span_rows.label".
func TestUnknownLabelSaysSo(t *testing.T) {
	ctx := context.Background()
	s := mustOpenPath(t, t.TempDir()+"/x.db")
	doc := importOne(t, s, annotate.Document{ExternalID: "a", Text: sampleText}, annotate.Draft{})
	check := func(what string, err error) {
		t.Helper()
		if annotate.ErrorCode(err) != annotate.EInvalid || !strings.Contains(err.Error(), `"NOPE"`) ||
			strings.Contains(err.Error(), "span_rows") {
			t.Errorf("%s with an unknown label: %v (%s); want EInvalid naming the label", what, err, annotate.ErrorCode(err))
		}
	}
	_, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 0, End: 6, Label: "NOPE", Annotator: "ana"})
	check("AddSpan", err)
	sp, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 0, End: 6, Label: "ACTOR", Annotator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	sp.Label = "NOPE"
	_, err = s.UpdateSpan(ctx, sp, "ana")
	check("UpdateSpan", err)
	_, err = s.ReplaceSpans(ctx, doc, nil, []annotate.Span{{Start: 7, End: 15, Label: "NOPE", Status: annotate.StatusAccepted}}, "ana")
	check("ReplaceSpans", err)
}
