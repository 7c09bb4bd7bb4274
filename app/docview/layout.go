package docview

import (
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/bidi"
)

// This file holds the pure text layout: paragraphs are cut into pieces (words, white
// space runs, tabs), wrapped greedily at Unicode line-break opportunities (UAX #14),
// ordered visually with a piece-level bidi pass, and hit-tested. Nothing here touches a
// canvas; widths come from a measurer so tests can use a fixed-width fake.

// measurer returns the advance width of a string drawn in the view's font.
type measurer interface {
	width(s string) float32
}

type pieceKind uint8

const (
	pieceWord  pieceKind = iota // non-space text, drawn
	pieceSpace                  // white space other than tabs, not drawn
	pieceTab                    // one tab, width up to the next tab stop
)

// piece is the unit of wrapping, bidi ordering and drawing: a word (or part of one that
// had to be broken), a run of white space or a tab. Offsets are absolute code points.
type piece struct {
	start, end int
	x, w       float32 // left edge within the line and width, in visual order
	kind       pieceKind
	level      uint8 // bidi embedding level; odd = right-to-left
	text       string

	// Grapheme boundaries (absolute offsets, ascending, both ends included) and the x of
	// each relative to the piece's left edge; filled lazily by ensureXs because only
	// hit-testing and highlight edges inside a word need them.
	bounds []int
	xs     []float32
}

func (p *piece) rtl() bool { return p.level%2 == 1 }

// line is one wrapped line of a paragraph. Pieces are in visual (left to right) order;
// start and end are the logical range the line covers.
type line struct {
	start, end int
	pieces     []piece
}

// paraLayout is a paragraph wrapped at one width.
type paraLayout struct {
	width float32
	lines []line
}

// layoutConfig holds the metrics wrapping needs.
type layoutConfig struct {
	width  float32 // available width; at least one grapheme goes on each line regardless
	spaceW float32 // width of one space
	tabW   float32 // distance between tab stops
}

// layoutParagraph wraps text, which starts at code point offset start, into lines.
// text holds no line feed; a trailing carriage return has already been removed.
func layoutParagraph(text string, start int, cfg layoutConfig, m measurer) paraLayout {
	pl := paraLayout{width: cfg.width}
	if text == "" {
		pl.lines = []line{{start: start, end: start}}
		return pl
	}
	base := baseLevel(text)
	var cur []piece
	x := float32(0)
	lineStart := start
	flush := func(end int) {
		pl.lines = append(pl.lines, finishLine(cur, lineStart, end, base, cfg.width))
		cur = nil
		x = 0
		lineStart = end
	}

	cp := start
	segs := lineSegments(text)
	b := 0
	for si, sg := range segs {
		seg := text[b:sg.end]
		b = sg.end
		mustBreak := sg.must
		ps := splitSegment(seg, cp, cfg.spaceW, m)
		cp += utf8.RuneCountInString(seg)

		// Width of the segment without its trailing white space, which may hang past
		// the edge as in every text editor.
		content := float32(0)
		tx := x
		for _, p := range ps {
			if p.kind == pieceTab {
				tx = nextTab(tx, cfg.tabW)
			} else {
				tx += p.w
			}
			if p.kind != pieceSpace {
				content = tx - x
			}
		}
		if len(cur) > 0 && x+content > cfg.width {
			flush(ps[0].start)
		}
		for _, p := range ps {
			if p.kind == pieceWord && x+p.w > cfg.width {
				// A word wider than the line: break it between graphemes.
				for j, part := range breakWord(p, cfg.width, x, m) {
					if j > 0 {
						flush(part.start)
					}
					part.x = x
					x += part.w
					cur = append(cur, part)
				}
				continue
			}
			if p.kind == pieceTab {
				nx := nextTab(x, cfg.tabW)
				p.w = nx - x
			}
			p.x = x
			x += p.w
			cur = append(cur, p)
		}
		if mustBreak && si < len(segs)-1 {
			flush(cp)
		}
	}
	flush(cp)
	return pl
}

func nextTab(x, tabW float32) float32 {
	if tabW <= 0 {
		return x
	}
	n := int(x/tabW) + 1
	return float32(n) * tabW
}

