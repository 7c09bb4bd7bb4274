package suggest

// name particles written in lower case inside place and group names ("Ain al-Asad").
var particles = map[string]bool{"al": true, "el": true, "ad": true, "ash": true, "as": true, "ar": true, "bin": true, "ibn": true, "abu": true, "bani": true, "beni": true, "de": true, "del": true, "du": true, "la": true, "le": true, "van": true, "von": true, "da": true}

// isNameTok reports whether token j can be part of a proper name: a capitalised word or
// abbreviation, or a particle tied to one ("al-Asad").
func (d *doc) isNameTok(j int) bool {
	t := &d.toks[j]
	if t.kind == kNum {
		return false
	}
	if t.kind == kWord && (t.cap || t.upper) && d.tl(t) != "'s" {
		return true
	}
	if t.kind == kWord && j+1 < len(d.toks) && d.lw(j+1) == "-" && !d.toks[j+1].space && particles[d.tl(t)] {
		return true
	}
	return false
}

// dirBefore returns the start of a direction word ending just before token i ("western",
// "north-eastern"), or i when there is none.
func (d *doc) dirBefore(i int) int {
	for k := i - 3; k < i; k++ {
		if k < 0 || d.toks[k].sent != d.toks[i].sent {
			continue
		}
		if e, end := d.s.lDirection.match(d, k); e != nil && end == i {
			return k
		}
	}
	return i
}

// findPlaces marks places from the gazetteer, with a direction word in front ("western
// Iraq"), and capitalised names that a place word makes a place ("Sumy region", "the
// village of Tel Rumeida").
func (d *doc) findPlaces() {
	toks := d.toks
	placehead := d.s.lPlacehead
	for i := d.datelineEnd(); i < len(toks); i++ {
		if t := &toks[i]; t.kind != kWord || !t.known && !t.cap && !t.upper && t.cls&clsPlaceStart == 0 {
			continue
		}
		if e, end := d.s.places.match(d, i); e != nil {
			if j := d.skipHyphen(end); j > end && j < len(toks) && in(d.lw(j), backedWords...) {
				i = j
				continue // "Iran-backed": a modifier of an actor, not a place
			}
			a := d.dirBefore(i)
			// "Iraq" after "Iraqi"? No: a name followed by a place word ("Kherson region")
			b := end
			if h, hend := placehead.match(d, d.skipHyphen(end)); h != nil && toks[end].sent == toks[i].sent && h.words[0] != "border" && h.words[0] != "crossing" && h.words[0] != "airport" && h.words[0] != "port" && h.words[0] != "strip" {
				b = hend
			}
			kind := "country"
			if e.label != "country" {
				kind = "place"
			}
			d.add(cand{a: a, b: b, label: "LOCATION", origin: "gazetteer:location", name: e.name, ptype: kind})
			i = end - 1
			continue
		}
		// "the village of X", "the town of X"
		if d.lw(i) == "of" && i > 0 {
			if h, hend := d.s.lPlaceof.match(d, i-1); h != nil && hend == i && !toks[i-1].cap {
				j := i + 1
				for j < len(toks) && j-i <= 4 && toks[j].sent == toks[i].sent && (d.isNameTok(j) || d.lw(j) == "-" && !toks[j].space && j > i+1) {
					j++
				}
				if j > i+1 && d.lw(j-1) != "-" {
					d.add(cand{a: i + 1, b: j, label: "LOCATION", origin: "rule:location.of"})
					i = j - 1
				}
				continue
			}
		}
		// "in Kwatara", "near Mir Ali", "attacked Mayi-Moya": an unknown name after a
		// place preposition (kept only in event sentences, see placesInEvents)
		if toks[i].cls&clsPlaceStart != 0 && d.lw(i) != "of" && i+1 < len(toks) && toks[i+1].sent == toks[i].sent && (d.unknownName(i+1) || d.placeWordName(i+1)) {
			j := i + 1
			// three name words, a particle and its hyphen not counted: "Deir al-Munawar"
			for words := 0; j < len(toks) && toks[j].sent == toks[i].sent && (d.isNameTok(j) && !toks[j].upper && (words < 3 || particles[d.lw(j)]) || d.lw(j) == "-" && !toks[j].space && j > i+1); j++ {
				if d.lw(j) != "-" && !particles[d.lw(j)] {
					words++
				}
			}
			for j > i+1 && (d.lw(j-1) == "-" || particles[d.lw(j-1)] && !toks[j-1].cap) {
				j-- // never end on a hyphen or a particle: "X al" of "X al-Y"
			}
			if j > i+1 && !(j < len(toks) && (d.lw(j) == "'s" || d.isNameTok(j))) && !d.s.lPlacehead.has(d, j) {
				d.add(cand{a: i + 1, b: j, label: "LOCATION", origin: "rule:location.name"})
				i = j - 1
				continue
			}
		}
		// "X province", "X region": capitalised name then a place word
		if d.isNameTok(i) && (i == 0 || !d.isNameTok(i-1) || toks[i].nl) {
			j := i
			for j < len(toks) && j-i < 4 && toks[j].sent == toks[i].sent && (d.isNameTok(j) || d.lw(j) == "-" && !toks[j].space && j > i) {
				j++
			}
			if j > i && j < len(toks) && toks[j].sent == toks[i].sent && !toks[j].cap && !toks[j].upper {
				if h, hend := placehead.match(d, j); h != nil && hend > j && !in(h.words[0], "border", "crossing", "airport", "port", "area") && !d.isStopName(i) && !d.isDemonymAt(j-1) && !(d.word(hend, i) == "of" && in(h.words[0], "city", "town", "village", "capital")) {
					a := d.dirBefore(i)
					d.add(cand{a: a, b: hend, label: "LOCATION", origin: "rule:location.head"})
					i = hend - 1
					continue
				}
			}
		}
	}
}

