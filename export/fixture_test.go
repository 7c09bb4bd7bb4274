package export_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"evident/annotate"
	"evident/assets"
	"evident/export"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fakeDoc is one document of the in-memory source.
type fakeDoc struct {
	doc    annotate.Document
	spans  []annotate.Span
	events []annotate.Event
}

// fakeSource is an in-memory export.Source. failAt > 0 makes EachDocument fail before
// the failAt-th document (1-based), as a database gone away halfway would.
type fakeSource struct {
	schema *annotate.Schema
	docs   []fakeDoc
	failAt int
	calls  int
}

func (f *fakeSource) Schema(context.Context) (*annotate.Schema, error) { return f.schema, nil }

var errHalfway = errors.New("source failed halfway")

func (f *fakeSource) EachDocument(ctx context.Context, ef annotate.ExportFilter, fn func(*annotate.Document, []annotate.Span, []annotate.Event) error) error {
	f.calls++
	for i := range f.docs {
		if f.failAt > 0 && i+1 == f.failAt {
			return errHalfway
		}
		d := f.docs[i]
		doc := d.doc
		// Hand out copies, as a store would: the exporter may not keep or change ours.
		spans := append([]annotate.Span(nil), d.spans...)
		events := append([]annotate.Event(nil), d.events...)
		if err := fn(&doc, spans, events); err != nil {
			return err
		}
	}
	return nil
}

