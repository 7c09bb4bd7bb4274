package learn

import (
	"context"
	"fmt"
)

// selfTrain labels the unlabelled documents with m and trains again on the examples plus
// the confident part of those labels: spans m gives at least SelfHigh are accepted, those
// between 0.1 and SelfHigh pending, so only sentences where every candidate is confident
// teach (goldTags), with SelfWeight. The self-labelled documents never set thresholds
// (Base).
func selfTrain(ctx context.Context, rules Rules, m *Model, exs []Example, preps []*prepared, opt Options) (*Model, error) {
	hi, wt := opt.SelfHigh, opt.SelfWeight
	if hi <= 0 {
		hi = 0.7
	}
	if wt <= 0 {
		wt = 0.1
	}
	c := Combined{Rules: rules, Model: m}
	for _, u := range opt.Unlabelled {
		d, err := c.Suggest(ctx, u.Text, u.Published, nil)
		if err != nil {
			return nil, fmt.Errorf("learn: self-training on %s: %w", u.ID, err)
		}
		ex := Example{ID: u.ID, Text: u.Text, Published: u.Published, Accepted: FilterDraft(d, hi), Base: true, Weight: wt}
		for _, sp := range d.Spans {
			if sp.Confidence != nil && *sp.Confidence >= 0.1 && *sp.Confidence < hi {
				ex.Pending = append(ex.Pending, sp)
			}
		}
		rd, err := rules.Suggest(ctx, u.Text, u.Published, nil)
		if err != nil {
			return nil, fmt.Errorf("learn: rules on %s: %w", u.ID, err)
		}
		exs = append(exs, ex)
		preps = append(preps, prepare(u.Text, rd))
	}
	return trainBase(ctx, exs, preps, opt)
}
