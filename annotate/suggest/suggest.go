// Package suggest proposes spans and event frames for conflict news: event triggers,
// actors, places, times, weapons, targets, sources and casualty figures with their
// normalisation. It is deterministic and explainable (every span's Origin names the rule,
// lexicon or gazetteer that made it) and a pure function of the text, the publication
// date and the learned phrases passed in.
//
// The text is tokenised once; lexicons are matched through maps keyed by lower-cased
// token, so the cost is linear in the text.
package suggest

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
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
	for _, k := range []string{"victim", "unit", "target", "report", "sourcehead", "title", "actorhead", "actor", "direction", "placehead", "placeof"} {
		if s.lists[k] == nil {
			return nil, fmt.Errorf("suggest: lists.txt has no %q list", k)
		}
	}
	return s, nil
}

// list returns a word list of lists.txt (New checked that it exists).
func (s *Suggester) list(name string) *phraseIndex { return s.lists[name] }

// cand is a span candidate over tokens [a, b).
type cand struct {
	a, b   int
	label  string
	origin string
	attrs  map[string]any
	cas    *annotate.Casualty
	claim  int // index into cands of the claimant SOURCE, -1 if none
	drop   bool
}

// doc is the working state of one Suggest call.
type doc struct {
	s      *Suggester
	text   string
	toks   []token
	pub    time.Time
	hasPub bool
	cands  []cand
}

func (d *doc) add(c cand) int {
	c.claim = -1
	d.cands = append(d.cands, c)
	return len(d.cands) - 1
}

// Suggest proposes spans and events for text. published (YYYY-MM-DD or RFC 3339) anchors
// relative times; learned holds the per-database decisions of the learned matcher. The
// spans have code point offsets, status suggested, and an Origin naming their rule.
func (s *Suggester) Suggest(ctx context.Context, text string, published string, learned []annotate.PhraseStat) (annotate.Draft, error) {
	if err := ctx.Err(); err != nil {
		return annotate.Draft{}, fmt.Errorf("suggest: %w", err)
	}
	d := &doc{s: s, text: text, toks: tokenize(text)}
	if len(published) >= 10 {
		if t, err := time.Parse("2006-01-02", published[:10]); err == nil {
			d.pub, d.hasPub = t, true
		}
	}
	steps := []func(){d.findTriggers, d.findPlaces, d.findActors, d.findWeapons, d.findTimes, d.findSources, d.findTargets, d.findCasualties, d.findVictims, d.linkClaimants}
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
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := &d.cands[idx[x]], &d.cands[idx[y]]
		la, lb := a.b-a.a, b.b-b.a
		if la != lb {
			return la > lb
		}
		if pa, pb := labelPrio[a.label], labelPrio[b.label]; pa != pb {
			return pa > pb
		}
		return a.a < b.a
	})
	kept := make([]int, 0, len(idx))
	for _, i := range idx {
		c := &d.cands[i]
		ok := true
		for _, j := range kept {
			k := &d.cands[j]
			if c.a >= k.b || k.a >= c.b {
				continue
			}
			if k.label == c.label || isTrigger(k.label) == isTrigger(c.label) && !isTrigger(c.label) && c.a >= k.a && c.b <= k.b {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, i)
		} else {
			c.drop = true
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
var labelPrio = map[string]int{"SOURCE": 6, "CASUALTY": 5, "TARGET": 4, "ACTOR": 3, "WEAPON": 3, "TIME": 3, "VICTIM": 2, "LOCATION": 1}

func isTrigger(label string) bool { return label == "ATTACK" || label == "DEATH" || label == "INJURY" }

// draft converts the kept candidates into spans in text order, then builds events.
func (d *doc) draft() annotate.Draft {
	order := make([]int, 0, len(d.cands))
	for i := range d.cands {
		if !d.cands[i].drop {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := &d.cands[order[x]], &d.cands[order[y]]
		if a.a != b.a {
			return a.a < b.a
		}
		if a.b != b.b {
			return a.b < b.b
		}
		return a.label < b.label
	})
	pos := make(map[int]int, len(order)) // cand index -> span index
	out := annotate.Draft{Spans: make([]annotate.Span, 0, len(order))}
	for _, i := range order {
		c := &d.cands[i]
		pos[i] = len(out.Spans)
		sp := annotate.Span{
			Start:  d.toks[c.a].s,
			End:    d.toks[c.b-1].e,
			Label:  c.label,
			Text:   d.text[d.toks[c.a].bs:d.toks[c.b-1].be],
			Status: annotate.StatusSuggested,
			Origin: c.origin,
		}
		var attrs any
		if c.cas != nil {
			attrs = c.cas
		} else if len(c.attrs) > 0 {
			attrs = c.attrs
		}
		if attrs != nil {
			if b, err := json.Marshal(attrs); err == nil {
				sp.Attrs = b
			}
		}
		out.Spans = append(out.Spans, sp)
	}
	for _, i := range order {
		c := &d.cands[i]
		if c.claim < 0 || d.cands[c.claim].drop {
			continue
		}
		if out.Claimants == nil {
			out.Claimants = map[int]int{}
		}
		out.Claimants[pos[i]] = pos[c.claim]
	}
	out.Events = buildEvents(d, order, pos)
	return out
}
