package incident

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"

	"evident/annotate"
)

// EventInfo is what Propose needs to know about one stored event.
type EventInfo struct {
	Ref  annotate.EventRef
	Type string // ATTACK, DEATH or INJURY
	// Date is YYYY-MM-DD: the date of the event's TIME argument when it resolves to a
	// day, else the document's publication date; "" when neither is known.
	Date   string
	Places []string // texts (and gazetteer names) of the place arguments, names in targets
	Actors []string // texts (and gazetteer names) of the attacker arguments

	// DateFrom and DateTo are the days the event may have happened on (YYYY-MM-DD,
	// inclusive): "overnight" is the night before publication, "last week" seven days,
	// no TIME at all the two days before publication and that day. "" means Date.
	DateFrom, DateTo string
	// DateGuessed is true when the report gives no time and Date is its publication
	// date: its window is wider and a day's difference speaks less against a link.
	DateGuessed bool
	// DocPlaces are places the report names outside the event's arguments: its other
	// LOCATION spans, its dateline and the capitalised names of its headline (and of its
	// text when nothing else names a place: a report in another language).
	DocPlaces []string
	Weapons   []string // head words of the instrument arguments ("bomb", "drone")
	Targets   []string // head words of the target arguments ("station", "market")
	Kinds     []string // casualty kinds of the casualties arguments ("killed")
	// Words are the report's distinct content words (lower case, at least four
	// letters, at most 64), for the text similarity of two reports.
	Words []string
}

// EventsOf describes a document's events for Propose. Rejected events are left out.
func EventsOf(doc *annotate.Document, spans []annotate.Span, events []annotate.Event) []EventInfo {
	byID := make(map[int64]*annotate.Span, len(spans))
	for i := range spans {
		byID[spans[i].ID] = &spans[i]
	}
	var out []EventInfo
	dc := newDocContext(doc, spans)
	for _, e := range events {
		if e.Status == annotate.StatusRejected {
			continue
		}
		ev := EventInfo{Ref: annotate.EventRef{DocID: doc.ID, EventID: e.ID}, Type: e.Type}
		var timeSpan *annotate.Span
		for _, a := range e.Args {
			s := byID[a.SpanID]
			if s == nil || s.Status == annotate.StatusRejected {
				continue
			}
			text := s.Text
			if text == "" {
				text = runeSlice(doc.Text, s.Start, s.End)
			}
			switch a.Role {
			case "time":
				if d := attr(s.Attrs, "date"); ev.Date == "" && isDay(d) {
					ev.Date = d
					timeSpan = s
				}
			case "place":
				ev.Places = appendName(ev.Places, text, attr(s.Attrs, "name"))
			case "attacker":
				ev.Actors = appendName(ev.Actors, text, attr(s.Attrs, "name"))
			case "target":
				// "the Tessaly bus station": the place inside the target
				for _, n := range capitalNames(text, doc.Text) {
					ev.Places = appendName(ev.Places, n, "")
				}
				ev.Targets = appendName(ev.Targets, headWord(text), "")
			case "instrument":
				ev.Weapons = appendName(ev.Weapons, headWord(text), "")
			case "casualties":
				if k := attr(s.Attrs, "kind"); k != "" {
					ev.Kinds = appendName(ev.Kinds, k, "")
				}
			}
		}
		if ev.Date == "" && isDay(day(doc.Published)) {
			ev.Date = day(doc.Published)
			// no TIME: reports are mostly of the day before or the day itself
			ev.DateFrom = dayAdd(ev.Date, -2)
			ev.DateTo = ev.Date
			ev.DateGuessed = true
		} else if timeSpan != nil {
			if f, t := attr(timeSpan.Attrs, "earliest"), attr(timeSpan.Attrs, "latest"); isDay(f) && isDay(t) && f <= ev.Date && ev.Date <= t {
				ev.DateFrom, ev.DateTo = f, t
			}
		}
		dc.fill(&ev)
		out = append(out, ev)
	}
	return out
}

