package suggest

// modifiers that may sit inside a source phrase before its head ("health ministry",
// "senior military officials", "Hamas-run health ministry").
var sourceMods = map[string]bool{
	"health": true, "defence": true, "defense": true, "interior": true, "foreign": true,
	"military": true, "army": true, "local": true, "senior": true, "security": true,
	"government": true, "hospital": true, "provincial": true, "regional": true,
	"district": true, "state": true, "civil": true, "emergency": true, "humanitarian": true,
	"medical": true, "police": true, "israeli": true, "palestinian": true, "rescue": true,
	"news": true, "press": true, "official": true, "top": true, "two": true, "three": true,
	"several": true, "other": true, "western": true, "intelligence": true, "us": true,
	"u.s.": true, "un": true, "aid": true, "relief": true, "human": true, "rights": true,
	"monitoring": true, "war": true, "anonymous": true, "informed": true, "diplomatic": true,
	"administration": true, "pentagon": true, "ministry": true, "justice": true, "information": true,
	"communications": true, "media": true, "public": true, "national": true, "municipal": true,
	"city": true, "village": true, "tribal": true, "community": true, "camp": true,
	"hamas-run": true, "agency": true, "spokesperson": true, "spokesman": true,
	"military's": true, "army's": true, "medics": true, "civil-defence": true,
}

// findSources marks who says it: the phrase before a reporting verb ("the health
// ministry said", "Defense Secretary Lloyd Austin said", "Israel says"), after an
// inverted one (", said Defense Secretary Lloyd Austin"), and after "according to".
func (d *doc) findSources() {
	toks := d.toks
	report := d.s.lReport
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kWord {
			continue
		}
		if d.lw(i) == "according" && d.word(i+1, i) == "to" {
			j := i + 2
			if in(d.word(j, i), "the", "a", "an") {
				j++
			}
			if b, ok := d.sourceForward(j); ok {
				d.addSource(j, b, "rule:source.according")
				i = b - 1
			}
			continue
		}
		if d.lw(i) == "put" && d.word(i+1, i) == "the" && in(d.word(i+2, i), "toll", "death", "number") {
			// "Babagana Ali, a local official, put the death toll at 40"
		} else if in(d.lw(i), "denied", "denies", "deny") && in(d.word(i+1, i), "that", "reports", "claims", "killing", "having", "it", "its", "the") {
			// "the militia denied that it had killed 30": a statement about a figure;
			// "Pakistan denies supporting militants" is none
		} else if !report.has(d, i) || d.lw(i) == "according" {
			continue
		}
		// backward: "... the health ministry said"
		if a, end, ok := d.sourceBackward(i); ok {
			d.addSource(a, end, "rule:source.said")
		} else if i > 0 && toks[i-1].sent == toks[i].sent && in(d.lw(i-1), ",", "\"", "'") && i+1 < len(toks) && in(d.lw(i), "said", "says", "added", "wrote", "told") {
			// inverted: `", said Defense Secretary Lloyd Austin.`
			j := i + 1
			if in(d.word(j, i), "the", "a", "an") {
				j++
			}
			if b, ok := d.sourceForward(j); ok {
				d.addSource(j, b, "rule:source.said")
			}
		}
	}
	d.pronounAntecedents()
}

