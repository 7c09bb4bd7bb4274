package suggest

import (
	"evident/annotate"
)

// qualifier phrases in front of a number, with the qualifier they give.
var qualifierPhrases = []struct{ words, q string }{
	{"at least", "at_least"}, {"at minimum", "at_least"}, {"no fewer than", "at_least"},
	{"not less than", "at_least"}, {"a minimum of", "at_least"},
	{"more than", "more_than"}, {"over", "more_than"}, {"upwards of", "more_than"},
	{"in excess of", "more_than"}, {"well over", "more_than"}, {"greater than", "more_than"},
	{"nearly", "approx"}, {"almost", "approx"}, {"about", "approx"}, {"around", "approx"},
	{"some", "approx"}, {"approximately", "approx"}, {"roughly", "approx"},
	{"an estimated", "approx"}, {"estimated", "approx"}, {"close to", "approx"},
	{"approx", "approx"}, {"nearly a", "approx"}, {"just over", "more_than"}, {"just under", "up_to"},
	{"up to", "up_to"}, {"as many as", "up_to"}, {"fewer than", "up_to"}, {"less than", "up_to"},
	{"under", "up_to"}, {"no more than", "up_to"}, {"at most", "up_to"},
	{"between", "range"}, {"from", "range"},
}

func qualifierIndex() *phraseIndex {
	x := newIndex()
	for _, q := range qualifierPhrases {
		x.add(q.words, q.q, q.words)
	}
	return x
}

// words that may stand between a number and its victim head ("12 Palestinian civilians").
var npStop = map[string]bool{
	"the": true, "a": true, "an": true, "of": true, "in": true, "on": true, "at": true, "and": true,
	"or": true, "were": true, "was": true, "have": true, "has": true, "had": true, "are": true,
	"is": true, "who": true, "which": true, "that": true, "from": true, "to": true, "by": true,
	"for": true, "with": true, "as": true, "after": true, "including": true, "among": true,
	"be": true, "been": true, "being": true, "this": true, "these": true, "those": true,
	"their": true, "his": true, "her": true, "its": true, "per": true, "than": true, "while": true,
	"when": true, "where": true, "since": true, "during": true, "into": true, "but": true,
	"not": true, "no": true, "all": true, "will": true, "would": true, "could": true, "said": true,
}

// auxiliaries between a victim phrase and its kind word ("12 people were believed to have
// been killed").
var kindAux = map[string]bool{
	"were": true, "was": true, "are": true, "is": true, "have": true, "has": true, "had": true,
	"been": true, "being": true, "be": true, "reportedly": true, "also": true, "later": true,
	"all": true, "confirmed": true, "believed": true, "feared": true, "thought": true,
	"presumed": true, "known": true, "to": true, "now": true, "still": true, "were,": true,
	"either": true, "allegedly": true, "seriously": true, "critically": true, "badly": true,
	"lightly": true, "slightly": true, "fatally": true, "instantly": true, "likely": true,
	"remain": true, "remained": true, "remains": true, "left": true, "found": true, "who": true,
}

