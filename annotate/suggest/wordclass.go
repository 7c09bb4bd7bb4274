package suggest

import "sort"

// WordClasses returns the lexicon classes of a lower-case word: what the rules' word
// lists say it can be, whether or not a rule fires on it in a given text ("motorists"
// is a victim noun, "Tulsa" a place, "rampage" an attack word). The learned model reads
// them as features, so a word its training documents never used still shares what the
// lexicons' other words taught it. The last word of a phrase stands for its head;
// every word of a name stands for the name. The result is shared: do not modify it.
func (s *Suggester) WordClasses(word string) []string {
	return s.classes[word]
}

// buildClasses fills s.classes from the loaded lexicons.
func (s *Suggester) buildClasses() {
	cls := map[string]map[string]bool{}
	put := func(w, c string) {
		if cls[w] == nil {
			cls[w] = map[string]bool{}
		}
		cls[w][c] = true
	}
	heads := func(x *phraseIndex, class func(e *entry) string) {
		for _, list := range x.first {
			for _, e := range list {
				if c := class(e); c != "" {
					put(e.words[len(e.words)-1], c)
				}
			}
		}
	}
	names := func(x *phraseIndex, c string) {
		for _, list := range x.first {
			for _, e := range list {
				for _, w := range e.words {
					put(w, c)
				}
			}
		}
	}
	heads(s.triggers, func(e *entry) string { return "trigger:" + e.label })
	heads(s.wHeads, func(*entry) string { return "weapon" })
	heads(s.victimGrp, func(*entry) string { return "victim" })
	for name, c := range map[string]string{"victim": "victim", "target": "target", "actor": "actor", "actorhead": "actor", "title": "title", "report": "report", "placehead": "placehead"} {
		heads(s.lists[name], func(*entry) string { return c })
	}
	names(s.places, "place")
	names(s.actors, "actorname")
	names(s.demonyms, "demonym")
	s.classes = make(map[string][]string, len(cls))
	for w, set := range cls {
		list := make([]string, 0, len(set))
		for c := range set {
			list = append(list, c)
		}
		sort.Strings(list) // features in a fixed order
		s.classes[w] = list
	}
}