// pronounAntecedents gives a pronoun speaker ("He said 41 people had died") the source it
// stands for when the sentence before names none with a reporting verb: that sentence's
// subject, if it is a source phrase ("A spokesman for the provincial police gave new
// figures on Friday.").
func (d *doc) pronounAntecedents() {
	toks := d.toks
	var hasSource map[int32]bool // sentences with a SOURCE, made at the first pronoun speaker
	for i := 1; i+1 < len(toks); i++ {
		if !in(d.lw(i), "he", "she", "they") || !d.s.lReport.has(d, i+1) || toks[i+1].sent != toks[i].sent {
			continue
		}
		if hasSource == nil {
			hasSource = map[int32]bool{}
			for i := range d.cands {
				if d.cands[i].label == "SOURCE" {
					hasSource[toks[d.cands[i].a].sent] = true
				}
			}
		}
		s := toks[i].sent
		if hasSource[s] || s == 0 || toks[i-1].sent == s && !in(d.lw(i-1), "\"", ",") && !toks[i].cap {
			continue
		}
		// the previous sentence's first tokens, in the same paragraph
		j := i - 1
		for j >= 0 && toks[j].sent == s {
			j--
		}
		k := j
		for k > 0 && toks[k-1].sent == s-1 {
			k--
		}
		if j < 0 || toks[j].sent != s-1 || hasSource[s-1] || toks[j+1].nl {
			// none before, or a new paragraph
			continue
		}
		if in(d.lw(k), "the", "a", "an") {
			k++
		}
		if b, ok := d.sourceForward(k); ok {
			d.addSource(k, b, "rule:source.said")
			hasSource[s-1] = true
		}
	}
}

// addSource adds a SOURCE over [a, b) with its bracketed abbreviation.
func (d *doc) addSource(a, b int, origin string) {
	if a >= b {
		return
	}
	d.add(cand{a: a, b: d.bracketAbbrev(b), label: "SOURCE", origin: origin})
	if b-a > 1 && d.isNameTok(b-1) {
		d.srcLast[text(d, b-1)] = true
	}
}

// sourceBackward reads the source phrase ending before the reporting verb at r. It
// accepts a phrase whose head is a source word ("ministry", "officials"), one with a
// title ("Defense Secretary Lloyd Austin"), or a gazetteer name ("Israel", "Hamas").
func (d *doc) sourceBackward(r int) (int, int, bool) {
	toks := d.toks
	end := r
	for end > 0 && toks[end-1].sent == toks[r].sent && adverbBeforeSaid[d.lw(end-1)] {
		end--
	}
	if a, e, ok := d.sourceBackward1(end); ok {
		return d.roleOf(a), e, true
	}
	// "Officials at the mine said": a role at a place that is no source word itself
	for k := end - 1; k >= 0 && k >= end-2 && toks[k].sent == toks[r].sent && toks[k].kind == kWord; k-- {
		p := k - 1
		if in(d.word(p, r), "the", "a", "an") {
			p--
		}
		if p > 0 && in(d.word(p, r), "at", "from", "in") && roleHeads[d.lw(p-1)] {
			if a, _, ok := d.sourceBackward1(p); ok {
				return a, end, true
			}
		}
	}
	if end > 0 && d.lw(end-1) == "," {
		// "An army spokesman, Captain Jules Ngongo, said": the name between the commas
		if a, e, ok := d.sourceBackward1(end - 1); ok && a > 0 && d.lw(a-1) == "," {
			return a, e, true
		}
		// "The Arakan Army, one of the strongest groups, said": skip the apposition
		for k := end - 2; k > 0 && k > end-18 && toks[k].sent == toks[r].sent; k-- {
			if d.lw(k) == "," {
				if k+1 < len(toks) && toks[k+1].kind == kWord && !toks[k+1].cap {
					return d.sourceBackward1(k)
				}
				break
			}
		}
	}
	return 0, 0, false
}

// roleOf widens a source that is the place or body a role noun belongs to: "A nurse at
// the hospital said" is the nurse's word, "Officials at the ministry said" the officials'
// (the guideline keeps the phrase saying whose role it is). a is the source's first token.
func (d *doc) roleOf(a int) int {
	k := a
	if in(d.word(k-1, a), "the", "a", "an") {
		k--
	}
	if !in(d.word(k-1, a), "at", "from", "for", "with", "in") || k < 2 {
		return a
	}
	if r, _, ok := d.sourceBackward1(k - 1); ok && d.s.lSourcehead.has(d, k-2) {
		return r
	}
	return a
}