func appendName(list []string, text, name string) []string {
	for _, s := range []string{text, name} {
		if s != "" && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

func attr(raw json.RawMessage, key string) string {
	if len(raw) == 0 || !bytes.Contains(raw, []byte(`"`+key+`"`)) {
		return "" // most spans lack most keys: spare the decoding
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	s, _ := m[key].(string)
	return s
}

func isDay(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// Options tune Propose. The zero value is the default.
type Options struct {
	// MaxDays is how far apart two events' date windows may be; 0 means 3. Events
	// further apart are never linked, and a proposal's windows stay within it.
	MaxDays int
	// MinScore is the score a link needs; 0 means DefaultMinScore.
	MinScore float64
	// SameType links only events of the same type; by default an ATTACK may be linked
	// to a DEATH or INJURY (the same happening, told by its toll), at a lower score.
	SameType bool
	// Containment maps a normalised place to the region or country it lies in; nil
	// means DefaultContainment().
	Containment map[string]string
	// Rejected holds event pairs a reviewer said are not the same incident
	// (IncidentStore.RejectedPairs); they are never linked.
	Rejected [][2]annotate.EventRef
	// Progress, when set, is called now and then with the events compared so far and
	// the total, so a command or window can show how far Propose is.
	Progress func(done, total int)
}

// DefaultMinScore is the score a link needs by default. It was chosen from measurement
// on the constructed corpus (annotate/incident/corpus, tuned styles only; see
// TestCorpusThreshold, which sweeps it): B-cubed F1 is flat from 0.50 to 0.70 (0.979 to
// 0.985) and falls at 0.75; 0.65 keeps precision at 0.97 and still links a nested place
// on the same day (type 0.1 + date 0.2 + nested place 0.38). A link needs a place in
// common: without one a score stays below it.
const DefaultMinScore = 0.65

func (o Options) withDefaults() Options {
	if o.MaxDays <= 0 {
		o.MaxDays = 3
	}
	if o.MinScore <= 0 {
		o.MinScore = DefaultMinScore
	}
	if o.Containment == nil {
		o.Containment = DefaultContainment()
	}
	return o
}

// The weights of the kinds of evidence; they add up to 1.
const (
	wPlace   = 0.45
	wDate    = 0.2
	wType    = 0.1
	wActor   = 0.1
	wThing   = 0.08 // weapon and target words, half each
	wKinds   = 0.04
	wSimilar = 0.03
)

// Link is the evidence that two events describe the same happening.
type Link struct {
	A, B    annotate.EventRef
	Score   float64
	Reasons []string
}

// Compare scores two events from different documents; ok is false when they can never
// be one incident (same document, types the options keep apart, dates too far apart).
func Compare(a, b EventInfo, opts Options) (Link, bool) {
	opts = opts.withDefaults()
	pl := newPlaces(opts.Containment)
	pa, pb := prepare(&a, pl), prepare(&b, pl)
	return compare(&pa, &pb, &opts, pl, 0)
}

// prepared is an event with what comparisons need computed once: its day window, its
// normalised places and actor names, and the keys it is blocked by.
type prepared struct {
	*EventInfo
	from, to  int // days since 1970-01-01; noDay when unknown
	places    []placeName
	docPlaces []placeName
	actors    []actorName
	keys      []string // place keys, sorted: events meet only if they share one
}

const noDay = math.MinInt32

func prepare(e *EventInfo, pl *places) prepared {
	p := prepared{EventInfo: e, from: dayNumber(e.Date), to: dayNumber(e.Date)}
	if f, t := dayNumber(e.DateFrom), dayNumber(e.DateTo); f != noDay && t != noDay && f <= t {
		p.from, p.to = f, t
	}
	for _, s := range e.Places {
		p.places = append(p.places, newPlaceName(s))
	}
	for _, s := range e.DocPlaces {
		p.docPlaces = append(p.docPlaces, newPlaceName(s))
	}
	for _, s := range e.Actors {
		p.actors = append(p.actors, newActorName(s))
	}
	p.setKeys(pl)
	return p
}

// setKeys computes the blocking keys; generic words ("Deir") are keys only of an event
// that has no other.
func (p *prepared) setKeys(pl *places) {
	p.keys = p.keys[:0]
	for _, q := range [][]placeName{p.places, p.docPlaces} {
		for _, n := range q {
			p.keys = append(p.keys, placeKeys(n, pl)...)
		}
	}
	slices.Sort(p.keys)
	p.keys = slices.Compact(p.keys)
	if specific := slices.DeleteFunc(slices.Clone(p.keys), func(k string) bool { return pl.generic[k] }); len(specific) > 0 {
		p.keys = specific
	}
}

// placeKeys are the blocking keys of a place: the skeleton of each of its name words,
// and those of the regions the containment map puts it in (short of a country, which
// would put a whole country in one block).
func placeKeys(n placeName, pl *places) []string {
	var keys []string
	add := func(norm string) {
		for _, w := range strings.Fields(skeletonOf(norm)) {
			if len(w) >= 2 {
				keys = append(keys, w)
			}
		}
	}
	if pl.broad(n.norm) {
		return nil
	}
	add(n.norm)
	up := n.norm
	for seen := 0; seen < 16; seen++ {
		next, ok := pl.parent[up]
		if !ok || pl.broad(next) {
			break
		}
		add(next)
		up = next
	}
	return keys
}

// dayNumber returns the days since the Unix epoch of a YYYY-MM-DD date, noDay if it is
// not one.
func dayNumber(s string) int {
	t, err := time.Parse("2006-01-02", day(s))
	if err != nil {
		return noDay
	}
	return int(t.Unix() / 86400)
}

// gapDays is how many days lie between two windows: 0 when they overlap, -1 when a
// date is unknown.
func gapDays(a, b *prepared) int {
	if a.from == noDay || b.from == noDay {
		return -1
	}
	return max(0, max(a.from, b.from)-min(a.to, b.to))
}

// compare scores a pair; the reasons are written only when the score reaches want.
func compare(a, b *prepared, o *Options, pl *places, want float64) (Link, bool) {
	l := Link{A: a.Ref, B: b.Ref}
	if a.Ref.DocID == b.Ref.DocID {
		return l, false
	}
	related := false
	switch {
	case a.Type == b.Type:
		l.Score += wType
	case o.SameType || a.Type == "" || b.Type == "":
		return l, false
	default:
		l.Score += wType / 2
		related = true
	}
	d := gapDays(a, b)
	explicit := d >= 0 && !a.DateGuessed && !b.DateGuessed
	switch {
	case d > o.MaxDays, explicit && d >= 2:
		// both reports name the day and the days differ: the same town two days
		// apart is two incidents
		return l, false
	case explicit && d == 1:
		l.Score += wDate / 4 // "late on Monday" and "on Tuesday" may be one night
	case d >= 0:
		l.Score += wDate * (1 - float64(d)/float64(o.MaxDays+1))
	}
	best := bestPlace(pl, a.places, b.places, 1)
	if best.weight < wPlace {
		// the places a report names outside the event count a little less
		for _, pair := range [][2][]placeName{{a.places, b.docPlaces}, {a.docPlaces, b.places}, {a.docPlaces, b.docPlaces}} {
			if m := bestPlace(pl, pair[0], pair[1], 0.9); m.weight > best.weight {
				best = m
			}
		}
	}
	l.Score += best.weight
	act := actorsAlike(a.actors, b.actors)
	l.Score += act.weight
	weapon, target := common(a.Weapons, b.Weapons), common(a.Targets, b.Targets)
	if weapon != "" {
		l.Score += wThing / 2
	}
	if target != "" {
		l.Score += wThing / 2
	}
	// both name a weapon (or a target) and none is shared: evidence against, weaker
	// than agreement is for, since outlets word these differently
	weaponDiffers := weapon == "" && len(a.Weapons) > 0 && len(b.Weapons) > 0
	targetDiffers := target == "" && len(a.Targets) > 0 && len(b.Targets) > 0
	if weaponDiffers {
		l.Score -= wThing / 2
	}
	if targetDiffers {
		l.Score -= wThing / 2
	}
	kind := common(a.Kinds, b.Kinds)
	if kind != "" {
		l.Score += wKinds
	}
	sim := overlap(a.Words, b.Words)
	l.Score += wSimilar * min(1, 2*sim)
	if best.weight == 0 {
		// no place in common: however alike otherwise, the same day elsewhere is
		// another incident
		l.Score = min(l.Score, o.MinScore*0.99)
	}
	l.Score = math.Round(l.Score*1000) / 1000
	if l.Score < want {
		return l, true
	}
	if related {
		l.Reasons = append(l.Reasons, "related types "+a.Type+"/"+b.Type)
	} else {
		l.Reasons = append(l.Reasons, "same type "+a.Type)
	}
	switch {
	case d < 0:
	case d == 0 && a.from == a.to && b.from == b.to:
		l.Reasons = append(l.Reasons, "same date "+a.Date)
	case d == 0:
		l.Reasons = append(l.Reasons, "dates overlap ("+window(a)+" and "+window(b)+")")
	case d == 1:
		l.Reasons = append(l.Reasons, "dates 1 day apart")
	default:
		l.Reasons = append(l.Reasons, fmt.Sprintf("dates %d days apart", d))
	}
	if best.weight > 0 {
		l.Reasons = append(l.Reasons, best.reason())
	}
	if act.weight > 0 {
		l.Reasons = append(l.Reasons, act.reason())
	}
	if weapon != "" {
		l.Reasons = append(l.Reasons, "same weapon: "+weapon)
	}
	if target != "" {
		l.Reasons = append(l.Reasons, "same target: "+target)
	}
	if weaponDiffers {
		l.Reasons = append(l.Reasons, "weapons differ: "+strings.Join(a.Weapons, ", ")+" / "+strings.Join(b.Weapons, ", "))
	}
	if targetDiffers {
		l.Reasons = append(l.Reasons, "targets differ: "+strings.Join(a.Targets, ", ")+" / "+strings.Join(b.Targets, ", "))
	}
	if kind != "" {
		l.Reasons = append(l.Reasons, "same casualty kind: "+kind)
	}
	if sim >= 0.2 {
		l.Reasons = append(l.Reasons, fmt.Sprintf("similar wording (%.0f%% of words shared)", 100*sim))
	}
	return l, true
}

// window writes an event's day window: "2026-03-10" or "2026-03-10..2026-03-11".
func window(p *prepared) string {
	if p.DateFrom == "" || p.DateFrom == p.DateTo {
		return p.Date
	}
	return p.DateFrom + ".." + p.DateTo
}

// bestPlace is the best-related pair of places of two lists, its weight scaled.
func bestPlace(pl *places, as, bs []placeName, scale float64) placeMatch {
	var best placeMatch
	for _, p := range as {
		for _, q := range bs {
			if m := pl.relate(p, q); m.weight*scale > best.weight {
				m.weight *= scale
				m.elsewhere = scale < 1
				best = m
			}
		}
	}
	return best
}

// common returns a word both lists hold, "" if none.
func common(a, b []string) string {
	for _, x := range a {
		if x != "" && slices.Contains(b, x) {
			return x
		}
	}
	return ""
}

// daysApart returns |a-b| in days, -1 if either is not a date.
func daysApart(a, b string) int {
	da, db := dayNumber(a), dayNumber(b)
	if da == noDay || db == noDay {
		return -1
	}
	return abs(da - db)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// actorsAlike compares two events' attackers and returns the weight of the best pair
// and the reason.
func actorsAlike(as, bs []actorName) actorMatch {
	var best actorMatch
	for i := range as {
		for j := range bs {
			if m := actorPair(&as[i], &bs[j]); m.weight > best.weight {
				best = m
			}
		}
	}
	return best
}

// actorMatch is how two actor names relate; the reason is written on demand.
type actorMatch struct {
	weight float64
	same   bool
	a, b   string
}

func (m actorMatch) reason() string {
	if m.same {
		return "same actor: " + oneLine(m.a)
	}
	return "actors alike: " + oneLine(m.a) + " ~ " + oneLine(m.b)
}

// actorWords are words too common among armed actors to say two names are alike.
var actorWords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "armed": true, "group": true,
	"groups": true, "forces": true, "force": true, "army": true, "militia": true,
	"militias": true, "men": true, "fighters": true, "military": true,
}

func actorTokens(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range f {
		if len(w) > 3 && strings.HasSuffix(w, "s") { // "Forces" ~ "Force"
			f[i] = w[:len(w)-1]
		}
	}
	return f
}

// actorName is an actor as written, its words and the words that tell it apart.
type actorName struct {
	raw      string
	toks     []string
	distinct map[string]bool
}

func newActorName(s string) actorName {
	t := actorTokens(s)
	return actorName{raw: s, toks: t, distinct: distinctive(t)}
}

func actorPair(an, bn *actorName) actorMatch {
	a, b, ta, tb := an.raw, bn.raw, an.toks, bn.toks
	if len(ta) == 0 || len(tb) == 0 {
		return actorMatch{}
	}
	if slices.Equal(ta, tb) {
		if len(an.distinct) > 0 {
			return actorMatch{weight: wActor, same: true, a: a, b: b}
		}
		return actorMatch{} // "armed group" and "armed group" name nobody in particular
	}
	// an acronym against a full name: "RSF" ~ "Rapid Support Forces"
	if w, ok := acronymOf(a, b); ok {
		return actorMatch{weight: w, a: a, b: b}
	}
	if w, ok := acronymOf(b, a); ok {
		return actorMatch{weight: w, a: b, b: a}
	}
	// shared distinctive words: "Sudan Liberation Army" ~ "Sudan Liberation Army faction"
	sa, sb := an.distinct, bn.distinct
	if len(sa) == 0 || len(sb) == 0 {
		return actorMatch{}
	}
	common := 0
	for w := range sa {
		if sb[w] {
			common++
		}
	}
	if j := float64(common) / float64(len(sa)+len(sb)-common); j >= 0.5 {
		return actorMatch{weight: wActor * j, a: a, b: b}
	}
	return actorMatch{}
}

func distinctive(toks []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range toks {
		if !actorWords[w] {
			m[w] = true
		}
	}
	return m
}

// acronymOf reports whether short is an acronym of long: sahilm/fuzzy finds short's
// letters in order in long and each must fall at the start of a word ("RSF" in "Rapid
// Support Forces", but not in "Rafsanjani"). Full weight when the capitalised words'
// initials spell it exactly, a little less when small words had to be skipped.
func acronymOf(short, long string) (float64, bool) {
	s := strings.TrimSpace(short)
	if len(s) < 2 || len(s) > 6*utf8.UTFMax || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsUpper(r) }) >= 0 {
		return 0, false // an acronym is 2 to 6 capitals
	}
	if n := utf8.RuneCountInString(s); n < 2 || n > 6 {
		return 0, false
	}
	words := strings.FieldsFunc(long, func(r rune) bool { return r == ' ' || r == '-' })
	if len(words) < 2 {
		return 0, false
	}
	ms := fuzzy.Find(s, []string{long})
	if len(ms) == 0 {
		return 0, false
	}
	lr := []rune(long)
	// fuzzy reports byte indexes; map to runes through the prefix
	for _, bi := range ms[0].MatchedIndexes {
		ri := len([]rune(long[:bi]))
		if ri > 0 && lr[ri-1] != ' ' && lr[ri-1] != '-' && lr[ri-1] != '(' {
			return 0, false
		}
	}
	// initials of the words that count, against the acronym: allow skipped small words
	// ("Office for the Coordination..."), nothing else
	var initials []rune
	for _, w := range words {
		r := []rune(w)
		if unicode.IsUpper(r[0]) {
			initials = append(initials, r[0])
		}
	}
	if string(initials) != s {
		return wActor * 0.8, true
	}
	return wActor, true
}

// Propose links events from different documents that look like the same happening and
// returns one proposal per group, best first.
//
// Only events that share a place key (a name word as transliterations agree on it) and
// whose day windows lie within MaxDays are compared: blocking keeps the work near
// linear in the number of events. Each group is built from the strongest links first
// (a maximum spanning forest), so one weak link cannot pull in a stranger, and two
// groups are joined only while their day windows stay within MaxDays of each other, so
// a chain of links cannot carry an incident across weeks. A proposal's score is the mean
// of its links and its reasons are theirs, strongest first, each once. Event ids must be
// unique across events (store ids are). Events already in an incident should be left out
// by the caller.
func Propose(events []EventInfo, opts Options) []annotate.IncidentProposal {
	ps, _ := ProposeContext(context.Background(), events, opts)
	return ps
}

// ProposeContext is Propose that stops, with ctx's error, when ctx is done.
func ProposeContext(ctx context.Context, events []EventInfo, opts Options) ([]annotate.IncidentProposal, error) {
	o := opts.withDefaults()
	pl := newPlaces(o.Containment)
	rejected := map[[2]int64]bool{}
	for _, p := range o.Rejected {
		rejected[pairKey(p[0].EventID, p[1].EventID)] = true
	}
	prep := make([]prepared, len(events))
	var names []placeName
	for i := range events {
		prep[i] = prepare(&events[i], pl)
		names = append(append(names, prep[i].places...), prep[i].docPlaces...)
	}
	pl.learnGeneric(names)
	for i := range prep {
		prep[i].setKeys(pl)
	}
	// blocks: place key -> events, by the start of their window (undated first)
	blocks := map[string][]int{}
	for i := range prep {
		for _, k := range prep[i].keys {
			blocks[k] = append(blocks[k], i)
		}
	}
	var links []Link
	try := func(i, j int, key string) {
		a, b := &prep[i], &prep[j]
		if a.Ref.DocID == b.Ref.DocID || firstShared(a.keys, b.keys) != key {
			return // compared under the first key they share, once
		}
		if rejected[pairKey(a.Ref.EventID, b.Ref.EventID)] {
			return
		}
		if l, ok := compare(a, b, &o, pl, o.MinScore); ok && l.Score >= o.MinScore {
			links = append(links, l)
		}
	}
	keys := make([]string, 0, len(blocks))
	for k := range blocks {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a stable order: the same input gives the same proposals
	done := 0
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("propose incidents: %w", err)
		}
		idx := blocks[k]
		sort.SliceStable(idx, func(x, y int) bool { return prep[idx[x]].from < prep[idx[y]].from })
		for x, i := range idx {
			for _, j := range idx[x+1:] {
				if prep[i].from != noDay && prep[j].from-prep[i].to > o.MaxDays {
					break
				}
				try(i, j, k)
			}
		}
		done += len(idx)
		if o.Progress != nil {
			o.Progress(min(done, len(prep)), len(prep))
		}
	}
	if o.Progress != nil {
		o.Progress(len(prep), len(prep))
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].Score > links[j].Score })

	// Kruskal: union the strongest links first, while the windows stay close.
	byEvent := make(map[int64]int, len(prep))
	for i := range prep {
		byEvent[prep[i].Ref.EventID] = i
	}
	parent := make([]int, len(prep))
	lo, hi := make([]int, len(prep)), make([]int, len(prep)) // latest start, earliest end
	for i := range parent {
		parent[i], lo[i], hi[i] = i, prep[i].from, prep[i].to
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	var tree []Link
	for _, l := range links {
		ra, rb := find(byEvent[l.A.EventID]), find(byEvent[l.B.EventID])
		if ra == rb {
			continue
		}
		nlo, nhi := max(lo[ra], lo[rb]), min(hi[ra], hi[rb])
		if lo[ra] != noDay && lo[rb] != noDay && nlo-nhi > o.MaxDays {
			continue // the group would spread over more days than one incident
		}
		if lo[ra] == noDay {
			nlo, nhi = lo[rb], hi[rb]
		} else if lo[rb] == noDay {
			nlo, nhi = lo[ra], hi[ra]
		}
		parent[ra] = rb
		lo[rb], hi[rb] = nlo, nhi
		tree = append(tree, l)
	}
	return groupsOf(tree, events, prep, find, byEvent, &o, pl), nil
}

