package incident

import (
	"strings"
	"unicode"
)

// DefaultContainment is a small map from a place to the region or country it lies in,
// normalised as normPlace does. It covers the places of Evident's sample articles and a
// few neighbours; a project passes a larger map through Options.Containment.
func DefaultContainment() map[string]string {
	return map[string]string{
		"um kadada": "north darfur", "el fasher": "north darfur", "al-fashir": "north darfur",
		"zamzam": "north darfur", "abu shouk": "north darfur", "kutum": "north darfur",
		"nyala": "south darfur", "geneina": "west darfur", "el geneina": "west darfur",
		"zalingei":     "central darfur",
		"north darfur": "darfur", "south darfur": "darfur", "west darfur": "darfur",
		"central darfur": "darfur", "east darfur": "darfur",
		"darfur": "sudan", "kordofan": "sudan", "khartoum": "sudan", "omdurman": "khartoum",
		"port sudan": "sudan", "el obeid": "kordofan",
		"kharkiv": "ukraine", "odesa": "ukraine", "kyiv": "ukraine", "slobidskyi district": "kharkiv",
		"mogadishu": "somalia", "zamfara": "nigeria", "balochistan": "pakistan",
		"quetta": "balochistan", "shan": "myanmar", "shan state": "myanmar",
		"sofara": "mopti", "mopti": "mali", "southern lebanon": "lebanon",
	}
}

// genericTail are words after a place name that do not change which place it is
// ("North Darfur state" is North Darfur).
var genericTail = map[string]bool{
	"state": true, "province": true, "region": true, "governorate": true,
	"county": true, "oblast": true,
}

// normPlace lower-cases a place name, drops punctuation, a leading article and a trailing
// generic word, and collapses space: "the North Darfur State" -> "north darfur".
func normPlace(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'')
	})
	for len(f) > 1 && (f[0] == "the" || f[0] == "a" || f[0] == "an") {
		f = f[1:]
	}
	if len(f) > 1 && genericTail[f[len(f)-1]] {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
}

// containsTokens reports whether the words of inner appear in a row in outer
// ("um kadada" in "um kadada market"); both are normalised.
func containsTokens(outer, inner string) bool {
	if inner == "" || len(inner) >= len(outer) {
		return false
	}
	for off := 0; off+len(inner) <= len(outer); {
		i := strings.Index(outer[off:], inner)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(inner)
		if (i == 0 || outer[i-1] == ' ') && (end == len(outer) || outer[end] == ' ') {
			return true
		}
		off = i + 1
	}
	return false
}

// places answers questions about a containment map.
type places struct {
	parent map[string]string
	isRoot map[string]bool // a parent that has no parent itself: a country
	// generic are name-word skeletons shared by many different place names ("Deir",
	// "Tel", "North"): a place named by them alone could be any of those places.
	// Propose fills it from the events it is given.
	generic map[string]bool
}

// allGeneric reports whether every word of a skeleton is generic.
func (p *places) allGeneric(skel string) bool {
	if len(p.generic) == 0 {
		return false
	}
	for _, w := range strings.Fields(skel) {
		if !p.generic[w] {
			return false
		}
	}
	return true
}

// learnGeneric marks the name words that begin or end four or more different place
// names among the given ones.
func (p *places) learnGeneric(names []placeName) {
	seen := map[string]map[string]bool{}
	for _, n := range names {
		for _, w := range strings.Fields(n.skel) {
			if seen[w] == nil {
				seen[w] = map[string]bool{}
			}
			if len(seen[w]) < 4 {
				seen[w][n.skel] = true
			}
		}
	}
	p.generic = map[string]bool{}
	for w, names := range seen {
		if len(names) >= 4 {
			p.generic[w] = true
		}
	}
}

func newPlaces(m map[string]string) *places {
	p := &places{parent: m, isRoot: map[string]bool{}}
	for _, v := range m {
		if _, ok := m[v]; !ok {
			p.isRoot[v] = true
		}
	}
	return p
}

// depth is the number of steps from a place up to its root (0 for a country or an
// unknown place).
func (p *places) depth(n string) int {
	d := 0
	for seen := 0; seen < 16; seen++ { // bounded: a map with a cycle must not hang us
		up, ok := p.parent[n]
		if !ok {
			break
		}
		n = up
		d++
	}
	return d
}

// within reports whether inner lies in outer by the map ("um kadada" in "sudan").
func (p *places) within(inner, outer string) bool {
	for seen := 0; seen < 16; seen++ {
		up, ok := p.parent[inner]
		if !ok {
			return false
		}
		if up == outer {
			return true
		}
		inner = up
	}
	return false
}