// sourceBackward1 reads the phrase that ends right before token r.
func (d *doc) sourceBackward1(r int) (int, int, bool) {
	toks := d.toks
	end := r
	if end <= 0 || end >= len(toks) || toks[end-1].sent != toks[r].sent {
		return 0, 0, false
	}
	// "(CENTCOM)" right before the verb
	if end >= 3 && d.lw(end-1) == ")" && (toks[end-2].upper || toks[end-2].cap) && d.lw(end-3) == "(" {
		end -= 3
	}
	a := end
	lowers := 0
	for a > 0 && end-a < 9 && toks[a-1].sent == toks[r].sent {
		t := &toks[a-1]
		switch {
		case d.tl(t) == "-" && !t.space && a >= 2 && a < end:
		case d.tl(t) == "." && !t.space && a >= 2 && toks[a-2].kind == kWord && (abbrevs[d.lw(a-2)] || len(d.lw(a-2)) == 1):
		case in(d.tl(t), "of", "for") && a < end && a >= 2 && (toks[a].cap || toks[a].upper) && (toks[a-2].cap || toks[a-2].upper):
		case d.tl(t) == "'s" && a < end && a >= 2 && toks[a-2].kind == kWord && !sourceStop[d.lw(a-2)] && !npStop[d.lw(a-2)] && !d.isPlaceAt(a-2):
			// "the prosecutor's office"; a place that owns it stays out ("Gaza's civil defence agency")
		case t.kind == kWord && d.tl(t) != "'s" && (t.cap || t.upper || sourceMods[d.tl(t)] || d.s.lSourcehead.has(d, a-1)):
			if sourceStop[d.tl(t)] {
				goto done
			}
		case t.kind == kWord && a < end && lowers < 3 && d.plainModifier(a-1):
			lowers++
		default:
			goto done
		}
		a--
	}
done:
	for a < end && (d.lw(a) == "-" || d.lw(a) == "." || d.lw(a) == "of" || d.lw(a) == "for" || d.lw(a) == "'s") {
		a++
	}
	if a >= end {
		return 0, 0, false
	}
	if d.sourceOK(a, end) {
		return a, end, true
	}
	return 0, 0, false
}

// roleHeads are the people a place can qualify as a source ("officials in Bamako",
// "two aid workers in the area"); "data in the Sahel" is none.
var roleHeads = map[string]bool{
	"official": true, "officials": true, "spokesman": true, "spokeswoman": true, "spokesperson": true,
	"staff": true, "workers": true, "worker": true, "residents": true, "resident": true, "doctor": true,
	"doctors": true, "medics": true, "nurse": true, "nurses": true, "source": true, "sources": true,
	"member": true, "members": true, "volunteers": true, "volunteer": true, "witnesses": true,
	"witness": true, "authorities": true, "commander": true, "governor": true, "mayor": true,
	"director": true, "head": true, "chief": true, "administrator": true, "police": true,
	"government": true, "journalist": true, "correspondent": true, "survivors": true, "activists": true,
}

// adverbBeforeSaid may stand between a source and its verb ("had earlier said").
var adverbBeforeSaid = map[string]bool{"also": true, "later": true, "earlier": true, "previously": true, "has": true, "have": true, "had": true, "separately": true, "further": true, "then": true, "would": true, "once": true, "officially": true, "publicly": true, "initially": true, "first": true}

// sourceStop are capitalised or listed words that never start or sit inside a source.
var sourceStop = map[string]bool{
	"the": true, "a": true, "an": true, "he": true, "she": true, "it": true, "they": true, "we": true,
	"i": true, "this": true, "that": true, "but": true, "and": true, "as": true, "who": true,
	"which": true, "when": true, "while": true, "no": true, "each": true, "every": true,
	"his": true, "her": true, "their": true, "its": true, "our": true, "you": true, "there": true,
	"if": true, "both": true, "neither": true, "either": true, "some": true, "many": true,
	"most": true, "all": true, "others": true, "one": true, "what": true, "where": true,
}