// firstShared returns the first key two sorted key lists share, "" if none.
func firstShared(a, b []string) string {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch strings.Compare(a[i], b[j]) {
		case 0:
			return a[i]
		case -1:
			i++
		default:
			j++
		}
	}
	return ""
}

// groupsOf turns the links of a spanning forest into proposals. A group whose documents
// all belong to a larger group is most often the same happening told from another
// angle (the toll of the attack, the wounded): the suggester gives such events fewer
// arguments, so they link to each other but not to the attack. It is folded into the
// larger group when nothing speaks against it: the dates stay within MaxDays and where
// both name places, some place matches.
func groupsOf(tree []Link, events []EventInfo, prep []prepared, find func(int) int, byEvent map[int64]int, o *Options, pl *places) []annotate.IncidentProposal {
	type group struct {
		links  []Link
		events map[int64]annotate.EventRef
		docs   map[int64]bool
		places []string
		dates  []string
	}
	groups := map[int]*group{}
	var order []int
	for _, l := range tree {
		r := find(byEvent[l.A.EventID])
		g := groups[r]
		if g == nil {
			g = &group{events: map[int64]annotate.EventRef{}, docs: map[int64]bool{}}
			groups[r] = g
			order = append(order, r)
		}
		g.links = append(g.links, l)
		for _, ref := range []annotate.EventRef{l.A, l.B} {
			if _, ok := g.events[ref.EventID]; ok {
				continue
			}
			g.events[ref.EventID] = ref
			g.docs[ref.DocID] = true
			e := &events[byEvent[ref.EventID]]
			g.places = append(g.places, e.Places...)
			if e.Date != "" {
				g.dates = append(g.dates, e.Date)
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		return len(groups[order[i]].docs) > len(groups[order[j]].docs)
	})
	// the groups each document is in, largest first: the candidates to fold into
	inDoc := map[int64][]int{}
	for _, r := range order {
		for d := range groups[r].docs {
			inDoc[d] = append(inDoc[d], r)
		}
	}
	for i := len(order) - 1; i > 0; i-- {
		small := groups[order[i]]
		var anyDoc int64
		for d := range small.docs {
			anyDoc = d
			break
		}
		for _, r := range inDoc[anyDoc] {
			big := groups[r]
			if r == order[i] || big == nil || len(big.docs) < len(small.docs) || !subset(small.docs, big.docs) || !o.compatible(pl, small.places, big.places, small.dates, big.dates) {
				continue
			}
			if len(big.docs) == len(small.docs) && slices.Index(order, r) > i {
				continue // of two groups over the same documents, fold the later one
			}
			big.links = append(big.links, small.links...)
			for id, ref := range small.events {
				big.events[id] = ref
			}
			big.places = append(big.places, small.places...)
			big.dates = append(big.dates, small.dates...)
			groups[order[i]] = nil
			break
		}
	}
	out := make([]annotate.IncidentProposal, 0, len(order))
	for _, r := range order {
		g := groups[r]
		if g == nil {
			continue
		}
		var p annotate.IncidentProposal
		seen := map[string]bool{}
		for _, l := range g.links {
			p.Score += l.Score
			for _, why := range l.Reasons {
				// "same place: North Darfur state" says no more than "... North Darfur"
				if k := normPlace(why); !seen[k] {
					seen[k] = true
					p.Reasons = append(p.Reasons, why)
				}
			}
		}
		p.Score = math.Round(p.Score/float64(len(g.links))*1000) / 1000
		for _, ev := range g.events {
			p.Events = append(p.Events, ev)
		}
		slices.SortFunc(p.Events, func(a, b annotate.EventRef) int {
			if c := cmp.Compare(a.DocID, b.DocID); c != 0 {
				return c
			}
			return cmp.Compare(a.EventID, b.EventID)
		})
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Events[0].EventID < out[j].Events[0].EventID
	})
	return out
}

func pairKey(a, b int64) [2]int64 {
	if a > b {
		a, b = b, a
	}
	return [2]int64{a, b}
}

func subset(a, b map[int64]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// compatible reports whether two groups of events may be one happening: all dates within
// MaxDays of each other and, when both name places, at least one pair of places related.
func (o *Options) compatible(pl *places, pa, pb, da, db []string) bool {
	for _, a := range da {
		for _, b := range db {
			if d := daysApart(a, b); d < 0 || d > o.MaxDays {
				return false
			}
		}
	}
	if len(pa) == 0 || len(pb) == 0 {
		return true
	}
	for _, a := range pa {
		for _, b := range pb {
			if pl.relate(newPlaceName(a), newPlaceName(b)).weight > 0 {
				return true
			}
		}
	}
	return false
}

// oneLine collapses runs of space in a name; acronyms keep their capitals.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
