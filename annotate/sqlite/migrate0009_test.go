package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/export"
)

// TestMigrate0009ExportsTheSame: a version-8 database holding spans of every kind
// (suggested by a run and by hand, accepted, rejected, edited, with attributes, claimants,
// proposers and confidences, events and arguments, text with emoji, CJK and Arabic) is
// upgraded to 0009's row tables and exports the same bytes in every format and status,
// passes `evident check`, and undoes its operations as before.
//
// The version-8 file is made from a current store's tables (DumpTables shows spans and
// events as the old tables had them) inserted into the schema of migrations 1-8.
func TestMigrate0009ExportsTheSame(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := mustOpenPath(t, filepath.Join(dir, "src.db"))
	fillEveryKind(t, src)
	want := exportAll(t, src, filepath.Join(dir, "want"))

	path := filepath.Join(dir, "v8.db")
	writeVersion8(t, src, path)
	var textRows int
	raw := rawDB(t, path)
	if err := raw.QueryRow(`SELECT count(*) FROM spans WHERE status = 'suggested' AND text != ''`).Scan(&textRows); err != nil || textRows == 0 {
		t.Fatalf("version-8 file: %d suggested spans with text (%v)", textRows, err)
	}
	raw.Close()

	up := mustOpenPath(t, path)
	got := exportAll(t, up, filepath.Join(dir, "got"))
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s after the upgrade differs:\n got %.400q\nwant %.400q", name, got[name], w)
		}
	}
	if len(got) != len(want) || len(want) < 20 {
		t.Fatalf("exported %d files, want %d (at least 20)", len(got), len(want))
	}
	if problems, err := up.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check after the upgrade: %q %v", problems, err)
	}
	raw = rawDB(t, path)
	var version, stored, undecided int
	if err := raw.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM span_rows WHERE st = 0 AND text IS NOT NULL), (SELECT count(*) FROM span_rows WHERE st = 0)`).
		Scan(&version, &stored, &undecided); err != nil {
		t.Fatal(err)
	}
	if version != sqlite.SchemaVersion() || stored != 0 || undecided == 0 {
		t.Fatalf("after the upgrade: version %d, %d of %d undecided spans store their text; want version %d, none",
			version, stored, undecided, sqlite.SchemaVersion())
	}

	// Undo the same operations on both: the exports stay equal, step by step.
	for i := 0; i < 4; i++ {
		a, errA := src.Undo(ctx, "ana")
		b, errB := up.Undo(ctx, "ana")
		if errA != nil || errB != nil || (a == nil) != (b == nil) || a != nil && a.Summary != b.Summary {
			t.Fatalf("undo %d: %+v %v / %+v %v", i, a, errA, b, errB)
		}
		w, g := exportAll(t, src, filepath.Join(dir, fmt.Sprint("want", i))), exportAll(t, up, filepath.Join(dir, fmt.Sprint("got", i)))
		for name := range w {
			if !bytes.Equal(g[name], w[name]) {
				t.Fatalf("%s after undo %d (%s) differs:\n got %.300q\nwant %.300q", name, i, a.Summary, g[name], w[name])
			}
		}
	}
	if problems, err := up.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check after undoing: %q %v", problems, err)
	}
}

// fillEveryKind stores three documents with spans of every kind.
func fillEveryKind(t *testing.T, s *sqlite.Store) {
	t.Helper()
	ctx := context.Background()
	texts := []string{
		"Gunmen attacked a market in Kato on Tuesday, killing at least 12 civilians, the health ministry said.",
		"قصف في غزة: قتل 3 مدنيين 🔥 and 北京 officials said 5 were hurt in Qaryat.",
		"Drones struck 👨‍👩‍👧 Tessaly; police said two guards died.",
	}
	var ids []int64
	for i, text := range texts {
		d := annotate.Draft{}
		if i == 0 {
			// imported decisions: accepted and rejected spans with an event
			a, b := find(text, "Gunmen")
			c, e := find(text, "attacked")
			f, g := find(text, "Kato")
			d.Spans = []annotate.Span{
				{Start: a, End: b, Label: "ACTOR", Status: annotate.StatusAccepted, Annotator: "ana"},
				{Start: c, End: e, Label: "ATTACK", Status: annotate.StatusAccepted, Annotator: "ana"},
				{Start: f, End: g, Label: "LOCATION", Status: annotate.StatusRejected, Annotator: "ana"},
			}
			d.Events = []annotate.DraftEvent{{Type: "ATTACK", Trigger: 1, Args: []annotate.DraftArg{{Role: "attacker", Span: 0}}}}
		}
		ids = append(ids, importOne(t, s, annotate.Document{ExternalID: fmt.Sprint("d", i), Title: fmt.Sprint("Doc ", i), Text: text}, d))
	}
	// A suggestion run over all three, with a claimant, an event and a confidence.
	run, err := s.BeginSuggestRun(ctx, annotate.Run{Source: "rules", Annotator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	conf := 0.75
	for i, doc := range ids {
		text := texts[i]
		var d annotate.Draft
		for _, w := range []struct{ sub, label string }{{"killing", "DEATH"}, {"civilians", "VICTIM"}, {"said", "SOURCE"},
			{"غزة", "LOCATION"}, {"مدنيين", "VICTIM"}, {"北京", "ACTOR"}, {"🔥", "WEAPON"}, {"Qaryat", "LOCATION"},
			{"Drones", "WEAPON"}, {"👨‍👩‍👧", "VICTIM"}, {"two guards", "CASUALTY"}, {"police", "SOURCE"}, {"died", "DEATH"}} {
			if !strings.Contains(text, w.sub) {
				continue
			}
			a, b := find(text, w.sub)
			sp := annotate.Span{Start: a, End: b, Label: w.label, Origin: "rule:" + strings.ToLower(w.label), Confidence: &conf}
			if w.label == "CASUALTY" {
				sp.Attrs = json.RawMessage(`{"kind":"killed","low":2,"high":2,"qualifier":"exact"}`)
			}
			d.Spans = append(d.Spans, sp)
		}
		for j, sp := range d.Spans {
			if sp.Label == "DEATH" {
				d.Events = append(d.Events, annotate.DraftEvent{Type: "DEATH", Trigger: j, Origin: "rule:event"})
				for k, v := range d.Spans {
					if v.Label == "VICTIM" || v.Label == "CASUALTY" {
						d.Events[len(d.Events)-1].Args = append(d.Events[len(d.Events)-1].Args, annotate.DraftArg{Role: "casualties", Span: k})
					}
				}
			}
			if sp.Label == "CASUALTY" {
				for k, v := range d.Spans {
					if v.Label == "SOURCE" {
						d.Claimants = map[int]int{j: k}
					}
				}
			}
		}
		if err := run.Add(ctx, doc, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := run.Finish(ctx, true); err != nil {
		t.Fatal(err)
	}
	// Decisions by hand: accept, reject, edit, add, each its own undoable operation.
	spans, err := s.Spans(ctx, ids[1], annotate.SpanFilter{})
	if err != nil || len(spans) < 4 {
		t.Fatalf("spans of document %d: %d %v", ids[1], len(spans), err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spans[0].ID}, annotate.StatusAccepted, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSpanStatus(ctx, []int64{spans[1].ID}, annotate.StatusRejected, "ana"); err != nil {
		t.Fatal(err)
	}
	edit := spans[2]
	for _, sp := range spans[2:] {
		if sp.End-sp.Start > 1 {
			edit = sp
			break
		}
	}
	edit.End--
	if _, err := s.UpdateSpan(ctx, edit, "ana"); err != nil {
		t.Fatal(err)
	}
	a, b := find(texts[2], "Tessaly")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: ids[2], Start: a, End: b, Label: "LOCATION", Annotator: "ana"}); err != nil {
		t.Fatal(err)
	}
	a, b = find(texts[2], "guards")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: ids[2], Start: a, End: b, Label: "VICTIM", Status: annotate.StatusSuggested,
		Origin: "model:x", Annotator: "ana"}); err != nil {
		t.Fatal(err)
	}
}

// exportAll exports s in every format, for each status filter, into dir and returns the
// files' bytes by name.
func exportAll(t *testing.T, s *sqlite.Store, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range export.Formats {
		for _, st := range []string{"all", "accepted", "suggested", "rejected"} {
			d := filepath.Join(dir, string(f)+"-"+st)
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := export.Run(context.Background(), s, export.Options{Format: f, Status: st, Out: d}, nil); err != nil {
				t.Fatalf("export %s %s: %v", f, st, err)
			}
			err := filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
				if err != nil || e.IsDir() {
					return err
				}
				data, err := os.ReadFile(p)
				rel, _ := filepath.Rel(dir, p)
				out[rel] = data
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// applyMigrations runs migrations 1 to version on db as they are in the tree.
func applyMigrations(t *testing.T, db *sql.DB, version int) {
	t.Helper()
	for v := 1; v <= version; v++ {
		files, _ := filepath.Glob(filepath.Join("migrations", fmt.Sprintf("%04d_*.sql", v)))
		if len(files) != 1 {
			t.Fatalf("migration %d: %v", v, files)
		}
		q, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(q)); err != nil {
			t.Fatalf("%s: %v", files[0], err)
		}
	}
}

// writeVersion8 writes src's tables into a new file at path with the schema of
// migrations 1-8.
func writeVersion8(t *testing.T, src *sqlite.Store, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	applyMigrations(t, db, 8)
	tables := 0
	err = src.DumpTables(context.Background(), func(tb annotate.Table) error {
		cols := slices.Clone(tb.Columns)
		for i, c := range cols {
			cols[i] = `"` + c + `"`
			if tb.Name == "labels" && c == "id" {
				cols[i] = "rowid"
			}
		}
		q := fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (?%s)`, tb.Name, strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1))
		tables++
		return tb.Rows(func(row []any) error {
			_, err := db.Exec(q, row...)
			return err
		})
	})
	if err != nil || tables < 10 {
		t.Fatalf("writing the version-8 file: %d tables, %v", tables, err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 8`); err != nil {
		t.Fatal(err)
	}
}

// TestRepeatedArgumentsSkippedAndReported: event_args has no unique index since 0009, so
// the store skips an argument it already has, and `evident check` reports a repeat that
// something else wrote.
func TestRepeatedArgumentsSkippedAndReported(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	fillEveryKind(t, s)
	evs, err := s.Events(ctx, 1)
	if err != nil || len(evs) == 0 || len(evs[0].Args) == 0 {
		t.Fatalf("events of document 1: %+v %v", evs, err)
	}
	e := evs[0]
	if err := s.AddArgument(ctx, e.ID, e.Args[0], "ana"); err != nil {
		t.Fatalf("adding an argument the event has: %v", err)
	}
	again, err := s.Events(ctx, 1)
	if err != nil || len(again[0].Args) != len(e.Args) {
		t.Fatalf("after adding %+v again: %+v %v", e.Args[0], again[0].Args, err)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %q %v", problems, err)
	}
	raw := rawDB(t, s.Path())
	if _, err := raw.Exec(`INSERT INTO event_args (event, role, span) SELECT event, role, span FROM event_args WHERE event = ? LIMIT 1`, e.ID); err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check(ctx)
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], "repeated") {
		t.Fatalf("check with a repeated argument: %q %v", problems, err)
	}
}
