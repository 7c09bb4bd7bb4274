// Package suggest proposes spans and event frames for conflict news: event triggers,
// actors, places, times, weapons, targets, sources and casualty figures with their
// normalisation. It is deterministic and explainable (every span's Origin names the rule,
// lexicon or gazetteer that made it) and a pure function of the text, the publication
// date and the learned phrases passed in.
//
// The text is tokenised once; lexicons are matched through maps keyed by lower-cased
// token, so the cost is linear in the text.
//
// Origins name what made a span:
//
//	lexicon:attack, lexicon:death, lexicon:injury   trigger words (filtered by context)
//	lexicon:actor, lexicon:weapon                   generic armed actors; weapons
//	gazetteer:actor, gazetteer:location             names from assets/suggest
//	rule:actor.backed|national|demonym|country|agent|name
//	rule:location.head|of|name                      "Sumy region", "village of X", "in X"
//	rule:time.weekday|date|clock|relative           attrs {"date": "YYYY-MM-DD"} etc.
//	rule:casualty.exact|approx|at_least|more_than|up_to|range|vague   attrs: annotate.Casualty
//	rule:source.said|according, rule:target, rule:target.actor|people, rule:victim
//	learned:phrase                                  phrases accepted in this database
//
// Events carry the origin "rule:event.sentence".
package suggest

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"evident/annotate"
	"evident/assets"
)

// Config configures a Suggester. The zero value uses the lexicons embedded in assets.
type Config struct {
	// Data holds the lexicon files (triggers.txt, actors.txt, countries.txt, places.txt,
	// weapons.txt, lists.txt); nil means assets.SuggestData().
	Data fs.FS
}

// Suggester holds the loaded lexicons. It is immutable after New and safe for
// concurrent use.
type Suggester struct {
	triggers  *phraseIndex // label = ATTACK, DEATH, INJURY
	actors    *phraseIndex // name = canonical
	places    *phraseIndex // label = country or place
	demonyms  *phraseIndex // name = country
	wHeads    *phraseIndex
	wMods     *phraseIndex
	lists     map[string]*phraseIndex // lists.txt, by list name
	victimGrp *phraseIndex            // label = group name
	kinds     *phraseIndex            // label = casualty kind
	quals     *phraseIndex            // qualifiers before a number; label = qualifier
	figs      *figureLexes            // casualty words of other languages (casualty_lang.go)
	// vocab holds every word that starts a phrase of any lexicon, and the number words:
	// a token outside it needs no further lookups.
	vocab map[string]vocabWord
	// the word lists of lists.txt the rules use
	lVictim, lUnit, lTarget, lReport, lSourcehead, lTitle, lActorhead, lActor, lDirection, lPlacehead, lPlaceof *phraseIndex
	// work keeps the large per-call buffers (*workBufs) for the next call: a long text's
	// tokens and candidates are megabytes, and allocating and clearing them each time
	// cost more than the rules that use them.
	work sync.Pool
}

// workBufs are the reusable buffers of one Suggest call.
type workBufs struct {
	toks    []token
	lowered []byte
	cands   []cand
	tmp     []int
	counts  []int32
	occ     []uint32
	cover   []int32
}

