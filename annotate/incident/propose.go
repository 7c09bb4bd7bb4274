package incident

import (
	"cmp"
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
	Places []string // texts (and gazetteer names) of the place arguments
	Actors []string // texts (and gazetteer names) of the attacker arguments
}

// EventsOf describes a document's events for Propose. Rejected events are left out.
func EventsOf(doc *annotate.Document, spans []annotate.Span, events []annotate.Event) []EventInfo {
	byID := make(map[int64]*annotate.Span, len(spans))
	for i := range spans {
		byID[spans[i].ID] = &spans[i]
	}
	var out []EventInfo
	for _, e := range events {
		if e.Status == annotate.StatusRejected {
			continue
		}
		ev := EventInfo{Ref: annotate.EventRef{DocID: doc.ID, EventID: e.ID}, Type: e.Type}
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
				}
			case "place":
				ev.Places = appendName(ev.Places, text, attr(s.Attrs, "name"))
			case "attacker":
				ev.Actors = appendName(ev.Actors, text, attr(s.Attrs, "name"))
			}
		}
		if ev.Date == "" && isDay(day(doc.Published)) {
			ev.Date = day(doc.Published)
		}
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
	if len(raw) == 0 {
		return ""
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
	// MaxDays is how far apart two events' dates may be; 0 means 3. Events further
	// apart are never linked.
	MaxDays int
	// MinScore is the score a link needs; 0 means 0.5, which takes the type, the date
	// and a place or an actor in common.
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
}

func (o Options) withDefaults() Options {
	if o.MaxDays <= 0 {
		o.MaxDays = 3
	}
	if o.MinScore <= 0 {
		o.MinScore = 0.5
	}
	if o.Containment == nil {
		o.Containment = DefaultContainment()
	}
	return o
}

// The weights of the four kinds of evidence; they add up to 1.
const (
	wType  = 0.2
	wDate  = 0.25
	wPlace = 0.35
	wActor = 0.2
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
	pa, pb := prepare(&a), prepare(&b)
	return compare(&pa, &pb, &opts, newPlaces(opts.Containment), 0)
}

// prepared is an event with what comparisons need computed once: the day number and
// normalised places and actor names.
type prepared struct {
	*EventInfo
	day    int // days since 1970-01-01; noDay when unknown
	places []placeName
	actors []actorName
}

const noDay = math.MinInt32

