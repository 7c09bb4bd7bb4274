package app_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/app"
	"evident/assets"
)

// fixture is a real store on a temp file with documents in it.
type fixture struct {
	t      *testing.T
	st     *sqlite.Store
	schema *annotate.Schema
	path   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "evident.db")
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	schema, err := st.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st, schema: schema, path: path}
}

// addDoc imports a document and stores suggestions on it; it returns the document id.
func (f *fixture) addDoc(title, text string, sugg ...annotate.Span) int64 {
	f.t.Helper()
	ctx := context.Background()
	im, err := f.st.BeginImport(ctx, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	doc := &annotate.Document{ExternalID: title, Title: title, Source: "Wire", Published: "2024-02-03", Text: text}
	if _, err := im.Add(ctx, doc, annotate.Draft{}); err != nil {
		f.t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		f.t.Fatal(err)
	}
	docs, err := f.st.Documents(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	var id int64
	for _, d := range docs {
		if d.Title == title {
			id = d.ID
		}
	}
	if len(sugg) > 0 {
		for i := range sugg {
			sugg[i].Status = annotate.StatusSuggested
			sugg[i].Origin = "rule:test"
		}
		if _, err := f.st.AddSuggestions(ctx, id, annotate.Draft{Spans: sugg}, "suggester"); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

func (f *fixture) spans(docID int64) []annotate.Span {
	f.t.Helper()
	spans, err := f.st.Spans(context.Background(), docID, annotate.SpanFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return spans
}

func (f *fixture) span(docID int64, start, end int) annotate.Span {
	f.t.Helper()
	for _, s := range f.spans(docID) {
		if s.Start == start && s.End == end {
			return s
		}
	}
	f.t.Fatalf("no span [%d,%d) in document %d; have %+v", start, end, docID, f.spans(docID))
	return annotate.Span{}
}

func (f *fixture) window(annotator string) *app.Window {
	f.t.Helper()
	a := test.NewTempApp(f.t)
	w := app.NewWindow(a, app.Config{DBPath: f.path, Annotator: annotator, Store: f.st, Schema: f.schema})
	f.t.Cleanup(func() { w.Close() })
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.Idle()
	return w
}

func key(w *app.Window, name fyne.KeyName, mods fyne.KeyModifier) {
	w.View().OnKey(&fyne.KeyEvent{Name: name}, mods)
	w.Idle()
}

func typeRune(w *app.Window, r rune) {
	w.View().OnRune(r)
	w.Idle()
}

func shortcut(w *app.Window, s fyne.Shortcut) {
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(s)
	w.Idle()
}

const report = "Rebels shelled Kharkiv on Monday, killing at least 12 civilians, officials said."

// offsets of words in report, in code points
var (
	shelled  = annotate.Span{Start: 7, End: 14, Label: "ATTACK"}
	kharkiv  = annotate.Span{Start: 15, End: 22, Label: "LOCATION"}
	monday   = annotate.Span{Start: 26, End: 32, Label: "TIME"}
	civilian = annotate.Span{Start: 42, End: 63, Label: "CASUALTY"}
)

func TestAcceptWithEnter(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, shelled, kharkiv)
	w := f.window("alice")
	s, ok := w.View().Focused()
	if !ok || s.Start != shelled.Start {
		t.Fatalf("focused = %+v, %v; want the first suggestion focused on open", s, ok)
	}
	key(w, fyne.KeyReturn, 0)
	got := f.span(id, shelled.Start, shelled.End)
	if got.Status != annotate.StatusAccepted || got.Annotator != "alice" {
		t.Errorf("after Enter: status %s by %q, want accepted by alice", got.Status, got.Annotator)
	}
	if other := f.span(id, kharkiv.Start, kharkiv.End); other.Status != annotate.StatusSuggested {
		t.Errorf("the other suggestion changed to %s", other.Status)
	}
	// Focus moved on to the next suggestion, so a second "a" accepts Kharkiv.
	typeRune(w, 'a')
	if got := f.span(id, kharkiv.Start, kharkiv.End); got.Status != annotate.StatusAccepted {
		t.Errorf("after a: Kharkiv is %s, want accepted", got.Status)
	}
	if w.Status() != "Saved ✓" {
		t.Errorf("status bar says %q, want Saved ✓", w.Status())
	}
	if doc, _ := f.st.Document(context.Background(), id); doc.Status != annotate.DocInProgress {
		t.Errorf("document is %s after decisions, want in_progress", doc.Status)
	}
}

func TestRejectWithX(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, shelled, kharkiv, monday)
	w := f.window("alice")
	key(w, fyne.KeyTab, 0) // from shelled to Kharkiv
	typeRune(w, 'x')
	if got := f.span(id, kharkiv.Start, kharkiv.End); got.Status != annotate.StatusRejected {
		t.Errorf("Kharkiv is %s, want rejected", got.Status)
	}
	key(w, fyne.KeyDelete, 0) // focus moved on to Monday
	if got := f.span(id, monday.Start, monday.End); got.Status != annotate.StatusRejected {
		t.Errorf("Monday is %s, want rejected", got.Status)
	}
	if got := f.span(id, shelled.Start, shelled.End); got.Status != annotate.StatusSuggested {
		t.Errorf("shelled is %s, want still suggested", got.Status)
	}
}

func TestLabelKeyWithSelectionCreatesSpan(t *testing.T) {
	for _, tc := range []struct{ name, prefix string }{
		{"ASCII", ""},
		{"EmojiBefore", "🇺🇦 👩🏽‍⚕️ Update: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			text := tc.prefix + report
			id := f.addDoc("Shelling", text)
			w := f.window("alice")
			off := annotate.RuneLen(tc.prefix)
			w.View().SetSelection(off+kharkiv.Start, off+kharkiv.End)
			typeRune(w, '6') // LOCATION
			spans := f.spans(id)
			if len(spans) != 1 {
				t.Fatalf("spans = %+v, want one", spans)
			}
			s := spans[0]
			if s.Start != off+kharkiv.Start || s.End != off+kharkiv.End || s.Label != "LOCATION" ||
				s.Status != annotate.StatusAccepted || s.Origin != annotate.OriginManual || s.Text != "Kharkiv" {
				t.Errorf("created %+v, want LOCATION [%d,%d) \"Kharkiv\" accepted manual", s, off+kharkiv.Start, off+kharkiv.End)
			}
		})
	}
}

func TestLabelKeyRelabelsFocused(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, kharkiv)
	w := f.window("alice")
	typeRune(w, '5') // TARGET
	got := f.span(id, kharkiv.Start, kharkiv.End)
	if got.Label != "TARGET" || got.Status != annotate.StatusAccepted {
		t.Errorf("after 5: %s %s, want TARGET accepted", got.Label, got.Status)
	}
}

func TestUndoRedo(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, shelled, kharkiv)
	w := f.window("alice")
	key(w, fyne.KeyReturn, 0)
	if got := f.span(id, shelled.Start, shelled.End); got.Status != annotate.StatusAccepted {
		t.Fatalf("accept did not land: %s", got.Status)
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if got := f.span(id, shelled.Start, shelled.End); got.Status != annotate.StatusSuggested {
		t.Errorf("after undo: %s, want suggested", got.Status)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if got := f.span(id, shelled.Start, shelled.End); got.Status != annotate.StatusAccepted {
		t.Errorf("after redo: %s, want accepted", got.Status)
	}
	shortcut(w, &fyne.ShortcutUndo{})
	shortcut(w, &fyne.ShortcutRedo{}) // Ctrl+Y
	if got := f.span(id, shelled.Start, shelled.End); got.Status != annotate.StatusAccepted {
		t.Errorf("after undo + Ctrl+Y: %s, want accepted", got.Status)
	}
}

func TestMarkDoneOpensNext(t *testing.T) {
	f := newFixture(t)
	first := f.addDoc("First report", report, shelled)
	second := f.addDoc("Second report", report, kharkiv)
	w := f.window("alice")
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	doc, err := f.st.Document(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Status != annotate.DocDone {
		t.Errorf("first document is %s, want done", doc.Status)
	}
	last, _ := f.st.Setting(context.Background(), "window.last_document")
	if last != strconv.FormatInt(second, 10) {
		t.Errorf("open document is %s, want %d", last, second)
	}
	// The next document is the one keys act on now.
	key(w, fyne.KeyReturn, 0)
	if got := f.span(second, kharkiv.Start, kharkiv.End); got.Status != annotate.StatusAccepted {
		t.Errorf("Enter in the second document: Kharkiv is %s, want accepted", got.Status)
	}
}

func TestNextPreviousDocument(t *testing.T) {
	f := newFixture(t)
	a := f.addDoc("Alpha", report)
	b := f.addDoc("Bravo", report)
	w := f.window("alice")
	open := func() string { s, _ := f.st.Setting(context.Background(), "window.last_document"); return s }
	typeRune(w, 'n')
	if open() != strconv.FormatInt(b, 10) {
		t.Errorf("after n: open %s, want %d", open(), b)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt})
	if open() != strconv.FormatInt(a, 10) {
		t.Errorf("after Alt+Up: open %s, want %d", open(), a)
	}
}

func TestAcceptAllOfLabel(t *testing.T) {
	f := newFixture(t)
	text := "Strikes hit Kharkiv and Odesa; Kyiv was quiet."
	id := f.addDoc("Strikes", text,
		annotate.Span{Start: 0, End: 7, Label: "ATTACK"},
		annotate.Span{Start: 12, End: 19, Label: "LOCATION"},
		annotate.Span{Start: 24, End: 29, Label: "LOCATION"},
		annotate.Span{Start: 31, End: 35, Label: "LOCATION"})
	w := f.window("alice")
	var asked int
	w.SetConfirm(func(title, msg string) bool { asked++; return true })
	key(w, fyne.KeyTab, 0) // to Kharkiv
	typeRune(w, 'A')
	if asked != 1 {
		t.Errorf("asked %d times, want once", asked)
	}
	for _, s := range f.spans(id) {
		want := annotate.StatusAccepted
		if s.Label == "ATTACK" {
			want = annotate.StatusSuggested
		}
		if s.Status != want {
			t.Errorf("%s %q is %s, want %s", s.Label, s.Text, s.Status, want)
		}
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if got := f.span(id, 0, 7); got.Status != annotate.StatusAccepted {
		t.Errorf("after Ctrl+Shift+A: ATTACK is %s", got.Status)
	}
}

func TestSettingsRemembered(t *testing.T) {
	f := newFixture(t)
	f.addDoc("Alpha", report)
	b := f.addDoc("Bravo", report)
	w := f.window("")
	// First start: the name is asked in a dialog whose entry has the keyboard, and
	// keys do not reach the document behind it.
	e, ok := w.Window().Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("first start focused %T, want the annotator name entry", w.Window().Canvas().Focused())
	}
	typeRune(w, 'x')
	e.SetText("carol")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Idle()
	if w.Annotator() != "carol" {
		t.Fatalf("annotator %q after the dialog, want carol", w.Annotator())
	}
	typeRune(w, 'n')
	w.Idle()
	ctx := context.Background()
	if name, _ := f.st.Setting(ctx, "annotator"); name != "carol" {
		t.Errorf("stored annotator %q, want carol", name)
	}
	w.Window().Resize(fyne.NewSize(1500, 900))
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault})
	if size, _ := f.st.Setting(ctx, "window.size"); size != "1500x900" {
		t.Errorf("Ctrl+Q saved window size %q, want 1500x900", size)
	}
	w.Close()

	w2 := f.window("")
	if w2.Annotator() != "carol" {
		t.Errorf("second start: annotator %q, want carol without asking", w2.Annotator())
	}
	if sz := w2.Window().Canvas().Size(); sz.Width != 1500 || sz.Height != 900 {
		t.Errorf("second start: window size %v, want 1500x900", sz)
	}
	// Enter acts on the remembered document, Bravo.
	if last, _ := f.st.Setting(ctx, "window.last_document"); last != strconv.FormatInt(b, 10) {
		t.Errorf("last document %s, want %d", last, b)
	}
}