// placeStarts are the lower-case words a place rule of findPlaces starts at: "of" and the
// place prepositions and verbs ("in Kwatara", "attacked Mayi-Moya").
var placeStarts = map[string]bool{"of": true, "in": true, "near": true, "outside": true, "at": true, "attacked": true, "raided": true, "stormed": true, "shelled": true, "hit": true}

// isStopName reports words that are capitalised at a sentence start but name nothing.
func (d *doc) isStopName(i int) bool {
	return in(d.lw(i), "the", "a", "an", "this", "that", "in", "on", "at", "his", "her", "their", "its", "one", "some", "many", "each", "every", "another", "other", "our")
}

var backedWords = []string{"backed", "sponsored", "affiliated", "aligned", "linked", "allied", "supported", "led", "funded", "armed", "trained", "run", "controlled", "inspired", "allied", "loyal"}

// findActors marks actors: gazetteer names with their abbreviation in brackets, phrases
// such as "Iranian-backed militants" or "Israeli forces", generic armed actors
// ("gunmen", "security forces"), and a country that acts ("The US carried out strikes").
func (d *doc) findActors() {
	toks := d.toks
	heads := d.s.lActorhead
	for i := 0; i < len(toks); i++ {
		if t := &toks[i]; t.kind == kPunct || !t.known && !t.cap && !t.upper && t.kind != kNum {
			continue // every rule below starts at a lexicon word, a name or a number
		}
		if toks[i].kind != kWord && toks[i].kind != kNum {
			continue
		}
		// X-backed / X-led ... head: "Iranian-backed militants", "Saudi-led coalition"
		if j := d.skipHyphen(i + 1); j > i+1 && j < len(toks) && in(d.lw(j), backedWords...) && d.isNameTok(i) {
			k := j + 1
			for m := 0; m < 2 && k < len(toks) && toks[k].sent == toks[i].sent && toks[k].kind == kWord && !heads.has(d, k) && !npStop[d.lw(k)] && !toks[k].cap; m++ {
				k++
			}
			if k < len(toks) && toks[k].sent == toks[i].sent {
				if h, hend := heads.match(d, k); h != nil {
					a := i
					if a > 0 && d.lw(a-1) == "-" && !toks[a-1].space && a >= 2 && d.isNameTok(a-2) {
						a -= 2
					}
					if !(in(d.lw(hend-1), "group", "militia", "faction", "movement") && hend < len(toks) && d.isNameTok(hend)) {
						d.add(cand{a: a, b: hend, label: "ACTOR", origin: "rule:actor.backed"})
					}
					i = hend - 1
					continue
				}
			}
		}
		if e, end := d.s.actors.match(d, i); e != nil {
			b := d.bracketAbbrev(end)
			a := i
			// "Islamic State militants", "JNIM fighters": the name and its fighters
			if b < len(toks) && toks[b].sent == toks[i].sent && in(d.lw(b), "fighters", "militants", "gunmen", "rebels", "insurgents", "militiamen", "jihadists", "members", "operatives", "forces", "troops", "soldiers", "commandos") {
				b++
			}
			// "Iran-backed Houthis"
			if a >= 2 && toks[a-1].kind == kWord && in(d.lw(a-1), backedWords...) && !toks[a-1].space {
				if k := a - 1; k >= 2 && d.lw(k-1) == "-" && !toks[k-1].space && d.isNameTok(k-2) {
					a = k - 2
				}
			}
			d.add(cand{a: a, b: b, label: "ACTOR", origin: "gazetteer:actor", name: e.name})
			i = b - 1
			continue
		}
		// demonym or country + head: "Israeli forces", "Russian troops", "US forces"
		dem, dend := d.s.demonyms.match(d, i)
		if dem == nil {
			if p, pend := d.s.places.match(d, i); p != nil && p.label == "country" {
				dem, dend = p, pend
			}
		}
		if dem != nil && dend+1 < len(toks) && d.lw(dend) == "'s" && toks[dend+1].sent == toks[i].sent {
			// "Myanmar's military", "Russia's army": the force, without its country
			if h, hend := heads.match(d, dend+1); h != nil && in(h.words[0], "military", "army", "forces", "troops", "navy", "junta", "air", "police", "security", "armed") {
				if h.words[0] == "air" || h.words[0] == "security" || h.words[0] == "armed" {
					hend = dend + 2
					if hend < len(toks) && in(d.lw(hend), "force", "forces") {
						hend++
					} else {
						hend = -1
					}
				}
				if hend > 0 {
					d.add(cand{a: dend + 1, b: hend, label: "ACTOR", origin: "rule:actor.national", name: dem.name})
					i = hend - 1
					continue
				}
			}
		}
		if dem != nil && dend < len(toks) && toks[dend].sent == toks[i].sent {
			k := dend
			for m := 0; m < 2 && k < len(toks) && toks[k].kind == kWord && in(d.lw(k), "special", "security", "government", "armed", "military", "air", "naval", "ground", "elite", "occupation", "coalition", "proxy", "allied", "and"); m++ {
				k++
			}
			if h, hend := heads.match(d, k); h != nil && !in(h.words[0], "group", "groups", "government", "regime", "units", "cells", "cell") {
				d.add(cand{a: i, b: hend, label: "ACTOR", origin: "rule:actor.national", name: dem.name})
				i = hend - 1
				continue
			}
		}
		if e, end := d.s.lActor.match(d, i); e != nil {
			a := i
			for a > 0 && toks[a-1].sent == toks[i].sent && i-a < 2 && agentMods[d.lw(a-1)] {
				a-- // "suspected Islamist militants"
			}
			d.add(cand{a: a, b: end, label: "ACTOR", origin: "lexicon:actor"})
			i = end - 1
			continue
		}
		if b, ok := d.orgName(i); ok {
			d.add(cand{a: i, b: b, label: "ACTOR", origin: "rule:actor.name"})
			i = b - 1
			continue
		}
	}
	d.countryActors()
	d.demonymActors()
	d.agentActors()
}