// plainModifier reports a lower-case word that can modify a source head inside its
// phrase ("local resistance committee", "civil protection agency").
func (d *doc) plainModifier(j int) bool {
	t := &d.toks[j]
	if npStop[d.tl(t)] || sourceStop[d.tl(t)] || d.isKindWord(j) || d.s.triggers.has(d, j) || d.s.lReport.has(d, j) {
		return false
	}
	n := len(d.tl(t))
	return n > 2 && !(d.tl(t)[n-2:] == "ed" || n > 3 && d.tl(t)[n-3:] == "ing" || d.tl(t)[n-2:] == "ly")
}

// sourceForward reads a source phrase starting at j (after "according to" or an inverted
// "said"); it ends at the first word that cannot belong to one.
func (d *doc) sourceForward(j int) (int, bool) {
	toks := d.toks
	b := j
	lowers := 0
	for b < len(toks) && b-j < 9 && toks[b].sent == toks[j].sent {
		t := &toks[b]
		switch {
		case t.kind == kWord && !t.cap && !t.upper && !sourceMods[d.tl(t)] && !d.s.lSourcehead.has(d, b) && lowers < 3 && d.plainModifier(b) && b+1 < len(toks) && toks[b+1].kind == kWord:
			lowers++
		case d.tl(t) == "-" && !t.space && b > j:
		case d.tl(t) == "." && !t.space && b > j && toks[b-1].kind == kWord && (abbrevs[d.lw(b-1)] || len(d.lw(b-1)) == 1):
		case d.tl(t) == "of" && b > j && b+1 < len(toks) && (toks[b+1].cap || toks[b+1].upper) && (toks[b-1].cap || toks[b-1].upper):
		case d.tl(t) == "'s" && b > j && b+1 < len(toks) && (sourceMods[d.lw(b+1)] || d.s.lSourcehead.has(d, b+1)):
		case t.kind == kWord && (t.cap || t.upper || sourceMods[d.tl(t)] || d.s.lSourcehead.has(d, b)):
		default:
			goto done
		}
		b++
	}
done:
	for b > j && (d.lw(b-1) == "-" || d.lw(b-1) == "of" || d.lw(b-1) == "'s" || toks[b-1].kind == kWord && !toks[b-1].cap && !toks[b-1].upper && !d.s.lSourcehead.has(d, b-1)) {
		b--
	}
	if b > j && d.sourceOK(j, b) {
		return b, true
	}
	return 0, false
}

// sourceOK checks that [a, b) names a source: a source head word last, a title inside,
// a gazetteer name, a name of two or more capitalised words ("Babagana Ali", "Gun
// Violence Archive"), or a single one that an earlier source ended with ("Mbusa").
func (d *doc) sourceOK(a, b int) bool {
	toks := d.toks
	for k := max(a, b-4); k < b; k++ {
		if e, end := d.s.lSourcehead.match(d, k); e != nil && end == b {
			return true
		}
	}
	// "director Abdirahman Isse", "spokesman Abdulkarim al-Wazir": a source word, then a name
	for k := a; k < b-1; k++ {
		if d.s.lSourcehead.has(d, k) || d.s.lTitle.has(d, k) {
			names := true
			for m := k + 1; m < b; m++ {
				if !d.isNameTok(m) && d.lw(m) != "-" {
					names = false
				}
			}
			if names {
				return true
			}
		}
	}
	caps, other := 0, 0
	for k := a; k < b; k++ {
		switch {
		case d.isNameTok(k) && !sourceStop[d.lw(k)]:
			caps++
		case toks[k].kind == kWord && !in(d.lw(k), "of", "for", "'s"):
			other++
		}
	}
	if caps >= 2 && other == 0 && !(toks[a].sent != toks[max(a-1, 0)].sent || a == 0) || caps >= 2 && other == 0 && !sourceStop[d.lw(a)] {
		return true
	}
	if caps == 1 && b == a+1 && d.srcLast[text(d, a)] {
		return true
	}
	for k := a; k < b; k++ {
		if e, end := d.s.lTitle.match(d, k); e != nil && end <= b {
			return true
		}
		if e, end := d.s.actors.match(d, k); e != nil && end == b && k == a {
			return true
		}
		if e, end := d.s.places.match(d, k); e != nil && end == b && k == a && e.label == "country" {
			return true
		}
	}
	return false
}

