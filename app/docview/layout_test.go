package docview

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"evident/annotate"
)

// fakeMeasure is a fixed-width font: 10 per character, 20 for wide (CJK, emoji), 0 for
// combining marks and joiners. Tests of the pure layout use it instead of a driver.
type fakeMeasure struct{}

func (fakeMeasure) width(s string) float32 {
	w := float32(0)
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), r == 0x200D, r >= 0xFE00 && r <= 0xFE0F:
		case unicode.Is(unicode.Han, r), r >= 0x1F000:
			w += 20
		default:
			w += 10
		}
	}
	return w
}

var fake = fakeMeasure{}

func cfgW(w float32) layoutConfig { return layoutConfig{width: w, spaceW: 10, tabW: 40} }

// offsetAtX lays out text on one line and hit-tests x.
func lineOf(t *testing.T, text string, width float32) *line {
	t.Helper()
	pl := layoutParagraph(text, 0, cfgW(width), fake)
	if len(pl.lines) != 1 {
		t.Fatalf("%q: %d lines, want 1", text, len(pl.lines))
	}
	return &pl.lines[0]
}

func TestHitLine(t *testing.T) {
	cases := []struct {
		name string
		text string
		x    float32
		want int
	}{
		{"start", "Hello world", 0, 0},
		{"before start", "Hello world", -30, 0},
		{"nearest left", "Hello world", 14, 1},
		{"nearest right", "Hello world", 16, 2},
		{"in the space", "Hello world", 52, 5},
		{"second word", "Hello world", 61, 6},
		{"past end", "Hello world", 500, 11},
		// a family emoji is five code points and one grapheme 60 wide: never split
		{"emoji left half", "a\U0001F469\u200D\U0001F469\u200D\U0001F467b", 35, 1},
		{"emoji right half", "a\U0001F469\u200D\U0001F469\u200D\U0001F467b", 45, 6},
		{"after emoji", "a\U0001F469\u200D\U0001F469\u200D\U0001F467b", 79, 7},
		// e + combining acute is one grapheme
		{"combining mark", "ce\u0301x", 14, 1},
		{"after combining", "ce\u0301x", 16, 3},
		{"flag", "x\U0001F1FA\U0001F1E6y", 31, 3}, // the flag is two regional indicators, 40 wide
		{"CJK", "中文字", 29, 1},
		{"CJK 2", "中文字", 31, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ln := lineOf(t, c.text, 1000)
			if got := hitLine(ln, c.x, fake); got != c.want {
				t.Errorf("hitLine(%q, x=%v) = %d, want %d", c.text, c.x, got, c.want)
			}
		})
	}
}

func TestHitLineRTL(t *testing.T) {
	// "abc <arabic 4 letters> def" in a left-to-right paragraph: the Arabic word sits
	// between the Latin ones, its first letter on the right.
	text := "abc سلام def"
	ln := lineOf(t, text, 1000)
	var vis []string
	for _, p := range ln.pieces {
		vis = append(vis, p.text)
	}
	if want := []string{"abc", " ", "سلام", " ", "def"}; !slices.Equal(vis, want) {
		t.Fatalf("visual order %q, want %q", vis, want)
	}
	// Arabic word spans x 40..80; offsets 4..8.
	cases := []struct {
		x    float32
		want int
	}{{79, 4}, {71, 5}, {49, 7}, {41, 8}, {95, 9}}
	for _, c := range cases {
		if got := hitLine(ln, c.x, fake); got != c.want {
			t.Errorf("x=%v: got %d, want %d", c.x, got, c.want)
		}
	}
	// A highlight over the whole Arabic word and the following space and Latin word
	// shows as one extent; over the first Arabic letter only, at the word's right end.
	if got := rangeIntervals(ln, 4, 12, fake, nil); len(got) != 1 || got[0] != (xInterval{40, 120}) {
		t.Errorf("intervals [4,12) = %v", got)
	}
	if got := rangeIntervals(ln, 4, 5, fake, nil); len(got) != 1 || got[0] != (xInterval{70, 80}) {
		t.Errorf("intervals [4,5) = %v", got)
	}
}

