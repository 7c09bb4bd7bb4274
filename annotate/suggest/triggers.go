package suggest

// findTriggers marks ATTACK, DEATH and INJURY triggers from the lexicon, each checked by
// the context filter for its head word so non-events ("a general strike", "heart attack",
// "killed the bill", "a shot at the title") are left alone.
func (d *doc) findTriggers() {
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kWord {
			continue
		}
		e, end := d.s.triggers.match(d, i)
		if e == nil {
			continue
		}
		label, ok := d.triggerContext(e, i, end)
		if !ok {
			continue
		}
		d.add(cand{a: i, b: end, label: label, origin: triggerOrigin(label)})
		i = end - 1
	}
}

// triggerOrigin is "lexicon:" and the lower-cased label, without building the string
// for the usual labels.
func triggerOrigin(label string) string {
	switch label {
	case "ATTACK":
		return "lexicon:attack"
	case "DEATH":
		return "lexicon:death"
	case "INJURY":
		return "lexicon:injury"
	}
	return "lexicon:" + lower(label)
}

func lower(label string) string {
	b := []byte(label)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// word returns the lower-cased token at i, or "" outside the sentence of token ref.
func (d *doc) word(i, ref int) string {
	if i < 0 || i >= len(d.toks) || d.toks[i].sent != d.toks[ref].sent {
		return ""
	}
	return d.lw(i)
}

// prevWord and nextWord skip over a tight hyphen ("labour-strike" reads like "labour strike").
func (d *doc) prevWord(i int) string {
	j := i - 1
	if j >= 0 && d.lw(j) == "-" && !d.toks[j].space && !d.toks[i].space {
		j--
	}
	return d.word(j, i)
}

func (d *doc) nextWord(end int) string { return d.word(d.skipHyphen(end), end-1) }

func in(w string, set ...string) bool {
	for _, s := range set {
		if w == s {
			return true
		}
	}
	return false
}

var (
	strikeNotEvent = []string{"general", "workers", "worker", "union", "unions", "labour", "labor", "hunger", "teachers", "doctors", "nurses", "rail", "transport", "nationwide", "national", "staff", "student", "students", "industrial", "wildcat", "pilots", "lucky", "bowling", "penalty", "three", "24-hour", "48-hour", "one-day", "two-day", "sit-down", "solidarity", "strike", "tax", "miners", "dockworkers", "truckers", "drivers", "employees"}
	strikeAfterNot = []string{"action", "actions", "ballot", "deal", "balance", "chord", "tone", "note", "pose", "bargain", "agreement", "compromise", "partner", "partners", "fear", "gold", "oil", "out", "rate", "zone", "force", "committee", "leaders", "organisers", "organizers", "vote", "pay", "notice", "days", "day", "called", "began", "ended", "continues", "continued", "over", "against"}
	attackNotEvent = []string{"heart", "panic", "asthma", "anxiety", "verbal", "personal", "political", "rhetorical", "scathing", "blistering", "stinging", "shark", "dog", "gout", "migraine", "seizure", "allergic", "media", "legal", "fierce", "angry", "fresh", "cyber"}
	killObjectsNot = []string{"bill", "bills", "motion", "deal", "deals", "proposal", "proposals", "plan", "plans", "idea", "ideas", "project", "projects", "legislation", "talks", "measure", "measures", "amendment", "amendments", "reform", "reforms", "merger", "story", "momentum", "mood", "engine", "lights", "time", "it", "off", "the", "that", "this", "a", "an"}
	shotNounBefore = []string{"a", "an", "the", "his", "her", "their", "its", "big", "flu", "booster", "long", "first", "parting", "good", "best", "final", "last", "photo", "mug", "title", "one", "another", "cheap", "free", "penalty", "jump", "winning", "opening", "second"}
	auxBefore      = []string{"was", "were", "been", "being", "is", "are", "be", "fatally", "reportedly", "allegedly", "later", "then", "and", "also", "had", "has", "have", "he", "she", "they", "police", "troops", "soldiers", "gunmen"}
	offensiveDet   = []string{"a", "an", "the", "its", "their", "his", "her", "ground", "military", "air", "major", "new", "fresh", "renewed", "spring", "summer", "winter", "final", "full-scale", "large-scale", "long-awaited", "counter", "this", "that", "planned", "expected", "israeli", "russian", "ukrainian", "army", "rebel", "joint", "massive", "wide-scale"}
	fightingOK     = []string{"heavy", "fierce", "intense", "renewed", "ongoing", "deadly", "bloody", "sporadic", "street", "fresh", "violent", "continued", "intensified", "escalating", "the"}
	deadNot        = []string{"end", "ends", "heat", "line", "lines", "lock", "locked", "serious", "set", "wrong", "last", "centre", "center", "weight", "zone", "sea", "letter", "reckoning", "ringer", "tired", "certain", "against"}
	deathNot       = []string{"penalty", "sentence", "sentences", "row", "threat", "threats", "certificate", "certificates", "knell", "wish", "spiral", "metal", "star", "valley", "trap", "warrant", "warrants", "squad", "squads", "march"}
	hurtOKBefore   = []string{"was", "were", "been", "being", "badly", "seriously", "slightly", "critically", "people", "others", "civilians", "more", "and", "not", "no", "one", "anyone", "nobody"}
	blastNot       = []string{"furnace", "radius", "wave", "walls", "from"}
	explosionNot   = []string{"population", "demographic", "data", "information", "price", "prices", "cost", "costs", "emotional", "emotions", "cases"}
	assaultNot     = []string{"rifle", "rifles", "weapon", "weapons", "charge", "charges", "course", "ship", "craft", "boat", "boats", "troops", "team", "teams"}
	raidNot        = []string{"fridge", "cookie", "tax", "dawn-raid"}
)

// triggerContext returns the label a lexicon match keeps in its context, or false when
// the context shows it is no event.
func (d *doc) triggerContext(e *entry, a, b int) (string, bool) {
	w := e.words[0]
	prev, next := d.prevWord(a), d.nextWord(b)
	if (prev == "'" || prev == "'s") && a > 0 {
		prev = d.prevWord(a - 1) // "workers' strike", "union's strike"
	}
	next2 := ""
	if j := d.skipHyphen(b); j+1 < len(d.toks) {
		next2 = d.word(d.skipHyphen(j+1), a)
	}
	label := e.label
	if len(e.words) > 1 && !in(w, "went", "military", "security", "ground", "counter") {
		return label, true
	}
	switch w {
	case "strike", "strikes", "striking", "struck":
		if in(prev, strikeNotEvent...) || in(next, strikeAfterNot...) {
			return "", false
		}
		if in(prev, "on", "a", "the") && in(d.prevWord(a-1), "went", "go", "gone", "going", "are", "were", "is", "remain", "remained", "stay", "stayed", "be", "been") {
			return "", false
		}
		if prev == "on" || in(next, "by") && d.labourAfter(b+1) {
			return "", false
		}
		if w == "struck" && (in(next, "by") && in(next2, "lightning", "a", "car", "truck", "vehicle", "train") || in(next, "down", "off", "out", "gold", "oil", "lucky") || in(next, "a", "an", "the") && in(next2, "deal", "agreement", "balance", "chord", "tone", "note", "pose", "bargain", "compromise", "nerve", "match", "ball", "blow", "partnership", "accord", "truce", "settlement", "conciliatory", "defiant", "different", "positive", "similar", "cautious", "optimistic")) {
			return "", false
		}
		if w == "striking" && !in(prev, "after", "before", "while", "by", "missiles", "drones", "rockets") {
			return "", false
		}
		if in(prev, "call", "called", "calls", "calling", "threatened", "threatens", "threaten", "planned", "announced") && w == "strike" {
			return "", false
		}
		if d.labourSentence(a) && !d.attackNear(a, b) {
			return "", false // "rail workers would strike next week over unpaid wages"
		}
	case "attack", "attacks", "attacked", "attacking":
		if in(prev, attackNotEvent...) {
			return "", false
		}
		if in(w, "attacked", "attacks", "attack") && in(next, "the") && in(next2, "decision", "policy", "plan", "proposal", "bill", "government's", "media", "press", "report", "remarks", "comments", "idea", "ruling", "verdict", "judge", "court", "opposition", "president's", "minister's", "critics", "deal", "move", "law", "budget") {
			return "", false
		}
		if in(next, "of") && in(next2, "nerves", "conscience", "gout", "the") && in(next2, "nerves", "conscience", "gout") {
			return "", false
		}
	case "killed", "kills", "killing", "killings":
		if in(next, "off", "any", "hope", "hopes", "chances", "it", "time", "momentum") || in(next, "the", "a", "an", "his", "her", "their", "its", "any", "all") && in(next2, append(killObjectsNot, "hope", "hopes", "chance", "chances", "mood", "buzz", "vibe")...) {
			return "", false
		}
		if w == "killing" && in(prev, "a", "making", "made") && !in(next, "of") {
			return "", false
		}
	case "shot":
		if in(prev, shotNounBefore...) || in(next, "at") && in(next2, "the", "a", "glory", "redemption", "fame", "winning") ||
			in(next, "to", "up", "through") && in(next2, "fame", "prominence", "the", "stardom", "number", "record", "by", "in", "from", "percent", "%") {
			return "", false
		}
		if next == "dead" {
			return "DEATH", true
		}
		if !in(prev, auxBefore...) && !in(next, "dead", "and", "in", "by", "at", "several", "multiple", "twice", "him", "her", "them", "two", "three", "four", "one", "a", "an") {
			return "", false
		}
	case "fire":
		if !in(prev, "sniper", "heavy", "gun", "machine-gun", "machinegun", "tank", "mortar", "rocket", "artillery", "live", "small-arms", "automatic", "indiscriminate", "naval", "anti-aircraft", "enemy", "hostile", "friendly", "drone", "missile", "machine") {
			return "", false
		}
		if in(prev, "live") && in(next, "exercise", "exercises", "drill", "drills") {
			return "", false
		}
	case "fired", "firing":
		j := d.skipHyphen(b)
		for k := 0; k < 3 && j < len(d.toks) && d.s.wMods.has(d, j); k++ {
			j++
		}
		if j >= len(d.toks) || d.toks[j].sent != d.toks[a].sent {
			return "", false
		}
		if e, _ := d.s.wHeads.match(d, j); e == nil && !in(d.lw(j), "shots", "shells", "rounds", "volleys", "salvos", "upon", "into", "on", "at", "indiscriminately", "warning", "live", "tear") {
			return "", false
		}
	case "went":
		// "went off": a bomb, not a plan
		if !d.attackNear(a, b) && !in(prev, "bomb", "device", "explosives", "mine", "charge", "grenade", "alarm") || prev == "alarm" {
			return "", false
		}
	case "military", "security", "ground", "counter":
		// "military operation": an attack when it kills or strikes
		if !d.attackNear(a, b) && !d.kindInSentence(a) {
			return "", false
		}
	case "hit", "hits":
		if in(prev, "was", "were", "been", "being", "be") && next == "by" && !in(next2, "inflation", "sanctions", "rising", "higher", "falling", "tariffs", "drought", "floods", "flooding", "criticism", "a", "the") {
			return label, true
		}
		if in(next, "hard", "back", "out", "record", "records", "headlines", "home", "rock", "the", "a", "an") && in(next2, "hard", "back", "out", "record", "headlines", "road", "market", "rock", "bottom", "jackpot", "ground", "high", "low", "shelves", "wall", "brakes", "streets", "high", "peak", "target", "targets", "") {
			return "", false
		}
		if in(prev, "big", "box-office", "a", "smash", "chart", "first", "greatest", "hardest", "worst") || in(next, "by") && in(next2, "inflation", "sanctions", "the", "a", "rising", "higher", "falling", "tariffs", "drought", "floods", "flooding") && !d.attackNear(a, b) {
			return "", false
		}
		if !d.attackNear(a, b) {
			return "", false
		}
	case "targeted", "targeting":
		if in(next, "sanctions", "measures", "advertising", "ads", "audience", "audiences", "voters", "customers", "support", "assistance", "therapy", "therapies", "treatment", "campaign", "approach", "investment", "funding", "help", "aid", "messages") || in(prev, "narrowly", "specifically") && !d.attackNear(a, b) {
			return "", false
		}
		if !d.attackNear(a, b) {
			return "", false
		}
	case "fought":
		if in(next, "for", "back", "off", "against", "to", "hard", "tears", "corruption", "over", "a", "the", "fires", "fire", "blaze", "wildfires", "cancer") && !in(next2, "troops", "forces", "army", "militants", "rebels", "soldiers") {
			return "", false
		}
	case "fighting":
		if in(next, "for", "corruption", "back", "off", "fit", "chance", "spirit", "talk", "words", "cancer", "poverty", "to", "inflation", "crime", "fires", "fire", "wildfires", "disease", "climate", "hunger", "drugs", "fraud", "the", "a", "an", "it", "this", "that", "them", "his", "her", "their", "our", "my", "your", "its", "fatigue", "tears", "odds") ||
			in(prev, "are", "is", "am", "was", "were", "been", "be", "keep", "kept", "start", "started", "stop", "stopped") && !in(next, "in", "between", "around", "near") ||
			in(next, "against") && !in(next2, "the", "troops", "forces", "army", "rebels", "militants", "insurgents", "government", "jihadists", "fighters") {
			return "", false
		}
	case "offensive":
		if !in(prev, offensiveDet...) && prev != "'s" && !d.isDemonymAt(a-1) && !in(next, "against", "on", "in", "into", "to", "toward", "towards", "aimed", "launched", "began", "targeting", "by") {
			return "", false
		}
		if in(next, "remarks", "comments", "language", "behaviour", "behavior", "content", "tweet", "tweets", "posts", "and", "words", "line", "lineman", "coordinator", "player", "players", "play", "rebounds", "team", "side") {
			return "", false
		}
	case "assault", "assaults", "assaulted":
		if in(next, assaultNot...) || in(prev, "sexual", "sexually", "indecent", "indecently", "verbal", "legal", "frontal-legal") {
			return "", false
		}
	case "raid", "raids", "raided", "raiding":
		if in(prev, raidNot...) || in(prev, "police", "tax") && in(next, "on") && in(next2, "offices", "office", "home", "homes") {
			return "", false
		}
	case "blast", "blasts":
		if in(next, blastNot...) || in(next, "the", "critics", "government", "opponents", "decision", "plans") {
			return "", false
		}
	case "explosion", "explosions":
		if in(prev, explosionNot...) || in(next, "of") && in(next2, "cases", "growth", "interest", "violence", "data", "colour", "color") && next2 != "violence" {
			return "", false
		}
	case "dead":
		if in(next, deadNot...) || in(prev, "brain", "drop", "drop-dead", "play", "playing", "stone", "stop", "stopped", "in", "the") && !in(prev, "the") || prev == "the" && !in(next, "and", "included", "include", "were", "are", "was", "have", "had", "in", "from", ",", "of") {
			return "", false
		}
	case "death", "deaths":
		if in(next, deathNot...) {
			return "", false
		}
		if w == "death" && in(prev, "to") && in(d.prevWord(a-1), "sentenced", "put", "condemned", "bored", "scared", "frightened", "worried") {
			return "", false
		}
	case "toll":
		if !in(prev, "death", "casualty", "the", "a", "human") || in(next, "road", "booth", "booths", "roads", "bridge", "charges", "fees", "fee", "plaza") {
			return "", false
		}
	case "died", "dies":
		if in(next, "down", "out", "off", "away") && !in(next2, "in", "from", "after", "of") {
			return "", false
		}
	case "hurt":
		if !in(prev, hurtOKBefore...) && !in(next, "in", "when", "after", "during", "by", "and") {
			return "", false
		}
		if in(next, "the", "his", "her", "their", "its", "our", "my", "your", "sales", "profits", "economy", "chances", "feelings") {
			return "", false
		}
	case "injuries":
		if in(prev, "knee", "hamstring", "ankle", "muscle", "back", "shoulder", "groin", "sports", "football", "sporting", "playing") {
			return "", false
		}
	case "wounds":
		if !in(prev, "his", "her", "their", "of", "gunshot", "shrapnel", "stab", "bullet", "fatal", "severe", "serious") || in(prev, "old", "political", "reopen", "heal", "healing", "lick") {
			return "", false
		}
	case "executed":
		if !in(prev, "was", "were", "been", "being", "summarily", "publicly", "reportedly", "allegedly", "had", "have", "and") {
			return "", false
		}
	case "stabbing", "stabbed":
		if in(next, "in") && in(next2, "the") && prev == "back" || in(prev, "back") {
			return "", false
		}
	case "shooting", "shootings":
		if in(next, "star", "guard", "percentage", "range", "stars", "script", "schedule", "season", "scene", "began", "wrapped", "practice", "competition") || in(prev, "film", "movie", "video", "photo", "clay", "pigeon", "skeet", "trap", "sports") {
			return "", false
		}
	case "barrage", "barrages":
		if in(next, "of") && in(next2, "criticism", "questions", "complaints", "insults", "abuse", "calls", "messages", "emails", "tweets", "attacks") {
			return "", false
		}
	case "clash", "clashes", "clashed", "clashing":
		if in(next, "over", "of", "on") && !in(next2, "the", "saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "border", "frontier", "outskirts") || in(prev, "verbal", "diplomatic", "political", "cultural", "personality", "fashion", "scheduling", "kit") {
			if !(next == "on" && in(next2, "the")) {
				return "", false
			}
		}
	case "onslaught":
		if in(next, "of") && in(next2, "criticism", "questions", "complaints", "rain", "snow", "media") {
			return "", false
		}
	case "stormed", "storming":
		if in(next, "off", "out") || in(prev, "brain") {
			return "", false
		}
	case "detonated", "exploded", "detonation":
		if in(next, "onto", "in") && in(next2, "popularity", "the", "scene") && next2 != "the" {
			return "", false
		}
	case "invasion", "invasions", "invaded", "invading":
		if in(prev, "pitch", "privacy", "home") || in(next, "of") && in(next2, "privacy", "locusts", "tourists", "the") && next2 != "the" {
			return "", false
		}
	}
	return label, true
}

// isDemonymAt reports whether token i is a demonym or country name ("Israeli offensive").
func (d *doc) isDemonymAt(i int) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	if e, end := d.s.demonyms.match(d, i); e != nil && end == i+1 {
		return true
	}
	e, end := d.s.places.match(d, i)
	return e != nil && end == i+1 && e.label == "country"
}