// findCasualties finds casualty figures: an optional qualifier, a number and a victim
// head ("at least 12 civilians"), or a bare number tied to a death or injury word
// ("killing 12", "12 dead", "the death toll rose to 45"). A figure needs a kind word in
// its sentence, which is how "three facilities" or "dozens of attacks" stay out.
func (d *doc) findCasualties() {
	toks := d.toks
	if len(toks) == 0 {
		return
	}
	quals := d.s.quals
	// Sentences in other languages have rules of their own; the English ones skip them.
	langs := d.sentenceLangs()
	d.findForeignCasualties(langs)
	english := func(i int) bool { return langs[toks[i].sent] == langEN }
	kindAt := kindTable{}
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kWord || !toks[i].known || !english(i) {
			continue
		}
		if e, end := d.s.kinds.match(d, i); e != nil {
			kindAt.set(i, kindHit{kind: e.label, end: end})
			i = end - 1
		}
	}
	if len(kindAt.at) == 0 {
		return
	}
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kNum && !toks[i].known || !english(i) {
			continue // neither a number nor a qualifier, number word or vague word
		}
		start := i
		qual := "exact"
		numAt := i
		if e, end := quals.match(d, i); e != nil && end < len(toks) {
			qual = e.label
			numAt = end
			if e.name == "nearly a" {
				numAt = end - 1
			}
		}
		n, ok := d.readNumber(numAt)
		if !ok {
			continue
		}
		low, high := n.val, n.val
		end := n.b
		switch qual {
		case "range":
			// "between 20 and 30", "from 20 to 30"; a rise "from 20 to 30" is no range
			// but the later figure.
			sep := d.word(end, numAt)
			if !(sep == "and" && d.word(start, start) == "between" || sep == "to" && d.word(start, start) == "from") {
				qual = "exact"
				if d.word(start, start) == "from" {
					continue
				}
				start = numAt // "between" without its "and" is not part of the figure
				break
			}
			m, ok := d.readNumber(end + 1)
			if !ok {
				continue
			}
			if d.word(start, start) == "from" {
				// "rose from 20 to 30": the figure is the later one
				if in(d.prevWord(start), "rose", "risen", "climbed", "increased", "jumped", "grew", "up") {
					start, low, high, qual, end = end+1, m.val, m.val, "exact", m.b
					break
				}
			}
			high, end = m.val, m.b
		case "exact":
			// "20 to 30", "20-30", "20 or 30"
			sep := d.word(end, numAt)
			if (sep == "to" || sep == "or" || sep == "-") && end+1 < len(toks) {
				if m, ok := d.readNumber(end + 1); ok && m.val > n.val && !n.vague {
					qual, high, end = "range", m.val, m.b
				}
			}
		}
		if n.vague && qual == "exact" {
			// "dozens", "several": a word that names no number (guideline: vague words);
			// "a dozen", "two dozen" name one, loosely
			qual = "vague"
			if n.dozen {
				qual = "approx"
			}
		}
		if !d.plausibleFigure(start, numAt, n, end) {
			i = n.b - 1
			continue
		}
		headEnd, head := d.victimHead(end, numAt)
		if n.bare {
			headEnd, head = end, ""
		}
		spanEnd := end
		if head != "" {
			spanEnd = headEnd
		}
		partKind := ""
		if head == "" && d.word(end, numAt) == "of" && in(d.word(end+1, numAt), "its", "their", "his", "her") {
			// "two of its members"
			if hend, h := d.victimHead(end+2, numAt); h != "" {
				headEnd, head, spanEnd = hend, h, hend
			}
		}
		if head == "" && d.word(end, numAt) == "of" && in(d.word(end+1, numAt), "them", "whom", "the", "those", "these") {
			// "11 of them", "two of the wounded": a part of a group counted nearby
			partKind = "part"
			if d.word(end+1, numAt) == "the" && d.isKindWord(end+2) {
				if e, _ := d.s.kinds.match(d, end+2); e != nil {
					partKind = e.label
				}
			}
		} else if head == "" && n.vague && d.isKindWord(end) && in(d.lw(end), "wounded", "dead", "injured") {
			// "dozens of wounded", "scores of dead"
			e, _ := d.s.kinds.match(d, end)
			spanEnd, head, partKind = end+1, "people", e.label
		}
		// A figure followed by a reporting verb is a group of speakers, not of victims.
		if w := d.word(spanEnd, numAt); head != "" && d.s.lReport.has(d, spanEnd) && w != "according" {
			i = spanEnd - 1
			continue
		}
		kind, scopeHint, adjacent := d.casualtyKind(&kindAt, start, spanEnd)
		if in(head, "bodies", "homicides", "murders") {
			kind, adjacent = "killed", true
		}
		for k := end; k < spanEnd; k++ {
			if in(d.lw(k), "wounded", "injured") {
				kind, adjacent = "injured", true // "52 wounded people"
			}
		}
		if partKind != "" {
			adjacent = true
			if partKind != "part" {
				kind = partKind
			} else if k := d.lastCasualtyKind(start); k != "" {
				kind = k
			}
		}
		if kind == "" || head == "" && !adjacent {
			i = n.b - 1
			continue
		}
		c := &annotate.Casualty{Kind: kind, Qualifier: qual, Scope: "incident"}
		c.Low, c.High = figureBounds(qual, low, high, in(d.word(start, start), "fewer", "less", "under"))
		if head != "" {
			c.Victims = d.victimGroups(end, spanEnd)
		}
		if scopeHint || d.cumulativeSentence(start) {
			c.Scope = "cumulative"
		}
		d.add(cand{a: start, b: spanEnd, label: "CASUALTY", origin: casualtyOrigin(qual), cas: c})
		d.casKind[toks[start].sent] = kind
		i = spanEnd - 1
	}
}