func TestAnnotatorFlagWins(t *testing.T) {
	// The annotator flag overrides the stored name and is not written back.
	f := newFixture(t)
	f.addDoc("Alpha", report)
	if err := f.st.SetSetting(context.Background(), "annotator", "stored"); err != nil {
		t.Fatal(err)
	}
	w := f.window("flag")
	if w.Annotator() != "flag" {
		t.Errorf("annotator %q, want flag", w.Annotator())
	}
	if name, _ := f.st.Setting(context.Background(), "annotator"); name != "stored" {
		t.Errorf("stored annotator overwritten with %q", name)
	}
}

func TestFilterOpensBestMatch(t *testing.T) {
	f := newFixture(t)
	f.addDoc("Drone strike on fuel depot", report)
	market := f.addDoc("Market reopens after curfew", report)
	f.addDoc("Port city shelled overnight", report)
	w := f.window("alice")
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	focused := w.Window().Canvas().Focused()
	if focused == nil || focused == fyne.Focusable(w.View()) {
		t.Fatalf("Ctrl+F focused %T, want the filter box", focused)
	}
	test.Type(focused, "mrkt")
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Idle()
	if last, _ := f.st.Setting(context.Background(), "window.last_document"); last != strconv.FormatInt(market, 10) {
		t.Errorf("Enter in the filter opened %s, want the market story %d", last, market)
	}
	if w.Window().Canvas().Focused() != fyne.Focusable(w.View()) {
		t.Errorf("focus after Enter in the filter: %T, want the document", w.Window().Canvas().Focused())
	}
}

