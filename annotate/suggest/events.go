package suggest

import (
	"evident/annotate"
)

// roleOf maps an argument span's label to its event role.
var roleOf = map[string]string{
	"ACTOR": "attacker", "TARGET": "target", "VICTIM": "victim", "LOCATION": "place",
	"TIME": "time", "WEAPON": "instrument", "CASUALTY": "casualties", "SOURCE": "source",
}

// shared roles go to every trigger of the sentence that allows them (an attacker of
// "Gunmen raided the village, killing 12" attacked and killed); casualty figures go to
// the nearest trigger of their kind.
var sharedRole = map[string]bool{"place": true, "time": true, "source": true, "attacker": true, "instrument": true, "target": true, "victim": true}

func allows(typ, role string) bool {
	return role != "target" || typ == "ATTACK"
}

// buildEvents makes one event per trigger with the arguments of its sentence. order
// lists the kept candidates in text order and pos maps them to span indices.
func buildEvents(d *doc, order []int, pos map[int]int) []annotate.DraftEvent {
	type item struct {
		ci, sent int
	}
	bySent := map[int][]item{}
	var trigs []item
	for _, ci := range order {
		c := &d.cands[ci]
		it := item{ci, d.toks[c.a].sent}
		if isTrigger(c.label) {
			trigs = append(trigs, it)
		} else {
			bySent[it.sent] = append(bySent[it.sent], it)
		}
	}
	if len(trigs) == 0 {
		return nil
	}
	events := make([]annotate.DraftEvent, len(trigs))
	sentTrigs := map[int][]int{} // sentence -> indices into trigs
	for k, t := range trigs {
		events[k] = annotate.DraftEvent{Type: d.cands[t.ci].label, Trigger: pos[t.ci], Origin: "rule:event.sentence"}
		sentTrigs[t.sent] = append(sentTrigs[t.sent], k)
	}
	dist := func(a, b *cand) int {
		if a.b <= b.a {
			return b.a - a.b
		}
		if b.b <= a.a {
			return a.a - b.b
		}
		return 0
	}
	for sent, ks := range sentTrigs {
		for _, arg := range bySent[sent] {
			c := &d.cands[arg.ci]
			role := roleOf[c.label]
			if role == "" {
				continue
			}
			if sharedRole[role] {
				for _, k := range ks {
					if allows(events[k].Type, role) {
						events[k].Args = append(events[k].Args, annotate.DraftArg{Role: role, Span: pos[arg.ci]})
					}
				}
				continue
			}
			best, bestD := -1, 1<<30
			for pass := 0; pass < 2 && best < 0; pass++ {
				for _, k := range ks {
					typ := events[k].Type
					if !allows(typ, role) || pass == 0 && !preferred(typ, role, c) {
						continue
					}
					if dd := dist(c, &d.cands[trigs[k].ci]); dd < bestD {
						best, bestD = k, dd
					}
				}
			}
			if best >= 0 {
				events[best].Args = append(events[best].Args, annotate.DraftArg{Role: role, Span: pos[arg.ci]})
			}
		}
	}
	return events
}

// preferred says which event type an argument goes to first: attackers, targets and
// weapons to attacks, casualty figures to the death or injury of their kind, victims to
// deaths and injuries.
func preferred(typ, role string, c *cand) bool {
	switch role {
	case "attacker", "target", "instrument":
		return typ == "ATTACK"
	case "victim":
		return typ == "DEATH" || typ == "INJURY"
	case "casualties":
		if c.cas == nil {
			return true
		}
		switch c.cas.Kind {
		case "killed":
			return typ == "DEATH"
		case "injured":
			return typ == "INJURY"
		}
		return typ == "ATTACK"
	}
	return true
}