func TestRTLParagraph(t *testing.T) {
	// Two Arabic words and a number in a right-to-left paragraph, 200 wide: aligned
	// right, the first word rightmost, the number left-to-right inside.
	text := "قتل 12 مدنيا"
	ln := lineOf(t, text, 200)
	var vis []string
	for _, p := range ln.pieces {
		vis = append(vis, p.text)
	}
	if want := []string{"مدنيا", " ", "12", " ", "قتل"}; !slices.Equal(vis, want) {
		t.Fatalf("visual order %q, want %q", vis, want)
	}
	last := ln.pieces[len(ln.pieces)-1]
	if last.x+last.w != 200 {
		t.Errorf("line ends at %v, want right-aligned at 200", last.x+last.w)
	}
	// The digits read left to right: the left edge of "12" is offset 4.
	num := ln.pieces[2]
	if got := hitLine(ln, num.x+1, fake); got != 4 {
		t.Errorf("left of number: %d, want 4", got)
	}
	if got := hitLine(ln, last.x+last.w-1, fake); got != 0 {
		t.Errorf("right edge: %d, want 0", got)
	}
}

func TestWrap(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		width float32
		want  [][2]int // line ranges
	}{
		{"fits", "aa bb", 100, [][2]int{{0, 5}}},
		{"wraps at space", "aaa bbb ccc", 75, [][2]int{{0, 8}, {8, 11}}},
		{"trailing space hangs", "aaa bbb", 30, [][2]int{{0, 4}, {4, 7}}},
		{"long word broken", "abcdefghij", 35, [][2]int{{0, 3}, {3, 6}, {6, 9}, {9, 10}}},
		{"CJK breaks between ideographs", "中文字中文", 45, [][2]int{{0, 2}, {2, 4}, {4, 5}}},
		{"empty", "", 100, [][2]int{{0, 0}}},
		{"emoji kept whole", "\U0001F469\u200D\U0001F469\u200D\U0001F467\U0001F469\u200D\U0001F469\u200D\U0001F467", 70, [][2]int{{0, 5}, {5, 10}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl := layoutParagraph(c.text, 0, cfgW(c.width), fake)
			var got [][2]int
			for _, ln := range pl.lines {
				got = append(got, [2]int{ln.start, ln.end})
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("lines %v, want %v", got, c.want)
			}
		})
	}
}

func TestTabStops(t *testing.T) {
	ln := lineOf(t, "a\tbb\tc", 1000)
	// a at 0..10, tab to 40, bb 40..60, tab to 80, c 80..90
	var xs []float32
	for _, p := range ln.pieces {
		xs = append(xs, p.x)
	}
	if want := []float32{0, 10, 40, 60, 80}; !slices.Equal(xs, want) {
		t.Errorf("piece x %v, want %v", xs, want)
	}
}

func TestNewDocTextCRLF(t *testing.T) {
	d := newDocText("ab\r\ncd\n\nxé\r\n")
	var got [][2]int
	for p := range d.paras {
		got = append(got, [2]int{d.paras[p].start, d.paras[p].end})
	}
	want := [][2]int{{0, 2}, {4, 6}, {7, 7}, {8, 10}, {12, 12}}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs %v, want %v", got, want)
	}
	if d.n != 12 || d.paraText(3) != "xé" {
		t.Errorf("n=%d para 3 %q", d.n, d.paraText(3))
	}
}

func TestSpanLevels(t *testing.T) {
	spans := []annotate.Span{
		{ID: 1, Start: 0, End: 10},  // outer
		{ID: 2, Start: 0, End: 3},   // nested at the same start
		{ID: 3, Start: 5, End: 8},   // nested
		{ID: 4, Start: 7, End: 12},  // overlaps 1 and 3
		{ID: 5, Start: 20, End: 22}, // alone
	}
	ix := newSpanIndex(spans, 30, false)
	lv := map[int64]int{}
	for i, s := range ix.spans {
		lv[s.ID] = ix.level[i]
	}
	if lv[1] != 0 || lv[5] != 0 {
		t.Errorf("outer and lone spans should be level 0: %v", lv)
	}
	for _, pair := range [][2]int64{{1, 2}, {1, 3}, {1, 4}, {3, 4}} {
		if lv[pair[0]] == lv[pair[1]] {
			t.Errorf("overlapping spans %d and %d share level %d", pair[0], pair[1], lv[pair[0]])
		}
	}
	var hits []int64
	ix.overlapping(6, 7, func(i int) { hits = append(hits, ix.spans[i].ID) })
	if !slices.Equal(hits, []int64{1, 3}) {
		t.Errorf("overlapping [6,7) = %v", hits)
	}
	if i := ix.innermost(7); ix.spans[i].ID != 3 {
		t.Errorf("innermost at 7 = %d, want 3", ix.spans[i].ID)
	}
}

