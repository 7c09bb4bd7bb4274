package suggest

import (
	"bufio"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Case rules for one word of a lexicon phrase.
const (
	caseAny   = iota // a lower-case lexicon word matches any case
	caseCap          // a capitalised lexicon word needs a capital in the text
	caseExact        // an abbreviation (IDF, RSF) must be written exactly so
)

// entry is one phrase of a lexicon, as lower-cased tokens without hyphens.
type entry struct {
	words []string
	cases []uint8
	orig  []string
	label string // ATTACK, DEATH, ... for triggers; list name or kind elsewhere
	name  string // canonical name (gazetteers)
}

// phraseIndex finds lexicon phrases in a token stream: entries are keyed by their first
// word and tried longest first, so matching costs one map lookup per token.
type phraseIndex struct {
	first map[string][]*entry
	bit   uint32 // this index's bit in token.idx (0: not registered, always look up)
	// byID holds first's lists by vocabulary word number (token.wid) once registered
	byID [][]*entry
}

func newIndex() *phraseIndex { return &phraseIndex{first: map[string][]*entry{}} }

// add puts phrase into the index. It returns false for a phrase with no words.
func (x *phraseIndex) add(phrase, label, name string) bool {
	phrase = strings.TrimSpace(phrase)
	if phrase == "" {
		return false
	}
	e := &entry{label: label, name: name}
	toks, lows := tokenize(phrase)
	for i, t := range toks {
		w := low(toks, lows, i)
		if w == "-" {
			continue
		}
		raw := phrase[t.bs:t.be]
		c := uint8(caseAny)
		switch {
		case t.upper:
			c = caseExact
		case t.cap:
			c = caseCap
		}
		e.words = append(e.words, w)
		e.cases = append(e.cases, c)
		e.orig = append(e.orig, raw)
	}
	if len(e.words) == 0 {
		return false
	}
	list := append(x.first[e.words[0]], e)
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	x.first[e.words[0]] = list
	return true
}

// match returns the longest entry that starts at token i, and the index just past its
// last token; end is -1 when nothing matches. A hyphen written tight between two words
// ("al-Shabaab", "Iran-backed") is skipped, so it matches with or without the hyphen.
func (x *phraseIndex) match(d *doc, i int) (*entry, int) {
	toks := d.toks
	if i < 0 || i >= len(toks) {
		return nil, -1
	}
	var list []*entry
	if x.bit != 0 {
		if toks[i].idx&x.bit == 0 {
			return nil, -1 // the token starts no phrase of this lexicon: skip the lookup
		}
		list = x.byID[toks[i].wid]
	} else {
		list = x.first[d.lw(i)]
	}
	for _, e := range list {
		if end := d.matchEntry(i, e); end > 0 {
			return e, end
		}
	}
	return nil, -1
}

// has reports whether a single-token entry equals toks[i].
func (x *phraseIndex) has(d *doc, i int) bool {
	e, end := x.match(d, i)
	return e != nil && end == i+1
}

func (d *doc) matchEntry(i int, e *entry) int {
	text, toks := d.text, d.toks
	j := i
	for w := range e.words {
		if w > 0 {
			j = d.skipHyphen(j)
		}
		if j >= len(toks) {
			return -1
		}
		t := &toks[j]
		if d.tl(t) != e.words[w] {
			return -1
		}
		switch e.cases[w] {
		case caseCap:
			if !t.cap && !t.upper {
				return -1
			}
		case caseExact:
			if text[t.bs:t.be] != e.orig[w] {
				return -1
			}
		}
		if w > 0 && toks[j].sent != toks[i].sent {
			return -1
		}
		j++
	}
	return j
}

// skipHyphen steps over a hyphen written tight between two tokens.
func (d *doc) skipHyphen(j int) int {
	toks := d.toks
	if j+1 < len(toks) && d.lw(j) == "-" && !toks[j].space && !toks[j+1].space {
		return j + 1
	}
	return j
}

// readLines calls fn for each non-blank, non-comment line of a data file.
func readLines(fsys fs.FS, name string, fn func(line string) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("suggest: open lexicon %s: %w", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("suggest: %s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("suggest: read lexicon %s: %w", name, err)
	}
	return nil
}

// splitKey splits "key: a | b" into key and the list items.
func splitKey(line string) (string, []string, error) {
	k, v, ok := strings.Cut(line, ":")
	if !ok {
		return "", nil, fmt.Errorf("want \"name: item | item\", got %q", line)
	}
	return strings.TrimSpace(k), splitBar(v), nil
}

func splitBar(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