// orgHeads end the names of armed organisations ("People's Anti-Fascist Front", "444
// Brigade", "Santa Rosa de Lima Cartel").
var orgHeads = map[string]bool{
	"front": true, "army": true, "brigade": true, "brigades": true, "forces": true, "force": true,
	"movement": true, "cartel": true, "gang": true, "militia": true, "corps": true,
	"battalion": true, "regiment": true, "resistance": true, "guard": true, "guards": true,
	"fighters": true, "mujahideen": true, "legion": true, "battalions": true,
}

// orgName reads a capitalised name ending in an organisation word, starting at i.
func (d *doc) orgName(i int) (int, bool) {
	toks := d.toks
	if !(d.isNameTok(i) || toks[i].kind == kNum) || d.isStopName(i) || i > 0 && (d.isNameTok(i-1) && toks[i-1].sent == toks[i].sent) {
		return 0, false
	}
	j, last := i, -1
	for j < len(toks) && j-i < 8 && toks[j].sent == toks[i].sent {
		t := &toks[j]
		switch {
		case d.isNameTok(j) || t.kind == kNum && j == i:
			if orgHeads[d.tl(t)] && j > i {
				last = j
			}
		case d.tl(t) == "-" && !t.space || d.tl(t) == "'s" || in(d.tl(t), "of", "de", "del", "la", "al", "for") && j > i:
		default:
			goto done
		}
		j++
	}
done:
	if last < 0 {
		return 0, false
	}
	return d.bracketAbbrev(last + 1), true
}

