package export_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"evident/annotate/ingest"
	"evident/annotate/sqlite"
	"evident/assets"
	"evident/export"
)

// importInto imports one file into a new database and returns the store.
func importInto(t *testing.T, file string) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "evident.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := ingest.ImportFiles(ctx, st, []string{file}, ingest.Options{Annotator: "roundtrip"}, nil); err != nil {
		t.Fatalf("import %s: %v", file, err)
	}
	return st
}

// TestRoundTrip: importing a jsonl or doccano export into an empty database and
// exporting again gives identical bytes, for text with emoji, CJK, Arabic, combining
// marks, CRLF and tabs. The first database is itself filled by importing the fixture's
// export, so origins and annotators are those an import gives.
func TestRoundTrip(t *testing.T) {
	for _, f := range []export.Format{export.FormatJSONL, export.FormatDoccano} {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			ctx := context.Background()
			seed := filepath.Join(dir, "seed.jsonl")
			if _, err := export.Run(ctx, fixture(t), export.Options{Format: f, Out: seed}, nil); err != nil {
				t.Fatal(err)
			}
			first := filepath.Join(dir, "first.jsonl")
			if _, err := export.Run(ctx, importInto(t, seed), export.Options{Format: f, Out: first}, nil); err != nil {
				t.Fatal(err)
			}
			second := filepath.Join(dir, "second.jsonl")
			res, err := export.Run(ctx, importInto(t, first), export.Options{Format: f, Out: second}, nil)
			if err != nil {
				t.Fatal(err)
			}
			a, b := mustRead(t, first), mustRead(t, second)
			if res.Documents != 5 || res.Spans == 0 {
				t.Fatalf("second export: %+v", res)
			}
			if !bytes.Equal(a, b) {
				al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
				for i := range min(len(al), len(bl)) {
					if !bytes.Equal(al[i], bl[i]) {
						t.Fatalf("line %d differs after a round trip:\nfirst:  %s\nsecond: %s", i+1, al[i], bl[i])
					}
				}
				t.Fatalf("exports differ in length: %d and %d lines", len(al), len(bl))
			}
			// And the spans survived the first import: same offsets, labels, texts,
			// claimants and events as the fixture's own export (origin and annotator are
			// the importer's, and the store fills in claimant_text).
			if f == export.FormatJSONL {
				type key struct {
					start, end  int
					label, text string
					claimant    any
				}
				view := func(b []byte) (spans [][]key, events []string) {
					for _, l := range parseJSONL[jsonlLine](t, b) {
						var ks []key
						for _, s := range l.Spans {
							ks = append(ks, key{s.Start, s.End, s.Label, s.Text, s.Attrs["claimant"]})
						}
						spans = append(spans, ks)
						events = append(events, fmt.Sprint(l.Events))
					}
					return spans, events
				}
				s0, e0 := view(mustRead(t, seed))
				s1, e1 := view(a)
				if !reflect.DeepEqual(s0, s1) || !reflect.DeepEqual(e0, e1) {
					t.Errorf("import changed spans or events:\n%v\n%v\n%v\n%v", s0, s1, e0, e1)
				}
			}
			if f == export.FormatDoccano {
				if s := mustRead(t, seed); !bytes.Equal(s, a) {
					t.Errorf("doccano export of the imported fixture differs from the fixture's:\n%s\n%s", s, a)
				}
			}
			_ = os.Remove(second)
		})
	}
}
