package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"

	"evident/annotate"
)

// proposerFields names who proposed a span and how sure they were: one suggester as
// Origin and Confidence; several (the rules, the in-app tagger, outside models) one a
// line with each one's own score, and the combined confidence that ranks the span.
func proposerFields(s annotate.Span) []fyne.CanvasObject {
	if len(s.Proposers) < 2 {
		return []fyne.CanvasObject{field("Origin", originText(s.Origin)), field("Confidence", scoreText(s.Confidence))}
	}
	lines := make([]string, len(s.Proposers))
	for i, p := range s.Proposers {
		lines[i] = proposerName(p.Origin) + " · " + scoreText(p.Confidence) // "—": no score
	}
	return []fyne.CanvasObject{
		field("Proposers", strings.Join(lines, "\n")),
		field("Confidence", scoreText(s.Confidence)+" combined"),
	}
}

// proposerName is a short name for one line of a narrow column: "model ner v2" for an
// outside model or the in-app tagger (model:NAME@VERSION), the rule's name otherwise.
func proposerName(origin string) string {
	if m, ok := strings.CutPrefix(origin, "model:"); ok {
		if name, version, ok := strings.Cut(m, "@"); ok {
			return fmt.Sprintf("model %s v%s", name, version)
		}
		return "model " + m
	}
	return origin
}
