package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
)

// inspector is the right pane: the focused span, its casualty form, and the document's
// events with their arguments.
type inspector struct {
	w      *Window
	box    *fyne.Container
	scroll *container.Scroll
	sel    *widget.Label // describes the selection when no span is focused
}

func newInspector(w *Window) *inspector {
	in := &inspector{w: w, box: container.NewVBox()}
	in.scroll = container.NewVScroll(in.box)
	return in
}

func (in *inspector) object() fyne.CanvasObject { return in.scroll }

// refreshInspector rebuilds the pane for the focused span and the open document.
func (w *Window) refreshInspector() {
	if w.insp != nil {
		w.insp.rebuild()
	}
}

func heading(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func field(name, value string) fyne.CanvasObject {
	k := widget.NewLabel(name)
	k.TextStyle = fyne.TextStyle{Italic: true}
	v := widget.NewLabel(value)
	v.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(84, k.MinSize().Height), k), nil, v)
}

func (in *inspector) rebuild() {
	w := in.w
	var objs []fyne.CanvasObject
	s, focused := w.view.Focused()
	if focused {
		// The view may hold the span from before a reload; prefer the store's copy.
		for _, c := range w.spans {
			if c.ID == s.ID {
				s = c
			}
		}
	}
	switch {
	case w.doc == nil:
		objs = append(objs, heading("Inspector"), infoLabel("Open a document from the list."))
	case focused:
		objs = append(objs, in.spanSection(s)...)
	default:
		in.sel = infoLabel(in.selectionText())
		objs = append(objs, heading("Span"), in.sel)
	}
	if focused || w.doc == nil {
		in.sel = nil
	}
	if w.doc != nil {
		objs = append(objs, widget.NewSeparator())
		objs = append(objs, in.eventsSection(s, focused)...)
	}
	in.box.Objects = objs
	in.box.Refresh()
}

func (in *inspector) selectionText() string {
	w := in.w
	if start, end, ok := w.view.Selection(); ok && end > start && w.doc != nil {
		t, _ := w.offsets.Slice(w.doc.Text, start, end)
		return fmt.Sprintf("Selected “%s” (%d–%d). Press a label key, click the legend or Ctrl+K to label it.", clip(t, 200), start, end)
	}
	return "No span in focus. Tab moves to the next suggestion; select text and press a label key to add one."
}