// demonymActors marks the nationality that carried out a strike: "a Russian missile
// strike", "Israeli airstrikes".
func (d *doc) demonymActors() {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		e, end := d.s.demonyms.match(d, i)
		if e == nil || !(toks[i].cap || toks[i].upper) {
			continue
		}
		j := end
		for n := 0; n < 3 && j < len(toks) && (d.s.wMods.has(d, j) || d.isWeaponAt(j)); n++ {
			_, wend := d.s.wHeads.match(d, j)
			if wend > j {
				j = wend
			} else {
				j++
			}
		}
		if j < len(toks) && toks[j].sent == toks[i].sent {
			if t, _ := d.s.triggers.match(d, j); t != nil && t.label == "ATTACK" && in(t.words[len(t.words)-1], "strike", "strikes", "airstrike", "airstrikes", "attack", "attacks", "shelling", "bombardment", "bombing", "bombings", "raid", "raids", "offensive", "barrage", "fire", "incursion", "assault", "invasion", "hit", "hits", "struck") && (j > end || !in(d.lw(j), "hit", "hits", "struck")) {
				d.add(cand{a: i, b: end, label: "ACTOR", origin: "rule:actor.demonym", name: e.name})
			}
		}
		i = end - 1
	}
}

// agentHeads are generic fighters that are actors when they act.
var agentHeads = map[string]bool{
	"troops": true, "soldiers": true, "military": true, "army": true, "police": true,
	"fighters": true, "forces": true, "militiamen": true, "raiders": true, "bomber": true,
	"suspect": true, "gunman": true, "youth": true, "youths": true, "militias": true,
	"militia": true, "policemen": true, "officers": true, "gunmen": true, "attacker": true,
	"assailant": true, "shooter": true, "warplanes": true, "jets": true, "drones": true, "members": true, "herders": true, "bandits": true,
	"navy": true, "sniper": true, "guards": true, "rebels": true, "militants": true,
}

var agentMods = map[string]bool{
	"armed": true, "volunteer": true, "jihadist": true, "islamist": true, "separatist": true,
	"rebel": true, "suspected": true, "unidentified": true, "unknown": true, "rival": true,
	"pro-government": true, "government": true, "security": true, "special": true, "suicide": true,
	"masked": true, "allied": true, "ethnic": true, "local": true, "army": true, "police": true,
	"paramilitary": true, "border": true, "riot": true, "israeli": true, "russian": true,
	"ukrainian": true, "enemy": true, "gang": true, "military": true, "heavily": true, "islamic": true,
}

