package annotate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Proposer is one suggester that proposed a span: the rules (origin "rule:…"), the in-app
// tagger ("model:tagger@N") or an outside model ("model:NAME@VERSION"), with its own score
// (nil when it gave none) and the run that proposed it (0 = none).
type Proposer struct {
	Origin     string
	Confidence *float64
	RunID      int64
}

// Proposals returns every suggester that proposed s, the first one first: s.Proposers
// when several did, else the one that s.Origin, s.Confidence and s.RunID name.
func (s Span) Proposals() []Proposer {
	if len(s.Proposers) > 0 {
		return s.Proposers
	}
	return []Proposer{{Origin: s.Origin, Confidence: s.Confidence, RunID: s.RunID}}
}

// WithProposer returns s with p among its proposers. A suggester that proposed s before
// has its entry replaced (a re-run updates its score and run); a new one is added last.
// Origin and RunID stay the first proposer's, Confidence becomes the combined evidence.
// It reports whether anything changed.
func (s Span) WithProposer(p Proposer) (Span, bool) {
	ps := append([]Proposer(nil), s.Proposals()...)
	found := false
	for i := range ps {
		if ps[i].Origin == p.Origin {
			if sameProposer(ps[i], p) {
				return s, false
			}
			ps[i], found = p, true
		}
	}
	if !found {
		ps = append(ps, p)
	}
	return s.withProposals(ps), true
}

// WithoutProposer returns s without origin's proposal. The next proposer becomes the
// first when origin was; ok is false when no proposer is left (the suggestion goes).
func (s Span) WithoutProposer(origin string) (out Span, ok bool) {
	ps := make([]Proposer, 0, len(s.Proposals()))
	for _, p := range s.Proposals() {
		if p.Origin != origin {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return s, false
	}
	return s.withProposals(ps), true
}

// ProposedBy reports whether origin is among s's proposers.
func (s Span) ProposedBy(origin string) bool {
	for _, p := range s.Proposals() {
		if p.Origin == origin {
			return true
		}
	}
	return false
}

func (s Span) withProposals(ps []Proposer) Span {
	s.Origin, s.RunID = ps[0].Origin, ps[0].RunID
	if len(ps) == 1 {
		s.Proposers, s.Confidence = nil, ps[0].Confidence
		return s
	}
	s.Proposers, s.Confidence = ps, CombinedConfidence(ps)
	return s
}

func sameProposer(a, b Proposer) bool {
	if a.Origin != b.Origin || a.RunID != b.RunID || (a.Confidence == nil) != (b.Confidence == nil) {
		return false
	}
	return a.Confidence == nil || *a.Confidence == *b.Confidence
}

// CombinedConfidence is the evidence of several suggesters that proposed the same span,
// read as independent: 1 - Π(1 - c) over the scores they gave (a "noisy or"), so two
// proposers agreeing rank above either alone. Proposers without a score add nothing;
// nil when none gave one (a missing score is never read as certainty).
func CombinedConfidence(ps []Proposer) *float64 {
	miss, any := 1.0, false
	for _, p := range ps {
		if p.Confidence == nil || math.IsNaN(*p.Confidence) {
			continue
		}
		miss *= 1 - math.Min(1, math.Max(0, *p.Confidence))
		any = true
	}
	if !any {
		return nil
	}
	c := 1 - miss
	return &c
}

// EncodeProposers is the stored form of Span.Proposers: NULL ("") for a span one
// suggester proposed, else a compact JSON array of [origin, score or null, run] arrays.
func EncodeProposers(ps []Proposer) string {
	if len(ps) < 2 {
		return ""
	}
	b := []byte{'['}
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		o, _ := json.Marshal(p.Origin) // a string always encodes
		b = append(append(b, '['), o...)
		if p.Confidence == nil || math.IsNaN(*p.Confidence) || math.IsInf(*p.Confidence, 0) {
			b = append(b, ",null"...)
		} else {
			b = strconv.AppendFloat(append(b, ','), *p.Confidence, 'g', -1, 64)
		}
		b = strconv.AppendInt(append(b, ','), p.RunID, 10)
		b = append(b, ']')
	}
	return string(append(b, ']'))
}

