package storetest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/backend"
	"evident/assets"
	"evident/export"
)

const text = "Gunmen attacked a market in Kato on Tuesday, killing at least 12 civilians, the health ministry said. 😀 空爆 قصف"

func open(t *testing.T, target string) annotate.Store {
	t.Helper()
	st, err := backend.Open(context.Background(), target, backend.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func at(sub string) (int, int) {
	r := []rune(text)
	s := []rune(sub)
	for i := 0; i+len(s) <= len(r); i++ {
		if string(r[i:i+len(s)]) == sub {
			return i, i + len(s)
		}
	}
	panic(sub)
}

func sp(sub, label string) annotate.Span {
	a, b := at(sub)
	return annotate.Span{Start: a, End: b, Label: label}
}

// fill makes a project with a bit of everything: imported documents with events and a
// claimant, decisions of two annotators (one undone), a new label, settings, an incident
// with an adjudication.
func fill(t *testing.T, st annotate.Store) {
	t.Helper()
	ctx := context.Background()
	im, err := st.BeginImport(ctx, "importer")
	if err != nil {
		t.Fatal(err)
	}
	cas := sp("at least 12 civilians", "CASUALTY")
	cas.Attrs = json.RawMessage(`{"kind":"killed","low":12,"qualifier":"at_least"}`)
	var ids []int64
	for i := 0; i < 30; i++ {
		d := annotate.Draft{
			Spans:     []annotate.Span{sp("attacked", "ATTACK"), sp("Kato", "LOCATION"), sp("killing", "DEATH"), cas, sp("health ministry", "SOURCE")},
			Events:    []annotate.DraftEvent{{Type: "ATTACK", Trigger: 0, Args: []annotate.DraftArg{{Role: "place", Span: 1}}}, {Type: "DEATH", Trigger: 2, Args: []annotate.DraftArg{{Role: "casualties", Span: 3}}}},
			Claimants: map[int]int{3: 4},
		}
		doc := annotate.Document{ExternalID: fmt.Sprint("d", i), Title: fmt.Sprint("Doc ", i), Published: "2024-05-0" + fmt.Sprint(1+i%9), Text: text}
		if _, err := im.Add(ctx, &doc, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, doc.ID)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := st.AddLabels(ctx, []annotate.Label{{Name: "UNIT", Color: "#123456"}}, "ann"); err != nil {
		t.Fatal(err)
	}
	spans, _ := st.Spans(ctx, ids[0], annotate.SpanFilter{})
	if err := st.SetSpanStatus(ctx, []int64{spans[1].ID}, annotate.StatusRejected, "ann"); err != nil {
		t.Fatal(err)
	}
	u := sp("Gunmen", "UNIT")
	u.DocID, u.Annotator = ids[1], "bob"
	if _, err := st.AddSpan(ctx, u); err != nil {
		t.Fatal(err)
	}
	v, w := sp("civilians", "VICTIM"), sp("market", "TARGET")
	v.Origin, w.Origin = "lexicon", "lexicon"
	if _, err := st.AddSuggestions(ctx, ids[2], annotate.Draft{Spans: []annotate.Span{v, w}}, "rules"); err != nil {
		t.Fatal(err)
	}
	sug, _ := st.Spans(ctx, ids[2], annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusSuggested}})
	edit := sp("12 civilians", "VICTIM")
	edit.ID, edit.Status = sug[0].ID, annotate.StatusAccepted
	if _, err := st.UpdateSpan(ctx, edit, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetDocumentStatus(ctx, ids[3], annotate.DocDone, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Undo(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, "window.size", "800x600"); err != nil {
		t.Fatal(err)
	}
	is := st.(annotate.IncidentStore)
	ev0, _ := st.Events(ctx, ids[4])
	ev1, _ := st.Events(ctx, ids[5])
	inc, err := is.CreateIncident(ctx, annotate.Incident{Title: "Kato market", Events: []annotate.EventRef{
		{DocID: ids[4], EventID: ev0[1].ID}, {DocID: ids[5], EventID: ev1[1].ID}}}, "ann")
	if err != nil {
		t.Fatal(err)
	}
	twelve := 12
	if _, err := is.Adjudicate(ctx, annotate.Adjudication{IncidentID: inc.ID, Kind: "killed", Best: &twelve, Low: &twelve, High: &twelve}, "ann"); err != nil {
		t.Fatal(err)
	}
}

// dump returns every table as JSON lines, for comparing two projects row by row.
func dump(t *testing.T, st annotate.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := st.(annotate.TableDumper).DumpTables(context.Background(), func(tb annotate.Table) error {
		var b strings.Builder
		fmt.Fprintln(&b, tb.Columns)
		err := tb.Rows(func(r []any) error {
			data, err := json.Marshal(r)
			b.Write(data)
			b.WriteByte('\n')
			return err
		})
		out[tb.Name] = b.String()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exportAll(t *testing.T, st annotate.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, f := range []export.Format{"jsonl", "events", "casualties"} {
		if _, err := export.Run(context.Background(), st, export.Options{Format: f, Status: "all", Out: "-", Stdout: &buf}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestCopyRoundTrip copies an SQLite project to PostgreSQL and back: every table comes
// back row for row, the exports are the same bytes, and undo goes on working on the
// server with the copied operations log.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := filepath.Join(dir, "a.db")
	fill(t, open(t, a))
	pg, err := server.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(dir, "b.db")
	if err := backend.Copy(ctx, a, pg, backend.Options{Schema: assets.Schema()}); err != nil {
		t.Fatal(err)
	}
	if err := backend.Copy(ctx, pg, b, backend.Options{Schema: assets.Schema()}); err != nil {
		t.Fatal(err)
	}
	sa, sp, sb := open(t, a), open(t, pg), open(t, b)
	da, dp, db := dump(t, sa), dump(t, sp), dump(t, sb)
	if len(da) < 15 {
		t.Fatalf("only %d tables dumped", len(da))
	}
	for name, rows := range da {
		if db[name] != rows {
			t.Errorf("table %s differs after the round trip:\n%s\nvs\n%s", name, rows, db[name])
		}
		if name != "labels" && dp[name] != rows { // labels: column order differs (id first on the server)
			t.Errorf("table %s differs on the server", name)
		}
	}
	// Back in SQLite, spans are stored as the source stored them: an undecided
	// suggestion's text is left to its document (migration 0009), not copied in.
	if na, nb := textlessSpans(t, a), textlessSpans(t, b); na == 0 || na != nb {
		t.Errorf("spans storing no text: %d in the source, %d after the round trip", na, nb)
	}
	ea, ep, eb := exportAll(t, sa), exportAll(t, sp), exportAll(t, sb)
	if len(ea) < 1000 || !bytes.Equal(ea, eb) || !bytes.Equal(ea, ep) {
		t.Fatalf("exports differ: %d, %d, %d bytes", len(ea), len(ep), len(eb))
	}
	// The overview's aggregates (SQL of each backend's own dialect) agree on the same data.
	if ja, jp := overviewJSON(t, sa), overviewJSON(t, sp); ja != jp {
		t.Errorf("overviews differ:\nsqlite   %s\npostgres %s", ja, jp)
	}
	// The operations log came along: bob's redo and ann's undo work on the server.
	if op, err := sp.Redo(ctx, "bob"); err != nil || op == nil || op.Kind != "set_doc_status" {
		t.Fatalf("redo on the copy: %+v, %v", op, err)
	}
	if op, err := sp.Undo(ctx, "ann"); err != nil || op == nil || op.Kind != "adjudicate" {
		t.Fatalf("undo on the copy: %+v, %v", op, err)
	}
	// New rows on the server get new ids, after the copied ones.
	docs, _ := sp.Documents(ctx)
	n, err := sp.AddSuggestions(ctx, docs[0].ID, annotate.Draft{Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR"}}}, "rules")
	if err != nil || n != 1 {
		t.Fatalf("add after copy: %d, %v", n, err)
	}
}

// textlessSpans counts the spans of the SQLite file at path that store no text.
func textlessSpans(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM span_rows WHERE text IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCopyRefusals: a copy into a project that has documents is refused and leaves it
// as it was; a failed copy to a new file leaves no file.
func TestCopyRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := filepath.Join(dir, "a.db")
	fill(t, open(t, a))
	pg, err := server.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, open(t, pg))
	before := dump(t, open(t, pg))
	err = backend.Copy(ctx, a, pg, backend.Options{Schema: assets.Schema()})
	if annotate.ErrorCode(err) != annotate.EInvalid || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("copy into a filled database: %v", err)
	}
	if after := dump(t, open(t, pg)); !reflect.DeepEqual(before, after) {
		t.Fatal("the refused copy changed the destination")
	}
	missing := filepath.Join(dir, "missing.db")
	if err := backend.Copy(ctx, missing, filepath.Join(dir, "c.db"), backend.Options{}); err == nil {
		t.Fatal("copy of a missing file succeeded")
	}
	for _, f := range []string{missing, filepath.Join(dir, "c.db")} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was created", f)
		}
	}
}

func overviewJSON(t *testing.T, st annotate.Store) string {
	t.Helper()
	ov, err := st.(annotate.OverviewSource).Overview(context.Background(), annotate.OverviewOptions{Bucket: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ov.Generated = time.Time{}
	if len(ov.Rules) == 0 || len(ov.Casualties) == 0 || len(ov.ByAnnotator) < 2 || ov.Suggestions.Edited != 1 || ov.Suggestions.Open != 1 {
		t.Fatalf("overview without rules, casualties or annotators: %+v", ov)
	}
	data, err := json.Marshal(ov)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