// targetMods are words that may stand inside a target phrase before its head.
var targetMods = map[string]bool{
	"military": true, "air": true, "naval": true, "army": true, "police": true, "commercial": true,
	"residential": true, "civilian": true, "refugee": true, "displacement": true, "power": true,
	"energy": true, "oil": true, "gas": true, "fuel": true, "ammunition": true, "weapons": true,
	"arms": true, "drone": true, "missile": true, "launch": true, "border": true, "security": true,
	"government": true, "school": true, "hospital": true, "medical": true, "health": true,
	"crowded": true, "busy": true, "local": true, "main": true, "central": true, "nearby": true,
	"religious": true, "aid": true, "food": true, "water": true, "electricity": true,
	"telecommunications": true, "cargo": true, "merchant": true, "container": true,
	"passenger": true, "private": true, "public": true, "apartment": true, "high-rise": true,
	"industrial": true, "storage": true, "logistics": true, "command": true, "coalition": true,
	"multiple": true, "several": true, "critical": true, "port": true, "rail": true, "railway": true,
	"shipping": true, "family": true, "tent": true, "makeshift": true, "un": true, "un-run": true,
	"army's": true, "infrastructure": true, "frontline": true, "front-line": true, "forward": true,
	"radar": true, "airport": true, "market": true, "bus": true, "train": true, "vegetable": true,
	"crowded-market": true, "wedding": true, "checkpoint": true, "intelligence": true,
	"nuclear": true, "thermal": true, "substation": true, "university": true, "children's": true,
	"maternity": true, "us": true, "u.s.": true, "israeli": true, "russian": true, "ukrainian": true,
	"iranian": true, "houthi": true, "syrian": true, "iraqi": true, "turkish": true,
}

// objectTargets are targets only as the object of an attack verb ("bombed villages").
var objectTargets = map[string]bool{
	"village": true, "villages": true, "town": true, "towns": true, "neighbourhood": true,
	"neighbourhoods": true, "neighborhood": true, "neighborhoods": true, "mine": true,
	"dam": true, "grid": true, "supermarket": true, "site": true, "sites": true, "post": true,
	"posts": true, "position": true, "positions": true, "home": true, "homes": true,
	"houses": true, "field": true, "fields": true, "district": true, "suburb": true,
	"suburbs": true, "outskirts": true, "city": true, "cities": true, "area": true, "areas": true,
}

// prepositions that make a following place-like noun a location, not a target.
var placePreps = map[string]bool{
	"in": true, "near": true, "from": true, "inside": true, "outside": true, "around": true,
	"across": true, "through": true, "toward": true, "towards": true, "within": true,
	"between": true, "beside": true, "behind": true, "to": true, "into": true, "out": true,
	"of": true, "home": true, "returned": true, "back": true, "left": true, "fled": true,
}