// FuzzHitTest checks that hit-testing never panics and always lands on a grapheme
// boundary inside the line, and that range extents are well formed.
func FuzzHitTest(f *testing.F) {
	f.Add("Hello world, this is a test.", float32(120), float32(33), 3, 9)
	f.Add("a\U0001F469\u200D\U0001F469\u200D\U0001F467b ce\u0301x 中文字", float32(50), float32(41), 1, 6)
	f.Add("abc سلام def 12 مدنيا", float32(80), float32(-5), 4, 20)
	f.Add("\t\ttabs\tand\u00a0nbsp\r", float32(30), float32(1e6), 0, 100)
	f.Fuzz(func(t *testing.T, text string, width, x float32, s, e int) {
		if !utf8.ValidString(text) || width != width || x != x || width > 1e6 {
			t.Skip()
		}
		for _, r := range text {
			if r == '\n' {
				t.Skip()
			}
		}
		bounds := annotate.GraphemeBounds(text)
		isBound := map[int]bool{}
		for _, b := range bounds {
			isBound[b] = true
		}
		pl := layoutParagraph(text, 0, cfgW(width), fake)
		prevEnd := 0
		for i := range pl.lines {
			ln := &pl.lines[i]
			if ln.start != prevEnd || ln.end < ln.start {
				t.Fatalf("line %d [%d,%d) does not follow %d", i, ln.start, ln.end, prevEnd)
			}
			prevEnd = ln.end
			cp := hitLine(ln, x, fake)
			if cp < ln.start || cp > ln.end || !isBound[cp] {
				t.Fatalf("hit %d outside line [%d,%d) or not a grapheme boundary", cp, ln.start, ln.end)
			}
			for _, iv := range rangeIntervals(ln, s, e, fake, nil) {
				if iv.x0 > iv.x1 {
					t.Fatalf("interval %v reversed", iv)
				}
			}
		}
		if n := utf8.RuneCountInString(text); prevEnd != n {
			t.Fatalf("lines end at %d, text has %d", prevEnd, n)
		}
	})
}

func TestRTLWordPunctuation(t *testing.T) {
	// The full stop after an Arabic word in a left-to-right paragraph is neutral
	// between right-to-left and left-to-right text, so it takes the paragraph's
	// direction and sits to the right of the word, as the shaper draws it.
	ln := lineOf(t, "abc سلام. def", 1000)
	var vis []string
	for _, p := range ln.pieces {
		vis = append(vis, p.text)
	}
	if want := []string{"abc", " ", "سلام", ".", " ", "def"}; !slices.Equal(vis, want) {
		t.Fatalf("visual order %q, want %q", vis, want)
	}
	// In a right-to-left paragraph the same stop belongs to the Arabic text: leftmost
	// of the two.
	ln = lineOf(t, "قتل سلام. def", 1000)
	vis = vis[:0]
	for _, p := range ln.pieces {
		vis = append(vis, p.text)
	}
	if want := []string{"def", " ", ".", "سلام", " ", "قتل"}; !slices.Equal(vis, want) {
		t.Fatalf("RTL paragraph visual order %q, want %q", vis, want)
	}
}

func TestLongParagraphChunks(t *testing.T) {
	sentence := "Officials said the strikes hit a market. "
	text := "Short.\n" + strings.Repeat(sentence, 400) + "\nEnd."
	d := newDocText(text)
	if len(d.paras) < 5 {
		t.Fatalf("%d paragraphs; the long one was not cut", len(d.paras))
	}
	runes := []rune(text)
	for i, p := range d.paras {
		if p.end-p.start > maxChunk {
			t.Errorf("chunk %d has %d code points", i, p.end-p.start)
		}
		if i > 0 && p.start != d.paras[i-1].end && p.start != d.paras[i-1].end+1 {
			t.Errorf("chunk %d starts at %d after %d", i, p.start, d.paras[i-1].end)
		}
		if p.noGap {
			// cut after a sentence's full stop and space
			if runes[p.end-1] != ' ' || runes[p.end-2] != '.' {
				t.Errorf("chunk %d ends with %q", i, string(runes[p.end-2:p.end]))
			}
		}
	}
	if d.paras[0].noGap || d.paras[len(d.paras)-1].noGap || d.paras[len(d.paras)-2].noGap {
		t.Error("only the inner chunks of the long paragraph may lack the gap")
	}
	// Cutting never splits a grapheme: a space followed by a combining mark is kept.
	s := strings.Repeat("x \u0301", 2000)
	b, cp := chunkCut(s, 1000)
	if r, _ := utf8.DecodeRuneInString(s[b:]); unicode.Is(unicode.M, r) || cp > 1000 {
		t.Errorf("cut at %d before %U", cp, r)
	}
}
