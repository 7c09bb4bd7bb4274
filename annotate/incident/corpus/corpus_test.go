package corpus

import (
	"testing"
)

func TestGenerate(t *testing.T) {
	a := Generate(Options{Incidents: 300, Seed: 7})
	b := Generate(Options{Incidents: 300, Seed: 7})
	if len(a.Reports) != len(b.Reports) || a.Reports[10] != b.Reports[10] {
		t.Fatal("the same options gave different corpora")
	}
	if len(a.Reports) < 600 || len(a.Reports) > 1200 {
		t.Errorf("%d reports for 300 incidents, want 2 to 4 each", len(a.Reports))
	}
	styles := map[int]int{}
	disputed, revised, sameDayElsewhere, sameTownLater := 0, 0, 0, 0
	byDate := map[string][]Incident{}
	for _, inc := range a.Incidents {
		if inc.Disputed {
			disputed++
		}
		if inc.Revised {
			revised++
		}
		byDate[inc.Date] = append(byDate[inc.Date], inc)
	}
	for _, incs := range byDate {
		for i := range incs {
			for j := i + 1; j < len(incs); j++ {
				if incs[i].Place != incs[j].Place {
					sameDayElsewhere++
				}
			}
		}
	}
	byPlace := map[string]int{}
	for _, inc := range a.Incidents {
		byPlace[inc.Place]++
	}
	for _, n := range byPlace {
		if n > 1 {
			sameTownLater++
		}
	}
	for _, r := range a.Reports {
		styles[r.Style]++
	}
	if len(styles) != Styles || disputed < 60 || revised < 20 || sameDayElsewhere < 30 || sameTownLater < 30 {
		t.Errorf("styles %v, disputed %d, revised %d, same day elsewhere %d, towns told twice %d", styles, disputed, revised, sameDayElsewhere, sameTownLater)
	}
	for _, r := range a.Reports[:12] {
		t.Logf("%d %s %s | %s | %s", r.Incident, r.Published, r.Outlet, r.Title, r.Text)
	}
}

func TestScore(t *testing.T) {
	c := Corpus{
		Reports:   []Report{{Incident: 0}, {Incident: 0}, {Incident: 1}, {Incident: 1}},
		Incidents: []Incident{{ID: 0, Disputed: true}, {ID: 1}},
	}
	all := func(int) bool { return true }
	// everything in one group: precision 0.5, recall 1
	s := c.Score(map[int]int{0: 0, 1: 0, 2: 0, 3: 0}, func(int) bool { return true }, all)
	if s.Precision != 0.5 || s.Recall != 1 || s.Disputed != 1 || s.DisputedFlagged != 1 {
		t.Errorf("one group: %+v", s)
	}
	// perfect
	s = c.Score(map[int]int{0: 0, 1: 0, 2: 1, 3: 1}, func(g int) bool { return g == 5 }, all)
	if s.Precision != 1 || s.Recall != 1 || s.F1 != 1 || s.DisputedFlagged != 0 {
		t.Errorf("perfect: %+v", s)
	}
	// all alone: precision 1, recall 0.5
	s = c.Score(map[int]int{}, nil, all)
	if s.Precision != 1 || s.Recall != 0.5 || s.Disputed != 0 {
		t.Errorf("alone: %+v", s)
	}
}
