package suggest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/suggest"
)

func mustNew(tb testing.TB) *suggest.Suggester {
	tb.Helper()
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func run(tb testing.TB, s *suggest.Suggester, text, pub string) annotate.Draft {
	tb.Helper()
	d, err := s.Suggest(context.Background(), text, pub, nil)
	if err != nil {
		tb.Fatal(err)
	}
	checkDraft(tb, text, d)
	return d
}

// checkDraft asserts the invariants every draft keeps: spans inside the text with
// start < end, Text equal to the code point slice, status suggested, an origin, no
// duplicate (range, label), and events and claimants pointing at real spans.
func checkDraft(tb testing.TB, text string, d annotate.Draft) {
	tb.Helper()
	runes := []rune(text)
	seen := map[[2]int]map[string]bool{}
	for i, sp := range d.Spans {
		if sp.Start < 0 || sp.End > len(runes) || sp.Start >= sp.End {
			tb.Fatalf("span %d [%d,%d) out of text of %d code points", i, sp.Start, sp.End, len(runes))
		}
		if got := string(runes[sp.Start:sp.End]); got != sp.Text {
			tb.Fatalf("span %d text %q, text at offsets %q", i, sp.Text, got)
		}
		if sp.Status != annotate.StatusSuggested || sp.Origin == "" {
			tb.Fatalf("span %d status %q origin %q", i, sp.Status, sp.Origin)
		}
		k := [2]int{sp.Start, sp.End}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		if seen[k][sp.Label] {
			tb.Fatalf("duplicate span %d %s %q", i, sp.Label, sp.Text)
		}
		seen[k][sp.Label] = true
		if sp.Attrs != nil && !json.Valid(sp.Attrs) {
			tb.Fatalf("span %d attrs not JSON: %s", i, sp.Attrs)
		}
	}
	for _, e := range d.Events {
		if e.Trigger < 0 || e.Trigger >= len(d.Spans) || d.Spans[e.Trigger].Label != e.Type {
			tb.Fatalf("event %+v has a bad trigger", e)
		}
		for _, a := range e.Args {
			if a.Span < 0 || a.Span >= len(d.Spans) {
				tb.Fatalf("event %+v has a bad argument", e)
			}
		}
	}
	for c, src := range d.Claimants {
		if d.Spans[c].Label != "CASUALTY" || d.Spans[src].Label != "SOURCE" {
			tb.Fatalf("claimant %d -> %d links %s to %s", c, src, d.Spans[c].Label, d.Spans[src].Label)
		}
	}
}

// spansOf returns "LABEL:text" for the spans with the label.
func spansOf(d annotate.Draft, label string) []string {
	var out []string
	for _, sp := range d.Spans {
		if sp.Label == label {
			out = append(out, sp.Text)
		}
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTriggers(t *testing.T) {
	s := mustNew(t)
	cases := []struct {
		name, text, label, want string
		found                   bool
	}{
		{"Airstrike", "An airstrike hit the town overnight.", "ATTACK", "airstrike", true},
		{"AirStrikeHyphen", "Two air-strikes hit the town.", "ATTACK", "air-strikes", true},
		{"OpenedFire", "Gunmen opened fire on a bus near the border.", "ATTACK", "opened fire", true},
		{"Shelling", "Heavy shelling continued through the night.", "ATTACK", "shelling", true},
		{"Killed", "Three soldiers were killed in the ambush.", "DEATH", "killed", true},
		{"Ambush", "Three soldiers were killed in the ambush.", "ATTACK", "ambush", true},
		{"DeathToll", "The death toll rose to 45 on Sunday.", "DEATH", "death toll", true},
		{"Wounded", "At least nine people were wounded.", "INJURY", "wounded", true},
		{"ShotDead", "A police officer was shot dead at a checkpoint.", "DEATH", "shot dead", true},
		{"WasShot", "The driver was shot by a sniper.", "ATTACK", "shot", true},
		{"GeneralStrike", "Unions called a general strike over pensions.", "ATTACK", "strike", false},
		{"WentOnStrike", "Dock workers went on strike on Monday.", "ATTACK", "strike", false},
		{"WorkersStrike", "The workers' strike closed the port.", "ATTACK", "strike", false},
		{"StruckADeal", "The two parties struck a deal late on Friday.", "ATTACK", "struck", false},
		{"HeartAttack", "The senator died of a heart attack.", "ATTACK", "attack", false},
		{"PanicAttack", "She suffered a panic attack.", "ATTACK", "attack", false},
		{"KilledTheBill", "The Senate killed the bill on Tuesday.", "DEATH", "killed", false},
		{"ShotAtTitle", "The team has a shot at the title.", "ATTACK", "shot", false},
		{"OffensiveRemarks", "He apologised for offensive remarks.", "ATTACK", "offensive", false},
		{"GroundOffensive", "The army began a ground offensive in the north.", "ATTACK", "offensive", true},
		{"DeathPenalty", "The court upheld the death penalty.", "DEATH", "death", false},
		{"HurtEconomy", "Sanctions hurt the economy.", "INJURY", "hurt", false},
		{"PeopleHurt", "Four people were hurt in the blast.", "INJURY", "hurt", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := run(t, s, c.text, "2024-01-10")
			got := spansOf(d, c.label)
			if has(got, c.want) != c.found {
				t.Errorf("%q: %s spans %q; want %q found=%v", c.text, c.label, got, c.want, c.found)
			}
		})
	}
}

func casualties(t *testing.T, d annotate.Draft) map[string]annotate.Casualty {
	t.Helper()
	out := map[string]annotate.Casualty{}
	for _, sp := range d.Spans {
		if sp.Label != "CASUALTY" {
			continue
		}
		var c annotate.Casualty
		if err := json.Unmarshal(sp.Attrs, &c); err != nil {
			t.Fatalf("casualty %q attrs: %v", sp.Text, err)
		}
		out[sp.Text] = c
	}
	return out
}

func ip(v int) *int { return &v }

func eqp(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func TestCasualties(t *testing.T) {
	s := mustNew(t)
	cases := []struct {
		name, text, span string
		kind             string
		low, high        *int
		qual, victim     string
		scope            string
	}{
		{"AtLeast", "An airstrike killed at least 12 civilians in the village.", "at least 12 civilians", "killed", ip(12), nil, "at_least", "civilians", "incident"},
		{"Nearly", "The war has killed nearly 25,500 people since October.", "nearly 25,500 people", "killed", ip(25500), ip(25500), "approx", "people", "cumulative"},
		{"Over", "Officials said over 1,200 people were killed in the raid.", "over 1,200 people", "killed", ip(1201), nil, "more_than", "people", "incident"},
		{"TwoDozen", "Two dozen soldiers were wounded in the assault.", "Two dozen soldiers", "injured", ip(24), ip(24), "approx", "soldiers", "incident"},
		{"AHundred", "The bombing left a hundred people dead.", "a hundred people", "killed", ip(100), ip(100), "exact", "people", "incident"},
		{"Between", "Between 20 and 30 fighters died in the clashes.", "Between 20 and 30 fighters", "killed", ip(20), ip(30), "range", "combatants", "incident"},
		{"UpTo", "Up to 40 villagers are missing after the raid.", "Up to 40 villagers", "missing", nil, ip(40), "up_to", "civilians", "incident"},
		{"Dozens", "Dozens of people were injured when the shell landed.", "Dozens of people", "injured", ip(12), ip(12), "vague", "people", "incident"},
		{"Hundreds", "Hundreds of families were displaced by the fighting.", "Hundreds of families", "displaced", ip(100), ip(100), "vague", "civilians", "incident"},
		{"BareKilling", "The blast tore through the market, killing 12 and wounding 30.", "12", "killed", ip(12), ip(12), "exact", "", "incident"},
		{"BareWounding", "The blast tore through the market, killing 12 and wounding 30.", "30", "injured", ip(30), ip(30), "exact", "", "incident"},
		{"TollRose", "The death toll has risen to 45, the ministry said.", "45", "killed", ip(45), ip(45), "exact", "", "cumulative"},
		{"Words", "Twenty-five Palestinian children were killed.", "Twenty-five Palestinian children", "killed", ip(25), ip(25), "exact", "children", "incident"},
		{"Detained", "Police arrested 14 protesters in the capital.", "14 protesters", "detained", ip(14), ip(14), "exact", "civilians", "incident"},
		{"BareDozens", "The shell landed in the square, injuring dozens.", "dozens", "injured", ip(12), ip(12), "vague", "", "incident"},
		{"OfPhrase", "The blast killed 12 members of the security forces.", "12 members of the security forces", "killed", ip(12), ip(12), "exact", "", "incident"},
		{"Quoted", `The group said it killed 30 "mercenaries" in the raid.`, `30 "mercenaries"`, "killed", ip(30), ip(30), "exact", "combatants", "incident"},
		{"WoundedPeople", "Medics treated 52 wounded people after the attack.", "52 wounded people", "injured", ip(52), ip(52), "exact", "people", "incident"},
		{"OfThem", "Sixty people were injured, 11 of them seriously.", "11", "injured", ip(11), ip(11), "exact", "", "incident"},
		{"MoreThanADozen", "More than a dozen soldiers were killed.", "More than a dozen soldiers", "killed", ip(13), nil, "more_than", "soldiers", "incident"},
		{"HundredsOfThousands", "The war has displaced hundreds of thousands of people.", "hundreds of thousands of people", "displaced", ip(100000), ip(100000), "vague", "people", "cumulative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := run(t, s, c.text, "2024-01-10")
			got, ok := casualties(t, d)[c.span]
			if !ok {
				t.Fatalf("%q: no CASUALTY %q; have %q", c.text, c.span, spansOf(d, "CASUALTY"))
			}
			if got.Kind != c.kind || !eqp(got.Low, c.low) || !eqp(got.High, c.high) || got.Qualifier != c.qual || got.Scope != c.scope {
				t.Errorf("%q: got %+v low=%v high=%v", c.span, got, deref(got.Low), deref(got.High))
			}
			if c.victim != "" && (len(got.Victims) != 1 || got.Victims[0] != c.victim) {
				t.Errorf("%q: victims %q, want %q", c.span, got.Victims, c.victim)
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// Numbers that are not casualty figures must not become CASUALTY spans.
func TestNotCasualties(t *testing.T) {
	s := mustNew(t)
	texts := []string{
		"The group has claimed dozens of attacks on the base, killing soldiers.",
		"The strikes hit three facilities used by the militia and killed a guard.",
		"A 35-year-old man was killed in the attack.",
		"The attack in 2014 killed many.",
		"Rebels killed a driver and stole $5,000 from the convoy.",
		"The blast, 20 km from the border, killed a farmer.",
		"The attack at 6.30 p.m. killed a guard.",
		"Fighting killed a man as turnout fell 40 percent.",
		"Five soldiers said the raid killed nobody.",
	}
	for _, text := range texts {
		d := run(t, s, text, "")
		if got := spansOf(d, "CASUALTY"); len(got) != 0 {
			t.Errorf("%q: unexpected CASUALTY %q", text, got)
		}
	}
}

func TestNonASCIIOffsets(t *testing.T) {
	s := mustNew(t)
	text := "Ça va — «Bombardement» 🚀🚀 in Ségou: at least 12 civilians were killed, officials said."
	d := run(t, s, text, "2024-01-10")
	got := spansOf(d, "CASUALTY")
	if !has(got, "at least 12 civilians") {
		t.Fatalf("CASUALTY %q", got)
	}
	if !utf8.ValidString(text) || !strings.Contains(text, "🚀") {
		t.Fatal("bad fixture")
	}
}
