package incident

import (
	"slices"
	"testing"
)

func TestSkeleton(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Munawar", "Munawwar"}, {"Munawar", "Mounawar"}, {"Deir", "Dayr"}, {"Tel", "Tell"},
		{"Khan", "Kan"}, {"Nunonou", "Nunonu"}, {"Kafr", "Kfar"},
	} {
		if skeleton(c.a) != skeleton(c.b) {
			t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q; want equal", c.a, skeleton(c.a), c.b, skeleton(c.b))
		}
	}
	// letters on both sides of a vowel are not a double: "Nunonou" keeps three n's
	if s := skeleton("Nunonou"); s != "nnn" {
		t.Errorf("skeleton(Nunonou) = %q", s)
	}
	if skeletonOf(normPlace("Deir al-Munawar")) != skeletonOf(normPlace("Dayr el-Munawwar")) {
		t.Error("Deir al-Munawar and Dayr el-Munawwar differ")
	}
	if skeletonOf(normPlace("Deir al-Munawar")) == skeletonOf(normPlace("Deir Hasra")) {
		t.Error("two Deirs are one")
	}
}

func TestDateline(t *testing.T) {
	for text, want := range map[string]string{
		"DEIR AL-MUNAWAR, Hasra (Wire) — Shells hit a tent.": "DEIR AL-MUNAWAR",
		"TESSALY (Agency) - A car bomb killed 21.":           "TESSALY",
		"Shells hit a tent in Tessaly — a witness said.":     "", // no capitals: no dateline
		"UN says — nothing":                                  "",
	} {
		if got := dateline(text); got != want {
			t.Errorf("dateline(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestCapitalNames(t *testing.T) {
	for _, c := range []struct {
		s, body string
		want    []string
	}{
		// the headline's first word is a name only when the body writes it mid-sentence
		{"Deir ash-Gekha mourns 52 dead", "Funerals were held in Deir ash-Gekha after the attack.", []string{"Deir ash-Gekha"}},
		{"Shells hit the funeral tent in Deir Vurit", "Shells hit the funeral tent in Deir Vurit.", []string{"Deir Vurit"}},
		{"Attack near Kafr Bin Zalim", "An attack near Kafr Bin Zalim killed four.", []string{"Kafr Bin Zalim"}},
		// Spanish: names found by their capitals
		{"Un coche bomba mató a 21 personas en Tessaly, según la policía.", "", []string{"Tessaly"}},
	} {
		if got := capitalNames(c.s, c.body); !slices.Equal(got, c.want) {
			t.Errorf("capitalNames(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	if s := similarity("kafrbinzalim", "kafrbinzalim"); s != 1 {
		t.Errorf("equal: %v", s)
	}
	if s := similarity("voufaibit", "voufaibbit"); s < 0.85 {
		t.Errorf("one letter doubled: %v", s)
	}
	if s := similarity("tessaly", "marovka"); s > 0.5 {
		t.Errorf("different towns: %v", s)
	}
	if s := similarity("", "x"); s != 0 {
		t.Errorf("empty: %v", s)
	}
}