// New loads the lexicons once.
func New(cfg Config) (*Suggester, error) {
	data := cfg.Data
	if data == nil {
		data = assets.SuggestData()
	}
	s := &Suggester{
		triggers: newIndex(), actors: newIndex(), places: newIndex(), demonyms: newIndex(),
		wHeads: newIndex(), wMods: newIndex(), lists: map[string]*phraseIndex{},
		victimGrp: newIndex(), kinds: newIndex(),
	}
	err := readLines(data, "triggers.txt", func(line string) error {
		label, items, err := splitKey(line)
		if err != nil {
			return err
		}
		switch label {
		case "ATTACK", "DEATH", "INJURY":
		default:
			return fmt.Errorf("unknown trigger label %q", label)
		}
		for _, it := range items {
			s.triggers.add(it, label, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readLines(data, "actors.txt", func(line string) error {
		items := splitBar(line)
		for _, it := range items {
			s.actors.add(it, "ACTOR", items[0])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readLines(data, "countries.txt", func(line string) error {
		names, dem, _ := strings.Cut(line, ";")
		items := splitBar(names)
		if len(items) == 0 {
			return fmt.Errorf("country line without a name: %q", line)
		}
		for _, it := range items {
			s.places.add(it, "country", items[0])
		}
		for _, d := range splitBar(dem) {
			s.demonyms.add(d, "demonym", items[0])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readLines(data, "places.txt", func(line string) error {
		items := splitBar(line)
		for _, it := range items {
			s.places.add(it, "place", it)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readLines(data, "weapons.txt", func(line string) error {
		k, items, err := splitKey(line)
		if err != nil {
			return err
		}
		x := s.wHeads
		if k == "modifier" {
			x = s.wMods
		} else if k != "head" {
			return fmt.Errorf("unknown weapon list %q", k)
		}
		for _, it := range items {
			x.add(it, k, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readLines(data, "lists.txt", func(line string) error {
		k, items, err := splitKey(line)
		if err != nil {
			return err
		}
		var x *phraseIndex
		switch {
		case strings.HasPrefix(k, "victimgroup."):
			x = s.victimGrp
		case strings.HasPrefix(k, "kind."):
			x = s.kinds
		default:
			if s.lists[k] == nil {
				s.lists[k] = newIndex()
			}
			x = s.lists[k]
		}
		_, sub, _ := strings.Cut(k, ".")
		for _, it := range items {
			x.add(it, sub, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.quals = qualifierIndex()
	s.figs = newFigureLexes()
	for _, k := range []string{"victim", "unit", "target", "report", "sourcehead", "title", "actorhead", "actor", "direction", "placehead", "placeof"} {
		if s.lists[k] == nil {
			return nil, fmt.Errorf("suggest: lists.txt has no %q list", k)
		}
	}
	s.lVictim, s.lUnit, s.lTarget, s.lReport = s.lists["victim"], s.lists["unit"], s.lists["target"], s.lists["report"]
	s.lSourcehead, s.lTitle, s.lActorhead, s.lActor = s.lists["sourcehead"], s.lists["title"], s.lists["actorhead"], s.lists["actor"]
	s.lDirection, s.lPlacehead, s.lPlaceof = s.lists["direction"], s.lists["placehead"], s.lists["placeof"]
	// vocab maps each word that starts a lexicon phrase to the bits of those lexicons,
	// so a token needs one map lookup, not one per lexicon. Bit 31 marks words some
	// rule looks for (number words, agent heads) without a lexicon.
	bits := map[string]uint32{"a": 1 << 31, "an": 1 << 31}
	all := []*phraseIndex{s.triggers, s.actors, s.places, s.demonyms, s.wHeads, s.wMods, s.victimGrp, s.kinds, s.quals,
		s.lVictim, s.lUnit, s.lTarget, s.lReport, s.lSourcehead, s.lTitle, s.lActorhead, s.lActor, s.lDirection, s.lPlacehead, s.lPlaceof}
	for k, x := range all {
		x.bit = 1 << k
		for w := range x.first {
			bits[w] |= x.bit
		}
	}
	for _, m := range []map[string]int{smallNumbers, vagueWords, multipliers} {
		for w := range m {
			bits[w] |= 1 << 31
		}
	}
	for w := range agentHeads {
		bits[w] |= 1 << 31
	}
	// Each vocabulary word gets a number, and each lexicon a table of its phrases by
	// that number: matching a token then costs no map lookup beyond the one in Suggest.
	words := make([]string, 0, len(bits))
	for w := range bits {
		words = append(words, w)
	}
	sort.Strings(words) // numbering does not depend on map order
	s.vocab = make(map[string]vocabWord, len(words))
	for id, w := range words {
		s.vocab[w] = vocabWord{bits: bits[w], id: int32(id)}
	}
	// word classes some rules test on every token: a bit instead of a map lookup each
	addCls := func(w string, c uint8) {
		v := s.vocab[w] // a word outside the lexicons gets bits 0: it stays unknown
		v.cls |= c
		s.vocab[w] = v
	}
	for w := range placeStarts {
		addCls(w, clsPlaceStart)
	}
	for w := range topicCue {
		addCls(w, clsTopic)
	}
	for _, w := range relativeTimeWords {
		addCls(w, clsTimeWord)
	}
	for w := range weekdays {
		addCls(w, clsWeekday)
	}
	for w := range months {
		addCls(w, clsMonth)
	}
	for w := range stopWords {
		addCls(w, clsStopWord)
	}
	for w := range agentHeads {
		addCls(w, clsAgentHead)
	}
	for _, x := range all {
		x.byID = make([][]*entry, len(words))
		for w, list := range x.first {
			x.byID[s.vocab[w].id] = list
		}
	}
	return s, nil
}

// vocabWord is a word that starts some lexicon phrase (or that a rule looks for): the
// bits of the lexicons with phrases starting with it, and its number.
type vocabWord struct {
	bits uint32
	id   int32
	cls  uint8 // word classes (clsPlaceStart, ...)
}

// Word classes of token.cls.
const (
	clsPlaceStart = 1 << iota // placeStarts
	clsTopic                  // topicCue
	clsTimeWord               // relativeTimeWords
	clsWeekday                // weekdays
	clsMonth                  // months
	clsAgentHead              // agentHeads
	clsStopWord               // stopWords (lang.go): the language profiles' words
)

// cand is a span candidate over tokens [a, b).
type cand struct {
	a, b   int
	label  string
	origin string
	attrs  map[string]any
	name   string // canonical name from a gazetteer, written as attrs {"name": ...}
	ptype  string // place type (country, place), written as attrs {"type": ...}
	cas    *annotate.Casualty
	claim  int // index into cands of the claimant SOURCE, -1 if none
	drop   bool
}

// doc is the working state of one Suggest call.
type doc struct {
	s    *Suggester
	text string
	toks []token
	lows string // the tokens' lower-cased forms (token.lo, token.ln)
	// scratch of the counting sorts (order.go)
	tmp    []int
	counts []int32
	// scratch of resolve
	occ    []uint32
	cover  []int32
	pub    time.Time
	hasPub bool
	cands  []cand
	// srcLast holds the last word of each multi-word SOURCE, so a later bare surname
	// ("Mbusa said") is known as a source.
	srcLast map[string]bool
	// casKind is the kind of the latest casualty figure of each sentence, by sentence
	// number.
	casKind []string
	// cumSent caches cumulativeSentence by sentence: 0 not yet known, 1 yes, -1 no
	cumSent []int8
}

func (d *doc) add(c cand) int {
	c.claim = -1
	d.cands = append(d.cands, c)
	return len(d.cands) - 1
}

// maxText bounds a text so token offsets fit in 32 bits.
const maxText = 1<<31 - 1

// Suggest proposes spans and events for text. published (YYYY-MM-DD or RFC 3339) anchors
// relative times; learned holds the per-database decisions of the learned matcher. The
// spans have code point offsets, status suggested, and an Origin naming their rule.
func (s *Suggester) Suggest(ctx context.Context, text string, published string, learned []annotate.PhraseStat) (annotate.Draft, error) {
	if err := ctx.Err(); err != nil {
		return annotate.Draft{}, fmt.Errorf("suggest: %w", err)
	}
	if len(text) > maxText {
		return annotate.Draft{}, annotate.Errorf(annotate.EInvalid, "suggest: text of %d bytes is longer than %d", len(text), maxText)
	}
	w, _ := s.work.Get().(*workBufs)
	if w == nil {
		w = &workBufs{}
	}
	toks, lowered, lows := tokenizeInto(text, w.toks, w.lowered)
	d := &doc{s: s, text: text, toks: toks, lows: lows, srcLast: map[string]bool{}, tmp: w.tmp, counts: w.counts, occ: w.occ, cover: w.cover}
	if len(toks) > 0 {
		d.casKind = make([]string, toks[len(toks)-1].sent+1)
	}
	if n := len(d.toks)/5 + 8; cap(w.cands) >= n {
		d.cands = w.cands[:0]
	} else {
		d.cands = make([]cand, 0, n)
	}
	defer func() {
		// candidates hold pointers (attrs, casualties): clear them so the pool keeps
		// nothing of this text alive
		clear(d.cands)
		w.toks, w.lowered, w.cands, w.tmp, w.counts = d.toks[:0], lowered[:0], d.cands[:0], d.tmp[:0], d.counts[:0]
		w.occ, w.cover = d.occ[:0], d.cover[:0]
		s.work.Put(w)
	}()
	for i := range d.toks {
		if t := &d.toks[i]; t.kind != kPunct || d.tl(t) == "%" || d.tl(t) == "$" {
			v := s.vocab[d.tl(t)]
			t.idx, t.wid, t.cls = v.bits, v.id, v.cls
			t.known = t.idx != 0
		}
	}
	if len(published) >= 10 {
		if t, err := time.Parse("2006-01-02", published[:10]); err == nil {
			d.pub, d.hasPub = t, true
		}
	}
	steps := []func(){d.findTriggers, d.offTopic, d.findPlaces, d.findActors, d.findWeapons, d.findTimes, d.findSources, d.findTargets, d.findCasualties, d.findVictims, d.linkClaimants, d.placesInEvents}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return annotate.Draft{}, fmt.Errorf("suggest: %w", err)
		}
		step()
	}
	d.findLearned(learned)
	d.resolve(learned)
	return d.draft(), nil
}

// resolve drops duplicates and overlaps: of overlapping spans with one label the longest
// stays (then the earliest); a name-like span inside a longer span of another entity
// label (LOCATION "Iraq" in ACTOR "Islamic Resistance in Iraq") goes.
func (d *doc) resolve(learned []annotate.PhraseStat) {
	idx := make([]int, 0, len(d.cands))
	for i := range d.cands {
		if !d.cands[i].drop {
			idx = append(idx, i)
		}
	}
	d.sortLongestFirst(idx)
	// Longest first: a span is kept when no kept span of its label overlaps it and the
	// longest kept entity span over its first token does not contain it. A bit per label
	// and token makes this linear.
	bits := map[string]uint32{}
	occ, cover := d.occ[:0], d.cover[:0]
	if cap(occ) < len(d.toks) {
		occ, cover = make([]uint32, len(d.toks)), make([]int32, len(d.toks))
	}
	occ, cover = occ[:len(d.toks)], cover[:len(d.toks)]
	d.occ, d.cover = occ, cover
	clear(occ)
	for t := range cover {
		cover[t] = -1
	}
	for _, i := range idx {
		c := &d.cands[i]
		bit, ok := bits[c.label]
		if !ok {
			bit = 1 << min(len(bits), 31)
			bits[c.label] = bit
		}
		keep := true
		for t := c.a; t < c.b; t++ {
			if occ[t]&bit != 0 {
				keep = false
				break
			}
		}
		if keep && !isTrigger(c.label) {
			if j := cover[c.a]; j >= 0 {
				k := &d.cands[j]
				if k.a <= c.a && c.b <= k.b {
					keep = false
				}
			}
		}
		if !keep {
			c.drop = true
			continue
		}
		for t := c.a; t < c.b; t++ {
			occ[t] |= bit
			if !isTrigger(c.label) && cover[t] < 0 {
				cover[t] = int32(i)
			}
		}
	}
	suppressed := map[string]bool{}
	for _, p := range learned {
		if p.Rejected >= 2 && p.Accepted == 0 {
			suppressed[p.Label+"\x00"+strings.ToLower(strings.TrimSpace(p.Text))] = true
		}
	}
	if len(suppressed) > 0 {
		for i := range d.cands {
			c := &d.cands[i]
			if !c.drop && suppressed[c.label+"\x00"+strings.ToLower(d.text[d.toks[c.a].bs:d.toks[c.b-1].be])] {
				c.drop = true
			}
		}
	}
}

// labelPrio breaks ties between spans over the same words: "Israel says" is a SOURCE
// before it is a LOCATION.
func labelPrio(label string) int {
	switch label {
	case "SOURCE":
		return 6
	case "CASUALTY":
		return 5
	case "TARGET":
		return 4
	case "ACTOR", "WEAPON", "TIME":
		return 3
	case "VICTIM":
		return 2
	case "LOCATION":
		return 1
	}
	return 0
}

func isTrigger(label string) bool { return label == "ATTACK" || label == "DEATH" || label == "INJURY" }

// draft converts the kept candidates into spans in text order, then builds events.
func (d *doc) draft() annotate.Draft {
	order := make([]int, 0, len(d.cands))
	for i := range d.cands {
		if !d.cands[i].drop {
			order = append(order, i)
		}
	}
	d.sortTextOrder(order)
	pos := make([]int32, len(d.cands)) // cand index -> span index
	out := annotate.Draft{Spans: make([]annotate.Span, 0, len(order))}
	for _, i := range order {
		c := &d.cands[i]
		pos[i] = int32(len(out.Spans))
		// the span is written in place in out.Spans, not built and copied
		out.Spans = out.Spans[:len(out.Spans)+1]
		sp := &out.Spans[len(out.Spans)-1]
		ta, tb := &d.toks[c.a], &d.toks[c.b-1]
		sp.Start, sp.End, sp.Label, sp.Text = int(ta.s), int(tb.e), c.label, d.text[ta.bs:tb.be]
		sp.Status, sp.Origin = annotate.StatusSuggested, c.origin
		if c.cas != nil {
			if b, err := marshalCasualty(c.cas); err == nil {
				sp.Attrs = b
			}
		} else if len(c.attrs) > 0 {
			sp.Attrs = encodeAttrs(c.attrs)
		} else if c.name != "" {
			b := make([]byte, 0, 24+len(c.name)+len(c.ptype))
			b = append(b, `{"name":`...)
			b = appendJSONString(b, c.name)
			if c.ptype != "" {
				b = append(b, `,"type":`...)
				b = appendJSONString(b, c.ptype)
			}
			sp.Attrs = append(b, '}')
		}
	}
	for _, i := range order {
		c := &d.cands[i]
		if c.claim < 0 || d.cands[c.claim].drop {
			continue
		}
		if out.Claimants == nil {
			out.Claimants = map[int]int{}
		}
		out.Claimants[int(pos[i])] = int(pos[c.claim])
	}
	out.Events = buildEvents(d, order, pos)
	return out
}

// encodeAttrs writes a small map of strings as a JSON object with sorted keys; it is much
// cheaper than encoding/json for the many gazetteer spans of a long text.
func encodeAttrs(m map[string]any) json.RawMessage {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := make([]byte, 0, 48)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		switch v := m[k].(type) {
		case string:
			b = appendJSONString(b, v)
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				enc = []byte("null")
			}
			b = append(b, enc...)
		}
	}
	return append(b, '}')
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