// DecodeProposers reads what EncodeProposers wrote ("" is none).
func DecodeProposers(s string) ([]Proposer, error) {
	if s == "" {
		return nil, nil
	}
	var raw [][]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, fmt.Errorf("proposers %q: %w", s, err)
	}
	ps := make([]Proposer, len(raw))
	for i, r := range raw {
		if len(r) != 3 {
			return nil, fmt.Errorf("proposers %q: entry %d has %d fields, want 3", s, i, len(r))
		}
		if err := json.Unmarshal(r[0], &ps[i].Origin); err != nil {
			return nil, fmt.Errorf("proposers %q: entry %d: origin: %w", s, i, err)
		}
		if string(r[1]) != "null" {
			var c float64
			if err := json.Unmarshal(r[1], &c); err != nil {
				return nil, fmt.Errorf("proposers %q: entry %d: score: %w", s, i, err)
			}
			ps[i].Confidence = &c
		}
		if err := json.Unmarshal(r[2], &ps[i].RunID); err != nil {
			return nil, fmt.Errorf("proposers %q: entry %d: run: %w", s, i, err)
		}
	}
	if len(ps) < 2 {
		return nil, nil // one proposer is the span's own origin, confidence and run
	}
	return ps, nil
}

// Suggested is a span stored in a document, as a store reads it to plan a suggester's
// proposals; Locked when an event uses it (such a span is never removed).
type Suggested struct {
	Span
	Locked bool
}

// ProposalPlan is what storing one suggester's proposals for one document changes.
type ProposalPlan struct {
	Insert []Span  // new suggestions, with Origin, Confidence and RunID set
	Update []Span  // stored spans whose Origin, Confidence, RunID or Proposers change
	Remove []int64 // undecided suggestions nobody proposes any more
}

// PlanProposals merges one suggester's proposals for a document (every span carrying
// origin, its score and run) into the spans stored there:
//   - a range and label nobody proposed is a new suggestion;
//   - one undecided suggestion of another suggester gains origin as a proposer (the span
//     is stored once; its confidence becomes the combined evidence), and one of origin's
//     own gets the new score and run;
//   - a decided span (accepted, rejected) is never touched: a rejected span stays
//     rejected, an accepted one is not proposed again;
//   - origin's proposals it no longer makes go: the span loses origin as proposer, and is
//     removed when no proposer is left (unless an event uses it).
//
// Spans proposed twice are kept once (the first).
func PlanProposals(stored []Suggested, origin string, proposed []Span) ProposalPlan {
	type key struct {
		start, end int
		label      string
	}
	idx := make(map[key]int, len(stored))
	for i, s := range stored {
		idx[key{s.Start, s.End, s.Label}] = i
	}
	again := make([]bool, len(stored))
	seen := make(map[key]bool, len(proposed))
	var plan ProposalPlan
	for _, p := range proposed {
		k := key{p.Start, p.End, p.Label}
		if seen[k] {
			continue
		}
		seen[k] = true
		i, ok := idx[k]
		if !ok {
			p.Origin, p.Proposers, p.Status = origin, nil, StatusSuggested
			plan.Insert = append(plan.Insert, p)
			continue
		}
		if stored[i].Status != StatusSuggested {
			continue
		}
		again[i] = true
		if sp, changed := stored[i].Span.WithProposer(Proposer{Origin: origin, Confidence: p.Confidence, RunID: p.RunID}); changed {
			plan.Update = append(plan.Update, sp)
		}
	}
	for i, s := range stored {
		if again[i] || s.Status != StatusSuggested || !s.ProposedBy(origin) {
			continue
		}
		sp, ok := s.WithoutProposer(origin)
		switch {
		case ok:
			plan.Update = append(plan.Update, sp)
		case !s.Locked:
			plan.Remove = append(plan.Remove, s.ID)
		}
	}
	return plan
}

