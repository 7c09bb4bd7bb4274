// Package guide shows the annotation guideline inside Evident: a list of its sections, the
// selected section rendered from Markdown, and a search that narrows the list to the
// sections that mention a phrase and marks the phrase in the text.
package guide

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/docs"
)

var _ fyne.Widget = (*Viewer)(nil)

// Section is one "## " section of the guideline; the text before the first one is the
// introduction, titled by the document's "# " heading.
type Section struct {
	Title string
	Body  string // Markdown, starting with the heading line
}

// Split cuts a Markdown document into sections at its "## " headings. Headings inside
// fenced code blocks are not headings.
func Split(md string) []Section {
	var out []Section
	cur := Section{Title: "Introduction"}
	var body strings.Builder
	fenced := false
	flush := func() {
		cur.Body = strings.TrimRight(body.String(), "\n") + "\n"
		if strings.TrimSpace(cur.Body) != "" {
			out = append(out, cur)
		}
		body.Reset()
	}
	for line := range strings.SplitAfterSeq(md, "\n") {
		trimmed := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trimmed, "```") {
			fenced = !fenced
		}
		switch {
		case !fenced && strings.HasPrefix(trimmed, "## "):
			flush()
			cur = Section{Title: strings.TrimSpace(trimmed[3:])}
		case !fenced && len(out) == 0 && body.Len() == 0 && strings.HasPrefix(trimmed, "# "):
			cur.Title = strings.TrimSpace(trimmed[2:])
		}
		body.WriteString(line)
	}
	flush()
	return out
}

