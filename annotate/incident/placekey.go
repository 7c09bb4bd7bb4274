package incident

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameParticles are the small words of transliterated names: "Deir al-Munawar" and
// "Dayr el-Munawwar" are one place, so particles count for nothing when names are
// compared, but the name is kept whole when shown.
var nameParticles = map[string]bool{
	"al": true, "el": true, "ad": true, "ed": true, "ash": true, "esh": true, "as": true,
	"es": true, "ar": true, "er": true, "an": true, "at": true, "az": true, "adh": true,
	"bin": true, "ibn": true, "ben": true, "abu": true, "bou": true, "umm": true, "um": true, "oum": true,
	"the": true, "of": true, "de": true, "la": true, "le": true, "du": true, "del": true,
}

// placeWords are words that say what kind of place a name is; they do not tell two
// places apart ("the village of X" is X).
var placeWords = map[string]bool{
	"village": true, "town": true, "city": true, "district": true, "province": true,
	"region": true, "state": true, "governorate": true, "county": true, "oblast": true,
	"area": true, "neighbourhood": true, "neighborhood": true, "camp": true,
}

// skeleton writes a name word the way transliterations agree on: lower case, vowels
// (and y, w, h after a consonant) dropped after the first letter, doubled letters
// single. "Munawar", "Munawwar" and "Mounawar" all give "mnr"; "Deir" and "Dayr" "dr".
func skeleton(w string) string {
	var b strings.Builder
	var prev rune // the letter before, as written: only adjacent doubles are one
	for i, r := range w {
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue // "Camp 6" keeps its number
		}
		r = foldLatin(r)
		p := prev
		prev = r
		switch {
		case r == p:
			// "Munawwar": a doubled letter
		case i > 0 && strings.ContainsRune("aeiouyw", r):
		case i > 0 && r == 'h' && strings.ContainsRune("kgsdtz", p):
			// "kh", "sh", "dh" are written k, s, d by some
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldLatin maps accented Latin letters to their base letter ("é" -> "e").
func foldLatin(r rune) rune {
	switch {
	case strings.ContainsRune("àáâãäåā", r):
		return 'a'
	case strings.ContainsRune("èéêëē", r):
		return 'e'
	case strings.ContainsRune("ìíîïī", r):
		return 'i'
	case strings.ContainsRune("òóôõöō", r):
		return 'o'
	case strings.ContainsRune("ùúûüū", r):
		return 'u'
	case r == 'ç':
		return 'c'
	case r == 'ñ':
		return 'n'
	}
	return r
}

// nameWords splits a normalised place into the words that tell it apart: particles and
// place words dropped, hyphens split ("deir al-munawar" -> "deir", "munawar").
func nameWords(norm string) []string {
	f := strings.FieldsFunc(norm, func(r rune) bool { return r == ' ' || r == '-' || r == '\'' })
	out := f[:0:0]
	for _, w := range f {
		if !nameParticles[w] && !placeWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// skeletonOf is the skeletons of a place's name words, in order, space separated.
func skeletonOf(norm string) string {
	ws := nameWords(norm)
	for i, w := range ws {
		ws[i] = skeleton(w)
	}
	return strings.Join(ws, " ")
}

// looseOf is a place's name words run together ("deirmunawar"), for edit distance.
func looseOf(norm string) string { return strings.Join(nameWords(norm), "") }

// similarity is 1 minus the Levenshtein distance over the longer length, in code
// points: 1 for equal strings, 0 for nothing in common.
func similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(rb)])/float64(max(len(ra), len(rb)))
}

// capitalNames returns the runs of capitalised words in s (with the particles tied to
// them by a hyphen or standing between capitals: "Deir al-Munawar", "Kafr Bin Zalim"),
// leaving out words that appear in lower case elsewhere in body: in a headline such as
// "Attack near Tessaly" that drops "Attack" when the body says "attack". It finds place
// names in any language written in Latin letters, and in headlines and datelines.
func capitalNames(s, body string) []string {
	lowerBody := " " + strings.Join(strings.FieldsFunc(body, func(r rune) bool { return !unicode.IsLetter(r) }), " ") + " "
	var out []string
	var cur []string
	flush := func() {
		for len(cur) > 0 && nameParticles[strings.ToLower(cur[len(cur)-1])] {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
		}
		cur = cur[:0]
	}
	start := true // at the start of s or of a sentence
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '(' || r == ')' || r == '"' || r == '“' || r == '”' || r == '—'
	}) {
		end := strings.HasSuffix(w, ".") || strings.HasSuffix(w, ":") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, "?")
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		first := start
		start = end
		r, _ := utf8.DecodeRuneInString(w)
		low := strings.ToLower(w)
		switch {
		case w == "":
			flush()
		case unicode.IsUpper(r) && utf8.RuneCountInString(w) >= 3 && !strings.Contains(lowerBody, " "+low+" ") && !commonCapitals[low] &&
			!(first && !midSentence(body, w)):
			// a sentence's first word is a name only if it is capitalised mid-sentence
			// elsewhere too ("Shells hit ..." is not; "Deir Vurit mourns" is, in "in Deir Vurit")
			cur = append(cur, w)
		case len(cur) > 0 && nameParticles[low]:
			cur = append(cur, w)
		case len(cur) > 0 && hyphenParticle(w):
			cur = append(cur, w) // "ash-Gekha" of "Deir ash-Gekha"
		default:
			flush()
		}
	}
	flush()
	return out
}

// commonCapitals are capitalised words of headlines and report openings that name no
// place.
var commonCapitals = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "after": true, "from": true,
	"toll": true, "dead": true, "killed": true, "attack": true, "strike": true, "least": true,
	"police": true, "army": true, "medics": true, "residents": true, "hospital": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true,
}

// midSentence reports whether w occurs in text after a word that does not end a
// sentence: capitalised there, it is a name.
func midSentence(text, w string) bool {
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return false
		}
		i += off
		before := strings.TrimRightFunc(text[:i], unicode.IsSpace)
		if len(before) < len(text[:i]) && before != "" {
			r, _ := utf8.DecodeLastRuneInString(before)
			if unicode.IsLetter(r) || r == ',' {
				return true
			}
		}
		off = i + len(w)
	}
	return false
}

// hyphenParticle reports a word such as "al-Munawar": a particle, a hyphen and a
// capitalised name.
func hyphenParticle(w string) bool {
	p, rest, ok := strings.Cut(w, "-")
	if !ok || !nameParticles[strings.ToLower(p)] {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r)
}