// findTargets marks what was attacked, in sentences with an attack: a target head with
// its modifiers, numbers and name in front ("three facilities", "Ain al-Asad military
// base", "commercial ships").
func (d *doc) findTargets() {
	toks := d.toks
	if len(toks) == 0 {
		return
	}
	attackSent := make([]bool, toks[len(toks)-1].sent+1) // by sentence number
	found := false
	for _, c := range d.cands {
		if c.label == "ATTACK" && !c.drop {
			attackSent[toks[c.a].sent], found = true, true
		}
	}
	for i := range toks {
		if toks[i].known && toks[i].kind == kWord && in(d.lw(i), "targeted", "targeting", "targets", "hit", "hits", "struck", "attacked") {
			attackSent[toks[i].sent], found = true, true
		}
	}
	if !found {
		return
	}
	targets := d.s.lTarget
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kWord || !toks[i].known || !attackSent[toks[i].sent] {
			continue
		}
		e, end := targets.match(d, i)
		if e == nil {
			continue
		}
		// a longer head from the same list may start after a modifier ("air base")
		a := i
		plain := 0
		for a > 0 && toks[a-1].sent == toks[i].sent && i-a < 5 {
			p := &toks[a-1]
			if d.tl(p) == "-" && !p.space && a >= 2 {
				a--
				continue
			}
			if d.tl(p) == "'s" && a >= 2 && d.isNameTok(a-2) && !d.isStopName(a-2) && d.s.places.bit&toks[a-2].idx == 0 {
				a-- // "Shi'ite mosque" is split at the apostrophe like a possessive
				continue
			}
			if targetMods[d.tl(p)] || p.kind == kNum || smallNumbers[d.tl(p)] > 0 || d.isNameTok(a-1) && !d.isStopName(a-1) && !d.isDemonymAt(a-1) || particles[d.tl(p)] && a < i+1 && d.isNameTok(a) {
				a--
				continue
			}
			if plain < 2 && p.kind == kWord && !p.cap && d.plainModifier(a-1) && !d.isWeaponAt(a-1) && !d.s.lVictim.has(d, a-1) {
				plain++
				a--
				continue
			}
			break
		}
		for a < i && d.lw(a) == "-" {
			a++
		}
		// the word before the phrase: a place preposition makes it a location
		k := a - 1
		if k >= 0 && in(d.lw(k), "the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those") {
			k--
		}
		if k >= 0 && toks[k].sent == toks[i].sent && placePreps[d.lw(k)] {
			i = end - 1
			continue
		}
		if len(e.words) == 1 && a == i && in(d.prevWord(i), "which", "that", "who", "it", "also") {
			i = end - 1
			continue // a verb: "which houses US troops"
		}
		if end < len(toks) && toks[end].sent == toks[i].sent && speakerHeads[d.lw(end)] {
			i = end - 1
			continue // "hospital staff said": the institution speaks, it is not hit
		}
		if in(e.words[0], "home", "post", "position", "office", "station", "site", "sites", "targets", "fields", "crowd", "gathering", "tower") && a == i {
			i = end - 1
			continue // too vague alone
		}
		// "hotels and restaurants"
		for end+1 < len(toks) && toks[end].sent == toks[i].sent && d.lw(end) == "and" {
			e2, end2 := targets.match(d, end+1)
			if e2 == nil {
				break
			}
			end = end2
		}
		d.add(cand{a: a, b: end, label: "TARGET", origin: "rule:target"})
		i = end - 1
	}
	d.personTargets()
	d.actorTargets()
}

// speakerHeads are the people of an institution who speak for it: after a target word
// ("hospital staff", "school officials") the phrase names a claimant, not a target.
var speakerHeads = map[string]bool{
	"staff": true, "officials": true, "official": true, "sources": true, "source": true,
	"director": true, "workers": true, "doctors": true, "spokesman": true, "spokeswoman": true,
	"spokesperson": true, "authorities": true, "administration": true, "management": true,
	"chief": true, "head": true, "manager": true, "employees": true, "personnel": true,
}

// isPlaceAt reports whether a place name starts at token i.
func (d *doc) isPlaceAt(i int) bool {
	e, _ := d.s.places.match(d, i)
	return e != nil
}

// personTargets marks people attacked, named without a number: "fired on shoppers",
// "attacked villagers", "targeting civilians".
func (d *doc) personTargets() {
	toks := d.toks
	for _, c := range d.cands {
		if c.label != "ATTACK" || c.drop {
			continue
		}
		j := c.b
		if j < len(toks) && in(d.lw(j), "on", "at", "against", "upon", "into") {
			j++
		}
		if j < len(toks) && in(d.lw(j), "the", "a", "an") {
			j++
		}
		if j >= len(toks) || toks[j].sent != toks[c.a].sent || j == c.b && !in(d.lw(c.b-1), "attacked", "targeted", "targeting", "shot", "ambushed", "stabbed", "shelled", "bombed", "attacking") {
			continue
		}
		if _, ok := d.readNumber(j); ok {
			continue
		}
		end, head := d.victimHead(j, j)
		if head == "" || in(head, "others", "more", "members", "bodies") {
			// "bombed villages", "attacked an informal gold mine": places and works as
			// the object of an attack verb
			k := j
			for n := 0; n < 3 && k < len(toks) && toks[k].sent == toks[j].sent && toks[k].kind == kWord && !objectTargets[d.lw(k)] && d.plainModifier(k); n++ {
				k++
			}
			if k < len(toks) && toks[k].sent == toks[j].sent && objectTargets[d.lw(k)] {
				d.add(cand{a: j, b: k + 1, label: "TARGET", origin: "rule:target"})
			}
			continue
		}
		d.add(cand{a: j, b: end, label: "TARGET", origin: "rule:target.people"})
	}
}

