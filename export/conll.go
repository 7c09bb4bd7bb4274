package export

import (
	"io"
	"slices"
	"strings"
)

// CoNLLEncoder writes token-per-line BIO tags, the CoNLL-2003 shape most NER trainers
// read (flair, Hugging Face datasets, spaCy's converter):
//
//	-DOCSTART-	O
//	<blank>
//	token<TAB>B-LABEL | I-LABEL | O
//	<blank line between sentences (UAX #29), and between documents>
//
// Tokens are UAX #29 words (annotate.Tokens); a span tags every token it overlaps.
// BIO cannot nest, so overlapping spans are resolved by one rule: the longest span (in
// code points) wins; on a tie the earlier start, then the label that comes first in the
// schema. A span that shares a token with a kept span, or covers no token, is dropped
// and counted (Dropped). A sentence boundary inside a kept span is not broken, so an
// entity is never cut in two.
type CoNLLEncoder struct {
	w       io.Writer
	cfg     Config
	order   map[string]int
	dropped int
	kept    int
	buf     []byte
	owner   []int
	cand    []int
}

// NewCoNLLEncoder returns an encoder writing to w.
func NewCoNLLEncoder(w io.Writer, cfg Config) *CoNLLEncoder {
	e := &CoNLLEncoder{w: w, cfg: cfg, order: map[string]int{}}
	if cfg.Schema != nil {
		for i, l := range cfg.Schema.Labels {
			e.order[l.Name] = i + 1
		}
	}
	return e
}

// Dropped is the number of spans left out so far by the overlap rule.
func (e *CoNLLEncoder) Dropped() int { return e.dropped }

func (e *CoNLLEncoder) rank(label string) int {
	if o, ok := e.order[label]; ok {
		return o
	}
	return len(e.order) + 1 // labels unknown to the schema come last
}

// Encode writes one document.
func (e *CoNLLEncoder) Encode(r *Record) error {
	toks := r.Tokens()
	// owner[i] is 1 + the index of the span that tags token i, 0 for O.
	e.owner = slices.Grow(e.owner[:0], len(toks))[:len(toks)]
	clear(e.owner)
	e.cand = e.cand[:0]
	for i := range r.Spans {
		e.cand = append(e.cand, i)
	}
	slices.SortStableFunc(e.cand, func(a, b int) int {
		sa, sb := &r.Spans[a], &r.Spans[b]
		if c := (sb.End - sb.Start) - (sa.End - sa.Start); c != 0 {
			return c
		}
		if c := sa.Start - sb.Start; c != 0 {
			return c
		}
		if c := e.rank(sa.Label) - e.rank(sb.Label); c != 0 {
			return c
		}
		return strings.Compare(sa.Label, sb.Label)
	})
	for _, i := range e.cand {
		s := &r.Spans[i]
		first, last, ok := r.TokenRange(s.Start, s.End)
		free := ok
		for k := first; free && k <= last; k++ {
			free = e.owner[k] == 0
		}
		if !free {
			e.dropped++
			continue
		}
		for k := first; k <= last; k++ {
			e.owner[k] = i + 1
		}
		e.kept++
	}

	b := append(e.buf[:0], "-DOCSTART-\tO\n\n"...)
	r.sentences()
	sent := 0
	for i, t := range toks {
		// Advance to the sentence holding this token.
		newSent := false
		for sent+1 < len(r.sents) && r.sents[sent+1] <= t.Start {
			sent++
			newSent = true
		}
		if i > 0 && newSent && !(e.owner[i] != 0 && e.owner[i] == e.owner[i-1]) {
			b = append(b, '\n')
		}
		b = append(b, r.Slice(t.Start, t.End)...)
		b = append(b, '\t')
		switch o := e.owner[i]; {
		case o == 0:
			b = append(b, 'O')
		case i > 0 && e.owner[i-1] == o:
			b = append(append(b, "I-"...), r.Spans[o-1].Label...)
		default:
			b = append(append(b, "B-"...), r.Spans[o-1].Label...)
		}
		b = append(b, '\n')
	}
	b = append(b, '\n')
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

// Close has nothing to finish.
func (e *CoNLLEncoder) Close() error { return nil }