type kindHit struct {
	kind string
	end  int
}

// kindTable holds the kind words of a text by token, in token order, so a lookup is a
// binary search instead of a map probe.
type kindTable struct {
	at   []int
	hits []kindHit
}

func (k *kindTable) set(i int, h kindHit) {
	k.at = append(k.at, i)
	k.hits = append(k.hits, h)
}

func (k *kindTable) get(i int) (kindHit, bool) {
	lo, hi := 0, len(k.at)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if k.at[m] < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(k.at) && k.at[lo] == i {
		return k.hits[lo], true
	}
	return kindHit{}, false
}

func intp(v int) *int { return &v }

// plausibleFigure rejects numbers that are ages, years, money, measures, times or
// ordinals by the words around them.
func (d *doc) plausibleFigure(start, numAt int, n number, end int) bool {
	toks := d.toks
	prev := d.prevWord(start)
	if start > 0 && toks[start].sent == toks[start-1].sent && !toks[start].space {
		if p := d.lw(start - 1); in(p, "$", "€", "£", "#", "-", "/", ".", ":") {
			return false
		}
	}
	if in(prev, "aged", "age", "ages", "number", "no", "page", "route", "flight", "resolution", "article", "paragraph", "chapter", "section", "level", "phase", "grade", "category", "brigade", "division", "unit", "the", "us$", "usd", "rs", "room", "year", "since", "in", "of") && !n.vague {
		tollOf := prev == "of" && start >= 2 && in(d.word(start-2, start), "toll", "tally")
		if !(in(prev, "of", "in", "the") && d.word(end, numAt) != "" && d.victimHeadOK(end, numAt)) && !tollOf {
			return false // "a death toll of 45" is a figure
		}
	}
	next := d.nextWord(end)
	if end < len(toks) && toks[end].sent == toks[numAt].sent {
		nt := toks[end]
		if !nt.space && in(d.tl(&nt), "%", ":", "-", "/", "'s") {
			// "35-year-old", "6:30", "50%", "24/7", "1990's" ("20-30" was read as a
			// range before this check)
			return false
		}
		if d.s.lUnit.has(d, end) || in(next, "percent", "per") {
			return false
		}
	}
	if toks[numAt].kind == kNum && !n.vague {
		v := n.val
		if len(d.lw(numAt)) == 4 && v >= 1900 && v <= 2100 && !d.victimHeadOK(end, numAt) {
			return false // a year
		}
	}
	return true
}

func (d *doc) victimHeadOK(end, ref int) bool {
	_, h := d.victimHead(end, ref)
	return h != ""
}

// victimHead looks for the victim noun after a number: up to three modifiers ("Palestinian",
// "unarmed", "Iran-backed") then a head from the victim list; "members of the security
// forces" takes its "of" phrase along. It returns the end token and the head word.
func (d *doc) victimHead(j, ref int) (int, string) {
	toks := d.toks
	victims := d.s.lVictim
	quoted := false
	if j+1 < len(toks) && d.lw(j) == "\"" && toks[j].space && !toks[j+1].space {
		j++ // eight "colonial troops": a figure that quotes its source's words
		quoted = true
	}
	for mods := 0; mods <= 3 && j < len(toks) && toks[j].sent == toks[ref].sent; mods++ {
		if e, end := victims.match(d, j); e != nil {
			head := d.lw(end - 1)
			if quoted && end < len(toks) && d.lw(end) == "\"" {
				return end + 1, head
			}
			if head == "more" || head == "others" {
				// "three more attacks": "more" is no head when a noun follows
				if end < len(toks) && toks[end].sent == toks[ref].sent && (d.s.triggers.has(d, end) || d.s.lTarget.has(d, end) || d.s.lUnit.has(d, end) || d.isWeaponAt(end)) {
					return j, ""
				}
				// "two more soldiers": the noun after "more" is the head
				if head == "more" && end < len(toks) && toks[end].sent == toks[ref].sent && victims.has(d, end) {
					j = end
					continue
				}
			}
			// "women and children", "soldiers and police officers"
			for end+1 < len(toks) && in(d.lw(end), "and", "or") && toks[end+1].sent == toks[ref].sent {
				e2, end2 := victims.match(d, end+1)
				if e2 == nil || in(d.lw(end2-1), "others", "more") {
					break
				}
				end = end2
			}
			if d.word(end, ref) == "of" && !in(d.word(end+1, ref), "them", "whom", "those") {
				// "12 members of the security forces", "13 bodies of soldiers", "71
				// fighters of the factions", "12 members of the Guards and border police"
				k := end + 1
				if in(d.word(k, ref), "the", "a", "an", "his", "her", "their", "its", "one") {
					k++
				}
				for n := 0; n < 6 && k < len(toks) && toks[k].sent == toks[ref].sent && toks[k].kind == kWord && (!npStop[d.lw(k)] || d.lw(k) == "and"); n++ {
					k++
					if d.s.lVictim.has(d, k-1) || in(d.lw(k-1), "forces", "family", "army", "group", "groups", "militia", "militias", "police", "military", "guard", "guards", "crew", "staff", "factions", "faction", "unit", "units", "brigade", "battalion", "movement") {
						end = k
					}
				}
			}
			return end, head
		}
		t := &toks[j]
		if d.tl(t) == "-" && !t.space {
			j++
			continue
		}
		if k := d.ageEnd(j); k > j {
			j = k // "a 10-year-old girl": the age is a modifier, not a figure
			continue
		}
		if in(d.tl(t), "wounded", "injured", "dead") && j+1 < len(toks) && victims.has(d, j+1) {
			j++ // "52 wounded people"
			continue
		}
		if t.kind != kWord || npStop[d.tl(t)] || d.isKindWord(j) || d.tl(t) == "'s" {
			return j, ""
		}
		if d.s.triggers.has(d, j) || d.s.lReport.has(d, j) {
			return j, ""
		}
		j++
	}
	return j, ""
}

