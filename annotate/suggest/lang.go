package suggest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Languages a sentence may be detected in. English is the zero value: a sentence with no
// clear evidence of another language is read by the English rules, as before.
const (
	langEN uint8 = iota
	langES
	langFR
	langDE
	langIT
	langPT
	langRU
	langUK
	langAR
	langHI
	nLangs
)

var langNames = [nLangs]string{"en", "es", "fr", "de", "it", "pt", "ru", "uk", "ar", "hi"}

// stopWords are frequent short words of news prose, by language, chosen to be rare in the
// other languages of the set (shared words such as "de", "a", "la", "in" are left out or
// given to the language where they are commonest).
var stopWords = map[string][nLangs]int8{}

func init() {
	// The table is built once from word lists; it is read-only afterwards.
	lists := [nLangs][]string{
		langEN: {"the", "of", "and", "to", "was", "were", "is", "said", "by", "with", "from", "that", "have", "has", "been", "who", "which", "their", "after", "people", "at", "on", "killed", "when", "they", "it", "as", "for", "an", "are", "wounded"},
		langES: {"el", "los", "las", "del", "y", "en", "que", "por", "con", "una", "fueron", "según", "dijo", "murieron", "personas", "tras", "resultaron", "heridos", "su", "sus", "se", "informó", "es", "lo", "como", "más", "ataque", "muertos"},
		langFR: {"le", "les", "des", "du", "et", "dans", "ont", "été", "est", "selon", "au", "aux", "sur", "sont", "pour", "qui", "une", "personnes", "l", "par", "lors", "leur", "indiqué", "déclaré", "morts", "blessés", "ne", "pas"},
		langDE: {"dabei", "ums", "kamen", "am", "zum", "zur", "vom", "beim", "wegen", "während", "durch", "unter", "der", "das", "dem", "den", "als", "aus", "auch", "noch", "gegen", "seit", "wird", "mehr", "weitere", "des", "und", "bei", "mit", "von", "wurden", "wurde", "ist", "sind", "nach", "ein", "eine", "einem", "einer", "im", "zu", "auf", "sich", "menschen", "sagte", "teilte", "laut", "angaben", "getötet", "verletzt", "nicht"},
		langIT: {"il", "lo", "gli", "di", "della", "dei", "delle", "nel", "nella", "sono", "stati", "è", "secondo", "ha", "hanno", "da", "dall", "dell", "persone", "morti", "feriti", "uccise", "uccisi", "anche", "che", "alla", "degli", "rimasti", "rimaste"},
		langPT: {"os", "dos", "das", "em", "na", "uma", "foram", "segundo", "disse", "pelo", "pela", "pelos", "ficaram", "ao", "não", "pessoas", "mortos", "feridos", "morreram", "informou", "nos", "nas", "à", "é", "que", "com", "subiu", "também", "após", "pelas", "às", "então", "mataram"},
	}
	for l, words := range lists {
		for _, w := range words {
			v := stopWords[w]
			v[l] = 1
			stopWords[w] = v
		}
	}
}

// markLetters are letters of one Latin-script language of the set only.
var markLetters = [nLangs]string{langDE: "äöüß", langPT: "ãõ", langES: "ñ"}

// sentenceLangs detects the language of every sentence of the text: by script first
// (Arabic, Devanagari, Cyrillic; Ukrainian told from Russian by its letters), then, for
// Latin text, by stop-word profiles. A Latin sentence is read as another language only
// when that language's stop words clearly outnumber the English ones.
func (d *doc) sentenceLangs() []uint8 {
	toks := d.toks
	if len(toks) == 0 {
		return nil
	}
	out := make([]uint8, toks[len(toks)-1].sent+1)
	for lo := 0; lo < len(toks); {
		hi := lo
		for hi < len(toks) && toks[hi].sent == toks[lo].sent {
			hi++
		}
		out[toks[lo].sent] = d.detectLang(lo, hi)
		lo = hi
	}
	return out
}

// detectLang is the language of tokens [lo, hi).
func (d *doc) detectLang(lo, hi int) uint8 {
	var arabic, deva, cyr, latin, ukr, rus int
	var stops [nLangs]int
	var marked [nLangs]bool
	var seen [32]string // the stop words counted so far: each counts once
	nSeen := 0
	for i := lo; i < hi; i++ {
		t := &d.toks[i]
		if t.kind != kWord {
			continue
		}
		w := d.tl(t)
		if !isASCII(w) {
			// letters only one language of the set uses count once a sentence, like
			// a stop word: "tötete", "ums Leben" is German, "mortos subiu" Portuguese
			for l, letters := range markLetters {
				if letters != "" && !marked[l] && strings.ContainsAny(w, letters) {
					marked[l] = true
					stops[l]++
				}
			}
		}
		if w[0] < utf8.RuneSelf {
			latin++
		} else {
			// the first letter says the script; Ukrainian and Russian letters anywhere
			r, _ := utf8.DecodeRuneInString(w)
			switch {
			case unicode.Is(unicode.Arabic, r):
				arabic++
			case unicode.Is(unicode.Devanagari, r):
				deva++
			case unicode.Is(unicode.Cyrillic, r):
				cyr++
				switch w {
				case "та", "що", "від", "було", "ще", "понад", "щонайменше", "внаслідок", "унаслідок", "й", "за", "через":
					ukr++
				case "что", "от", "было", "ещё", "и", "при", "не", "по", "более", "результате", "около":
					rus++
				}
				for _, r := range w {
					switch r {
					case 'і', 'ї', 'є', 'ґ':
						ukr++
					case 'ы', 'э', 'ъ', 'ё':
						rus++
					}
				}
				// verbal nouns: Ukrainian "поранення", Russian "ранение", "ранения"
				switch {
				case strings.HasSuffix(w, "ння"):
					ukr++
				case strings.HasSuffix(w, "ние"), strings.HasSuffix(w, "ния"):
					rus++
				}
			case unicode.Is(unicode.Latin, r):
				latin++
			}
		}
		if t.cls&clsStopWord == 0 || nSeen == len(seen) || in(w, seen[:nSeen]...) {
			// not a stop word (one bit, no lookup), or counted already: "state" twice is
			// no more Italian than once
			continue
		}
		seen[nSeen] = w
		nSeen++
		v := stopWords[w]
		for l := range v {
			stops[l] += int(v[l])
		}
	}
	switch {
	case arabic > latin && arabic >= cyr && arabic >= deva:
		return langAR
	case deva > latin && deva >= cyr:
		return langHI
	case cyr > latin:
		if ukr > rus {
			return langUK
		}
		return langRU
	}
	best, bestN := langEN, stops[langEN]
	for l := langES; l <= langPT; l++ {
		if stops[l] > bestN {
			best, bestN = l, stops[l]
		}
	}
	if best != langEN && (bestN < 2 || bestN <= stops[langEN]) {
		return langEN // too little evidence against English
	}
	return best
}