// selectionChanged updates the pane while the user drags a selection: only the line
// describing it changes, so the pane is not rebuilt on every mouse move.
func (in *inspector) selectionChanged() {
	if _, focused := in.w.view.Focused(); !focused && in.sel != nil {
		in.sel.SetText(in.selectionText())
		return
	}
	in.rebuild()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func (in *inspector) spanSection(s annotate.Span) []fyne.CanvasObject {
	w := in.w
	text := s.Text
	if text == "" && w.offsets != nil {
		text, _ = w.offsets.Slice(w.doc.Text, s.Start, s.End)
	}
	quote := widget.NewLabelWithStyle("“"+clip(text, 400)+"”", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	quote.Wrapping = fyne.TextWrapWord
	lab, _ := w.schema.Label(s.Label)
	sw := canvas.NewRectangle(parseHex(lab.Color))
	sw.CornerRadius = 3
	sw.SetMinSize(fyne.NewSize(14, 14))
	status := widget.NewLabel(string(s.Status))
	switch s.Status {
	case annotate.StatusAccepted:
		status.Importance = widget.SuccessImportance
	case annotate.StatusRejected:
		status.Importance = widget.DangerImportance
	default:
		status.Importance = widget.WarningImportance
	}
	labelRow := container.NewHBox(container.NewCenter(sw), widget.NewLabelWithStyle(s.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), status)
	objs := []fyne.CanvasObject{
		heading("Span"),
		quote,
		labelRow,
	}
	if w.guideHas(s.Label) {
		label := s.Label
		link := widget.NewButtonWithIcon("Guideline: "+label, theme.HelpIcon(), func() { w.showGuideline(label) })
		link.Importance = widget.LowImportance
		link.Alignment = widget.ButtonAlignLeading
		objs = append(objs, link)
	}
	// The score is kept when a suggestion is accepted; a span without one says so rather
	// than showing a number it never had.
	objs = append(objs, proposerFields(s)...)
	objs = append(objs,
		field("Annotator", orDash(s.Annotator)),
		field("Offsets", fmt.Sprintf("%d–%d", s.Start, s.End)),
	)
	if s.Label == "CASUALTY" {
		objs = append(objs, widget.NewSeparator(), heading("Casualty figure"), in.casualtyForm(s))
	} else if len(s.Attrs) > 0 && string(s.Attrs) != "null" && string(s.Attrs) != "{}" {
		var buf bytes.Buffer
		if json.Indent(&buf, s.Attrs, "", "  ") != nil {
			buf.Reset()
			buf.Write(s.Attrs)
		}
		a := widget.NewLabel(buf.String())
		a.TextStyle = fyne.TextStyle{Monospace: true}
		a.Wrapping = fyne.TextWrapBreak
		objs = append(objs, field("Attributes", ""), a)
	}
	return objs
}

// originText says who or what made a span, in words.
func originText(o string) string {
	switch o {
	case annotate.OriginManual:
		return "manual (an annotator)"
	case annotate.OriginImport:
		return "imported"
	case "":
		return "—"
	}
	if m, ok := strings.CutPrefix(o, "model:"); ok { // an outside model: model:NAME@VERSION
		if name, version, ok := strings.Cut(m, "@"); ok {
			return fmt.Sprintf("suggested by your model %s, version %s", name, version)
		}
		return "suggested by your model " + m
	}
	return "suggested by " + o
}

// scoreText shows a suggester's confidence; a span without one says so rather than
// pretending certainty.
func scoreText(c *float64) string {
	if c == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *c)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// casualtyForm edits a CASUALTY span's attributes; Save writes them with UpdateSpan.
func (in *inspector) casualtyForm(s annotate.Span) fyne.CanvasObject {
	w := in.w
	var c annotate.Casualty
	if len(s.Attrs) > 0 {
		_ = json.Unmarshal(s.Attrs, &c) // a malformed value shows as an empty form
	}
	kind := widget.NewSelect(annotate.CasualtyKinds, nil)
	kind.SetSelected(c.Kind)
	low := widget.NewEntry()
	high := widget.NewEntry()
	if c.Low != nil {
		low.SetText(strconv.Itoa(*c.Low))
	}
	if c.High != nil {
		high.SetText(strconv.Itoa(*c.High))
	}
	low.SetPlaceHolder("none")
	high.SetPlaceHolder("none")
	// A vague figure keeps its words in the span and the guideline's convention value in
	// Low and High; the hint says which is which, so an annotator does not "correct" 12
	// back to the text.
	vagueHint := widget.NewLabel("")
	vagueHint.Wrapping = fyne.TextWrapWord
	qual := widget.NewSelect(annotate.CasualtyQualifiers, func(q string) {
		if q == "vague" {
			vagueHint.SetText(fmt.Sprintf("%q stays as written; Low/High hold the convention value (several 3, dozens 12, scores 20, hundreds 100).", clip(s.Text, 30)))
			vagueHint.Show()
		} else {
			vagueHint.Hide()
		}
	})
	vagueHint.Hide()
	qual.SetSelected(c.Qualifier)
	victims := widget.NewEntry()
	victims.SetPlaceHolder("civilians, children, …")
	victims.SetText(strings.Join(c.Victims, ", "))
	scope := widget.NewSelect(annotate.CasualtyScopes, nil)
	scope.SetSelected(c.Scope)

	const unstated = "(unstated)"
	opts := []string{unstated}
	ids := map[string]int64{unstated: 0}
	texts := map[string]string{}
	current := unstated
	for _, sp := range w.spans {
		if sp.Label != "SOURCE" || sp.Status == annotate.StatusRejected {
			continue
		}
		t := sp.Text
		if t == "" {
			t, _ = w.offsets.Slice(w.doc.Text, sp.Start, sp.End)
		}
		opt := fmt.Sprintf("%s  @%d", clip(t, 40), sp.Start)
		opts = append(opts, opt)
		ids[opt] = sp.ID
		texts[opt] = t
		if sp.ID == c.Claimant {
			current = opt
		}
	}
	claimant := widget.NewSelect(opts, nil)
	claimant.SetSelected(current)

	save := widget.NewButtonWithIcon("Save figure", theme.DocumentSaveIcon(), nil)
	save.Importance = widget.HighImportance
	save.OnTapped = func() {
		nc := c
		nc.Kind, nc.Qualifier, nc.Scope = kind.Selected, qual.Selected, scope.Selected
		var err error
		if nc.Low, err = optInt(low.Text); err != nil {
			w.fail("casualty low", err)
			return
		}
		if nc.High, err = optInt(high.Text); err != nil {
			w.fail("casualty high", err)
			return
		}
		if nc.Low != nil && nc.High != nil && *nc.Low > *nc.High {
			w.fail("casualty figure", fmt.Errorf("low %d is above high %d", *nc.Low, *nc.High))
			return
		}
		nc.Victims = nil
		for _, v := range strings.Split(victims.Text, ",") {
			if v = strings.TrimSpace(v); v != "" {
				nc.Victims = append(nc.Victims, v)
			}
		}
		nc.Claimant = ids[claimant.Selected]
		nc.ClaimantText = texts[claimant.Selected]
		attrs, err := json.Marshal(nc)
		if err != nil {
			w.fail("casualty figure", err)
			return
		}
		span := s
		span.Attrs = attrs
		w.setLocal(span.ID, func(sp *annotate.Span) { sp.Attrs = attrs })
		w.act("save casualty figure", decision{Op: opUpdateSpan, Span: &span})
		w.focusDocument()
	}
	form := widget.NewForm(
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Low", low),
		widget.NewFormItem("High", high),
		widget.NewFormItem("Qualifier", qual),
		widget.NewFormItem("Victims", victims),
		widget.NewFormItem("Claimant", claimant),
		widget.NewFormItem("Scope", scope),
	)
	return container.NewVBox(form, vagueHint, container.NewHBox(save))
}

func optInt(s string) (*int, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("%q is not a whole number", s)
	}
	return &n, nil
}

// eventsSection lists the document's events; with a span focused it offers to add the
// span to an event in a role, and for a trigger span without an event, to create one.
func (in *inspector) eventsSection(focus annotate.Span, focused bool) []fyne.CanvasObject {
	w := in.w
	objs := []fyne.CanvasObject{heading(fmt.Sprintf("Events (%d)", len(w.events)))}
	byID := map[int64]annotate.Span{}
	for _, s := range w.spans {
		byID[s.ID] = s
	}
	spanText := func(id int64) string {
		s, ok := byID[id]
		if !ok {
			return fmt.Sprintf("#%d", id)
		}
		t := s.Text
		if t == "" {
			t, _ = w.offsets.Slice(w.doc.Text, s.Start, s.End)
		}
		return "“" + clip(t, 60) + "”"
	}
	if focused {
		if et, ok := w.schema.EventTypeForTrigger(focus.Label); ok {
			has := false
			for _, e := range w.events {
				if e.Trigger == focus.ID {
					has = true
				}
			}
			if !has {
				trig := focus
				b := widget.NewButtonWithIcon("Create "+et.Name+" event", theme.ContentAddIcon(), func() {
					w.act("create event", decision{Op: opAddEvent, Event: &annotate.Event{
						DocID: trig.DocID, Type: et.Name, Trigger: trig.ID,
						Status: annotate.StatusAccepted, Origin: annotate.OriginManual,
					}})
					w.focusDocument()
				})
				objs = append(objs, b)
			}
		}
	}
	if len(w.events) == 0 {
		objs = append(objs, infoLabel("No events yet. Focus a trigger (ATTACK, DEATH, INJURY) to create one."))
	}
	// Events that involve the focused span first; a long article can have hundreds,
	// and the pane is rebuilt on every focus change, so only the first few are drawn.
	const maxEvents = 25
	shown := make([]annotate.Event, 0, min(len(w.events), maxEvents))
	involves := func(e annotate.Event) bool {
		if !focused {
			return false
		}
		if e.Trigger == focus.ID {
			return true
		}
		for _, a := range e.Args {
			if a.SpanID == focus.ID {
				return true
			}
		}
		return false
	}
	for pass := 0; pass < 2; pass++ {
		for _, e := range w.events {
			if len(shown) < maxEvents && involves(e) == (pass == 0) {
				shown = append(shown, e)
			}
		}
	}
	for _, e := range shown {
		ev := e
		title := widget.NewLabelWithStyle(ev.Type+"  "+spanText(ev.Trigger), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		card := []fyne.CanvasObject{title}
		for _, a := range ev.Args {
			arg := a
			rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				w.act("remove argument", decision{Op: opRemoveArg, EventID: ev.ID, Arg: &arg})
				w.focusDocument()
			})
			rm.Importance = widget.LowImportance
			l := widget.NewLabel(arg.Role + " → " + spanText(arg.SpanID))
			l.Wrapping = fyne.TextWrapWord
			card = append(card, container.NewBorder(nil, nil, nil, rm, l))
		}
		if focused && focus.ID != ev.Trigger {
			roles := w.schema.Roles
			if et, ok := w.schema.EventType(ev.Type); ok {
				roles = et.Roles
			}
			sp := focus
			sel := widget.NewSelect(roles, nil)
			sel.PlaceHolder = "Add focused span as…"
			sel.OnChanged = func(role string) {
				if role == "" {
					return
				}
				w.act("add argument", decision{Op: opAddArg, EventID: ev.ID, Arg: &annotate.Argument{Role: role, SpanID: sp.ID}})
				w.focusDocument()
			}
			card = append(card, sel)
		}
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		bg.CornerRadius = theme.InputRadiusSize()
		objs = append(objs, container.NewStack(bg, container.NewPadded(container.NewVBox(card...))))
	}
	if more := len(w.events) - len(shown); more > 0 {
		objs = append(objs, infoLabel(fmt.Sprintf("… and %d more events; focus a span to see its own.", more)))
	}
	return objs
}
