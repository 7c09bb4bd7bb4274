// Package assign hands out a project's documents to a team of annotators: each document
// to one annotator, and a share of them (the overlap) to two, so that their agreement can
// be measured (evident agree). Queues are kept as settings of the project, one per
// annotator, so they live in the database every member opens, on either backend, and
// move with it (evident copy).
package assign

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"evident/annotate"
)

// settingPrefix + annotator name is the setting holding that annotator's queue: a JSON
// array of document ids in reading order.
const settingPrefix = "assign.queue."

// Plan is who gets which documents.
type Plan struct {
	Annotators []string
	Queues     map[string][]int64
	Shared     int // documents given to two annotators
}

// Make assigns docs (ids) to annotators: round(overlap × len(docs)) documents, picked by
// a hash of their id (so the same input gives the same plan), go to two annotators in
// turn (a with b, b with c, ..., the last with a); the rest go to one annotator each in
// turn. Every queue is in document id order.
func Make(docs []int64, annotators []string, overlap float64) (Plan, error) {
	p := Plan{Queues: map[string][]int64{}}
	seen := map[string]bool{}
	for _, a := range annotators {
		a = strings.TrimSpace(a)
		if a == "" {
			return p, annotate.Errorf(annotate.EInvalid, "an annotator name is empty")
		}
		if seen[a] {
			return p, annotate.Errorf(annotate.EInvalid, "annotator %q is listed twice", a)
		}
		seen[a] = true
		p.Annotators = append(p.Annotators, a)
	}
	if len(p.Annotators) == 0 {
		return p, annotate.Errorf(annotate.EInvalid, "no annotators to assign documents to")
	}
	if math.IsNaN(overlap) || overlap < 0 || overlap > 1 {
		return p, annotate.Errorf(annotate.EInvalid, "overlap %v is not a share between 0 and 1", overlap)
	}
	if overlap > 0 && len(p.Annotators) < 2 {
		return p, annotate.Errorf(annotate.EInvalid, "an overlap needs at least two annotators")
	}
	order := slices.Clone(docs)
	slices.SortFunc(order, func(a, b int64) int {
		ha, hb := hash(a), hash(b)
		switch {
		case ha < hb:
			return -1
		case ha > hb:
			return 1
		}
		return int(a - b)
	})
	p.Shared = int(math.Round(overlap * float64(len(order))))
	m := len(p.Annotators)
	load := make([]int, m) // documents per annotator so far, to keep queues even
	for i, d := range order {
		if i < p.Shared {
			a, b := i%m, (i+1)%m
			p.Queues[p.Annotators[a]] = append(p.Queues[p.Annotators[a]], d)
			p.Queues[p.Annotators[b]] = append(p.Queues[p.Annotators[b]], d)
			load[a]++
			load[b]++
			continue
		}
		least := 0
		for j := range load {
			if load[j] < load[least] {
				least = j
			}
		}
		p.Queues[p.Annotators[least]] = append(p.Queues[p.Annotators[least]], d)
		load[least]++
	}
	for _, q := range p.Queues {
		slices.Sort(q)
	}
	return p, nil
}

func hash(id int64) uint64 {
	h := fnv.New64a()
	fmt.Fprint(h, id)
	return h.Sum64()
}

// Save stores every queue of the plan (replacing the annotators' earlier queues).
func Save(ctx context.Context, st annotate.Store, p Plan) error {
	for _, a := range p.Annotators {
		q := p.Queues[a]
		if q == nil {
			q = []int64{}
		}
		data, err := json.Marshal(q)
		if err != nil {
			return err
		}
		if err := st.SetSetting(ctx, settingPrefix+a, string(data)); err != nil {
			return fmt.Errorf("save the queue of %s: %w", a, err)
		}
	}
	return nil
}

// Queue returns an annotator's queue, nil when none was assigned.
func Queue(ctx context.Context, st annotate.Store, annotator string) ([]int64, error) {
	if annotator == "" {
		return nil, nil
	}
	v, err := st.Setting(ctx, settingPrefix+annotator)
	if err != nil || v == "" {
		return nil, err
	}
	var q []int64
	if err := json.Unmarshal([]byte(v), &q); err != nil {
		return nil, annotate.Errorf(annotate.EInvalid, "the queue of %s is damaged: %v", annotator, err)
	}
	return q, nil
}

// OwnFirst orders a document list for an annotator: their queue first (documents not
// done before done ones, each in list order), then everyone else's documents. It
// returns the new list and the first document to open (0 when the queue is empty or
// all done).
func OwnFirst(docs []annotate.DocSummary, queue []int64) ([]annotate.DocSummary, int64) {
	if len(queue) == 0 {
		return docs, 0
	}
	mine := make(map[int64]bool, len(queue))
	for _, id := range queue {
		mine[id] = true
	}
	rank := func(d annotate.DocSummary) int {
		switch {
		case mine[d.ID] && d.Status != annotate.DocDone:
			return 0
		case mine[d.ID]:
			return 1
		}
		return 2
	}
	out := slices.Clone(docs)
	slices.SortStableFunc(out, func(a, b annotate.DocSummary) int { return rank(a) - rank(b) })
	var next int64
	if len(out) > 0 && rank(out[0]) == 0 {
		next = out[0].ID
	}
	return out, next
}
