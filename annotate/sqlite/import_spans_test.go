package sqlite_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"evident/annotate"
)

// A document's spans are inserted in statements of up to 16 rows in three shapes (no
// attributes, attributes, a status or origin of their own): each reads back as given,
// with ids in the order of the draft.
func TestImportSpanForms(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	words := strings.Fields(strings.Repeat("troops shelled the village killing nine ", 8))
	text := strings.Join(words, " ")
	spans := func(f func(i int, sp *annotate.Span)) []annotate.Span {
		var out []annotate.Span
		at := 0
		for i, w := range words {
			sp := annotate.Span{Start: at, End: at + len(w), Label: "ACTOR"}
			f(i, &sp)
			out = append(out, sp)
			at += len(w) + 1
		}
		return out
	}
	for _, c := range []struct {
		name  string
		spans []annotate.Span
	}{
		{"no attributes", spans(func(int, *annotate.Span) {})},
		{"attributes", spans(func(i int, sp *annotate.Span) {
			if i == 20 {
				sp.Attrs = json.RawMessage(`{"note":"x"}`)
			}
		})},
		{"own status", spans(func(i int, sp *annotate.Span) {
			if i == 33 {
				sp.Status = annotate.StatusRejected
			}
		})},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := importOne(t, s, annotate.Document{ExternalID: c.name, Text: text}, annotate.Draft{Spans: c.spans})
			got, err := s.Spans(ctx, id, annotate.SpanFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.spans) {
				t.Fatalf("%d spans read back, want %d", len(got), len(c.spans))
			}
			for i, sp := range got { // in text order, which is the draft's
				want := c.spans[i]
				status := want.Status
				if status == "" {
					status = annotate.StatusAccepted
				}
				if sp.Start != want.Start || sp.End != want.End || sp.Text != words[i] || sp.Status != status ||
					string(sp.Attrs) != string(want.Attrs) || (i > 0 && sp.ID != got[i-1].ID+1) {
					t.Errorf("span %d: %+v, want %+v (text %q, id after %d)", i, sp, want, words[i], got[max(i-1, 0)].ID)
				}
			}
		})
	}
}