func prepare(e *EventInfo) prepared {
	p := prepared{EventInfo: e, day: dayNumber(e.Date)}
	for _, s := range e.Places {
		p.places = append(p.places, newPlaceName(s))
	}
	for _, s := range e.Actors {
		p.actors = append(p.actors, newActorName(s))
	}
	return p
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
	d := -1
	if a.day != noDay && b.day != noDay {
		d = abs(a.day - b.day)
		if d > o.MaxDays {
			return l, false
		}
		l.Score += wDate * (1 - float64(d)/float64(o.MaxDays+1))
	}
	var best placeMatch
	for _, p := range a.places {
		for _, q := range b.places {
			if m := pl.relate(p, q); m.weight > best.weight {
				best = m
			}
		}
	}
	l.Score += best.weight
	act := actorsAlike(a.actors, b.actors)
	l.Score += act.weight
	l.Score = math.Round(l.Score*1000) / 1000
	if l.Score < want {
		return l, true
	}
	if related {
		l.Reasons = append(l.Reasons, "related types "+a.Type+"/"+b.Type)
	} else {
		l.Reasons = append(l.Reasons, "same type "+a.Type)
	}
	switch d {
	case -1:
	case 0:
		l.Reasons = append(l.Reasons, "same date "+a.Date)
	case 1:
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
	return l, true
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
// returns one proposal per group, best first. Each group is built from the strongest
// links first (a maximum spanning forest), so one weak link cannot pull in a stranger;
// its score is the mean of those links and its reasons are theirs, strongest first, each
// once. Event ids must be unique across events (store ids are). Events already in an
// incident should be left out by the caller.
func Propose(events []EventInfo, opts Options) []annotate.IncidentProposal {
	o := opts.withDefaults()
	pl := newPlaces(o.Containment)
	rejected := map[[2]int64]bool{}
	for _, p := range o.Rejected {
		rejected[pairKey(p[0].EventID, p[1].EventID)] = true
	}
	// Block by date: only events within MaxDays of each other are compared; undated
	// events are compared with all.
	prep := make([]prepared, len(events))
	for i := range events {
		prep[i] = prepare(&events[i])
	}
	idx := make([]int, 0, len(events))
	var undated []int
	for i := range events {
		if prep[i].day != noDay {
			idx = append(idx, i)
		} else {
			undated = append(undated, i)
		}
	}
	sort.SliceStable(idx, func(x, y int) bool { return prep[idx[x]].day < prep[idx[y]].day })
	var links []Link
	try := func(i, j int) {
		if rejected[pairKey(events[i].Ref.EventID, events[j].Ref.EventID)] {
			return
		}
		if l, ok := compare(&prep[i], &prep[j], &o, pl, o.MinScore); ok && l.Score >= o.MinScore {
			links = append(links, l)
		}
	}
	for x, i := range idx {
		for _, j := range idx[x+1:] {
			if prep[j].day-prep[i].day > o.MaxDays {
				break
			}
			try(i, j)
		}
	}
	for x, i := range undated {
		for _, j := range idx {
			try(i, j)
		}
		for _, j := range undated[x+1:] {
			try(i, j)
		}
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].Score > links[j].Score })

	// Kruskal: union the strongest links first.
	parent := map[int64]int64{}
	var find func(int64) int64
	find = func(x int64) int64 {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	ref := map[int64]annotate.EventRef{}
	var tree []Link
	for _, l := range links {
		ra, rb := find(l.A.EventID), find(l.B.EventID)
		if ra == rb {
			continue
		}
		parent[ra] = rb
		ref[l.A.EventID], ref[l.B.EventID] = l.A, l.B
		tree = append(tree, l)
	}
	// one group per tree, in the order of their strongest link
	type group struct {
		links  []Link
		events map[int64]annotate.EventRef
		docs   map[int64]bool
		places []string
		dates  []string
	}
	groups := map[int64]*group{}
	var order []int64
	for _, l := range tree {
		r := find(l.A.EventID)
		g := groups[r]
		if g == nil {
			g = &group{events: map[int64]annotate.EventRef{}, docs: map[int64]bool{}}
			groups[r] = g
			order = append(order, r)
		}
		g.links = append(g.links, l)
	}
	byID := make(map[int64]*EventInfo, len(events))
	for i := range events {
		byID[events[i].Ref.EventID] = &events[i]
	}
	for id, r := range ref {
		g := groups[find(id)]
		g.events[id] = r
		g.docs[r.DocID] = true
		if e := byID[id]; e != nil {
			g.places = append(g.places, e.Places...)
			if e.Date != "" {
				g.dates = append(g.dates, e.Date)
			}
		}
	}
	// A group whose documents all belong to a larger group is most often the same
	// happening told from another angle (the toll of the attack, the wounded): the
	// suggester gives such events fewer arguments, so they link to each other but not
	// to the attack. Fold it into the larger group when nothing speaks against it: the
	// dates stay within MaxDays and where both name places, some place matches.
	sort.SliceStable(order, func(i, j int) bool {
		return len(groups[order[i]].docs) > len(groups[order[j]].docs)
	})
	for i := len(order) - 1; i > 0; i-- {
		small := groups[order[i]]
		for _, r := range order[:i] {
			big := groups[r]
			if big == nil || !subset(small.docs, big.docs) || !o.compatible(pl, small.places, big.places, small.dates, big.dates) {
				continue
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
