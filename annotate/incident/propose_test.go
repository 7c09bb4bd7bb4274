package incident_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
)

func ev(doc, id int64, typ, date string, places, actors []string) incident.EventInfo {
	return incident.EventInfo{Ref: annotate.EventRef{DocID: doc, EventID: id}, Type: typ, Date: date, Places: places, Actors: actors}
}

func TestCompare(t *testing.T) {
	base := ev(1, 1, "ATTACK", "2026-03-12", []string{"Um Kadada"}, []string{"RSF"})
	for _, tc := range []struct {
		name   string
		b      incident.EventInfo
		ok     bool
		reason string // one reason that must be given
		min    float64
	}{
		{"same document", ev(1, 2, "ATTACK", "2026-03-12", []string{"Um Kadada"}, nil), false, "", 0},
		{"too far apart", ev(2, 2, "ATTACK", "2026-03-16", []string{"Um Kadada"}, nil), false, "", 0},
		{"nested place", ev(2, 2, "ATTACK", "2026-03-12", []string{"the Um Kadada market"}, nil), true, "nested places: Um Kadada in the Um Kadada market", 0.6},
		{"named days differ", ev(2, 2, "ATTACK", "2026-03-14", []string{"Um Kadada"}, nil), false, "", 0},
		{"transliteration", ev(2, 2, "ATTACK", "2026-03-12", []string{"Oum Kaddada"}, nil), true, "same place, spelt differently: Um Kadada ~ Oum Kaddada", 0.6},
		{"place in region by map", ev(2, 2, "ATTACK", "2026-03-12", []string{"North Darfur State"}, nil), true, "nested places: Um Kadada in North Darfur State", 0.65},
		{"country only", ev(2, 2, "ATTACK", "2026-03-12", []string{"Sudan"}, nil), true, "same country: Um Kadada in Sudan", 0},
		// an actor in common without a place does not link: the same day elsewhere
		{"acronym", ev(2, 2, "ATTACK", "2026-03-12", nil, []string{"Rapid Support Forces"}), true, "actors alike: RSF ~ Rapid Support Forces", 0},
		{"related type", ev(2, 2, "DEATH", "2026-03-12", []string{"UM KADADA"}, nil), true, "same place: Um Kadada", 0.7},
		{"unrelated place and actor", ev(2, 2, "ATTACK", "2026-03-12", []string{"Kharkiv"}, []string{"Russian forces"}), true, "same type ATTACK", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, ok := incident.Compare(base, tc.b, incident.Options{})
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tc.ok, l)
			}
			if !ok {
				return
			}
			if tc.reason != "" && !slices.Contains(l.Reasons, tc.reason) {
				t.Errorf("reasons %q lack %q", l.Reasons, tc.reason)
			}
			if l.Score < tc.min || l.Score > 1 {
				t.Errorf("score %v, want in [%v, 1]", l.Score, tc.min)
			}
			if tc.min == 0 && l.Score >= incident.DefaultMinScore {
				t.Errorf("score %v links events that share only type and date", l.Score)
			}
		})
	}
	if _, ok := incident.Compare(base, ev(2, 2, "DEATH", "2026-03-12", []string{"Um Kadada"}, nil), incident.Options{SameType: true}); ok {
		t.Error("SameType linked an ATTACK to a DEATH")
	}
	// an acronym whose letters are not word starts is no match
	if l, _ := incident.Compare(ev(1, 1, "ATTACK", "2026-03-12", nil, []string{"RSF"}), ev(2, 2, "ATTACK", "2026-03-12", nil, []string{"Rafsanjani"}), incident.Options{}); len(l.Reasons) != 2 {
		t.Errorf("RSF ~ Rafsanjani: %q", l.Reasons)
	}
}

