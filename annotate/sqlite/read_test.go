package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
)

// corpus imports n documents, each with the sample draft, and returns their ids.
func corpus(t *testing.T, s *sqlite.Store, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	var ids []int64
	for i := 0; i < n; i++ {
		doc := annotate.Document{ExternalID: fmt.Sprint("d", i), Title: fmt.Sprint("Doc ", i), Text: fmt.Sprintf("%s (%d)", sampleText, i)}
		if _, err := im.Add(ctx, &doc, sampleDraft()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, doc.ID)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestEachDocument(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	ids := corpus(t, s, 1203) // more than two pages
	kato := spanByText(t, s, ids[5], "Kato")
	if err := s.SetSpanStatus(ctx, []int64{kato.ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{ids[5], ids[700]} {
		if err := s.SetDocumentStatus(ctx, id, annotate.DocDone, "ann"); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name      string
		f         annotate.ExportFilter
		docs      int
		spans     int
		firstSpan int // spans of the first document seen
	}{
		{"All", annotate.ExportFilter{}, 1203, 1203 * 8, 8},
		{"DoneOnly", annotate.ExportFilter{DoneOnly: true}, 2, 16, 8},
		{"Rejected", annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusRejected}}}, 1203, 1, 0},
		{"Labels", annotate.ExportFilter{Spans: annotate.SpanFilter{Labels: []string{"ACTOR", "SOURCE"}}}, 1203, 2 * 1203, 2},
		{"Annotator", annotate.ExportFilter{Spans: annotate.SpanFilter{Annotator: "ann"}}, 1203, 1, 0},
		{"DocIDs", annotate.ExportFilter{DocIDs: []int64{ids[3], ids[1000]}}, 2, 16, 8},
		{"ManyDocIDs", annotate.ExportFilter{DocIDs: append(make([]int64, 40000), ids[7])}, 1, 8, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs, spans := 0, 0
			last := int64(0)
			err := s.EachDocument(ctx, c.f, func(d *annotate.Document, sp []annotate.Span, ev []annotate.Event) error {
				if d.ID <= last {
					t.Fatalf("document %d after %d: not in id order", d.ID, last)
				}
				last = d.ID
				if docs == 0 && len(sp) != c.firstSpan {
					t.Fatalf("first document: %d spans, want %d", len(sp), c.firstSpan)
				}
				for _, x := range sp {
					if x.DocID != d.ID {
						t.Fatalf("span %d of document %d handed with document %d", x.ID, x.DocID, d.ID)
					}
				}
				if len(ev) != 2 || !strings.HasPrefix(d.Text, sampleText) {
					t.Fatalf("document %d: %d events", d.ID, len(ev))
				}
				docs++
				spans += len(sp)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if docs != c.docs || spans != c.spans {
				t.Fatalf("%d documents, %d spans; want %d, %d", docs, spans, c.docs, c.spans)
			}
		})
	}
	t.Run("ErrStops", func(t *testing.T) {
		n := 0
		stop := fmt.Errorf("enough")
		err := s.EachDocument(ctx, annotate.ExportFilter{}, func(*annotate.Document, []annotate.Span, []annotate.Event) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 {
			t.Fatalf("err %v after %d documents", err, n)
		}
	})
}

func TestDocumentsStatsSettings(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	ids := corpus(t, s, 3)
	n, err := s.AddSuggestions(ctx, ids[1], annotate.Draft{Spans: []annotate.Span{span(sampleText, "civilians", "VICTIM")}}, "rules")
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, ids[1], "Kato").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDocumentStatus(ctx, ids[2], annotate.DocDone, "ann"); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 || docs[1].Suggested != 1 || docs[1].Accepted != 7 || docs[1].Rejected != 1 || docs[2].Status != annotate.DocDone || docs[0].Title != "Doc 0" {
		t.Fatalf("documents = %+v", docs)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 3 || st.DocsByStatus[annotate.DocDone] != 1 || st.DocsByStatus[annotate.DocNew] != 2 {
		t.Fatalf("stats = %+v", st)
	}
	counts := map[string]int{}
	for _, lc := range st.Spans {
		counts[lc.Label+"/"+string(lc.Status)] = lc.Count
	}
	if counts["LOCATION/accepted"] != 2 || counts["LOCATION/rejected"] != 1 || counts["VICTIM/suggested"] != 1 || counts["ACTOR/accepted"] != 3 {
		t.Fatalf("span counts = %v", counts)
	}
	if len(st.Annotators) != 3 || st.Annotators[0] != (annotate.AnnotatorCount{Name: "importer", Spans: 23}) {
		t.Fatalf("annotators = %+v", st.Annotators)
	}

	if v, err := s.Setting(ctx, "window.size"); err != nil || v != "" {
		t.Fatalf("unset setting = %q, %v", v, err)
	}
	for _, v := range []string{"800x600", "1024x768"} {
		if err := s.SetSetting(ctx, "window.size", v); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := s.Setting(ctx, "window.size"); err != nil || v != "1024x768" {
		t.Fatalf("setting = %q, %v", v, err)
	}
}

func TestErrorsHaveCodes(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	kato := spanByText(t, s, doc, "Kato")
	cases := map[string]struct {
		err  error
		code string
	}{}
	add := func(name, code string, err error) {
		cases[name] = struct {
			err  error
			code string
		}{err, code}
	}
	_, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 0, End: 3, Label: "NOPE"})
	add("ErrUnknownLabel", annotate.EInvalid, err)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 3, End: 3, Label: "ACTOR"})
	add("ErrEmptySpan", annotate.EInvalid, err)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: doc, Start: 3, End: 9999, Label: "ACTOR"})
	add("ErrPastEnd", annotate.EInvalid, err)
	_, err = s.AddSpan(ctx, annotate.Span{DocID: 999, Start: 0, End: 3, Label: "ACTOR"})
	add("ErrNoDocument", annotate.ENotFound, err)
	add("ErrNoSpan", annotate.ENotFound, s.SetSpanStatus(ctx, []int64{kato.ID, 12345}, annotate.StatusAccepted, "ann"))
	add("ErrBadStatus", annotate.EInvalid, s.SetSpanStatus(ctx, []int64{kato.ID}, "maybe", "ann"))
	add("ErrBadDocStatus", annotate.EInvalid, s.SetDocumentStatus(ctx, doc, "finished", "ann"))
	_, err = s.AddEvent(ctx, annotate.Event{Type: "PARADE", Trigger: kato.ID})
	add("ErrEventType", annotate.EInvalid, err)
	evs, _ := s.Events(ctx, doc)
	add("ErrRole", annotate.EInvalid, s.AddArgument(ctx, evs[0].ID, annotate.Argument{Role: "weapon", SpanID: kato.ID}, "ann"))
	add("ErrNoArgument", annotate.ENotFound, s.RemoveArgument(ctx, evs[0].ID, annotate.Argument{Role: "source", SpanID: kato.ID}, "ann"))
	other := importOne(t, s, annotate.Document{ExternalID: "a2", Text: sampleText + "!"}, sampleDraft())
	add("ErrArgumentOtherDoc", annotate.EInvalid, s.AddArgument(ctx, evs[0].ID, annotate.Argument{Role: "place", SpanID: spanByText(t, s, other, "Kato").ID}, "ann"))
	_, err = s.UpdateSpan(ctx, annotate.Span{ID: kato.ID, Start: 0, End: 4, Label: "LOCATION", Attrs: []byte(`"x"`)}, "ann")
	add("ErrAttrs", annotate.EInvalid, err)
	_, err = s.Document(ctx, 4242)
	add("ErrNoDocumentRead", annotate.ENotFound, err)
	add("ErrBadLabelName", annotate.EInvalid, s.AddLabels(ctx, []annotate.Label{{Name: "lower"}}, "ann"))
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := annotate.ErrorCode(c.err); got != c.code {
				t.Fatalf("err = %v (code %q), want code %q", c.err, got, c.code)
			}
		})
	}
	// None of the failed actions left anything behind.
	hist, _ := s.History(ctx, 0)
	if len(hist) != 2 {
		t.Fatalf("history after failed actions: %+v", hist)
	}
	if sp := spanByText(t, s, doc, "Kato"); sp.Status != annotate.StatusAccepted {
		t.Fatalf("a failed multi-span action changed span status to %s", sp.Status)
	}
}

func TestCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.db")
	s := mustOpenPath(t, path)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	kato := spanByText(t, s, doc, "Kato")
	if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check of a sound database: %v %v", problems, err)
	}
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		fmt.Sprintf(`UPDATE spans SET text = 'Katu' WHERE id = %d`, kato.ID),
		fmt.Sprintf(`UPDATE spans SET "end" = 5000 WHERE id = %d`, spanByText(t, s, doc, "Tuesday").ID),
		`INSERT INTO event_args (event, role, span) VALUES (1, 'place', 99999)`,
		`INSERT INTO op_changes (op, seq, tbl, row_id) VALUES (777, 0, 'spans', 1)`,
		fmt.Sprintf(`UPDATE spans SET attrs = '{"claimant": 4242}' WHERE id = %d`, spanByText(t, s, doc, "Gunmen").ID),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	problems, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{`stores "Katu" but the text there is "Kato"`, "ends past the text", "span 99999",
		"belong to no operation", "learned-phrase counts", "name a claimant"} {
		if !strings.Contains(all, want) {
			t.Errorf("check did not report %q; it said:\n%s", want, all)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	ids := corpus(t, s, 20)
	if err := s.SetSpanStatus(ctx, []int64{spanByText(t, s, ids[0], "Kato").ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	b := mustOpenPath(t, out)
	docs, err := b.Documents(ctx)
	if err != nil || len(docs) != 20 || docs[0].Rejected != 1 {
		t.Fatalf("backup holds %d documents (%v)", len(docs), err)
	}
	if problems, err := b.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check of the backup: %v %v", problems, err)
	}
	// Undo history travels with the backup.
	if op, err := b.Undo(ctx, "ann"); err != nil || op == nil {
		t.Fatalf("undo in the backup: %v %v", op, err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
}