var agentVerbs = []string{"attacked", "struck", "killed", "shot", "raided", "fired", "shelled", "bombed", "stormed", "ambushed", "clashed", "opened", "launched", "carried", "abducted", "kidnapped", "torched", "burned", "looted", "seized", "targeted", "hit", "detonated", "blew", "executed", "beheaded", "massacred", "invaded", "pounded", "overran", "captured", "arrested", "detained", "wounded", "injured", "set", "stabbed", "ambush", "attack", "kill", "shoot", "fire"}

// agentActors marks generic fighters that act ("troops opened fire", "the army shelled",
// "killed by soldiers"), with their modifiers ("volunteer militias").
func (d *doc) agentActors() {
	toks := d.toks
	covered := make([]bool, len(toks))
	for _, c := range d.cands {
		for k := c.a; k < c.b; k++ {
			covered[k] = true
		}
	}
	for i := range toks {
		if covered[i] || toks[i].cls&clsAgentHead == 0 {
			continue
		}
		j := i + 1
		for j < len(toks) && toks[j].sent == toks[i].sent && in(d.lw(j), "has", "have", "had", "also", "then", "later", "reportedly", "allegedly", "had", "were", "was", "then", "who", "on", "again") {
			j++
		}
		acts := j < len(toks) && toks[j].sent == toks[i].sent && in(d.lw(j), agentVerbs...) && !(j > i+1 && in(d.lw(j-1), "were", "was") && !in(d.lw(j), "clashed"))
		if !acts && i > 0 {
			k := i - 1
			for k > 0 && (agentMods[d.lw(k)] || in(d.lw(k), "the", "a", "an")) {
				k--
			}
			if d.lw(k) == "by" && toks[k].sent == toks[i].sent {
				for m := k - 1; m >= 0 && m >= k-4 && toks[m].sent == toks[i].sent; m-- {
					if d.s.triggers.has(d, m) || d.s.kinds.has(d, m) {
						acts = true
						break
					}
				}
			}
		}
		if !acts {
			continue
		}
		a := i
		for a > 0 && toks[a-1].sent == toks[i].sent && !covered[a-1] && (agentMods[d.lw(a-1)] || d.lw(a-1) == "-" && !toks[a-1].space) {
			a--
		}
		for a < i && d.lw(a) == "-" {
			a++
		}
		if d.lw(i) == "members" && a == i {
			continue // "members" acts only as "gang members", "militia members"
		}
		d.add(cand{a: a, b: i + 1, label: "ACTOR", origin: "rule:actor.agent"})
	}
}

// bracketAbbrev extends a name over an abbreviation in brackets right after it:
// "US Central Command (CENTCOM)".
func (d *doc) bracketAbbrev(end int) int {
	toks := d.toks
	if end+2 < len(toks) && d.lw(end) == "(" && (toks[end+1].upper || toks[end+1].cap && toks[end+1].kind == kWord) && d.lw(end+2) == ")" && toks[end].sent == toks[end-1].sent {
		return end + 3
	}
	return end
}

var actVerbs = []string{"carried", "launched", "struck", "strikes", "bombed", "attacked", "fired", "shelled", "targeted", "hit", "conducted", "killed", "invaded", "raided", "pounded", "stormed", "shot", "bombarded", "ambushed", "attacks", "downed", "intercepted"}