// attackNear reports whether a verb such as "hit" or "targeted" has an armed context:
// a weapon, a strike or an armed actor shortly before it, or a target after it.
func (d *doc) attackNear(a, b int) bool {
	toks := d.toks
	for j := a - 1; j >= 0 && j >= a-6 && toks[j].sent == toks[a].sent; j-- {
		if d.isWeaponAt(j) || in(d.lw(j), "strike", "strikes", "airstrike", "airstrikes", "shelling", "shells", "rockets", "missiles", "drones", "gunmen", "militants", "forces", "troops", "insurgents", "rebels", "fighters", "bomb", "bombs", "blast", "explosion", "attack", "attacks", "warplanes", "jets", "artillery") {
			return true
		}
		if e, _ := d.s.actors.match(d, j); e != nil {
			return true
		}
	}
	for j := b; j < len(toks) && j < b+5 && toks[j].sent == toks[a].sent; j++ {
		if d.s.lTarget.has(d, j) || in(d.lw(j), "civilians", "soldiers", "troops", "positions", "convoy", "base", "bases") {
			return true
		}
	}
	return false
}

// labourAfter reports a labour noun within three tokens from i ("a strike by port
// workers").
func (d *doc) labourAfter(i int) bool {
	for j := i; j < i+3 && j < len(d.toks) && d.toks[j].sent == d.toks[i-1].sent; j++ {
		if in(d.lw(j), "workers", "teachers", "doctors", "staff", "employees", "unions", "union", "nurses", "drivers", "dockers", "dockworkers", "miners", "pilots", "students", "truckers", "civil", "public", "transport", "rail", "port") {
			return true
		}
	}
	return false
}

