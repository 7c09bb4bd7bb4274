package postgres

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
)

// Co-proposals in suggestion runs, as on SQLite. The rules (with the in-app tagger) run as one
// suggestion run; an outside model stores its suggestions with PutModelSuggestions. When a
// run proposes a span an outside model already suggested, the span is stored once and
// names both (spans.proposers, annotate.PlanProposals' rules); a later run of the same
// source that no longer proposes it removes only its own proposal. Such changes to rows the
// run did not insert are logged with their before and after images, so undoing the run
// puts them back (and refuses when someone changed them since).

// runSource returns the source of run id ("" for none), cached on the batch.
func (w *runBatch) runSource(id int64) (string, error) {
	if s, ok := w.sources[id]; ok {
		return s, nil
	}
	var s string
	err := w.tx.QueryRowContext(w.ctx, `SELECT source FROM runs WHERE id = ?`, id).Scan(&s)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", err
	}
	if w.sources == nil {
		w.sources = map[int64]string{}
	}
	w.sources[id] = s
	return s, nil
}

// ofThisSource reports whether run id is this run or an earlier run of its source;
// suggestions stored before runs existed (run 0) count as the rules', as replace has it.
func (w *runBatch) ofThisSource(run int64) (bool, error) {
	if run == 0 || run == w.r.id {
		return true, nil
	}
	s, err := w.runSource(run)
	return s == w.r.run.Source, err
}

// coPropose adds this run as a proposer of the undecided suggestions of other sources
// that the draft proposes again (draft span i matched stored span ids[i]).
func (w *runBatch) coPropose(spans []annotate.Span, origins []string, ids []int64, isNew []bool, existing map[spanKey]*storedSpan) error {
	for i, sp := range spans {
		old := existing[spanKey{sp.Start, sp.End, sp.Label}]
		if isNew[i] || old == nil || old.id != ids[i] || old.status != string(annotate.StatusSuggested) {
			continue
		}
		if own, err := w.ofThisSource(old.run); err != nil || own {
			if err != nil {
				return err
			}
			continue // this source's own suggestion: left as it was
		}
		stored, err := w.proposals(old.id)
		if err != nil {
			return err
		}
		upd, changed := stored.WithProposer(annotate.Proposer{Origin: origins[i], Confidence: sp.Confidence, RunID: w.r.id})
		if changed {
			if err := w.setProposals(upd); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropOwnProposals removes this source's proposals from the undecided suggestions of the
// document that several suggesters proposed and this run no longer proposes; it returns
// the spans that stay (under their other proposers), which replace must not remove.
func (w *runBatch) dropOwnProposals(existing map[spanKey]*storedSpan) (map[int64]bool, error) {
	// Only undecided spans this run does not propose again can lose a proposal: none in
	// a first run, few in a re-run, so the common case reads nothing.
	kept := map[int64]bool{}
	for _, old := range existing {
		if old.proposed || old.status != string(annotate.StatusSuggested) {
			continue
		}
		sp, err := w.proposals(old.id)
		if err != nil {
			return nil, err
		}
		if len(sp.Proposers) == 0 {
			continue // one proposer: replace decides
		}
		id := old.id
		upd, left := sp, true
		for _, p := range sp.Proposals() {
			own, err := w.ofThisSource(p.RunID)
			if err != nil {
				return nil, err
			}
			if own && left {
				upd, left = upd.WithoutProposer(p.Origin)
			}
		}
		if !left {
			continue // only this source proposed it: replace removes it
		}
		kept[id] = true
		if len(upd.Proposals()) != len(sp.Proposals()) {
			if err := w.setProposals(upd); err != nil {
				return nil, err
			}
		}
	}
	return kept, nil
}

// proposals reads who proposed span id.
func (w *runBatch) proposals(id int64) (annotate.Span, error) {
	sp := annotate.Span{ID: id}
	var conf sql.NullFloat64
	var run sql.NullInt64
	var props sql.NullString
	err := w.tx.QueryRowContext(w.ctx, `SELECT status, origin, confidence, run, proposers FROM spans WHERE id = ?`, id).
		Scan(&sp.Status, &sp.Origin, &conf, &run, &props)
	if err != nil {
		return sp, fmt.Errorf("span %d: %w", id, err)
	}
	if conf.Valid {
		c := conf.Float64
		sp.Confidence = &c
	}
	sp.RunID = run.Int64
	sp.Proposers, err = annotate.DecodeProposers(props.String)
	return sp, err
}

// setProposals stores a span's proposers, logging its images for undo.
func (w *runBatch) setProposals(sp annotate.Span) error {
	before, err := rowImage(w.ctx, w.tx, "spans", sp.ID)
	if err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, `UPDATE spans SET origin = ?, confidence = ?, run = ?, proposers = ? WHERE id = ?`,
		sp.Origin, confidenceArg(sp.Confidence), runArg(sp.RunID), proposersArg(sp.Proposers), sp.ID); err != nil {
		return err
	}
	after, err := rowImage(w.ctx, w.tx, "spans", sp.ID)
	if err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO op_changes (op, seq, tbl, row_id, before, after) VALUES (?, ?, 'spans', ?, ?, ?)`,
		w.r.op, w.seq, sp.ID, before, after); err != nil {
		return err
	}
	w.seq++
	return nil
}
