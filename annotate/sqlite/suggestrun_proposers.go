package sqlite

import (
	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Co-proposals in suggestion runs (annotate.RunProposals): changes to rows the run did
// not insert are logged with their before and after images, so undoing the run puts them
// back (and refuses when someone changed them since).

// coPropose adds this run as a proposer of the undecided suggestions of other sources
// that the draft proposes again (draft span i matched stored span ids[i]).
func (w *runBatch) coPropose(spans []annotate.Span, origins []string, ids []int64, isNew []bool, existing map[spanKey]*storedSpan) error {
	var ms []annotate.Match
	for i, sp := range spans {
		if old := existing[spanKey{sp.Start, sp.End, sp.Label}]; !isNew[i] && old != nil && old.id == ids[i] && old.run != w.r.id {
			ms = append(ms, annotate.Match{ID: old.id, Status: annotate.Status(old.status), Run: old.run, Origin: origins[i], Confidence: sp.Confidence})
		}
	}
	return w.runProposals().CoPropose(ms)
}

// dropOwnProposals removes this source's proposals from the shared undecided suggestions
// the run no longer proposes and returns those that stay (replace must not remove them).
// Only those can lose a proposal: none in a first run, so the common case reads nothing.
func (w *runBatch) dropOwnProposals(existing map[spanKey]*storedSpan) (map[int64]bool, error) {
	var ids []int64
	for _, old := range existing {
		if !old.proposed && old.status == string(annotate.StatusSuggested) {
			ids = append(ids, old.id)
		}
	}
	return w.runProposals().DropOwn(ids)
}

func (w *runBatch) runProposals() annotate.RunProposals {
	return annotate.RunProposals{Run: w.r.id, Source: w.r.run.Source, Rows: runRows{w}}
}

// runRows is annotate.ProposalRows over the batch's transaction.
type runRows struct{ w *runBatch }

func (r runRows) RunSource(id int64) (string, error) {
	return sqlstore.RunSource(r.w.ctx, sq{r.w.tx}, &r.w.sources, id)
}

func (r runRows) Proposals(id int64) (annotate.Span, error) {
	return sqlstore.ReadProposals(r.w.ctx, sq{r.w.tx}, id)
}

func (r runRows) SetProposals(sp annotate.Span) error {
	w := r.w
	before, err := rowImage(w.ctx, w.tx, "spans", sp.ID, &w.texts)
	if err != nil {
		return err
	}
	origin, err := w.names.id(w.ctx, w.tx, sp.Origin)
	if err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, `UPDATE span_rows SET origin = ?, confidence = ?, run = ?, proposers = ? WHERE id = ?`,
		origin, sqlstore.ConfidenceArg(sp.Confidence), sqlstore.RunArg(sp.RunID), sqlstore.ProposersArg(sp.Proposers), sp.ID); err != nil {
		return err
	}
	after, err := rowImage(w.ctx, w.tx, "spans", sp.ID, &w.texts)
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