// countryActors turns a country that acts ("The US carried out strikes", "an attack by
// Israel") from a LOCATION into an ACTOR.
func (d *doc) countryActors() {
	toks := d.toks
	for ci := range d.cands {
		c := &d.cands[ci]
		if c.label != "LOCATION" || c.ptype != "country" || c.drop {
			continue
		}
		if j := c.b; j < len(toks) && toks[j].sent == toks[c.a].sent && d.lw(j) != "'s" {
			// "U.S. airstrikes", "Israel air strikes"
			if in(d.lw(j), "air", "military", "drone", "missile", "naval", "ground") && j+1 < len(toks) {
				j++
			}
			if t, _ := d.s.triggers.match(d, j); t != nil && t.label == "ATTACK" && in(d.lw(j), "strike", "strikes", "airstrike", "airstrikes", "attack", "attacks", "offensive", "bombardment", "shelling", "raid", "raids", "incursion", "operations", "operation") {
				c.label, c.origin = "ACTOR", "rule:actor.country"
				continue
			}
		}
		if c.b < len(toks) && d.lw(c.b) == "'s" {
			// "Israel's strikes on Khan Younis": the country that strikes; but "Yemen's
			// Houthis": the possessor is not the actor
			if j := c.b + 1; j < len(toks) && toks[j].sent == toks[c.a].sent {
				if in(d.lw(j), "military", "air", "ground", "naval", "latest", "new", "renewed", "deadly") && j+1 < len(toks) {
					j++
				}
				if t, _ := d.s.triggers.match(d, j); t != nil && t.label == "ATTACK" && in(d.lw(j), "strike", "strikes", "airstrike", "airstrikes", "attack", "attacks", "offensive", "bombardment", "shelling", "invasion", "raid", "raids", "assault", "incursion", "bombing", "bombings") {
					c.label, c.origin = "ACTOR", "rule:actor.country"
				}
			}
			continue
		}
		j := c.b
		for j < len(toks) && toks[j].sent == toks[c.a].sent && in(d.lw(j), "has", "have", "had", "also", "then", "later", "again", "reportedly", "allegedly", "itself") {
			j++
		}
		act := j < len(toks) && toks[j].sent == toks[c.a].sent && in(d.lw(j), actVerbs...)
		if !act && c.a >= 2 && d.prevWord(c.a) == "by" {
			for k := c.a - 2; k >= 0 && k >= c.a-4 && toks[k].sent == toks[c.a].sent; k-- {
				if d.s.triggers.has(d, k) {
					act = true
					break
				}
			}
		}
		if act {
			c.label, c.origin = "ACTOR", "rule:actor.country"
		}
	}
}

// findWeapons marks weapons: a head from the lexicon with its modifiers and numbers in
// front ("multiple ballistic missiles") and coordinated heads ("missiles and rockets").
func (d *doc) findWeapons() {
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kWord {
			continue
		}
		e, end := d.s.wHeads.match(d, i)
		if e == nil || d.weaponNotHere(i, end) {
			continue
		}
		a := d.weaponMods(i)
		b := end
		// a model name before its kind: "Iskander-M ballistic missile", "Shahed attack drones"
		m := b
		if m+1 < len(toks) && d.lw(m) == "-" && !toks[m].space && !toks[m+1].space {
			m += 2
		}
		for n := 0; n < 3 && m < len(toks) && toks[m].sent == toks[i].sent && d.s.wMods.has(d, m); n++ {
			m++
		}
		if h, hend := d.s.wHeads.match(d, m); h != nil && m > b && toks[i].cap {
			b = hend
		}
		// a weapon naming a strike ("drone strikes"): the weapon word alone
		if t, _ := d.s.triggers.match(d, b); t != nil && t.label == "ATTACK" && in(d.lw(b), "strike", "strikes", "attack", "attacks", "raid", "raids", "fire", "barrage", "barrages", "bombardment", "shelling", "assault") {
			a = i
		}
		// "about 20 rockets"
		if a > 0 && a < i && (toks[a].kind == kNum || smallNumbers[d.lw(a)] > 0) && in(d.prevWord(a), "about", "around", "some", "nearly", "approximately", "roughly", "least", "than") {
			a--
			if in(d.lw(a), "least", "than") && a > 0 {
				a--
			}
		}
		d.add(cand{a: a, b: b, label: "WEAPON", origin: "lexicon:weapon"})
		i = b - 1
	}
}