func TestSuggestsForEmptyDocument(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report)
	f.addDoc("Other", report, monday)
	calls := 0
	a := test.NewTempApp(t)
	w := app.NewWindow(a, app.Config{DBPath: f.path, Annotator: "alice", Store: f.st, Schema: f.schema,
		Suggest: func(ctx context.Context, docID int64, _ func()) (int, error) {
			calls++
			s := kharkiv
			s.Status, s.Origin = annotate.StatusSuggested, "rule:test"
			return f.st.AddSuggestions(ctx, docID, annotate.Draft{Spans: []annotate.Span{s}}, "suggester")
		}})
	t.Cleanup(func() { w.Close() })
	w.Idle()
	if calls != 1 {
		t.Fatalf("suggester called %d times, want once", calls)
	}
	key(w, fyne.KeyReturn, 0)
	if got := f.span(id, kharkiv.Start, kharkiv.End); got.Status != annotate.StatusAccepted {
		t.Errorf("the fresh suggestion is %s after Enter, want accepted", got.Status)
	}
	// Reopening a document that has spans does not suggest again.
	typeRune(w, 'n')
	typeRune(w, 'p')
	if calls != 1 {
		t.Errorf("suggester called %d times after reopening, want once", calls)
	}
}

func TestStoreErrorIsShown(t *testing.T) {
	f := newFixture(t)
	f.addDoc("Shelling", report, shelled)
	w := f.window("alice")
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	key(w, fyne.KeyReturn, 0)
	if s := w.Status(); !strings.Contains(s, "accept") {
		t.Errorf("status bar says %q, want the failed accept", s)
	}
}