// segment is a stretch of a paragraph between line-break opportunities (UAX #14);
// end is a byte offset.
type segment struct {
	end  int
	must bool // a mandatory break follows
}

// lineSegments returns the paragraph's line-break segments, moved to grapheme cluster
// boundaries where UAX #14 would break inside a cluster (a space followed by a
// combining mark), so that no line ever splits a grapheme.
func lineSegments(text string) []segment {
	var raw []segment
	state := -1
	rest := text
	b := 0
	for rest != "" {
		var seg string
		var must bool
		seg, rest, must, state = uniseg.FirstLineSegmentInString(rest, state)
		b += len(seg)
		raw = append(raw, segment{end: b, must: must})
	}
	out := raw[:0]
	gstate := -1
	rest = text
	b = 0
	k := 0
	for rest != "" && k < len(raw) {
		var cl string
		cl, rest, _, gstate = uniseg.FirstGraphemeClusterInString(rest, gstate)
		b += len(cl)
		if raw[k].end > b {
			continue
		}
		must := false
		for k < len(raw) && raw[k].end <= b {
			must = must || raw[k].must
			k++
		}
		out = append(out, segment{end: b, must: must})
	}
	return out
}

// splitSegment cuts one line-break segment into a word piece and white space pieces,
// always between grapheme clusters (a prepended mark can glue a letter to a space).
func splitSegment(seg string, cp int, spaceW float32, m measurer) []piece {
	var ps []piece
	kind := func(cl string) pieceKind {
		if cl == "\t" {
			return pieceTab
		}
		for _, r := range cl {
			if !unicode.IsSpace(r) || r == '\t' {
				return pieceWord
			}
		}
		return pieceSpace
	}
	state := -1
	rest := seg
	b := 0 // byte offset in seg of the piece being built
	pk, pn, pb := pieceKind(255), 0, 0
	emit := func() {
		if pn == 0 {
			return
		}
		t := seg[pb:b]
		p := piece{start: cp, end: cp + pn, kind: pk, text: t}
		switch pk {
		case pieceWord:
			p.w = m.width(t)
		case pieceSpace:
			p.w = float32(pn) * spaceW
		}
		ps = append(ps, p)
		cp += pn
		pn = 0
		pb = b
	}
	prevR := false
	for rest != "" {
		var cl string
		cl, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		k := kind(cl)
		// A word is also cut where right-to-left letters meet anything else ("الأقل."
		// or "12مدنيا"), so punctuation and digits get their own bidi level and are
		// drawn where the shaper puts them.
		r, _ := utf8.DecodeRuneInString(cl)
		isR := k == pieceWord && classOf(r) == dirR
		if k != pk || k == pieceTab || k == pieceWord && isR != prevR {
			emit()
			pk = k
		}
		prevR = isR
		pn += utf8.RuneCountInString(cl)
		b += len(cl)
	}
	emit()
	return ps
}

// breakWord splits a word too wide for a line into parts at grapheme boundaries; the
// first part fills what is left of the current line (from x), the others whole lines.
// Every part holds at least one grapheme.
func breakWord(p piece, width, x float32, m measurer) []piece {
	var parts []piece
	text := p.text
	cp := p.start
	avail := width - x
	for text != "" {
		// Grow the part grapheme by grapheme; words this long are rare (URLs, CJK
		// without break opportunities), so linear measuring is fine.
		state := -1
		rest := text
		used, n := 0, 0
		w := float32(0)
		for rest != "" {
			var cl string
			cl, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			nw := m.width(text[:used+len(cl)])
			if nw > avail && used > 0 {
				break
			}
			used += len(cl)
			n += utf8.RuneCountInString(cl)
			w = nw
		}
		parts = append(parts, piece{start: cp, end: cp + n, kind: pieceWord, w: w, text: text[:used]})
		text = text[used:]
		cp += n
		avail = width
	}
	return parts
}