// ProposersOfRun is ps with the run filled in where a draft left it 0 (a suggester's
// draft does not know the run that stores it).
func ProposersOfRun(ps []Proposer, run int64) []Proposer {
	if len(ps) < 2 {
		return nil
	}
	out := append([]Proposer(nil), ps...)
	for i := range out {
		if out[i].RunID == 0 {
			out[i].RunID = run
		}
	}
	return out
}

// ProposalRows is how RunProposals reads and writes one backend's span rows inside a
// suggestion run's transaction.
type ProposalRows interface {
	// RunSource returns the source of a run ("" for none).
	RunSource(run int64) (string, error)
	// Proposals reads span id's status, origin, confidence, run and proposers.
	Proposals(id int64) (Span, error)
	// SetProposals stores sp's origin, confidence, run and proposers, logged for undo.
	SetProposals(sp Span) error
}

// RunProposals keeps the proposers of spans right during a suggestion run (the rules,
// with the in-app tagger): a span an outside model suggested and the run proposes too is
// stored once and names both; a later run of the same source that no longer proposes a
// shared span removes only its own proposal. Both backends' runs use it.
type RunProposals struct {
	Run    int64  // this run
	Source string // its source
	Rows   ProposalRows
}

// ofSource reports whether run is this run or an earlier run of its source; suggestions
// stored before runs existed (run 0) count as the rules', as a run's replacing has it.
func (r RunProposals) ofSource(run int64) (bool, error) {
	if run == 0 || run == r.Run {
		return true, nil
	}
	s, err := r.Rows.RunSource(run)
	return s == r.Source, err
}

// Match is a stored span a draft span matched (same range and label).
type Match struct {
	ID         int64
	Status     Status
	Run        int64 // the stored span's run
	Origin     string
	Confidence *float64 // the draft span's
}

// CoPropose adds this run as a proposer of the matched undecided suggestions of other
// sources; its own source's suggestions are left as they are.
func (r RunProposals) CoPropose(matches []Match) error {
	for _, m := range matches {
		if m.Status != StatusSuggested {
			continue
		}
		if own, err := r.ofSource(m.Run); err != nil || own {
			if err != nil {
				return err
			}
			continue
		}
		stored, err := r.Rows.Proposals(m.ID)
		if err != nil {
			return err
		}
		if upd, changed := stored.WithProposer(Proposer{Origin: m.Origin, Confidence: m.Confidence, RunID: r.Run}); changed {
			if err := r.Rows.SetProposals(upd); err != nil {
				return err
			}
		}
	}
	return nil
}

// DropOwn removes this source's proposals from the spans given (undecided suggestions
// the run does not propose again) that other suggesters proposed too; it returns those
// that stay under their other proposers, which the run must not remove.
func (r RunProposals) DropOwn(ids []int64) (map[int64]bool, error) {
	kept := map[int64]bool{}
	for _, id := range ids {
		sp, err := r.Rows.Proposals(id)
		if err != nil {
			return nil, err
		}
		if len(sp.Proposers) == 0 {
			continue // one proposer: the run's replacing decides
		}
		upd, left := sp, true
		for _, p := range sp.Proposals() {
			own, err := r.ofSource(p.RunID)
			if err != nil {
				return nil, err
			}
			if own && left {
				upd, left = upd.WithoutProposer(p.Origin)
			}
		}
		if !left {
			continue // only this source proposed it: the run removes it
		}
		kept[id] = true
		if len(upd.Proposals()) != len(sp.Proposals()) {
			if err := r.Rows.SetProposals(upd); err != nil {
				return nil, err
			}
		}
	}
	return kept, nil
}