func TestListKeyboard(t *testing.T) {
	f := newFixture(t)
	f.addDoc("Alpha", report)
	b := f.addDoc("Bravo", report)
	w := f.window("alice")
	c := w.Window().Canvas()
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // filter -> list
	list := c.Focused()
	if list == nil || list == fyne.Focusable(w.View()) {
		t.Fatalf("Down in the filter focused %T, want the list", list)
	}
	list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Idle()
	if last, _ := f.st.Setting(context.Background(), "window.last_document"); last != strconv.FormatInt(b, 10) {
		t.Errorf("Down, Enter in the list opened %s, want Bravo %d", last, b)
	}
	if c.Focused() != fyne.Focusable(w.View()) {
		t.Errorf("focus after Enter in the list: %T, want the document", c.Focused())
	}
}

func TestAcceptAllAsksOnce(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, shelled, kharkiv, monday)
	w := f.window("alice")
	all := &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcut(w, all)
	typeRune(w, 'x')          // typed into the open dialog: must not reject anything
	key(w, fyne.KeyEscape, 0) // cancel
	for _, s := range f.spans(id) {
		if s.Status != annotate.StatusSuggested {
			t.Fatalf("after Escape %q is %s, want suggested", s.Text, s.Status)
		}
	}
	shortcut(w, all)
	key(w, fyne.KeyReturn, 0) // confirm
	for _, s := range f.spans(id) {
		if s.Status != annotate.StatusAccepted {
			t.Errorf("after confirming %q is %s, want accepted", s.Text, s.Status)
		}
	}
	if ops, _ := f.st.History(context.Background(), 10); len(ops) == 0 || ops[0].Kind != "set_status" {
		t.Errorf("history %+v, want one set_status action first", ops)
	}
	// One undo reverts the whole batch.
	shortcut(w, &fyne.ShortcutUndo{})
	for _, s := range f.spans(id) {
		if s.Status != annotate.StatusSuggested {
			t.Errorf("after undo %q is %s, want suggested", s.Text, s.Status)
		}
	}
}