// finishLine orders the line's pieces visually and positions them. Right-to-left
// paragraphs are aligned to the right edge.
func finishLine(ps []piece, start, end int, base uint8, width float32) line {
	ln := line{start: start, end: end}
	if len(ps) == 0 {
		return ln
	}
	resolveLevels(ps, base)
	ps = reorder(ps)
	x := float32(0)
	if base%2 == 1 {
		total := float32(0)
		for _, p := range ps {
			total += p.w
		}
		if total < width {
			x = width - total
		}
	}
	for i := range ps {
		ps[i].x = x
		x += ps[i].w
	}
	ln.pieces = ps
	return ln
}

// Directional classes of whole pieces.
const (
	dirN  = iota // neutral: white space, punctuation
	dirL         // strong left-to-right
	dirR         // strong right-to-left (R or AL)
	dirEN        // digits without strong letters
)

// baseLevel is the paragraph embedding level by rules P2–P3: the first strong character.
func baseLevel(text string) uint8 {
	for _, r := range text {
		switch classOf(r) {
		case dirL:
			return 0
		case dirR:
			return 1
		}
	}
	return 0
}

func classOf(r rune) int {
	if r < 0x80 {
		switch {
		case r >= '0' && r <= '9':
			return dirEN
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			return dirL
		}
		return dirN
	}
	props, _ := bidi.LookupRune(r)
	switch props.Class() {
	case bidi.L:
		return dirL
	case bidi.R, bidi.AL:
		return dirR
	case bidi.EN, bidi.AN:
		return dirEN
	}
	return dirN
}

func pieceClass(p *piece) int {
	if p.kind != pieceWord {
		return dirN
	}
	digits := false
	for _, r := range p.text {
		switch classOf(r) {
		case dirL:
			return dirL
		case dirR:
			return dirR
		case dirEN:
			digits = true
		}
	}
	if digits {
		return dirEN
	}
	return dirN
}

// resolveLevels is the Unicode bidi algorithm applied to whole pieces rather than
// characters (enough for prose: words are rarely mixed-direction inside): W7 for
// numbers, N1–N2 for neutrals, I1–I2 for levels, L1 for trailing white space.
func resolveLevels(ps []piece, base uint8) {
	baseDir := dirL
	if base%2 == 1 {
		baseDir = dirR
	}
	cls := make([]int, len(ps))
	last := baseDir
	for i := range ps {
		c := pieceClass(&ps[i])
		if c == dirEN && last == dirL {
			c = dirL // W7
		}
		if c == dirL || c == dirR {
			last = c
		}
		cls[i] = c
	}
	// Neutrals take the direction of their strong neighbours when both agree (numbers
	// count as right-to-left here), else the paragraph's.
	strong := func(c int) int {
		if c == dirEN {
			return dirR
		}
		return c
	}
	for i := 0; i < len(ps); {
		if cls[i] != dirN {
			i++
			continue
		}
		j := i
		for j < len(ps) && cls[j] == dirN {
			j++
		}
		before, after := baseDir, baseDir
		if i > 0 {
			before = strong(cls[i-1])
		}
		if j < len(ps) {
			after = strong(cls[j])
		}
		d := baseDir
		if before == after {
			d = before
		}
		for k := i; k < j; k++ {
			cls[k] = d
		}
		i = j
	}
	for i := range ps {
		switch {
		case base%2 == 0 && cls[i] == dirR:
			ps[i].level = base + 1
		case base%2 == 0 && cls[i] == dirEN:
			ps[i].level = base + 2
		case base%2 == 1 && (cls[i] == dirL || cls[i] == dirEN):
			ps[i].level = base + 1
		default:
			ps[i].level = base
		}
	}
	// L1: white space at the end of the line goes back to the paragraph level.
	for i := len(ps) - 1; i >= 0 && ps[i].kind != pieceWord; i-- {
		ps[i].level = base
	}
}

