package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// MustOpen opens a new store on a file in a temporary directory, seeded with the default
// schema, and closes it when the test ends.
func MustOpen(tb testing.TB) *sqlite.Store {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "evident.db"))
}

func mustOpenPath(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

const sampleText = "Gunmen attacked a market in Kato on Tuesday, killing at least 12 civilians, the health ministry said."

// importOne imports one document with the given draft and returns its stored id.
func importOne(tb testing.TB, s *sqlite.Store, doc annotate.Document, d annotate.Draft) int64 {
	tb.Helper()
	ctx := context.Background()
	im, err := s.BeginImport(ctx, "importer")
	if err != nil {
		tb.Fatal(err)
	}
	defer im.Rollback()
	added, err := im.Add(ctx, &doc, d)
	if err != nil {
		tb.Fatal(err)
	}
	if !added {
		tb.Fatalf("document %q was not added", doc.ExternalID)
	}
	if err := im.Commit(); err != nil {
		tb.Fatal(err)
	}
	return doc.ID
}

// find returns the code point range of the first occurrence of sub in text.
func find(text, sub string) (int, int) {
	r, s := []rune(text), []rune(sub)
	for i := 0; i+len(s) <= len(r); i++ {
		if string(r[i:i+len(s)]) == sub {
			return i, i + len(s)
		}
	}
	panic(fmt.Sprintf("%q not in text", sub))
}

func span(text, sub, label string) annotate.Span {
	a, b := find(text, sub)
	return annotate.Span{Start: a, End: b, Label: label}
}

func sampleDraft() annotate.Draft {
	casualty := span(sampleText, "at least 12 civilians", "CASUALTY")
	casualty.Attrs = json.RawMessage(`{"kind":"killed","low":12,"qualifier":"at_least","victims":["civilians"]}`)
	return annotate.Draft{
		Spans: []annotate.Span{
			span(sampleText, "Gunmen", "ACTOR"),           // 0
			span(sampleText, "attacked", "ATTACK"),        // 1
			span(sampleText, "market", "TARGET"),          // 2
			span(sampleText, "Kato", "LOCATION"),          // 3
			span(sampleText, "Tuesday", "TIME"),           // 4
			span(sampleText, "killing", "DEATH"),          // 5
			casualty,                                      // 6
			span(sampleText, "health ministry", "SOURCE"), // 7
		},
		Events: []annotate.DraftEvent{
			{Type: "ATTACK", Trigger: 1, Args: []annotate.DraftArg{{Role: "attacker", Span: 0}, {Role: "target", Span: 2}, {Role: "place", Span: 3}, {Role: "time", Span: 4}}},
			{Type: "DEATH", Trigger: 5, Args: []annotate.DraftArg{{Role: "casualties", Span: 6}, {Role: "source", Span: 7}}},
		},
		Claimants: map[int]int{6: 7},
	}
}

func TestOpenMigratesFromZero(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	s := mustOpenPath(t, path)
	sc, err := s.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Labels) != 11 || sc.Labels[0].Name != "ATTACK" || len(sc.EventTypes) != 3 || len(sc.Roles) != 8 {
		t.Fatalf("seeded schema = %d labels (first %v), %d event types, %d roles", len(sc.Labels), sc.Labels, len(sc.EventTypes), len(sc.Roles))
	}
	s.Close()

	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	var mode string
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if version != sqlite.SchemaVersion() || version < 1 {
		t.Fatalf("user_version = %d, want %d", version, sqlite.SchemaVersion())
	}
	if mode != "wal" {
		t.Fatalf("journal_mode = %s, want wal", mode)
	}
	// Reopening an up-to-date database changes nothing and keeps the labels once.
	s2 := mustOpenPath(t, path)
	sc2, err := s2.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sc2.Labels) != 11 {
		t.Fatalf("after reopen: %d labels", len(sc2.Labels))
	}
}

func hashFile(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	for _, journal := range []string{"delete", "wal"} {
		t.Run(journal, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "future.db")
			s := mustOpenPath(t, path)
			s.Close()
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			future := sqlite.SchemaVersion() + 1
			for _, q := range []string{"PRAGMA journal_mode = " + journal, fmt.Sprintf("PRAGMA user_version = %d", future)} {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			before := hashFile(t, path)

			_, err = sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
			if code := annotate.ErrorCode(err); code != annotate.ETooNew {
				t.Fatalf("open newer database: err = %v (code %q), want code %q", err, code, annotate.ETooNew)
			}
			if after := hashFile(t, path); after != before {
				t.Fatal("the refused database file was changed")
			}
		})
	}
}

// TestMigrateFromVersion1 builds a database as the first release left it (only
// migration 0001 applied, with decided spans) and checks that opening it applies the
// later migrations and carries the data over: the learned-phrase counts of 0002 are
// computed from the existing spans.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	first, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(first),
		`INSERT INTO labels (name, kind, color) VALUES ('LOCATION', 'span', '#009988')`,
		`INSERT INTO documents (id, added, sha256, text) VALUES (1, 0, '', 'in Kato and Kato')`,
		`INSERT INTO spans (doc, start, "end", label, status, created, updated, text) VALUES
			(1, 3, 7, 'LOCATION', 'accepted', 0, 0, 'Kato'), (1, 12, 16, 'LOCATION', 'rejected', 0, 0, 'Kato'),
			(1, 0, 2, 'LOCATION', 'suggested', 0, 0, 'in')`,
		`PRAGMA user_version = 1`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()

	s := mustOpenPath(t, path)
	phrases, err := s.LearnedPhrases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(phrases) != 1 || phrases[0] != (annotate.PhraseStat{Text: "Kato", Label: "LOCATION", Accepted: 1, Rejected: 1}) {
		t.Fatalf("phrases after migration = %+v", phrases)
	}
	sc, _ := s.Schema(ctx)
	if len(sc.Labels) != 1 {
		t.Fatalf("an existing database got the default labels: %d labels", len(sc.Labels))
	}
	var version int
	db, _ = sql.Open("sqlite3", path)
	defer db.Close()
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != sqlite.SchemaVersion() {
		t.Fatalf("user_version %d (%v), want %d", version, err, sqlite.SchemaVersion())
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(junk, []byte("this is not a database, just some text that is long enough to have a header......................................................"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := hashFile(t, junk)
	for name, path := range map[string]string{
		"ErrNotADatabase": junk,
		"ErrNoFolder":     filepath.Join(dir, "missing", "e.db"),
		"ErrDirectory":    dir,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Fatalf("open %s: %v (code %q), want invalid", path, err, annotate.ErrorCode(err))
			}
		})
	}
	if hashFile(t, junk) != before {
		t.Fatal("opening a file that is not a database changed it")
	}
}