// kindInSentence reports a death, injury or detention word in the sentence of token i.
func (d *doc) kindInSentence(i int) bool {
	toks := d.toks
	lo := i
	for lo > 0 && toks[lo-1].sent == toks[i].sent {
		lo--
	}
	for j := lo; j < len(toks) && toks[j].sent == toks[i].sent; j++ {
		if toks[j].known && d.isKindWord(j) {
			return true
		}
	}
	return false
}

// ambiguous trigger words: in a document about a walkout or a match they are usually
// not attacks unless their own sentence says otherwise.
var ambiguousTriggers = map[string]bool{
	"strike": true, "strikes": true, "struck": true, "striking": true, "attack": true, "attacks": true,
	"attacked": true, "attacking": true, "shot": true, "shooting": true, "hurt": true, "fire": true,
	"hit": true, "hits": true, "fighting": true, "fought": true, "blast": true, "offensive": true,
	"assault": true, "clash": true, "clashes": true, "clashed": true, "injured": true, "injuries": true,
	"wounded": true, "killed": true, "dead": true, "died": true,
}

var labourCues = map[string]bool{"union": true, "unions": true, "workers": true, "walkout": true, "walkouts": true, "wage": true, "wages": true, "pay": true, "picket": true, "pickets": true, "strikers": true, "industrial": true, "pension": true, "pensions": true, "employers": true, "dockworkers": true, "stoppage": true, "bargaining": true}

