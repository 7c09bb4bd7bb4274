// Package corpus writes a constructed multi-report corpus with its truth: incidents in
// invented towns, each told by two to four outlets in their own styles, with tolls and
// claimants that differ, running totals that rise, and look-alikes (the same town weeks
// later, the same day in another town). It measures incident linking (B-cubed over
// reports) and dispute flags without news text from anywhere: every sentence pattern
// here was written for Evident.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Report is one outlet's story of one incident.
type Report struct {
	ID        string // "r000123"
	Outlet    string
	Style     int    // the index of the style that wrote it
	Published string // YYYY-MM-DD
	Title     string
	Text      string
	Incident  int // the truth: the incident it tells
}

// Incident is the truth about one happening.
type Incident struct {
	ID     int
	Place  string // canonical spelling
	Region string
	Date   string // YYYY-MM-DD
	// Disputed is true when two of its reports give tolls of the same kind that cannot
	// both hold (a later running total that rose is a revision, not a dispute).
	Disputed bool
	// Revised is true when a later report gives a risen running total.
	Revised bool
}

// Corpus is reports with their truth.
type Corpus struct {
	Reports   []Report
	Incidents []Incident
}

// Styles is the number of outlet styles. HeldOut are the styles kept out of tuning:
// measure them apart from the rest.
const Styles = 8

// HeldOut reports whether a style is kept out of what the linker was tuned on.
func HeldOut(style int) bool { return style >= 6 }

// Options size the corpus.
type Options struct {
	Incidents int // how many happenings; each gets 2 to 4 reports
	Seed      uint64
	Start     string // first day, YYYY-MM-DD; "" means 2026-01-01
	Days      int    // the span of dates; 0 means 365
}

