package guide_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/app/guide"
	"evident/docs"
)

const small = "# Guide\n\nIntro text.\n\n## ATTACK\n\nAn attack trigger. See [CASUALTY](#casualty).\n\n```\n## not a heading\n```\n\n## CASUALTY\n\nA dozen is 12. Dozens is 12 too.\n\n## Casualty figures\n\n- low and high\n- a DOZEN again\n"

func TestSplit(t *testing.T) {
	secs := guide.Split(small)
	var titles []string
	for _, s := range secs {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, "|"); got != "Guide|ATTACK|CASUALTY|Casualty figures" {
		t.Fatalf("titles = %s", got)
	}
	if !strings.Contains(secs[1].Body, "## not a heading") || !strings.HasPrefix(secs[2].Body, "## CASUALTY\n") {
		t.Fatalf("bodies = %q / %q", secs[1].Body, secs[2].Body)
	}
}

func TestMatchesAndSlug(t *testing.T) {
	got := guide.Matches("Dozen, dozens; DOZEN — Ünïcode ünïcode", "dozen")
	if len(got) != 3 || got[0] != [2]int{0, 5} || got[1] != [2]int{7, 12} {
		t.Fatalf("matches = %v", got)
	}
	if n := len(guide.Matches("Ünïcode ünïcode", "ÜNÏCODE")); n != 2 {
		t.Fatalf("unicode folds: %d matches", n)
	}
	if guide.Matches("abc", "") != nil {
		t.Fatal("empty query matches")
	}
	if s := guide.Slug("Traps: what is not labelled"); s != "traps-what-is-not-labelled" {
		t.Fatalf("slug = %s", s)
	}
}

func TestViewerSearchAndShowLabel(t *testing.T) {
	test.NewTempApp(t)
	v := guide.New(small)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(900, 600))

	if v.CurrentTitle() != "Guide" || len(v.Listed()) != 4 {
		t.Fatalf("start: %q, %d listed", v.CurrentTitle(), len(v.Listed()))
	}
	v.Search("dozen")
	listed := v.Listed()
	if len(listed) != 2 || v.Sections()[listed[0]].Title != "CASUALTY" || v.Count(listed[0]) != 2 || v.Count(listed[1]) != 1 {
		t.Fatalf("search dozen: listed %v counts %d %d", listed, v.Count(2), v.Count(3))
	}
	if v.CurrentTitle() != "CASUALTY" {
		t.Fatalf("search shows %q, want the first matching section", v.CurrentTitle())
	}
	marked := 0
	var walk func([]widget.RichTextSegment)
	walk = func(segs []widget.RichTextSegment) {
		for _, s := range segs {
			switch t := s.(type) {
			case *widget.TextSegment:
				if t.Style.ColorName == theme.ColorNamePrimary && strings.EqualFold(t.Text, "dozen") {
					marked++
				}
			case *widget.ParagraphSegment:
				walk(t.Texts)
			case *widget.ListSegment:
				walk(t.Items)
			}
		}
	}
	walk(v.Content().Segments)
	if marked != 2 {
		t.Fatalf("%d marked matches in CASUALTY, want 2", marked)
	}
	if !strings.Contains(v.Content().String(), "A dozen is 12. Dozens is 12 too.") {
		t.Fatalf("marking changed the text: %q", v.Content().String())
	}
	v.NextMatch()
	if v.CurrentTitle() != "Casualty figures" {
		t.Fatalf("next match = %q", v.CurrentTitle())
	}
	v.Search("no such phrase")
	if len(v.Listed()) != 0 {
		t.Fatalf("listed %v for a phrase nowhere", v.Listed())
	}
	// ShowLabel reaches a section the search hides, clearing the search.
	if !v.ShowLabel("attack") || v.CurrentTitle() != "ATTACK" || len(v.Listed()) != 4 {
		t.Fatalf("ShowLabel(attack): %q, %d listed", v.CurrentTitle(), len(v.Listed()))
	}
	if v.ShowLabel("NOPE") || v.CurrentTitle() != "ATTACK" {
		t.Fatal("ShowLabel of an unknown label moved")
	}
	// The in-document link to #casualty opens that section.
	var link *widget.HyperlinkSegment
	var find func([]widget.RichTextSegment)
	find = func(segs []widget.RichTextSegment) {
		for _, s := range segs {
			switch t := s.(type) {
			case *widget.HyperlinkSegment:
				link = t
			case *widget.ParagraphSegment:
				find(t.Texts)
			}
		}
	}
	find(v.Content().Segments)
	if link == nil || link.OnTapped == nil {
		t.Fatal("no anchor link in ATTACK")
	}
	link.OnTapped()
	if v.CurrentTitle() != "CASUALTY" {
		t.Fatalf("anchor link opened %q", v.CurrentTitle())
	}
}

// TestRealGuideline: every label of the default schema has its section in the shipped
// guideline, so the inspector's links always land.
func TestRealGuideline(t *testing.T) {
	test.NewTempApp(t)
	v := guide.New(docs.Guideline())
	for _, l := range []string{"ATTACK", "DEATH", "INJURY", "ACTOR", "TARGET", "VICTIM", "LOCATION", "TIME", "WEAPON", "CASUALTY", "SOURCE"} {
		if !v.ShowLabel(l) || v.CurrentTitle() != l {
			t.Errorf("ShowLabel(%s) -> %q", l, v.CurrentTitle())
		}
	}
	v.Search("dozens")
	if len(v.Listed()) == 0 {
		t.Fatal("the guideline does not mention dozens")
	}
}

func TestNewWindowOpensLabel(t *testing.T) {
	a := test.NewTempApp(t)
	w, v := guide.NewWindow(a, "CASUALTY")
	defer w.Close()
	if v.CurrentTitle() != "CASUALTY" || w.Content() != fyne.CanvasObject(v) {
		t.Fatalf("window on %q", v.CurrentTitle())
	}
	if !strings.Contains(v.Content().String(), "casualty figure") {
		t.Fatalf("CASUALTY section text = %.80q", v.Content().String())
	}
}
