package app_test

import (
	"context"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// TestSearchPane: Ctrl+Shift+F opens the search pane with the query box focused; typing
// lists hits (off the GUI goroutine, newest query wins); Enter opens the first hit's
// document with every hit in it marked and the hit selected; F3 steps to the next hit in
// another document; the document list narrows to the documents hit.
func TestSearchPane(t *testing.T) {
	f := newFixture(t)
	a := f.addDoc("Shelling in Kharkiv", report)
	f.addDoc("Quiet day", "Markets reopened and nothing happened.")
	b := f.addDoc("Another toll", "Twelve civilians died; civilians fled. 北京")
	w := f.window("alice")
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	box := w.SearchBox()
	if box == nil {
		t.Fatal("Ctrl+Shift+F opened no search pane")
	}
	// The pane is in the main window and its box has that window's focus: what is typed
	// next goes there, not to the document (where letters are label keys).
	if got := w.Window().Canvas().Focused(); got != box {
		t.Fatalf("the main window's focus is on %T, want the query box", got)
	}
	test.Type(w.Window().Canvas().Focused(), "civil")
	w.Idle()
	hits := w.SearchHits()
	if len(hits) != 3 || hits[0].DocID != b || hits[2].DocID != a {
		t.Fatalf("hits for civil, newest first: %+v", hits)
	}
	box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Idle()
	if last, _ := f.st.Setting(context.Background(), "window.last_document"); last != itoa(b) {
		t.Fatalf("Enter opened document %s, want %d", last, b)
	}
	if m := w.View().Marks(); len(m) != 2 || m[0] != [2]int{7, 16} {
		t.Errorf("marks in the open document: %v", m)
	}
	if s, e, ok := w.View().Selection(); !ok || s != 7 || e != 16 {
		t.Errorf("selection %d-%d %v, want the first hit 7-16", s, e, ok)
	}
	key(w, fyne.KeyF3, 0) // second hit, same document
	key(w, fyne.KeyF3, 0) // third hit: the Kharkiv report
	w.Idle()
	if last, _ := f.st.Setting(context.Background(), "window.last_document"); last != itoa(a) {
		t.Errorf("F3 twice opened %s, want %d", last, a)
	}
	if s, _, ok := w.View().Selection(); !ok || s != 54 {
		t.Errorf("F3: selection starts at %d, want 54 (civilians)", s)
	}
	key(w, fyne.KeyF3, fyne.KeyModifierShift)
	if s, _, ok := w.View().Selection(); !ok || s != 23 {
		t.Errorf("Shift+F3: selection at %d, want 23 in the other document", s)
	}
	// Ctrl+Shift+F again: the box has the focus and its text selected, so a new query
	// replaces the old; Escape closes the pane and gives the document the keys back.
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if got := w.Window().Canvas().Focused(); got != w.SearchBox() {
		t.Fatalf("second Ctrl+Shift+F: focus on %T", got)
	}
	test.Type(w.Window().Canvas().Focused(), "北京")
	w.Idle()
	if hits := w.SearchHits(); len(hits) != 1 || hits[0].DocID != b || hits[0].Text != "北京" {
		t.Fatalf("a second query typed over the first: %+v", hits)
	}
	w.SearchBox().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.SearchBox() != nil {
		t.Fatal("Escape left the pane open")
	}
	if got := w.Window().Canvas().Focused(); got != w.View() {
		t.Fatalf("after Escape the focus is on %T, want the document", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
