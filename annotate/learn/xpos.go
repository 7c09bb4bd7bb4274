package learn

import (
	"os"
	"strings"
	"sync"

	"github.com/jdkato/prose/v2"
)

// Experiment (temporary): part-of-speech tags and named-entity labels of an outside
// tagger as features.
var (
	xPOS   = os.Getenv("X_POS") != ""
	xNER   = os.Getenv("X_NER") != ""
	xPA    = os.Getenv("X_POSARG") != "" // POS and NER in the argument tagger only
	posMu  sync.Mutex
	posMod *prose.Model
	posMem = map[string][2][]string{}
)

// posTags returns each token's part-of-speech tag and entity label ("" where none).
func posTags(text string, toks []token) (pos, ner []string) {
	posMu.Lock()
	if v, ok := posMem[text]; ok {
		posMu.Unlock()
		return v[0], v[1]
	}
	if posMod == nil {
		d, _ := prose.NewDocument("x", prose.WithSegmentation(false))
		posMod = d.Model
	}
	m := posMod
	posMu.Unlock()
	doc, err := prose.NewDocument(text, prose.WithSegmentation(false), prose.UsingModel(m))
	pos, ner = make([]string, len(toks)), make([]string, len(toks))
	if err == nil {
		c, k := 0, 0
		for _, pt := range doc.Tokens() {
			idx := strings.Index(text[c:], pt.Text)
			if idx < 0 || pt.Text == "" {
				continue
			}
			s, e := c+idx, c+idx+len(pt.Text)
			c = e
			for k < len(toks) && toks[k].bs < s {
				k++
			}
			for j := k; j < len(toks) && toks[j].bs < e; j++ {
				pos[j] = pt.Tag
				ner[j] = pt.Label
			}
		}
	}
	posMu.Lock()
	posMem[text] = [2][]string{pos, ner}
	posMu.Unlock()
	return pos, ner
}