func TestResizeByToken(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, shelled)
	w := f.window("alice")
	span := func() annotate.Span {
		t.Helper()
		spans := f.spans(id)
		if len(spans) != 1 {
			t.Fatalf("spans %+v", spans)
		}
		return spans[0]
	}
	altShift := func(k fyne.KeyName) {
		shortcut(w, &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift})
	}
	steps := []struct {
		name string
		do   func()
		text string
	}{
		{"Shift+Right grows the end", func() { key(w, fyne.KeyRight, fyne.KeyModifierShift) }, "shelled Kharkiv"},
		{"Shift+Left shrinks the end", func() { key(w, fyne.KeyLeft, fyne.KeyModifierShift) }, "shelled"},
		{"Shift+Left stops at one token", func() { key(w, fyne.KeyLeft, fyne.KeyModifierShift) }, "shelled"},
		{"Alt+Shift+Left grows the start", func() { altShift(fyne.KeyLeft) }, "Rebels shelled"},
		{"Alt+Shift+Right shrinks the start", func() { altShift(fyne.KeyRight) }, "shelled"},
		{"Alt+Shift+Left through the view", func() { key(w, fyne.KeyLeft, fyne.KeyModifierShift|fyne.KeyModifierAlt) }, "Rebels shelled"},
	}
	for _, st := range steps {
		st.do()
		if got := span(); got.Text != st.text || got.Label != "ATTACK" {
			t.Fatalf("%s: span %q [%d,%d), want %q", st.name, got.Text, got.Start, got.End, st.text)
		}
	}
	// Each step was one action: undo walks back through them.
	shortcut(w, &fyne.ShortcutUndo{})
	if got := span(); got.Text != "shelled" {
		t.Errorf("after undo: %q, want shelled", got.Text)
	}
}

func TestLabelPicker(t *testing.T) {
	f := newFixture(t)
	id := f.addDoc("Shelling", report, kharkiv)
	w := f.window("alice")
	c := w.Window().Canvas()
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierShortcutDefault})
	entry := c.Focused()
	if entry == nil || entry == fyne.Focusable(w.View()) {
		t.Fatalf("Ctrl+K focused %T, want the picker's search box", entry)
	}
	typeRune(w, 'x') // a key reaching the view while the picker is open does nothing
	test.Type(entry, "tar")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Idle()
	if got := f.span(id, kharkiv.Start, kharkiv.End); got.Label != "TARGET" || got.Status != annotate.StatusAccepted {
		t.Fatalf("after picking TARGET: %s %s", got.Label, got.Status)
	}
	if c.Focused() != fyne.Focusable(w.View()) {
		t.Errorf("focus after picking: %T, want the document", c.Focused())
	}
	// "/" opens it too; Down moves to the second match; Escape closes without a change.
	typeRune(w, '/')
	entry = c.Focused()
	test.Type(entry, "o")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	w.Idle()
	if got := f.span(id, kharkiv.Start, kharkiv.End); got.Label != "TARGET" {
		t.Errorf("Escape changed the label to %s", got.Label)
	}
	typeRune(w, '/')
	entry = c.Focused()
	test.Type(entry, "ti")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Idle()
	if got := f.span(id, kharkiv.Start, kharkiv.End); got.Label != "TIME" {
		t.Errorf("picking \"ti\": %s, want TIME", got.Label)
	}
}

// A closed Config.Done (SIGTERM, Ctrl+C in the terminal) quits the window as Ctrl+Q
// does: the window size is saved. Before, the signal was caught and nothing quit.
func TestDoneQuitsLikeCtrlQ(t *testing.T) {
	f := newFixture(t)
	f.addDoc("Alpha", report)
	done := make(chan struct{})
	a := test.NewTempApp(t)
	w := app.NewWindow(a, app.Config{DBPath: f.path, Annotator: "ann", Store: f.st, Schema: f.schema, Done: done})
	t.Cleanup(func() { w.Close() })
	w.Window().Resize(fyne.NewSize(1400, 850))
	w.Idle()
	close(done)
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	for {
		w.Idle()
		if size, _ := f.st.Setting(ctx, "window.size"); size == "1400x850" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("closing Done did not quit the window (no window size saved within 10 s)")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