func TestProposeKeepsStrangersApart(t *testing.T) {
	evs := []incident.EventInfo{
		ev(1, 1, "ATTACK", "2026-03-12", []string{"Um Kadada"}, nil),
		ev(2, 2, "ATTACK", "2026-03-12", []string{"Um Kadada market"}, nil),
		ev(3, 3, "ATTACK", "2026-03-12", []string{"Kharkiv"}, nil),
		ev(4, 4, "ATTACK", "2026-03-12", []string{"Kharkiv"}, []string{"Russian drones"}),
		ev(5, 5, "ATTACK", "2026-03-12", nil, nil), // nothing but type and date
	}
	ps := incident.Propose(evs, incident.Options{})
	if len(ps) != 2 {
		t.Fatalf("proposals %+v, want Um Kadada and Kharkiv", ps)
	}
	for _, p := range ps {
		ids := []int64{p.Events[0].EventID, p.Events[1].EventID}
		if len(p.Events) != 2 || !(slices.Equal(ids, []int64{1, 2}) || slices.Equal(ids, []int64{3, 4})) {
			t.Errorf("proposal %+v", p)
		}
	}
	if ps[0].Events[0].EventID != 3 { // same place beats nested place
		t.Errorf("order %+v", ps)
	}
}

func TestProposeProgressAndCancel(t *testing.T) {
	evs := synthEvents(500)
	var last, calls int
	incident.Propose(evs, incident.Options{Progress: func(done, total int) {
		calls++
		if total != len(evs) || done < last || done > total {
			t.Fatalf("progress %d/%d after %d", done, total, last)
		}
		last = done
	}})
	if calls < 2 || last != len(evs) {
		t.Errorf("progress called %d times, last %d of %d", calls, last, len(evs))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := incident.ProposeContext(ctx, evs, incident.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
}

func TestSplitProposal(t *testing.T) {
	evs := []incident.EventInfo{
		ev(1, 1, "ATTACK", "2026-03-12", []string{"Tessaly"}, nil),
		ev(2, 2, "ATTACK", "2026-03-12", []string{"Tessaly"}, nil),
		ev(3, 3, "ATTACK", "2026-03-12", []string{"Tessaly bus station"}, nil),
		ev(4, 4, "DEATH", "2026-03-12", []string{"Tessaly"}, nil),
	}
	ps := incident.Propose(evs, incident.Options{})
	if len(ps) != 1 || len(ps[0].Events) != 4 {
		t.Fatalf("proposals %+v, want one of four events", ps)
	}
	infos := map[int64]incident.EventInfo{}
	for _, e := range evs {
		infos[e.Ref.EventID] = e
	}
	parts := incident.SplitProposal(ps[0], []int64{3, 4}, infos, incident.Options{})
	if len(parts) != 2 || len(parts[0].Events) != 2 || parts[0].Events[0].DocID != 3 || parts[1].Events[0].DocID != 1 {
		t.Fatalf("parts %+v, want documents 3 and 4, then 1 and 2", parts)
	}
	for _, p := range parts {
		if p.Score <= 0 || len(p.Reasons) == 0 {
			t.Errorf("part %+v without its own score and reasons", p)
		}
	}
	if !slices.Contains(parts[0].Reasons, "nested places: Tessaly in Tessaly bus station") {
		t.Errorf("reasons of the split-off part: %q", parts[0].Reasons)
	}
	// splitting off one document leaves one proposal
	if parts := incident.SplitProposal(ps[0], []int64{1}, infos, incident.Options{}); len(parts) != 1 || len(parts[0].Events) != 3 {
		t.Errorf("split off one document: %+v", parts)
	}
}

func TestDescribeSpellings(t *testing.T) {
	// two spellings of the town count as one place named by both reports, above the
	// province both name too
	evs := []incident.EventInfo{
		ev(1, 1, "ATTACK", "2026-03-19", []string{"Voufaibit", "Bruzo province"}, nil),
		ev(2, 2, "ATTACK", "2026-03-19", []string{"Voufaibbit", "Bruzo province"}, nil),
	}
	if inc := incident.Describe(evs, nil); inc.Place != "Voufaibit" {
		t.Errorf("place %q, want the town Voufaibit", inc.Place)
	}
}
