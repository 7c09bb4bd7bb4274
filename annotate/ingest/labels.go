package ingest

import (
	"fmt"
	"strings"

	"evident/annotate"
)

// newLabelColors are offered, in order, to labels added at import: Paul Tol's muted,
// light and high-contrast palettes, designed to stay distinguishable under the common
// colour-vision deficiencies. Colours the schema already uses are skipped.
var newLabelColors = [...]string{
	"#332288", "#88CCEE", "#44AA99", "#DDCC77", "#CC6677",
	"#77AADD", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#EEDD88", "#EE8866", "#FFAABB",
	"#004488", "#BB5566", "#BBBBBB",
}

// labelSet decides which labels a file may use: the schema's, and under AddLabels any
// other valid name, which it records as a new span label.
type labelSet struct {
	schema *annotate.Schema
	add    bool
	known  map[string]bool
	used   map[string]bool // colours taken, upper case
	added  []annotate.Label
	taken  int // how many of added takeNew has returned
}

// takeNew returns the labels added since the last call.
func (ls *labelSet) takeNew() []annotate.Label {
	if ls.taken == len(ls.added) {
		return nil
	}
	l := ls.added[ls.taken:len(ls.added):len(ls.added)]
	ls.taken = len(ls.added)
	return l
}

func newLabelSet(s *annotate.Schema, add bool) *labelSet {
	ls := &labelSet{schema: s, add: add, known: map[string]bool{}, used: map[string]bool{}}
	for _, l := range s.Labels {
		ls.known[l.Name] = true
		ls.used[strings.ToUpper(l.Color)] = true
	}
	return ls
}

func (ls *labelSet) check(name string) error {
	if ls.known[name] {
		return nil
	}
	if !ls.add {
		names := make([]string, len(ls.schema.Labels))
		for i, l := range ls.schema.Labels {
			names[i] = l.Name
		}
		return fmt.Errorf("unknown label %q (the schema has %s; adding labels at import (--add-labels) accepts new ones)", name, strings.Join(names, ", "))
	}
	if !annotate.ValidLabelName(name) {
		return fmt.Errorf("label %q is not a valid label name (upper case letters, digits and _, starting with a letter, at most 40)", name)
	}
	l := annotate.Label{
		Name:        name,
		Kind:        annotate.KindSpan,
		Color:       ls.nextColor(),
		Description: "Added at import.",
	}
	ls.known[name] = true
	ls.added = append(ls.added, l)
	return nil
}

// nextColor returns the first palette colour nobody uses yet, or cycles through the
// palette once every colour is taken.
func (ls *labelSet) nextColor() string {
	for _, c := range newLabelColors {
		if !ls.used[c] {
			ls.used[c] = true
			return c
		}
	}
	return newLabelColors[len(ls.added)%len(newLabelColors)]
}