// Generate writes a corpus; the same options give the same corpus.
func Generate(o Options) Corpus {
	if o.Days <= 0 {
		o.Days = 365
	}
	start, err := time.Parse("2006-01-02", o.Start)
	if err != nil {
		start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	r := rand.New(rand.NewPCG(o.Seed, 14))
	g := &gen{r: r}
	// a town per 2.5 incidents, so towns see several incidents over the year
	towns := make([]town, max(8, o.Incidents*2/5))
	seen := map[string]bool{}
	for i := range towns {
		for {
			t := g.town()
			if k := strings.ToLower(t.name); !seen[k] {
				seen[k] = true
				towns[i] = t
				break
			}
		}
	}
	var c Corpus
	for i := 0; i < o.Incidents; i++ {
		var t town
		var day time.Time
		switch {
		case i > 0 && r.IntN(5) == 0:
			// the same town weeks later
			prev := c.Incidents[r.IntN(len(c.Incidents))]
			t = townNamed(towns, prev.Place)
			pd, _ := time.Parse("2006-01-02", prev.Date)
			day = pd.AddDate(0, 0, 14+r.IntN(40))
		case i > 0 && r.IntN(4) == 0:
			// the same day in another town
			prev := c.Incidents[r.IntN(len(c.Incidents))]
			t = towns[r.IntN(len(towns))]
			day, _ = time.Parse("2006-01-02", prev.Date)
		default:
			t = towns[r.IntN(len(towns))]
			day = start.AddDate(0, 0, r.IntN(o.Days))
		}
		inc := g.incident(i, t, day)
		c.Incidents = append(c.Incidents, inc.truth)
		for _, rep := range inc.reports {
			rep.ID = fmt.Sprintf("r%06d", len(c.Reports)+1)
			c.Reports = append(c.Reports, rep)
		}
	}
	// shuffle so that the reports of one incident are not adjacent
	r.Shuffle(len(c.Reports), func(i, j int) { c.Reports[i], c.Reports[j] = c.Reports[j], c.Reports[i] })
	for i := range c.Reports {
		c.Reports[i].ID = fmt.Sprintf("r%06d", i+1)
	}
	return c
}

type town struct {
	name   string // canonical: "Deir al-Munawar"
	region string // "Hasra"
	kind   string // village, town, district
}

func townNamed(ts []town, name string) town {
	for _, t := range ts {
		if t.name == name {
			return t
		}
	}
	return ts[0]
}

type gen struct{ r *rand.Rand }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

var (
	onsets = []string{"b", "d", "f", "g", "h", "k", "l", "m", "n", "r", "s", "t", "z", "sh", "kh", "q", "v", "dr", "tr", "br"}
	vowels = []string{"a", "e", "i", "o", "u", "a", "a", "ai", "ou"}
	codas  = []string{"", "", "n", "r", "l", "m", "s", "d", "k", "t"}
)

// word invents a name word of 2 or 3 syllables: "Munawar", "Tessaly".
func (g *gen) word() string {
	var b strings.Builder
	n := 2 + g.r.IntN(2)
	for i := 0; i < n; i++ {
		b.WriteString(onsets[g.r.IntN(len(onsets))])
		b.WriteString(vowels[g.r.IntN(len(vowels))])
		if i == n-1 {
			b.WriteString(codas[g.r.IntN(len(codas))])
		}
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

// town invents a town: one word, or a compound with a particle or a prefix word
// ("Deir al-Munawar", "Kafr Bin Zalim", "Abu Tarik", "Tel Hasra").
func (g *gen) town() town {
	var name string
	switch g.r.IntN(6) {
	case 0, 1:
		name = g.word()
	case 2:
		name = g.pick("Deir", "Kafr", "Tel", "Ain", "Beit", "Khirbet") + " " + g.pick("al-", "el-", "ad-", "ash-") + g.word()
	case 3:
		name = g.pick("Abu", "Bin", "Umm") + " " + g.word()
	case 4:
		name = g.word() + " " + g.pick("al-", "el-") + g.word()
	default:
		name = g.pick("Deir", "Tel", "Kafr", "Ras") + " " + g.word()
	}
	return town{name: name, region: g.word(), kind: g.pick("village", "town", "district")}
}

// variant spells a town as an outlet might: another transliteration of a vowel or a
// particle, a doubled letter, or all capitals for a dateline.
func (g *gen) variant(name string) string {
	if g.r.IntN(3) != 0 {
		return name
	}
	switch g.r.IntN(4) {
	case 0:
		return strings.NewReplacer("al-", "el-", "el-", "al-", "ad-", "al-", "ash-", "al-").Replace(name)
	case 1:
		return strings.NewReplacer("Deir", "Dayr", "Kafr", "Kfar", "Tel", "Tell", "Ain", "Ayn", "Beit", "Bayt").Replace(name)
	case 2:
		return strings.NewReplacer("ou", "u", "ai", "ay").Replace(name)
	default:
		// double the consonant after the last vowel: "Munawar" -> "Munawwar"
		rs := []rune(name)
		for i := len(rs) - 2; i > 1; i-- {
			if strings.ContainsRune("aeiou", rs[i-1]) && strings.ContainsRune("bdklmnrstwz", rs[i]) {
				return string(rs[:i]) + string(rs[i]) + string(rs[i:])
			}
		}
		return name
	}
}

// figure is the death toll one report gives: a range (hi -1: no upper bound), whether
// it is a running total, and when it was published.
type figure struct {
	lo, hi     int
	cumulative bool
	pub        time.Time
}

// disputed reports whether two figures cannot both hold: their ranges do not overlap and
// the higher is not a running total published later than the lower.
func disputed(fs []figure) bool {
	for i := range fs {
		for j := range fs {
			a, b := fs[i], fs[j]
			if a.hi >= 0 && a.hi < b.lo && !(b.cumulative && b.pub.After(a.pub)) {
				return true
			}
		}
	}
	return false
}

type generated struct {
	truth   Incident
	reports []Report
}

type attack struct {
	weapon  string // "a car bomb"
	noun    string // "car bomb" as subject without article
	verb    string // "hit"
	target  string // "bus station"
	victims string // "travellers"
}

var attacks = []attack{
	{"a car bomb", "A car bomb", "exploded at", "bus station", "travellers"},
	{"shells", "Shells", "hit", "funeral tent", "mourners"},
	{"an airstrike", "An airstrike", "hit", "market", "shoppers"},
	{"a drone strike", "A drone strike", "hit", "school", "pupils"},
	{"a roadside bomb", "A roadside bomb", "exploded near", "checkpoint", "soldiers"},
	{"rockets", "Rockets", "struck", "hospital", "patients"},
	{"a suicide bomber", "A suicide bomber", "blew himself up at", "mosque", "worshippers"},
	{"artillery fire", "Artillery fire", "hit", "camp for displaced people", "residents"},
}

var claimants = []string{
	"police said", "hospital staff said", "a local council member said", "medics said",
	"the health ministry said", "the army said", "residents said", "a provincial official said",
	"rescue workers said", "the governor's office said",
}

var outlets = [Styles]string{"Wire One", "The Courier", "Daily Record", "Radio Meridian", "The Observer Post", "Evening Bulletin", "Harbour Times", "Field Dispatch"}

// incident writes one happening and its reports.
func (g *gen) incident(id int, t town, day time.Time) generated {
	a := attacks[g.r.IntN(len(attacks))]
	truth := Incident{ID: id, Place: t.name, Region: t.region, Date: day.Format("2006-01-02")}
	n := 2 + g.r.IntN(3)
	base := 3 + g.r.IntN(40)
	// the tolls: agreeing, disputed, or agreeing with a later revision
	tolls := make([]int, n)
	cumulative := make([]bool, n)
	mode := g.r.IntN(10)
	for i := range tolls {
		tolls[i] = base
	}
	switch {
	case mode < 5: // disputed: tolls that differ
		for i := range tolls {
			tolls[i] = base + g.r.IntN(3)*(4+g.r.IntN(9))
		}
		tolls[1] = tolls[0] + 3 + g.r.IntN(15)
	case mode < 7 && n >= 2: // a later report gives a risen running total
		truth.Revised = true
		tolls[n-1] = base + 2 + g.r.IntN(15)
		cumulative[n-1] = true
	}
	styles := g.r.Perm(Styles)[:n]
	var figs []figure
	var reps []Report
	for i := 0; i < n; i++ {
		pub := day.AddDate(0, 0, g.r.IntN(2))
		if cumulative[i] {
			pub = day.AddDate(0, 0, 2+g.r.IntN(2))
		}
		st := styles[i]
		title, text := g.write(st, t, a, day, pub, tolls[i], cumulative[i])
		lo, hi := tolls[i], tolls[i]
		if st == 1 && !cumulative[i] {
			hi = -1 // "at least N": no upper bound
		}
		figs = append(figs, figure{lo, hi, cumulative[i], pub})
		reps = append(reps, Report{Outlet: outlets[st], Style: st, Published: pub.Format("2006-01-02"), Title: title, Text: text, Incident: id})
	}
	truth.Disputed = disputed(figs)
	return generated{truth: truth, reports: reps}
}

// when says the incident's day relative to publication as outlets do.
func (g *gen) when(day, pub time.Time) string {
	wd := day.Weekday().String()
	switch pub.Sub(day).Hours() / 24 {
	case 0:
		return g.pick("on "+wd, "late on "+wd, "early on "+wd, "on "+wd+" morning", "today")
	case 1:
		return g.pick("yesterday", "on "+wd+" night", "late on "+wd, "overnight", "on "+wd)
	default:
		return g.pick("on "+wd, "last "+wd, "on "+wd+" evening")
	}
}

// write writes one report in style st.
func (g *gen) write(st int, t town, a attack, day, pub time.Time, toll int, cumulative bool) (string, string) {
	place := g.variant(t.name)
	when := g.when(day, pub)
	claim := g.pick(claimants...)
	cl := strings.ToUpper(claim[:1]) + claim[1:]
	wd := day.Weekday().String()
	if cumulative {
		// a running total, published later
		title := fmt.Sprintf("Toll from %s attack rises to %d", place, toll)
		text := fmt.Sprintf("The death toll from %s's attack in %s rose to %d on %s, %s. Rescue teams were still searching the rubble.",
			wd, place, toll, pub.Weekday(), claim)
		return title, text
	}
	switch st {
	case 0: // wire: dateline, attack first, toll, claimant
		return fmt.Sprintf("%s %s %s", a.noun, a.verb, "the "+a.target+" in "+place),
			fmt.Sprintf("%s, %s (Wire One) — %s %s the %s in %s %s, killing %d people, %s.",
				strings.ToUpper(place), t.region, a.noun, a.verb, a.target, place, when, toll, claim)
	case 1: // toll first, target names the place
		return fmt.Sprintf("%d die in %s %s attack", toll, place, a.target),
			fmt.Sprintf("At least %d %s died %s when the %s %s was hit by %s, %s.", toll, a.victims, when, place, a.target, a.weapon, claim)
	case 2: // claimant first, "the village of X"
		return fmt.Sprintf("%d killed in %s", toll, t.kind),
			fmt.Sprintf("%s %d people died when %s struck %s in the %s of %s %s.", cl, toll, a.weapon, a.victims, t.kind, place, when)
	case 3: // "near X", province
		return fmt.Sprintf("Attack near %s", place),
			fmt.Sprintf("%s %s near %s in %s province %s, killing %d people and wounding %d others, %s.",
				a.noun, a.verb+" a "+a.target, place, t.region, when, toll, 2+g.r.IntN(20), claim)
	case 4: // headline only names the place; body says "the town"
		return fmt.Sprintf("%s: %d dead after %s", place, toll, strings.ToLower(a.noun)),
			fmt.Sprintf("%d people were killed %s when %s hit a %s in the %s, %s. The attack on %s drew condemnation.",
				toll, when, a.weapon, a.target, t.kind, claim, place)
	case 5: // "according to", target with the place inside
		return fmt.Sprintf("%s %s attack", place, a.target),
			fmt.Sprintf("%s hit the %s %s %s, killing %d people, according to %s.",
				a.noun, place, a.target, when, toll, strings.TrimSuffix(claim, " said"))
	case 6: // held out: the place first, the attack told after the funerals
		return fmt.Sprintf("%s mourns %d dead", place, toll),
			fmt.Sprintf("Funerals were held in %s after %d people were killed %s when %s hit a crowded %s. %s.",
				place, toll, when, a.weapon, a.target, cl)
	default: // held out: passive, "the district of X", claimant in the next sentence
		return fmt.Sprintf("%s attack in %s", strings.TrimPrefix(strings.TrimPrefix(a.noun, "A "), "An "), place),
			fmt.Sprintf("%d civilians were killed %s in an attack on a %s in the %s of %s, %s province. The toll was given by %s.",
				toll, when, a.target, t.kind, place, t.region, strings.TrimSuffix(claim, " said"))
	}
}

// Scores are B-cubed precision, recall and F1 over reports: for each report, the share
// of its predicted group that truly belongs with it and the share of its true incident
// that was put with it, averaged over reports.
type Scores struct {
	Reports            int
	Precision, Recall  float64
	F1                 float64
	Disputed           int     // true disputed incidents whose reports were all put together
	DisputedFlagged    float64 // share of those the linker's group flags as disputed
	RevisedNotDisputed float64 // share of whole revised-only incidents not flagged disputed
}

// Score measures predicted groups against the truth. group maps a report's index in
// c.Reports to a group id (reports missing from it stand alone); flagged says whether
// a group was flagged disputed. Only reports with keep(style) true are counted, and
// for the dispute flags only incidents whose first report (in corpus order, which is
// shuffled) has such a style.
func (c Corpus) Score(group map[int]int, flagged func(g int) bool, keep func(style int) bool) Scores {
	byGroup := map[int][]int{}
	byInc := map[int][]int{}
	for i, r := range c.Reports {
		if g, ok := group[i]; ok {
			byGroup[g] = append(byGroup[g], i)
		}
		byInc[r.Incident] = append(byInc[r.Incident], i)
	}
	var s Scores
	for i, r := range c.Reports {
		if !keep(r.Style) {
			continue
		}
		s.Reports++
		pred := []int{i}
		if g, ok := group[i]; ok {
			pred = byGroup[g]
		}
		same := 0
		for _, j := range pred {
			if c.Reports[j].Incident == r.Incident {
				same++
			}
		}
		s.Precision += float64(same) / float64(len(pred))
		s.Recall += float64(same) / float64(len(byInc[r.Incident]))
	}
	if s.Reports > 0 {
		s.Precision /= float64(s.Reports)
		s.Recall /= float64(s.Reports)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	flaggedN, revised, revisedOK := 0, 0, 0
	for _, inc := range c.Incidents {
		rs := byInc[inc.ID]
		if len(rs) == 0 || !keep(c.Reports[rs[0]].Style) {
			continue
		}
		g, ok := group[rs[0]]
		if !ok {
			continue
		}
		whole := true
		for _, j := range rs {
			if h, ok := group[j]; !ok || h != g {
				whole = false
			}
		}
		if !whole {
			continue
		}
		switch {
		case inc.Disputed:
			s.Disputed++
			if flagged(g) {
				flaggedN++
			}
		case inc.Revised:
			revised++
			if !flagged(g) {
				revisedOK++
			}
		}
	}
	if s.Disputed > 0 {
		s.DisputedFlagged = float64(flaggedN) / float64(s.Disputed)
	}
	if revised > 0 {
		s.RevisedNotDisputed = float64(revisedOK) / float64(revised)
	}
	return s
}