// reorder returns the pieces in visual order by rule L2: from the highest level down to
// the lowest odd one, reverse every maximal run at that level or higher.
func reorder(ps []piece) []piece {
	hi, lowOdd := uint8(0), uint8(255)
	for _, p := range ps {
		if p.level > hi {
			hi = p.level
		}
		if p.level%2 == 1 && p.level < lowOdd {
			lowOdd = p.level
		}
	}
	if hi == 0 {
		return ps
	}
	for lvl := hi; lvl >= lowOdd && lvl > 0; lvl-- {
		for i := 0; i < len(ps); {
			if ps[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(ps) && ps[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				ps[a], ps[b] = ps[b], ps[a]
			}
			i = j
		}
	}
	return ps
}

// ensureXs fills the piece's grapheme boundaries and their x positions. Prefixes of
// shaped scripts are measured as whole runs, so joining forms are accounted for as far
// as a prefix allows.
func (p *piece) ensureXs(m measurer) {
	if p.xs != nil {
		return
	}
	switch p.kind {
	case pieceTab:
		p.bounds = []int{p.start, p.end}
		p.xs = []float32{0, p.w}
	case pieceSpace:
		n := p.end - p.start
		p.bounds = make([]int, n+1)
		p.xs = make([]float32, n+1)
		for i := 0; i <= n; i++ {
			p.bounds[i] = p.start + i
			p.xs[i] = p.w * float32(i) / float32(n)
		}
	default:
		p.bounds = append(p.bounds, p.start)
		p.xs = append(p.xs, 0)
		state := -1
		rest := p.text
		used, cp := 0, p.start
		for rest != "" {
			var cl string
			cl, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			used += len(cl)
			cp += utf8.RuneCountInString(cl)
			p.bounds = append(p.bounds, cp)
			if rest == "" {
				p.xs = append(p.xs, p.w)
			} else {
				p.xs = append(p.xs, m.width(p.text[:used]))
			}
		}
	}
	if p.rtl() {
		for i := range p.xs {
			p.xs[i] = p.w - p.xs[i]
		}
	}
}

// xAt returns the x (relative to the line) of logical offset cp within the piece, which
// must satisfy start ≤ cp ≤ end; an offset inside a grapheme takes the cluster's start.
func (p *piece) xAt(cp int, m measurer) float32 {
	if cp <= p.start {
		if p.rtl() {
			return p.x + p.w
		}
		return p.x
	}
	if cp >= p.end {
		if p.rtl() {
			return p.x
		}
		return p.x + p.w
	}
	p.ensureXs(m)
	i := len(p.bounds) - 1
	for i > 0 && p.bounds[i] > cp {
		i--
	}
	return p.x + p.xs[i]
}

// hitLine returns the grapheme boundary of the line nearest to x.
func hitLine(ln *line, x float32, m measurer) int {
	if len(ln.pieces) == 0 {
		return ln.start
	}
	// The piece under x, or the nearest one at either end.
	k := 0
	for k < len(ln.pieces)-1 && x >= ln.pieces[k].x+ln.pieces[k].w {
		k++
	}
	p := &ln.pieces[k]
	p.ensureXs(m)
	best, bestD := p.bounds[0], float32(-1)
	for i, bx := range p.xs {
		d := x - (p.x + bx)
		if d < 0 {
			d = -d
		}
		if bestD < 0 || d < bestD {
			best, bestD = p.bounds[i], d
		}
	}
	return best
}

// xInterval is a horizontal extent within a line.
type xInterval struct{ x0, x1 float32 }

// rangeIntervals returns the visual extents of the logical range [s, e) on the line,
// left to right, with touching extents merged (a range crossing a bidi boundary can
// show as several).
func rangeIntervals(ln *line, s, e int, m measurer, out []xInterval) []xInterval {
	out = out[:0]
	if s < ln.start {
		s = ln.start
	}
	if e > ln.end {
		e = ln.end
	}
	if s >= e {
		return out
	}
	for i := range ln.pieces {
		p := &ln.pieces[i]
		if p.end <= s || p.start >= e {
			continue
		}
		var a, b float32
		if s <= p.start && e >= p.end {
			a, b = p.x, p.x+p.w
		} else {
			a, b = p.xAt(max(s, p.start), m), p.xAt(min(e, p.end), m)
			if a > b {
				a, b = b, a
			}
		}
		if n := len(out); n > 0 && a-out[n-1].x1 < 0.5 {
			if b > out[n-1].x1 {
				out[n-1].x1 = b
			}
			continue
		}
		out = append(out, xInterval{a, b})
	}
	return out
}
