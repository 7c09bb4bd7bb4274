package suggest

import (
	"evident/annotate"
)

// roleFor maps an argument span's label to its event role. All roles but casualties are
// shared: they go to every trigger of the sentence that allows them (an attacker of
// "Gunmen raided the village, killing 12" attacked and killed); casualty figures go to
// the nearest trigger of their kind.
func roleFor(label string) string {
	switch label {
	case "ACTOR":
		return "attacker"
	case "TARGET":
		return "target"
	case "VICTIM":
		return "victim"
	case "LOCATION":
		return "place"
	case "TIME":
		return "time"
	case "WEAPON":
		return "instrument"
	case "CASUALTY":
		return "casualties"
	case "SOURCE":
		return "source"
	}
	return ""
}

// eventArg is an argument for the k-th event of a sentence.
type eventArg struct {
	k   int
	arg annotate.DraftArg
}

func allows(typ, role string) bool {
	return role != "target" || typ == "ATTACK"
}

// buildEvents makes one event per trigger with the arguments of its sentence. order
// lists the kept candidates in text order and pos maps candidate index to span index.
func buildEvents(d *doc, order []int, pos []int32) []annotate.DraftEvent {
	n := 0
	for _, ci := range order {
		if isTrigger(d.cands[ci].label) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	events := make([]annotate.DraftEvent, 0, n)
	dist := func(a, b *cand) int {
		if a.b <= b.a {
			return b.a - a.b
		}
		if b.b <= a.a {
			return a.a - b.b
		}
		return 0
	}
	var trigs, args []int // candidate indices of the current sentence
	var given []eventArg
	var counts []int
	flush := func() {
		if len(trigs) == 0 {
			args = args[:0]
			return
		}
		base := len(events)
		for _, t := range trigs {
			events = append(events, annotate.DraftEvent{Type: d.cands[t].label, Trigger: int(pos[t]), Origin: "rule:event.sentence"})
		}
		// the arguments go first to one list of (event, argument) in the order they are
		// found, then into one backing array for the sentence: one allocation, not one
		// per growing Args slice
		given = given[:0]
		for _, ai := range args {
			c := &d.cands[ai]
			role := roleFor(c.label)
			if role == "" {
				continue
			}
			if role != "casualties" { // the shared roles
				for k := range trigs {
					if allows(events[base+k].Type, role) {
						given = append(given, eventArg{k, annotate.DraftArg{Role: role, Span: int(pos[ai])}})
					}
				}
				continue
			}
			best, bestD := -1, 1<<30
			for pass := 0; pass < 2 && best < 0; pass++ {
				for k, t := range trigs {
					typ := events[base+k].Type
					if !allows(typ, role) || pass == 0 && !preferred(typ, role, c) {
						continue
					}
					if dd := dist(c, &d.cands[t]); dd < bestD {
						best, bestD = k, dd
					}
				}
			}
			if best >= 0 {
				given = append(given, eventArg{best, annotate.DraftArg{Role: role, Span: int(pos[ai])}})
			}
		}
		if len(given) > 0 {
			counts = append(counts[:0], make([]int, len(trigs)+1)...)
			for _, g := range given {
				counts[g.k+1]++
			}
			for k := 1; k <= len(trigs); k++ {
				counts[k] += counts[k-1]
			}
			all := make([]annotate.DraftArg, len(given))
			for k := range trigs {
				if n := counts[k+1] - counts[k]; n > 0 {
					events[base+k].Args = all[counts[k]:counts[k]:counts[k+1]]
				}
			}
			for _, g := range given {
				events[base+g.k].Args = append(events[base+g.k].Args, g.arg)
			}
		}
		trigs, args = trigs[:0], args[:0]
	}
	sent := int32(-1)
	for _, ci := range order {
		c := &d.cands[ci]
		if s := d.toks[c.a].sent; s != sent {
			flush()
			sent = s
		}
		if isTrigger(c.label) {
			trigs = append(trigs, ci)
		} else {
			args = append(args, ci)
		}
	}
	flush()
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
