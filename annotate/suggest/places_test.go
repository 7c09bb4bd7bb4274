package suggest_test

import (
	"slices"
	"testing"
)

// TestPlaceForms covers the ways a report names where a strike happened (issue 14).
func TestPlaceForms(t *testing.T) {
	s := mustNew(t)
	for _, c := range []struct{ text, want string }{
		{"Shells hit a funeral tent in Deir al-Munawar late on Tuesday, killing 13 mourners.", "Deir al-Munawar"},
		{"The army said its fire near Deir al-Munawar on Tuesday night killed seven gunmen.", "Deir al-Munawar"},
		{"A shell struck mourners in the village of Deir al-Munawar overnight, killing 17.", "Deir al-Munawar"},
		{"A car bomb at the bus station in Tessaly on Sunday killed 21 people.", "Tessaly"},
		{"An airstrike on a market in Kafr Bin Zalim killed nine people.", "Kafr Bin Zalim"},
		{"Gunmen attacked a checkpoint near Abu Tarik, killing four soldiers.", "Abu Tarik"},
		{"A drone hit a school in Tel ad-Duwayr, killing three pupils.", "Tel ad-Duwayr"},
		{"Rockets struck a hospital in Marovka in Sashal province, killing six.", "Sashal province"},
		{"Rockets struck a hospital in Marovka in Sashal province, killing six.", "Marovka"},
		{"Five people were killed when a bomb exploded in the town of Umm Qirsh.", "Umm Qirsh"},
	} {
		d := run(t, s, c.text, "2026-03-11")
		if got := spansOf(d, "LOCATION"); !slices.Contains(got, c.want) {
			t.Errorf("%q: LOCATION %q, want %q among them", c.text, got, c.want)
		}
	}
	// "hospital staff said": the hospital speaks, it is not a target
	d := run(t, s, "At least 30 travellers died on Sunday when the Tessaly bus station was hit by a car bomb, hospital staff said.", "2026-03-11")
	if got := spansOf(d, "TARGET"); slices.Contains(got, "hospital") || !slices.Contains(got, "Tessaly bus station") {
		t.Errorf("TARGET %q, want the bus station and not the hospital", got)
	}
}
