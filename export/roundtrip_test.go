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
				// The export's own top-level keys (sha256, tokens) are not metadata: an
				// importer that keeps them in meta grows every document's meta.
				m0, m1 := parseJSONL[jsonlLine](t, mustRead(t, seed)), parseJSONL[jsonlLine](t, a)
				for i := range min(len(m0), len(m1)) {
					if !bytes.Equal(m0[i].Meta, m1[i].Meta) {
						t.Errorf("%s: meta %s became %s after an import", m0[i].ID, m0[i].Meta, m1[i].Meta)
					}
				}
			}
			if f == export.FormatDoccano {
				// Every field of doccano survives an import, so the export of the imported
				// fixture is the fixture's own export. A document without spans has
				// "label":[], which the importer must read as no spans, not as a class label
				// to keep in meta.
				sl, al := bytes.Split(mustRead(t, seed), []byte("\n")), bytes.Split(a, []byte("\n"))
				for i := range min(len(sl), len(al)) {
					if !bytes.Equal(sl[i], al[i]) {
						t.Errorf("doccano line %d changed by an import:\nexported: %s\nimported: %s", i+1, sl[i], al[i])
					}
				}
			}
			_ = os.Remove(second)
		})
	}
}