// actorTargets turns an actor phrase attacked ("attacks against US forces") into a
// TARGET: it follows "against", "on" or "targeting" close after an attack trigger.
func (d *doc) actorTargets() {
	toks := d.toks
	for ci := range d.cands {
		c := &d.cands[ci]
		if c.label != "ACTOR" || c.a < 2 {
			continue
		}
		p := d.prevWord(c.a)
		if !in(p, "against", "on", "targeting", "targeted", "at") {
			continue
		}
		for j := c.a - 2; j >= 0 && j >= c.a-6 && toks[j].sent == toks[c.a].sent; j-- {
			if d.s.triggers.has(d, j) || in(d.lw(j), "fire", "fired") {
				c.label, c.origin = "TARGET", "rule:target.actor"
				break
			}
		}
	}
}

// findVictims marks people harmed without a number ("a journalist was killed", "killing
// civilians"): a victim phrase right before a death or injury word (after auxiliaries)
// or right after one. It looks only around kind words, so it costs little.
func (d *doc) findVictims() {
	toks := d.toks
	for k := 0; k < len(toks); k++ {
		if !toks[k].known || toks[k].kind != kWord {
			continue
		}
		e, kend := d.s.kinds.match(d, k)
		if e == nil {
			continue
		}
		// after: "killing a journalist", "wounded civilians"
		j := kend
		if j < len(toks) && in(d.lw(j), "a", "an", "the", "two") && d.lw(j) != "two" {
			j++
		}
		if j < len(toks) && toks[j].sent == toks[k].sent {
			d.victimAt(j, -1)
		}
		// before: "a journalist was killed"
		end := k
		for end > 0 && toks[end-1].sent == toks[k].sent && kindAux[d.lw(end-1)] && k-end < 6 {
			end--
		}
		for st := end - 1; st >= 0 && st >= end-7 && toks[st].sent == toks[k].sent; st-- {
			if d.victimAt(st, end) {
				break
			}
		}
		k = kend - 1
	}
}

// victimAt adds a VICTIM starting at token a when a victim phrase starts there (and ends
// at end, unless end < 0). Numbers belong to casualty figures, not here.
func (d *doc) victimAt(a, end int) bool {
	toks := d.toks
	if a > 0 && toks[a-1].kind == kNum {
		return false
	}
	if _, ok := d.readNumber(a); ok && d.ageEnd(a) == a {
		return false
	}
	b, head := d.victimHead(a, a)
	if head == "" || end >= 0 && b != end {
		return false
	}
	for k := a; k < b; k++ {
		w := d.lw(k)
		if _, vague := vagueWords[w]; toks[k].kind == kNum && d.ageEnd(k) == k || smallNumbers[w] > 0 || vague || d.s.quals.has(d, k) {
			return false // a counted group is a casualty figure
		}
	}
	if in(head, "others", "more", "members", "people", "victims", "casualties", "man", "men", "person", "persons", "attackers", "assailants", "gunmen", "militants", "bodies") {
		return false
	}
	d.add(cand{a: a, b: b, label: "VICTIM", origin: "rule:victim"})
	return true
}

func text(d *doc, i int) string { return d.text[d.toks[i].bs:d.toks[i].be] }