func mustSchema(t testing.TB) *annotate.Schema {
	t.Helper()
	s, err := annotate.ParseSchema(assets.Schema())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// docBuilder makes a fixture document, finding spans by their text so the offsets are
// right by construction (in code points).
type docBuilder struct {
	t      testing.TB
	d      fakeDoc
	nextID *int64
}

func newDoc(t testing.TB, nextID *int64, id int64, ext, title, text string) *docBuilder {
	return &docBuilder{t: t, nextID: nextID, d: fakeDoc{doc: annotate.Document{
		ID: id, ExternalID: ext, Title: title, Source: "Evident Wire", Published: "2026-03-0" + string(rune('0'+id)),
		Text: text, SHA256: annotate.TextHash(text), Status: annotate.DocDone,
	}}}
}

// span adds a span over the nth (0-based) occurrence of sub.
func (b *docBuilder) span(sub, label string, nth int, st annotate.Status, attrs string) int64 {
	b.t.Helper()
	at := -1
	from := 0
	for k := 0; k <= nth; k++ {
		i := strings.Index(b.d.doc.Text[from:], sub)
		if i < 0 {
			b.t.Fatalf("fixture: %q not found in %q", sub, b.d.doc.Title)
		}
		at = from + i
		from = at + len(sub)
	}
	start := utf8.RuneCountInString(b.d.doc.Text[:at])
	*b.nextID++
	s := annotate.Span{ID: *b.nextID, DocID: b.d.doc.ID, Start: start, End: start + utf8.RuneCountInString(sub),
		Label: label, Status: st, Origin: "manual", Annotator: "ana"}
	if attrs != "" {
		s.Attrs = json.RawMessage(attrs)
	}
	b.d.spans = append(b.d.spans, s)
	return s.ID
}

func (b *docBuilder) event(typ string, trigger int64, args ...any) {
	e := annotate.Event{ID: *b.nextID*100 + int64(len(b.d.events)), DocID: b.d.doc.ID, Type: typ, Trigger: trigger, Status: annotate.StatusAccepted}
	for i := 0; i+1 < len(args); i += 2 {
		e.Args = append(e.Args, annotate.Argument{Role: args[i].(string), SpanID: args[i+1].(int64)})
	}
	b.d.events = append(b.d.events, e)
}

const acc, sug, rej = annotate.StatusAccepted, annotate.StatusSuggested, annotate.StatusRejected

// fixture is a small corpus in our own words with every kind of text that breaks offsets:
// emoji (astral and ZWJ sequences), CJK, Arabic, combining marks, CRLF and tabs, and cells
// a spreadsheet would run as formulas.
func fixture(t testing.TB) *fakeSource {
	var id int64
	src := &fakeSource{schema: mustSchema(t)}

	a := newDoc(t, &id, 1, "wire-001", "Drone strike near Port Halden",
		"Drone strike 💥 hit Port Halden\r\nlate on Tuesday; at least 12 civilians were killed,\tthe health ministry said.\r\nA 👨‍👩‍👧 family fled.")
	trig := a.span("strike", "ATTACK", 0, acc, "")
	wpn := a.span("Drone", "WEAPON", 0, acc, "")
	loc := a.span("Port Halden", "LOCATION", 0, acc, "")
	tm := a.span("late on Tuesday", "TIME", 0, sug, "")
	src1 := a.span("health ministry", "SOURCE", 0, acc, "")
	cas := a.span("at least 12 civilians", "CASUALTY", 0, acc, `{"kind":"killed","low":12,"qualifier":"at_least","victims":["civilians"],"claimant":`+itoa(src1)+`,"scope":"incident"}`)
	death := a.span("killed", "DEATH", 0, acc, "")
	a.span("civilians were", "VICTIM", 0, rej, "")
	a.span("Halden\r\nlate", "LOCATION", 0, rej, "") // crosses CRLF
	a.span("👨‍👩‍👧 family", "VICTIM", 0, acc, "")
	a.event("ATTACK", trig, "instrument", wpn, "place", loc, "time", tm, "casualties", cas)
	a.event("DEATH", death, "casualties", cas, "source", src1, "place", loc)

	b := newDoc(t, &id, 2, "cjk-002", "港口遭袭",
		"周二清晨，导弹袭击了北港，造成至少３人死亡。\n卫生部门表示，另有１０人受伤。")
	bt := b.span("袭击", "ATTACK", 0, acc, "")
	bw := b.span("导弹", "WEAPON", 0, acc, "")
	bl := b.span("北港", "LOCATION", 0, acc, "")
	bc := b.span("至少３人", "CASUALTY", 0, acc, `{"kind":"killed","low":3,"qualifier":"at_least","victims":["people"],"claimant_text":"卫生部门"}`)
	b.span("卫生部门", "SOURCE", 0, acc, "")
	b.span("１０人", "CASUALTY", 0, acc, `{"kind":"injured","low":10,"high":10,"qualifier":"exact","victims":["people"]}`)
	b.event("ATTACK", bt, "instrument", bw, "place", bl, "casualties", bc)

	c := newDoc(t, &id, 3, "ar-003", "غارة على حلب",
		"قال مسؤولون إن غارة جوية قتلت خمسة أشخاص في حلب يوم الأحد.")
	c.span("غارة جوية", "ATTACK", 0, acc, "")
	c.span("خمسة أشخاص", "CASUALTY", 0, acc, `{"kind":"killed","low":5,"high":5,"qualifier":"exact","victims":["people"]}`)
	c.span("حلب", "LOCATION", 0, acc, "")
	c.span("مسؤولون", "SOURCE", 0, sug, "")

	d := newDoc(t, &id, 4, "", "Cafe\u0301 shelled in Ko\u0308lnberg",
		"=HYPERLINK(\"x\") was scrawled on the Cafe\u0301 wall.\n-3 dead, +2 hurt, @night: \"nearly 25,500 people\" displaced in Ko\u0308lnberg, said ＠Desk. The cafe was shelled twice.")
	d.span("Cafe\u0301", "TARGET", 0, acc, "")
	d.span("Ko\u0308lnberg", "LOCATION", 0, acc, "")
	d.span("=HYPERLINK(\"x\")", "CASUALTY", 0, acc, `{"kind":"missing","qualifier":"approx","victims":["people"],"claimant_text":"=cmd|' /C calc'!A0","scope":"single"}`)
	d.span("-3 dead", "CASUALTY", 0, acc, `{"kind":"killed","low":3,"high":3,"qualifier":"exact"}`)
	d.span("nearly 25,500 people", "CASUALTY", 0, acc, `{"kind":"displaced","low":25500,"high":25500,"qualifier":"approx","victims":["people"],"scope":"cumulative"}`)
	d.span("shelled", "ATTACK", 0, sug, "")
	// Overlapping and nested spans for conll's rule: "3 dead" inside "-3 dead" (shorter),
	// and two equally long spans over the same words.
	d.span("3 dead", "VICTIM", 0, acc, "")
	d.span("+2 hurt", "CASUALTY", 0, acc, `{"kind":"injured","low":2,"high":2,"qualifier":"exact"}`)
	d.span("+2 hurt", "VICTIM", 0, acc, "")

	e := newDoc(t, &id, 5, "empty-005", "No annotations", "Nothing happened here.\tQuiet day.")

	src.docs = []fakeDoc{a.d, b.d, c.d, d.d, e.d}
	return src
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sliceIn slices text by [start, end) in the given offset convention, or fails.
func sliceIn(t testing.TB, text string, u export.Unit, start, end int) string {
	t.Helper()
	switch u {
	case export.Bytes:
		if start < 0 || end > len(text) || start > end || !utf8.ValidString(text[start:end]) {
			t.Fatalf("byte range [%d,%d) does not slice %q to valid UTF-8", start, end, text)
		}
		return text[start:end]
	case export.UTF16:
		u16 := utf16.Encode([]rune(text))
		if start < 0 || end > len(u16) || start > end {
			t.Fatalf("utf16 range [%d,%d) out of %d units", start, end, len(u16))
		}
		if (start > 0 && utf16.IsSurrogate(rune(u16[start])) && u16[start] >= 0xDC00) ||
			(end < len(u16) && end > 0 && u16[end] >= 0xDC00 && u16[end] <= 0xDFFF) {
			t.Fatalf("utf16 range [%d,%d) splits a surrogate pair", start, end)
		}
		return string(utf16.Decode(u16[start:end]))
	default:
		r := []rune(text)
		if start < 0 || end > len(r) || start > end {
			t.Fatalf("code point range [%d,%d) out of %d", start, end, len(r))
		}
		return string(r[start:end])
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./export -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the golden file; diff with -update and git diff.\ngot:\n%s", name, got)
	}
}