func (d *doc) isKindWord(i int) bool {
	e, _ := d.s.kinds.match(d, i)
	return e != nil
}

// casualtyKind decides what happened to the people counted in tokens [a, b): the word
// governing them ("killing 12", "killed at least 12"), the predicate after them ("12
// people were killed", "12 dead"), else the nearest kind word in the sentence. adjacent
// says whether the kind word touches the figure, which a bare number needs.
func (d *doc) casualtyKind(kindAt *kindTable, a, b int) (kind string, cumulative, adjacent bool) {
	toks := d.toks
	sent := toks[a].sent
	// before: the kind word's last token is just before the figure, or "toll ... to N"
	// "injured another 60", "killing a further 12"
	touch := a
	if k := a - 1; k >= 0 && toks[k].sent == sent && in(d.lw(k), "another", "further", "additional") {
		touch = k
		if k > 0 && in(d.lw(k-1), "a", "an") {
			touch = k - 1
		}
	}
	for j := a - 1; j >= 0 && j >= a-4 && toks[j].sent == sent; j-- {
		if h, ok := kindAt.get(j); ok && (h.end == a || h.end == touch) {
			return h.kind, false, true
		}
	}
	for j := a - 1; j >= 0 && j >= a-8 && toks[j].sent == sent; j-- {
		w := d.lw(j)
		kindOf := "killed"
		if in(w, "dead", "injured", "wounded") && d.word(j-1, j) == "of" && in(d.word(j-2, j), "number", "count", "total") {
			// "the number of dead rose to 23"
			w, kindOf = "toll", "killed"
			if d.lw(j) != "dead" {
				kindOf = "injured"
			}
		}
		if w == "toll" || w == "tally" {
			between := true
			for k := j + 1; k < a; k++ {
				if toks[k].kind == kNum {
					between = false
				}
			}
			if between {
				return kindOf, false, true
			}
		}
		if toks[j].kind == kNum || w == "." || w == ";" {
			break
		}
	}
	// after: "were killed", "dead", "have been killed", "are missing"
	for j, n := b, 0; j < len(toks) && toks[j].sent == sent && n <= 6; j, n = j+1, n+1 {
		if h, ok := kindAt.get(j); ok {
			return h.kind, false, true
		}
		if !kindAux[d.lw(j)] {
			break
		}
	}
	// nearest in the sentence
	best, bestDist := "", 1<<30
	for j := a - 1; j >= 0 && toks[j].sent == sent && a-j < 20; j-- {
		if h, ok := kindAt.get(j); ok {
			best, bestDist = h.kind, a-j
			break
		}
	}
	for j := b; j < len(toks) && toks[j].sent == sent && j-b < 20; j++ {
		if h, ok := kindAt.get(j); ok {
			if j-b < bestDist {
				best = h.kind
			}
			break
		}
	}
	return best, false, false
}