// broad reports whether a place is too large to tell incidents apart: a country.
func (p *places) broad(n string) bool { return p.isRoot[n] }

// placeMatch is how two places relate. The reason is written only when asked for:
// most compared pairs are never shown.
type placeMatch struct {
	weight       float64
	country      bool   // the match is only as good as sharing a country
	nested       bool   // inner lies in outer; else they are the same place
	variant      bool   // spelt differently: a transliteration or a typing variant
	elsewhere    bool   // named outside the event (headline, dateline, another sentence)
	inner, outer string // raw texts (for the same place: the shorter first)
}

func (m placeMatch) reason() string {
	where := ""
	if m.elsewhere {
		where = " (named elsewhere in the report)"
	}
	switch {
	case m.country && m.nested:
		return "same country: " + tidy(m.inner) + " in " + tidy(m.outer) + where
	case m.country:
		return "same country: " + tidy(m.inner) + where
	case m.nested:
		return "nested places: " + tidy(m.inner) + " in " + tidy(m.outer) + where
	case m.variant:
		return "same place, spelt differently: " + tidy(m.inner) + " ~ " + tidy(m.outer) + where
	}
	return "same place: " + tidy(m.inner) + where
}

// placeName is a place as written, normalised, as transliterations agree on it
// (skeleton) and as one run of letters without particles (loose).
type placeName struct{ raw, norm, skel, loose string }

func newPlaceName(s string) placeName {
	n := normPlace(s)
	return placeName{raw: s, norm: n, skel: skeletonOf(n), loose: looseOf(n)}
}

// relate compares one place of each event.
func (p *places) relate(pa, pb placeName) placeMatch {
	a, b, na, nb := pa.raw, pb.raw, pa.norm, pb.norm
	if na == "" || nb == "" {
		return placeMatch{}
	}
	// "Deir" alone, of "Deir al-Munawar" and "Deir Hasra": it could be any of them
	innerA, innerB := !p.allGeneric(pa.skel), !p.allGeneric(pb.skel)
	switch {
	case na == nb:
		if len(b) < len(a) { // "North Darfur" rather than "North Darfur state"
			a, b = b, a
		}
		if p.broad(na) || !innerA {
			return placeMatch{weight: wPlace * 0.4, country: true, inner: a, outer: b}
		}
		return placeMatch{weight: wPlace, inner: a, outer: b}
	case p.within(na, nb) || innerA && containsTokens(nb, na):
		return p.nestedIn(a, b, nb)
	case p.within(nb, na) || innerB && containsTokens(na, nb):
		return p.nestedIn(b, a, na)
	}
	if pa.skel == "" || pb.skel == "" {
		return placeMatch{}
	}
	// transliteration and case: "Dayr el-Munawwar" is "Deir al-Munawar"
	sim := similarity(pa.loose, pb.loose)
	switch {
	case pa.skel == pb.skel && sim >= 0.6:
		return placeMatch{weight: wPlace * 0.95, variant: true, inner: a, outer: b}
	case innerA && containsTokens(pb.skel, pa.skel) && len(pa.skel) >= 3:
		return p.nestedIn(a, b, nb) // "Dayr Hasra bus station" holds "Deir Hasra"
	case innerB && containsTokens(pa.skel, pb.skel) && len(pb.skel) >= 3:
		return p.nestedIn(b, a, na)
	case sim >= 0.85 && len(pa.loose) >= 5:
		return placeMatch{weight: wPlace * sim * 0.95, variant: true, inner: a, outer: b}
	}
	return placeMatch{}
}

// nestedIn scores a place inner that lies in outer (normalised as nOuter).
func (p *places) nestedIn(inner, outer, nOuter string) placeMatch {
	if p.broad(nOuter) {
		return placeMatch{weight: wPlace * 0.4, country: true, nested: true, inner: inner, outer: outer}
	}
	return placeMatch{weight: wPlace * 0.85, nested: true, inner: inner, outer: outer}
}

// tidy trims a span text for a reason: "North Darfur state" stays as written, but
// all-capital datelines ("PORT SUDAN") are shown in title case.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if strings.ToUpper(s) == s && strings.ToLower(s) != s {
		w := strings.Fields(strings.ToLower(s))
		for i, x := range w {
			r := []rune(x)
			r[0] = unicode.ToUpper(r[0])
			w[i] = string(r)
		}
		s = strings.Join(w, " ")
	}
	return s
}
