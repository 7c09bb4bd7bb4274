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
	return compare(&a, &b, &opts, newPlaces(opts.Containment))
}

func compare(a, b *EventInfo, o *Options, pl *places) (Link, bool) {
	l := Link{A: a.Ref, B: b.Ref}
	if a.Ref.DocID == b.Ref.DocID {
		return l, false
	}
	switch {
	case a.Type == b.Type:
		l.Score += wType
		l.Reasons = append(l.Reasons, "same type "+a.Type)
	case o.SameType || a.Type == "" || b.Type == "":
		return l, false
	default:
		l.Score += wType / 2
		l.Reasons = append(l.Reasons, "related types "+a.Type+"/"+b.Type)
	}
	if a.Date != "" && b.Date != "" {
		d := daysApart(a.Date, b.Date)
		if d < 0 || d > o.MaxDays {
			return l, false
		}
		l.Score += wDate * (1 - float64(d)/float64(o.MaxDays+1))
		switch d {
		case 0:
			l.Reasons = append(l.Reasons, "same date "+a.Date)
		case 1:
			l.Reasons = append(l.Reasons, "dates 1 day apart")
		default:
			l.Reasons = append(l.Reasons, fmt.Sprintf("dates %d days apart", d))
		}
	}
	var best placeMatch
	for _, p := range a.Places {
		for _, q := range b.Places {
			if m := pl.relate(p, q); m.weight > best.weight {
				best = m
			}
		}
	}
	if best.weight > 0 {
		l.Score += best.weight
		l.Reasons = append(l.Reasons, best.reason)
	}
	if w, why := actorsAlike(a.Actors, b.Actors); w > 0 {
		l.Score += w
		l.Reasons = append(l.Reasons, why)
	}
	l.Score = math.Round(l.Score*1000) / 1000
	return l, true
}

// daysApart returns |a-b| in days, -1 if either is not a date.
func daysApart(a, b string) int {
	ta, err1 := time.Parse("2006-01-02", day(a))
	tb, err2 := time.Parse("2006-01-02", day(b))
	if err1 != nil || err2 != nil {
		return -1
	}
	d := ta.Sub(tb).Hours() / 24
	return int(math.Abs(math.Round(d)))
}

// actorsAlike compares two events' attackers and returns the weight of the best pair
// and the reason.
func actorsAlike(as, bs []string) (float64, string) {
	best, why := 0.0, ""
	for _, a := range as {
		for _, b := range bs {
			w, r := actorPair(a, b)
			if w > best {
				best, why = w, r
			}
		}
	}
	return best, why
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

func actorPair(a, b string) (float64, string) {
	ta, tb := actorTokens(a), actorTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0, ""
	}
	if slices.Equal(ta, tb) {
		if slices.ContainsFunc(ta, func(w string) bool { return !actorWords[w] }) {
			return wActor, "same actor: " + oneLine(a)
		}
		return 0, "" // "armed group" and "armed group" name nobody in particular
	}
	// an acronym against a full name: "RSF" ~ "Rapid Support Forces"
	if w, ok := acronymOf(a, b); ok {
		return w, "actors alike: " + oneLine(a) + " ~ " + oneLine(b)
	}
	if w, ok := acronymOf(b, a); ok {
		return w, "actors alike: " + oneLine(b) + " ~ " + oneLine(a)
	}
	// shared distinctive words: "Sudan Liberation Army" ~ "Sudan Liberation Army faction"
	sa, sb := distinctive(ta), distinctive(tb)
	if len(sa) == 0 || len(sb) == 0 {
		return 0, ""
	}
	common := 0
	for w := range sa {
		if sb[w] {
			common++
		}
	}
	if j := float64(common) / float64(len(sa)+len(sb)-common); j >= 0.5 {
		return wActor * j, "actors alike: " + oneLine(a) + " ~ " + oneLine(b)
	}
	return 0, ""
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
	if len([]rune(s)) < 2 || len([]rune(s)) > 6 || strings.ContainsAny(s, " \t") || strings.ToUpper(s) != s {
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
// once. Events already in an incident should be left out by the caller.
func Propose(events []EventInfo, opts Options) []annotate.IncidentProposal {
	o := opts.withDefaults()
	pl := newPlaces(o.Containment)
	rejected := map[[2]int64]bool{}
	for _, p := range o.Rejected {
		rejected[pairKey(p[0].EventID, p[1].EventID)] = true
	}
	// Block by date: only events within MaxDays of each other are compared; undated
	// events are compared with all.
	idx := make([]int, 0, len(events))
	var undated []int
	for i := range events {
		if isDay(events[i].Date) {
			idx = append(idx, i)
		} else {
			undated = append(undated, i)
		}
	}
	sort.SliceStable(idx, func(x, y int) bool { return events[idx[x]].Date < events[idx[y]].Date })
	var links []Link
	try := func(i, j int) {
		if rejected[pairKey(events[i].Ref.EventID, events[j].Ref.EventID)] {
			return
		}
		if l, ok := compare(&events[i], &events[j], &o, pl); ok && l.Score >= o.MinScore {
			links = append(links, l)
		}
	}
	for x, i := range idx {
		for _, j := range idx[x+1:] {
			if daysApart(events[i].Date, events[j].Date) > o.MaxDays {
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
			if pl.relate(a, b).weight > 0 {
				return true
			}
		}
	}
	return false
}

// oneLine collapses runs of space in a name; acronyms keep their capitals.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