// cumulativeSentence reports whether the sentence around token i counts a running total
// ("since October", "so far", "in total", "the death toll has risen to").
// The answer depends on the sentence alone, so it is kept per sentence: a long sentence
// with many figures is read once.
func (d *doc) cumulativeSentence(i int) bool {
	sent := d.toks[i].sent
	if d.cumSent == nil {
		d.cumSent = make([]int8, d.toks[len(d.toks)-1].sent+1)
	}
	if v := d.cumSent[sent]; v != 0 {
		return v > 0
	}
	v := d.cumulativeSentence1(i)
	d.cumSent[sent] = -1
	if v {
		d.cumSent[sent] = 1
	}
	return v
}

func (d *doc) cumulativeSentence1(i int) bool {
	toks := d.toks
	sent := toks[i].sent
	lo := i
	for lo > 0 && toks[lo-1].sent == sent {
		lo--
	}
	hasToll, tollFrom, war, perfect := false, false, false, false
	for j := lo; j < len(toks) && toks[j].sent == sent; j++ {
		switch d.lw(j) {
		case "since", "total", "overall", "cumulative", "tally":
			return true
		case "war", "conflict", "insurgency", "violence", "crisis", "campaign", "fighting", "wars", "uprising", "civil":
			war = true
		case "year", "months":
			// "in the first half of the year", "in recent months"; not an age ("17-year-old")
			if j > lo && d.lw(j-1) != "-" && j+1 < len(toks) && d.lw(j+1) != "-" {
				war = true
			}
		case "has", "have":
			perfect = true
		case "from", "in":
			if hasToll && j-lo < 12 {
				tollFrom = true // "the death toll from the strike": one incident's toll
			}
		case "so":
			if d.word(j+1, j) == "far" {
				return true
			}
		case "to":
			if d.word(j+1, j) == "date" {
				return true
			}
		case "toll":
			hasToll = true
		case "risen", "rose", "climbed", "reached", "increased", "stands", "stood", "mounted", "jumped":
			if hasToll && !tollFrom {
				return true
			}
		}
	}
	return war && perfect
}

// victimGroups names the victims of a figure from its heads and modifiers, "people" when
// nothing more specific is said.
func (d *doc) victimGroups(a, b int) []string {
	var out []string
	for j := a; j < b; j++ {
		if e, end := d.s.victimGrp.match(d, j); e != nil && end <= b {
			if !in(e.label, out...) {
				out = append(out, e.label)
			}
			j = end - 1
		}
	}
	if len(out) == 0 {
		out = []string{"people"}
	}
	return out
}

// lastCasualtyKind is the kind of the latest casualty figure before token i in its
// sentence ("61 people had been injured ..., 11 of them seriously").
func (d *doc) lastCasualtyKind(i int) string { return d.casKind[d.toks[i].sent] }

func (d *doc) isWeaponAt(i int) bool {
	e, _ := d.s.wHeads.match(d, i)
	return e != nil
}

// ageEnd returns the token after an age written "N-year-old" starting at j, or j.
func (d *doc) ageEnd(j int) int {
	toks := d.toks
	if j+4 < len(toks) && toks[j].kind == kNum && d.lw(j+1) == "-" && d.lw(j+2) == "year" && d.lw(j+3) == "-" && d.lw(j+4) == "old" {
		return j + 5
	}
	return j
}

// casualtyOrigin is "rule:casualty." and the qualifier, without building the string for
// the guideline's qualifiers.
func casualtyOrigin(qual string) string {
	switch qual {
	case "exact":
		return "rule:casualty.exact"
	case "approx":
		return "rule:casualty.approx"
	case "at_least":
		return "rule:casualty.at_least"
	case "more_than":
		return "rule:casualty.more_than"
	case "up_to":
		return "rule:casualty.up_to"
	case "range":
		return "rule:casualty.range"
	case "vague":
		return "rule:casualty.vague"
	}
	return "rule:casualty." + qual
}

// figureBounds is the guideline's low and high for a figure read as low..high (one number:
// low == high) under qual; below says the bound excludes the number ("fewer than 10": 9).
func figureBounds(qual string, low, high int, below bool) (*int, *int) {
	switch qual {
	case "at_least":
		return intp(low), nil
	case "more_than":
		return intp(low + 1), nil
	case "up_to":
		if below {
			high--
		}
		return nil, intp(high)
	}
	return intp(low), intp(high) // exact, approx, vague, range
}