// weaponMods walks back over weapon modifiers and numbers before a head at i.
func (d *doc) weaponMods(i int) int {
	toks := d.toks
	a := i
	for n := 0; n < 4 && a > 0 && toks[a-1].sent == toks[i].sent; n++ {
		k := a - 1
		if d.lw(k) == "-" && !toks[k].space && k > 0 {
			k-- // "explosive-laden": modifiers hold their own hyphen; a loose one ends it
		}
		found := false
		for s := k; s >= k-2 && s >= 0; s-- {
			if e, end := d.s.wMods.match(d, s); e != nil && end == a {
				a, found = s, true
				break
			}
		}
		if found {
			continue
		}
		if toks[a-1].kind == kNum || smallNumbers[d.lw(a-1)] > 0 {
			a--
			continue
		}
		break
	}
	return a
}

// weaponNotHere filters heads used in other senses: "a bomb threat", "think tanks",
// "gun control", "rocket scientist".
func (d *doc) weaponNotHere(a, b int) bool {
	prev, next := d.prevWord(a), d.nextWord(b)
	return in(prev, "think", "fish", "septic", "water", "fuel", "oil", "gas", "shark", "top", "nail", "water-pistol", "starting", "glue", "smoking", "storage") ||
		in(next, "threat", "threats", "scare", "control", "laws", "law", "scientist", "scientists", "science", "shop", "shops", "owners", "ownership", "lobby", "rights", "violence", "culture", "show", "launch", "engine")
}

// datelineEnd returns the token after a wire dateline ("KHARTOUM, Sudan (Agency) —"),
// or 0: the place a report is filed from is not where the event happened.
func (d *doc) datelineEnd() int {
	toks := d.toks
	if len(toks) < 3 || !toks[0].upper {
		return 0
	}
	for j := 1; j < len(toks) && j < 16 && !toks[j].nl; j++ {
		if w := d.lw(j); w == "—" || w == "-" && toks[j].space || w == "--" {
			return j + 1
		}
	}
	return 0
}

// placesInEvents drops places from sentences that report no event, no casualty figure
// and no attack target: LOCATION says where something happened.
func (d *doc) placesInEvents() {
	toks := d.toks
	if len(toks) == 0 {
		return
	}
	eventSent := make([]bool, toks[len(toks)-1].sent+1) // by sentence number
	for _, c := range d.cands {
		if !c.drop && (isTrigger(c.label) || c.label == "CASUALTY" || c.label == "TARGET") {
			eventSent[toks[c.a].sent] = true
		}
	}
	for i := range d.cands {
		c := &d.cands[i]
		if c.label == "LOCATION" && !eventSent[toks[c.a].sent] {
			c.drop = true
		}
	}
}

// unknownName reports a capitalised word at i that no lexicon knows and that is no
// month, weekday, title or common capitalised word: a candidate village or town name.
func (d *doc) unknownName(i int) bool {
	t := &d.toks[i]
	if !t.cap || t.upper || t.known || t.kind != kWord || d.isStopName(i) {
		return false
	}
	if _, ok := months[d.tl(t)]; ok {
		return false
	}
	if _, ok := weekdays[d.tl(t)]; ok {
		return false
	}
	return !in(d.tl(t), "parliament", "congress", "court", "government", "president", "god", "english", "arabic", "french", "islam", "christianity", "ramadan", "eid", "christmas", "easter", "telegram", "twitter", "facebook", "x", "whatsapp", "youtube", "tiktok", "instagram", "march", "may", "june", "april", "august", "spring", "autumn", "summer", "winter", "mr", "mrs", "ms", "dr")
}

// placeWordName reports a capitalised word that begins some gazetteer name but, here,
// a name the gazetteer does not hold: "Deir" of "Deir al-Munawar" (the list has other
// Deirs). It must be followed by more of the name, a particle or another capitalised
// word, so that a lone lexicon word is not taken for a town.
func (d *doc) placeWordName(i int) bool {
	t := &d.toks[i]
	if !t.cap || t.upper || !t.known || t.kind != kWord || d.isStopName(i) || i+1 >= len(d.toks) {
		return false
	}
	if e, _ := d.s.places.match(d, i); e != nil {
		return false
	}
	if d.s.places.bit&t.idx == 0 {
		return false // a word of another lexicon (an actor, a weapon), not of a place
	}
	return d.toks[i+1].sent == t.sent && d.isNameTok(i+1)
}