var sportsCues = map[string]bool{"match": true, "goal": true, "goals": true, "penalty": true, "striker": true, "midfielder": true, "defender": true, "goalkeeper": true, "league": true, "season": true, "coach": true, "fans": true, "stadium": true, "scored": true, "pitch": true, "championship": true, "tournament": true, "referee": true, "derby": true, "cup": true, "matches": true, "forward": true, "innings": true, "wicket": true}

var conflictCues = map[string]bool{"airstrike": true, "airstrikes": true, "shelling": true, "bombing": true, "gunmen": true, "militants": true, "troops": true, "soldiers": true, "rebels": true, "insurgents": true, "militia": true, "militias": true, "army": true, "military": true, "missile": true, "missiles": true, "rockets": true, "drone": true, "drones": true, "artillery": true, "jihadists": true, "fighters": true, "war": true, "gunfire": true, "bomb": true, "explosives": true, "police": true, "gunman": true, "insurgency": true, "ceasefire": true}

// offTopic drops ambiguous triggers in a document about a labour dispute or sport ("The
// last major strike, in 2019, lasted 11 days", "the home side's attack") when their own
// sentence has no armed context. It runs after all triggers are found.
func (d *doc) offTopic() {
	labour, sports, conflict := 0, 0, 0
	for i := range d.toks {
		if d.toks[i].kind != kWord || d.toks[i].cls&clsTopic == 0 || len(d.lw(i)) < 3 {
			continue
		}
		switch topicCue[d.lw(i)] {
		case cueLabour:
			labour++
		case cueSports:
			sports++
		case cueConflict:
			conflict++
		}
	}
	if labour+sports < 3 || conflict >= labour+sports {
		return
	}
	for i := range d.cands {
		c := &d.cands[i]
		if !isTrigger(c.label) || c.b-c.a != 1 || !ambiguousTriggers[d.lw(c.a)] {
			continue
		}
		if !d.attackNear(c.a, c.b) {
			c.drop = true
		}
	}
}

const (
	cueLabour = 1 + iota
	cueSports
	cueConflict
)

// topicCue merges the three cue lists, so offTopic needs one lookup per word.
var topicCue = func() map[string]uint8 {
	m := map[string]uint8{}
	for w := range conflictCues {
		m[w] = cueConflict
	}
	for w := range sportsCues {
		m[w] = cueSports
	}
	for w := range labourCues {
		m[w] = cueLabour
	}
	return m
}()

// labourSentence reports a labour-dispute word in the sentence of token i.
func (d *doc) labourSentence(i int) bool {
	toks := d.toks
	lo := i
	for lo > 0 && toks[lo-1].sent == toks[i].sent {
		lo--
	}
	for j := lo; j < len(toks) && toks[j].sent == toks[i].sent; j++ {
		if topicCue[d.lw(j)] == cueLabour {
			return true
		}
	}
	return false
}