// Slug is the anchor GitHub gives a heading: lower case, punctuation dropped, spaces as
// hyphens. The guideline's table of contents links to sections by it.
func Slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Matches returns the byte ranges of the case-insensitive occurrences of q in s, not
// overlapping, in order.
func Matches(s, q string) [][2]int {
	if q == "" {
		return nil
	}
	n := utf8.RuneCountInString(q)
	var out [][2]int
	for i := 0; i < len(s); {
		j, k := i, 0
		for k < n && j < len(s) {
			_, w := utf8.DecodeRuneInString(s[j:])
			j += w
			k++
		}
		if k == n && strings.EqualFold(s[i:j], q) {
			out = append(out, [2]int{i, j})
			i = j
			continue
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return out
}

// Viewer is the guideline widget. Use it from the GUI goroutine.
type Viewer struct {
	widget.BaseWidget

	sections []Section
	counts   []int // matches of the query per section
	visible  []int // indices of the sections the list shows
	current  int
	query    string
	shown    struct {
		section int
		query   string
	}

	entry   *widget.Entry
	list    *widget.List
	content *widget.RichText
	scroll  *container.Scroll
	status  *widget.Label
	body    fyne.CanvasObject
}

// New makes a viewer over a Markdown guideline (docs.Guideline() in the program).
func New(markdown string) *Viewer {
	v := &Viewer{sections: Split(markdown), current: -1}
	v.shown.section = -1
	v.counts = make([]int, len(v.sections))
	v.visible = make([]int, len(v.sections))
	for i := range v.visible {
		v.visible[i] = i
	}
	v.entry = widget.NewEntry()
	v.entry.SetPlaceHolder("Search the guideline (Enter: next section)")
	v.entry.OnChanged = v.Search
	v.entry.OnSubmitted = func(string) { v.NextMatch() }
	v.status = widget.NewLabel("")
	v.content = widget.NewRichText()
	v.content.Wrapping = fyne.TextWrapWord
	v.scroll = container.NewVScroll(v.content)
	v.list = widget.NewList(
		func() int { return len(v.visible) },
		func() fyne.CanvasObject {
			count := widget.NewLabel("")
			count.Importance = widget.HighImportance
			title := widget.NewLabel("")
			title.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, count, title)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			title, count := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			i := v.visible[id]
			title.SetText(v.sections[i].Title)
			if v.query != "" {
				count.SetText(fmt.Sprint(v.counts[i]))
			} else {
				count.SetText("")
			}
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(v.visible) {
			v.show(v.visible[id])
		}
	}
	split := container.NewHSplit(v.list, v.scroll)
	split.Offset = 0.26
	v.body = container.NewBorder(container.NewBorder(nil, nil, nil, v.status, v.entry), nil, nil, nil, split)
	v.ExtendBaseWidget(v)
	if len(v.sections) > 0 {
		v.ShowSection(0)
	}
	return v
}

// CreateRenderer lays out the search field above the section list and the text.
func (v *Viewer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.body)
}

// Sections returns the guideline's sections.
func (v *Viewer) Sections() []Section { return v.sections }

// Listed returns the indices of the sections the list shows: all of them, or those
// that match the search.
func (v *Viewer) Listed() []int { return append([]int(nil), v.visible...) }

// Count returns the number of matches of the current search in section i.
func (v *Viewer) Count(i int) int { return v.counts[i] }

// Current returns the index of the section shown, or -1.
func (v *Viewer) Current() int { return v.current }

// CurrentTitle returns the title of the section shown, or "".
func (v *Viewer) CurrentTitle() string {
	if v.current < 0 {
		return ""
	}
	return v.sections[v.current].Title
}

// Content returns the rich text of the section shown (for tests and for copying).
func (v *Viewer) Content() *widget.RichText { return v.content }

// FocusSearch puts the keyboard in the search field.
func (v *Viewer) FocusSearch(c fyne.Canvas) {
	if c != nil {
		c.Focus(v.entry)
	}
}

// Search narrows the list to the sections whose title or text contains q (ignoring
// case), shows the first of them and marks the matches. An empty q shows every section.
func (v *Viewer) Search(q string) {
	q = strings.TrimSpace(q)
	if strings.TrimSpace(v.entry.Text) != q {
		// Called from code: show the query in the field without coming back here.
		v.entry.OnChanged = nil
		v.entry.SetText(q)
		v.entry.OnChanged = v.Search
	}
	v.query = q
	v.visible = v.visible[:0]
	total := 0
	for i, s := range v.sections {
		v.counts[i] = len(Matches(s.Body, q))
		if q == "" || v.counts[i] > 0 {
			v.visible = append(v.visible, i)
		}
		total += v.counts[i]
	}
	switch {
	case q == "":
		v.status.SetText("")
	case total == 0:
		v.status.SetText("no match")
	default:
		v.status.SetText(fmt.Sprintf("%d in %d sections", total, len(v.visible)))
	}
	v.list.UnselectAll()
	v.list.Refresh()
	target := v.current
	if q != "" && (target < 0 || v.counts[target] == 0) && len(v.visible) > 0 {
		target = v.visible[0]
	}
	if target < 0 {
		return
	}
	v.show(target) // re-marks the text even when the section stays
	if pos := v.position(target); pos >= 0 {
		v.list.Select(pos)
		v.list.ScrollTo(pos)
	}
}

// NextMatch shows the next section that matches the search, wrapping around.
func (v *Viewer) NextMatch() {
	if len(v.visible) == 0 {
		return
	}
	for k, i := range v.visible {
		if i == v.current {
			v.ShowSection(v.visible[(k+1)%len(v.visible)])
			return
		}
	}
	v.ShowSection(v.visible[0])
}

// ShowSection selects section i in the list and shows it. A section hidden by the
// search is shown after clearing the search.
func (v *Viewer) ShowSection(i int) {
	if i < 0 || i >= len(v.sections) {
		return
	}
	pos := v.position(i)
	if pos < 0 {
		v.Search("") // lists every section again
		pos = v.position(i)
	}
	v.show(i)
	v.list.Select(pos)
	v.list.ScrollTo(pos)
}

// ShowLabel shows the section about a label ("## CASUALTY" for "CASUALTY"); it reports
// whether there is one.
func (v *Viewer) ShowLabel(name string) bool {
	i := v.find(func(s Section) bool { return strings.EqualFold(s.Title, strings.TrimSpace(name)) })
	if i < 0 {
		return false
	}
	v.ShowSection(i)
	return true
}

func (v *Viewer) find(pred func(Section) bool) int {
	for i, s := range v.sections {
		if pred(s) {
			return i
		}
	}
	return -1
}

func (v *Viewer) position(i int) int {
	for k, j := range v.visible {
		if j == i {
			return k
		}
	}
	return -1
}

// show renders section i with the query's matches marked, and scrolls to the first.
func (v *Viewer) show(i int) {
	v.current = i
	if v.shown.section == i && v.shown.query == v.query {
		return
	}
	v.shown.section, v.shown.query = i, v.query
	segs := widget.NewRichTextFromMarkdown(v.sections[i].Body).Segments
	v.linkAnchors(segs)
	var first, before int = -1, 0
	segs = mark(segs, v.query, &first, &before)
	v.content.Segments = segs
	v.content.Refresh()
	v.scroll.ScrollToTop()
	if first > 0 && before > 0 {
		// RichText does not say where a segment lands; place the first match by its
		// share of the text, a little below the top edge.
		h := v.content.MinSize().Height
		y := h*float32(first)/float32(before) - v.scroll.Size().Height/3
		if y > 0 {
			v.scroll.Offset = fyne.NewPos(0, y)
			v.scroll.Refresh()
		}
	}
}

// linkAnchors makes the guideline's links to its own headings ("#casualty-figures")
// open that section instead of a browser.
func (v *Viewer) linkAnchors(segs []widget.RichTextSegment) {
	walk(segs, func(s widget.RichTextSegment) {
		h, ok := s.(*widget.HyperlinkSegment)
		if !ok || h.URL == nil || h.URL.Fragment == "" || h.URL.Host != "" || h.URL.Path != "" {
			return
		}
		slug := h.URL.Fragment
		h.OnTapped = func() {
			if i := v.find(func(s Section) bool { return Slug(s.Title) == slug }); i >= 0 {
				v.ShowSection(i)
			}
		}
	})
}

func walk(segs []widget.RichTextSegment, fn func(widget.RichTextSegment)) {
	for _, s := range segs {
		fn(s)
		switch t := s.(type) {
		case *widget.ParagraphSegment:
			walk(t.Texts, fn)
		case *widget.ListSegment:
			walk(t.Items, fn)
		}
	}
}

// mark splits text segments around the matches of q and styles the matches in the
// theme's primary colour, bold. first receives the length of text before the first
// match and total the length of all text, which place the first match vertically.
func mark(segs []widget.RichTextSegment, q string, first, total *int) []widget.RichTextSegment {
	out := make([]widget.RichTextSegment, 0, len(segs))
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			ms := Matches(t.Text, q)
			if len(ms) > 0 && *first < 0 {
				*first = *total + ms[0][0]
			}
			*total += len(t.Text)
			if len(ms) == 0 {
				out = append(out, t)
				continue
			}
			at := 0
			for _, m := range ms {
				if m[0] > at {
					out = append(out, &widget.TextSegment{Style: inline(t.Style), Text: t.Text[at:m[0]]})
				}
				hl := inline(t.Style)
				hl.ColorName = theme.ColorNamePrimary
				hl.TextStyle.Bold = true
				out = append(out, &widget.TextSegment{Style: hl, Text: t.Text[m[0]:m[1]]})
				at = m[1]
			}
			if at < len(t.Text) {
				out = append(out, &widget.TextSegment{Style: inline(t.Style), Text: t.Text[at:]})
			}
			if !t.Style.Inline {
				// The original ended its line; keep that break after the last piece.
				out[len(out)-1].(*widget.TextSegment).Style.Inline = false
			}
		case *widget.ParagraphSegment:
			t.Texts = mark(t.Texts, q, first, total)
			out = append(out, t)
		case *widget.ListSegment:
			t.Items = mark(t.Items, q, first, total)
			out = append(out, t)
		case *widget.HyperlinkSegment:
			*total += len(t.Text)
			out = append(out, t)
		default:
			out = append(out, s)
		}
	}
	return out
}

// inline returns st for a piece of a split segment: every piece but the last stays on
// the line.
func inline(st widget.RichTextStyle) widget.RichTextStyle {
	st.Inline = true
	return st
}

// NewWindow opens the guideline in a window of its own, on the section of label when
// label is not empty. Escape closes it and Ctrl+F goes to the search field.
func NewWindow(a fyne.App, label string) (fyne.Window, *Viewer) {
	w := a.NewWindow("Evident — annotation guideline")
	v := New(docs.Guideline())
	if label != "" {
		v.ShowLabel(label)
	}
	w.SetContent(v)
	w.Resize(fyne.NewSize(1000, 720))
	w.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	ctrlF := &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	w.Canvas().AddShortcut(ctrlF, func(fyne.Shortcut) { v.FocusSearch(w.Canvas()) })
	return w, v
}

// Show opens the guideline in a new window on the section of label ("" for the start)
// and focuses its search field. parent is the window it was asked from; the guideline
// gets its own window so it can sit beside the document.
func Show(parent fyne.Window, label string) *Viewer {
	a := fyne.CurrentApp()
	w, v := NewWindow(a, label)
	if parent != nil {
		w.CenterOnScreen()
	}
	w.Show()
	v.FocusSearch(w.Canvas())
	return v
}
