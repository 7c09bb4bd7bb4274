package incident_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/incident"
)

// FuzzEventsOfText runs the place and date readers of EventsOf (names in headlines,
// datelines and targets, capitalised names of the text) and a comparison over arbitrary
// text: they must not panic, and every place they report must be text of the document.
func FuzzEventsOfText(f *testing.F) {
	for _, s := range []string{
		"DEIR AL-MUNAWAR, Hasra (Wire) — Shells hit a funeral tent in Deir al-Munawar.",
		"Un coche bomba mató el domingo a 21 personas en Tessaly.",
		"— ,,, al- -al Al-", "ÉCOLE d'Été — Ürümqi", "\u200f\u0627\u0644\u0642\u0627\u0626\u0645 — x", "",
	} {
		f.Add(s, "Tessaly bus station")
	}
	f.Fuzz(func(t *testing.T, text, target string) {
		if !utf8.ValidString(text) || !utf8.ValidString(target) {
			return
		}
		n := utf8.RuneCountInString(text)
		doc := &annotate.Document{ID: 1, Title: target, Published: "2026-03-10", Text: text}
		spans := []annotate.Span{
			{ID: 1, Label: "ATTACK", Start: 0, End: min(3, n)},
			{ID: 2, Label: "TARGET", Start: 0, End: n, Text: target},
		}
		ev := annotate.Event{ID: 10, DocID: 1, Type: "ATTACK", Trigger: 1, Args: []annotate.Argument{{Role: "target", SpanID: 2}}}
		infos := incident.EventsOf(doc, spans, []annotate.Event{ev})
		if len(infos) != 1 {
			t.Fatalf("%d events", len(infos))
		}
		for _, p := range append(infos[0].Places, infos[0].DocPlaces...) {
			if p == "" || !strings.Contains(text+" "+target, strings.Fields(p)[0]) {
				t.Errorf("place %q is not in the text", p)
			}
		}
		other := infos[0]
		other.Ref = annotate.EventRef{DocID: 2, EventID: 11}
		incident.Compare(infos[0], other, incident.Options{})
		incident.Propose([]incident.EventInfo{infos[0], other}, incident.Options{})
	})
}
