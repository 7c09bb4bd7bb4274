package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

var _ annotate.SuggestRunner = (*Store)(nil)

// A suggestion run is stored as on SQLite (see annotate/sqlite/suggestrun.go): ONE op
// (kind "suggest") whose first logged change is a marker row (tbl "runs", row_id =
// runs.id, no images); the spans it inserts carry spans.run and are not imaged, since
// undoing the run deletes the run's spans that are still undecided; only the rows a run
// removes (undecided suggestions of an earlier run of the same source) are imaged, so
// undo can put them back. Documents are queued and written in batches, each batch one
// short transaction under the write lock; new rows take ids from the tables' sequences
// (one query per batch) and go in with COPY.

// Batch bounds: a batch is written when any is reached.
const (
	runBatchSpans = 4000
	runBatchDocs  = 256
	runBatchWait  = 200 * time.Millisecond
)

// runMarker is the table name of the op_changes row that ties a "suggest" op to its run.
const runMarker = sqlstore.RunMarker

type suggestRun struct {
	s         *Store
	run       annotate.Run
	id, op    int64
	seq       int // next op_changes seq
	queue     []queuedDoc
	queued    int
	lastFlush time.Time
	totals    annotate.RunTotals
	done      bool
}

type queuedDoc struct {
	doc int64
	d   annotate.Draft
}

// BeginSuggestRun records a new run and its op; the op's summary is completed by Finish.
func (s *Store) BeginSuggestRun(ctx context.Context, r annotate.Run) (annotate.SuggestRun, error) {
	if strings.TrimSpace(r.Source) == "" {
		return nil, annotate.Errorf(annotate.EInvalid, "suggestion run: source is empty")
	}
	params, err := checkAttrs(r.Params)
	if err != nil {
		return nil, err
	}
	ptx, err := s.beginWrite(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("suggestion run: begin: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	tx := pgq{ptx}
	now := micros(s.now())
	run := &suggestRun{s: s, run: r, lastFlush: time.Now(), seq: 1}
	if err := tx.QueryRowContext(ctx, `INSERT INTO runs (source, version, annotator, started, params) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		r.Source, r.Version, r.Annotator, now, params).Scan(&run.id); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	// As every new action does, the run makes the annotator's undone actions impossible
	// to redo.
	if _, err := tx.ExecContext(ctx, `UPDATE ops SET state = 'dropped' WHERE annotator = ? AND state = 'undone'`, r.Annotator); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO ops (kind, annotator, at, doc, summary, undoable) VALUES ('suggest', ?, ?, 0, ?, 1) RETURNING id`,
		r.Annotator, now, fmt.Sprintf("suggest run %d (%s): running", run.id, r.Source)).Scan(&run.op); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO op_changes (op, seq, tbl, row_id) VALUES (?, 0, ?, ?)`, run.op, runMarker, run.id); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("suggestion run: commit: %w", mapErr(err))
	}
	return run, nil
}

func (r *suggestRun) ID() int64 { return r.id }

// Add queues a document's draft and writes the queue when a batch bound is reached.
func (r *suggestRun) Add(ctx context.Context, docID int64, d annotate.Draft) error {
	if r.done {
		return fmt.Errorf("suggestion run %d is finished", r.id)
	}
	r.queue = append(r.queue, queuedDoc{docID, d})
	r.queued += len(d.Spans)
	if r.queued >= runBatchSpans || len(r.queue) >= runBatchDocs || time.Since(r.lastFlush) >= runBatchWait {
		return r.Flush(ctx)
	}
	return nil
}

// Flush writes the queued documents in one transaction: all of them or none.
func (r *suggestRun) Flush(ctx context.Context) error {
	r.lastFlush = time.Now()
	if len(r.queue) == 0 {
		return nil
	}
	ptx, err := r.s.beginWrite(ctx, true)
	if err != nil {
		return fmt.Errorf("suggestion run %d: begin: %w", r.id, err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	w, err := r.newBatch(ctx, ptx)
	if err != nil {
		return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	docs := make([]int64, 0, len(r.queue))
	for _, q := range r.queue {
		if err := w.document(q.doc, q.d); err != nil {
			return fmt.Errorf("suggestion run %d: document %d: %w", r.id, q.doc, mapErr(err))
		}
		docs = append(docs, q.doc)
	}
	if err := w.copyRows(); err != nil {
		return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	if err := w.replaceAll(); err != nil {
		return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	doc := int64(0)
	if len(docs) == 1 {
		doc = docs[0]
	}
	if err := notify(ctx, w.tx, doc); err != nil {
		return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("suggestion run %d: commit: %w", r.id, mapErr(err))
	}
	r.seq = w.seq
	r.totals.Documents += len(r.queue)
	r.totals.Added += w.totals.Added
	r.totals.Replaced += w.totals.Replaced
	r.totals.Events += w.totals.Events
	clear(r.queue) // drafts are large: drop them now
	r.queue, r.queued = r.queue[:0], 0
	return nil
}

// Finish writes what is queued, stamps the run finished (when complete) and completes
// the op's summary. It uses ctx only for the writes: pass a context that is not
// cancelled when finishing a cancelled run.
func (r *suggestRun) Finish(ctx context.Context, complete bool) (annotate.RunTotals, error) {
	if r.done {
		return r.totals, nil
	}
	if err := r.Flush(ctx); err != nil {
		return r.totals, err
	}
	r.done = true
	ptx, err := r.s.beginWrite(ctx, true)
	if err != nil {
		return r.totals, fmt.Errorf("suggestion run %d: begin: %w", r.id, err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	tx := pgq{ptx}
	if complete {
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET finished = ? WHERE id = ?`, micros(r.s.now()), r.id); err != nil {
			return r.totals, fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
		}
	}
	t := r.totals
	summary := fmt.Sprintf("suggest run %d (%s): %d spans, %d events in %d documents", r.id, r.run.Source, t.Added, t.Events, t.Documents)
	if t.Replaced > 0 {
		summary += fmt.Sprintf(", %d older suggestions replaced", t.Replaced)
	}
	if !complete {
		summary += " (cancelled)"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ops SET summary = ? WHERE id = ?`, summary, r.op); err != nil {
		return r.totals, fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return r.totals, fmt.Errorf("suggestion run %d: commit: %w", r.id, mapErr(err))
	}
	return r.totals, nil
}

// runBatch writes documents inside one transaction.
type runBatch struct {
	ctx    context.Context
	ptx    pgx.Tx
	tx     txLike
	r      *suggestRun
	labels map[string]bool
	voc    *vocabulary
	// runs of the same source: their undecided spans are replaced
	sameSource map[int64]bool
	sources    map[int64]string // run -> source (suggestrun_proposers.go)
	seq        int
	totals     annotate.RunTotals
	now        int64

	spans, events, args [][]any
	runDocs             []int64 // documents given new spans (run_docs)
	// documents to run replace on once their new rows are in, with what they held
	replaces []replaceDoc
}

type replaceDoc struct {
	doc      int64
	existing map[spanKey]*storedSpan
}

func (r *suggestRun) newBatch(ctx context.Context, ptx pgx.Tx) (*runBatch, error) {
	tx := pgq{ptx}
	w := &runBatch{ctx: ctx, ptx: ptx, tx: tx, r: r, seq: r.seq, now: micros(r.s.now()), sameSource: map[int64]bool{}}
	labels, err := queryStrings(ctx, tx, `SELECT name FROM labels`)
	if err != nil {
		return nil, err
	}
	w.labels = make(map[string]bool, len(labels))
	for _, l := range labels {
		w.labels[l] = true
	}
	if w.voc, err = loadVocabulary(ctx, tx); err != nil {
		return nil, err
	}
	if r.run.Replace {
		ids, err := queryIDs(ctx, tx, `SELECT id FROM runs WHERE source = ? AND id != ?`, r.run.Source, r.id)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			w.sameSource[id] = true
		}
	}
	return w, nil
}

// nextIDs takes n ids from table's sequence.
func (w *runBatch) nextIDs(table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	return queryIDs(w.ctx, w.tx, `SELECT nextval(?) FROM generate_series(1, ?)`, sequenceOf(table), n)
}

// storedSpan is a span already in the document.
type storedSpan struct {
	id       int64
	status   string
	run      int64
	claimant int64
	proposed bool // the new draft proposes it again
}

// document queues one document's draft: the same rules as AddSuggestions (a span whose
// range and label exist in any status is skipped; events whose trigger was skipped are
// skipped), and, with Run.Replace, notes the document for replaceAll.
func (w *runBatch) document(docID int64, d annotate.Draft) error {
	ctx := w.ctx
	var text string
	if err := w.tx.QueryRowContext(ctx, `SELECT text FROM documents WHERE id = ?`, docID).Scan(&text); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return annotate.Errorf(annotate.ENotFound, "document %d does not exist", docID)
		}
		return err
	}
	doc := &annotate.Document{ID: docID, Text: text, ExternalID: fmt.Sprint(docID)}
	p, err := validateDraft(doc, d, w.labels, w.voc, w.r.run.Annotator, annotate.StatusSuggested, "")
	if err != nil {
		return err
	}
	existing, err := w.stored(docID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(d.Spans))
	isNew := make([]bool, len(d.Spans))
	fresh := 0
	for i, sp := range d.Spans {
		k := spanKey{sp.Start, sp.End, sp.Label}
		if old, ok := existing[k]; ok {
			ids[i] = old.id
			old.proposed = true
			continue
		}
		isNew[i] = true
		existing[k] = &storedSpan{status: string(annotate.StatusSuggested), run: w.r.id, proposed: true}
		fresh++
	}
	newIDs, err := w.nextIDs("spans", fresh)
	if err != nil {
		return err
	}
	for i, sp := range d.Spans {
		if isNew[i] {
			ids[i], newIDs = newIDs[0], newIDs[1:]
			existing[spanKey{sp.Start, sp.End, sp.Label}].id = ids[i]
		}
	}
	if err := w.coPropose(d.Spans, p.origin, ids, isNew, existing); err != nil {
		return err
	}
	for i, sp := range d.Spans {
		if !isNew[i] {
			continue
		}
		attrs := p.attrs[i]
		if src, ok := d.Claimants[i]; ok && ids[src] != 0 {
			s, err := withClaimant(attrs, ids[src], p.text[src])
			if err != nil {
				return err
			}
			attrs = s
		}
		// times 0: read as the run's start (spanCols)
		w.spans = append(w.spans, []any{ids[i], docID, sp.Start, sp.End, sp.Label, "suggested", p.origin[i], p.annot[i],
			int64(0), int64(0), attrs, p.text[i], sqlstore.ConfidenceArg(sp.Confidence), w.r.id, sqlstore.ProposersArg(annotate.ProposersOfRun(sp.Proposers, w.r.id))})
		w.totals.Added++
	}
	if fresh > 0 {
		w.runDocs = append(w.runDocs, docID)
	}
	var events []annotate.DraftEvent
	nargs := 0
	for _, e := range d.Events {
		if isNew[e.Trigger] {
			events = append(events, e)
			nargs += len(e.Args)
		}
	}
	evIDs, err := w.nextIDs("events", len(events))
	if err != nil {
		return err
	}
	type argKey struct {
		role string
		span int64
	}
	seen := map[argKey]bool{}
	var args [][3]any
	for j, e := range events {
		ev := evIDs[j]
		w.events = append(w.events, []any{ev, docID, e.Type, ids[e.Trigger], "suggested", e.Origin, w.r.run.Annotator, w.now})
		clear(seen)
		for _, arg := range e.Args {
			k := argKey{arg.Role, ids[arg.Span]}
			if !isNew[arg.Span] || seen[k] {
				continue
			}
			seen[k] = true
			if err := w.voc.check(e.Type, arg.Role); err != nil {
				return err
			}
			args = append(args, [3]any{ev, arg.Role, k.span})
		}
		w.totals.Events++
	}
	argIDs, err := w.nextIDs("event_args", len(args))
	if err != nil {
		return err
	}
	for j, a := range args {
		w.args = append(w.args, []any{argIDs[j], a[0], a[1], a[2]})
	}
	if w.r.run.Replace {
		w.replaces = append(w.replaces, replaceDoc{docID, existing})
	}
	return nil
}

// copyRows inserts the queued rows: spans, then events, then their arguments (foreign keys).
func (w *runBatch) copyRows() error {
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"spans", []string{"id", "doc", "start", "end", "label", "status", "origin", "annotator", "created", "updated", "attrs", "text", "confidence", "run", "proposers"}, w.spans},
		{"events", []string{"id", "doc", "type", "trigger", "status", "origin", "annotator", "created"}, w.events},
		{"event_args", []string{"id", "event", "role", "span"}, w.args},
	} {
		if len(t.rows) == 0 {
			continue
		}
		if _, err := w.ptx.CopyFrom(w.ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("write %s: %w", t.table, err)
		}
	}
	if len(w.runDocs) > 0 {
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO run_docs (run, doc) SELECT ?, unnest(?::bigint[]) ON CONFLICT DO NOTHING`,
			w.r.id, w.runDocs); err != nil {
			return fmt.Errorf("write run_docs: %w", err)
		}
	}
	w.spans, w.events, w.args, w.runDocs = nil, nil, nil, nil
	return nil
}

// stored reads the document's spans, keyed by range and label.
func (w *runBatch) stored(docID int64) (map[spanKey]*storedSpan, error) {
	out := map[spanKey]*storedSpan{}
	err := eachRow(w.ctx, w.tx, `SELECT id, start, "end", label, status, coalesce(run, 0),
		coalesce(CASE WHEN evident_json_valid(attrs) THEN (attrs::jsonb ->> 'claimant') END, '0')
		FROM spans WHERE doc = ?`, []any{docID}, func(r pgx.Rows) error {
		var k spanKey
		sp := &storedSpan{}
		var claimant string
		if err := r.Scan(&sp.id, &k.start, &k.end, &k.label, &sp.status, &sp.run, &claimant); err != nil {
			return err
		}
		fmt.Sscan(claimant, &sp.claimant) // a claimant that is not a number names no span
		out[k] = sp
		return nil
	})
	return out, err
}

func (w *runBatch) replaceAll() error {
	for _, d := range w.replaces {
		if err := w.replace(d.doc, d.existing); err != nil {
			return fmt.Errorf("document %d: %w", d.doc, err)
		}
	}
	w.replaces = nil
	return nil
}

// replace removes the undecided suggestions of earlier runs of this source (and those
// stored before runs existed) that the new draft does not propose, logging their images
// so that undoing the run restores them. A span stays when a decided event uses it or a
// span that stays names it as claimant.
func (w *runBatch) replace(docID int64, existing map[spanKey]*storedSpan) error {
	kept, err := w.dropOwnProposals(existing)
	if err != nil {
		return err
	}
	stale := map[int64]bool{}
	for _, sp := range existing {
		if !sp.proposed && sp.status == string(annotate.StatusSuggested) && (sp.run == 0 || w.sameSource[sp.run]) && !kept[sp.id] {
			stale[sp.id] = true
		}
	}
	if len(stale) == 0 {
		return nil
	}
	for _, sp := range existing {
		if sp.claimant != 0 && !stale[sp.id] {
			delete(stale, sp.claimant)
		}
	}
	// (a suggested event linked to an incident counts as decided: the link stays)
	keep, err := queryIDs(w.ctx, w.tx, `SELECT e.trigger FROM events e WHERE e.doc = ? AND `+keptEvent+`
		UNION SELECT a.span FROM event_args a JOIN events e ON e.id = a.event WHERE e.doc = ? AND `+keptEvent, docID, docID)
	if err != nil {
		return err
	}
	for _, id := range keep {
		delete(stale, id)
	}
	for id := range stale {
		if err := w.removeSpan(id); err != nil {
			return err
		}
		w.totals.Replaced++
	}
	return nil
}

// removeSpan deletes an undecided span with its suggested events and the arguments that
// use it, logging each row's before-image.
func (w *runBatch) removeSpan(id int64) error {
	return sqlstore.RemoveSuggestion(w.ctx, sq{w.tx}, id, w.removeRow)
}

func (w *runBatch) removeRow(table string, id int64) error {
	before, err := rowImage(w.ctx, w.tx, table, id)
	if err != nil || before == "" {
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, table, logged[table].IDCol), id); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO op_changes (op, seq, tbl, row_id, before, after) VALUES (?, ?, ?, ?, ?, NULL)`,
		w.r.op, w.seq, table, id, before); err != nil {
		return err
	}
	w.seq++
	return nil
}

// undoRun undoes a suggestion run inside tx: it deletes the run's suggestions that are
// still undecided (with their suggested events and arguments) and restores the rows the
// run replaced. Decided spans stay, and so do undecided ones that a decided event uses
// or a remaining span names as claimant. A run cannot be redone (run the suggester
// again), so its op ends up dropped.
func undoRun(ctx context.Context, tx txLike, op annotate.Op, runID int64) error {
	pc := phraseCounts{}
	return sqlstore.UndoRun(ctx, sq{tx}, op, sqlstore.Replayer{
		Image:   func(table string, id int64) (string, error) { return rowImage(ctx, tx, table, id) },
		Apply:   func(table string, id int64, img string) error { return applyImage(ctx, tx, table, id, img) },
		Counted: pc.addChange,
		Flush:   func() error { return pc.flush(ctx, tx) },
	}, func() error {
		// the run's spans, found by its documents (run_docs) and the spans_doc index
		doomed, err := queryIDs(ctx, tx, `SELECT s.id FROM spans s WHERE s.doc IN (SELECT doc FROM run_docs WHERE run = ?)
			AND s.run = ? AND s.status = 'suggested'
			AND NOT EXISTS (SELECT 1 FROM events e WHERE e.trigger = s.id AND `+keptEvent+`)
			AND NOT EXISTS (SELECT 1 FROM event_args a JOIN events e ON e.id = a.event WHERE a.span = s.id AND `+keptEvent+`)`, runID, runID)
		if err != nil {
			return err
		}
		// claimants named by spans that stay, stay
		stmts := []string{
			`DELETE FROM event_args WHERE span = ANY(?::bigint[]) OR event IN (SELECT id FROM events WHERE trigger = ANY(?::bigint[]))`,
			`DELETE FROM events WHERE trigger = ANY(?::bigint[])`,
			`DELETE FROM spans WHERE id = ANY(?::bigint[])`,
		}
		if len(doomed) > 0 {
			kept, err := queryIDs(ctx, tx, `SELECT DISTINCT (c.attrs::jsonb ->> 'claimant')::bigint FROM spans c
				WHERE c.doc IN (SELECT doc FROM run_docs WHERE run = ?) AND NOT (c.id = ANY(?::bigint[]))
				AND evident_json_valid(c.attrs) AND jsonb_typeof(c.attrs::jsonb -> 'claimant') = 'number'`, runID, doomed)
			if err != nil {
				return err
			}
			keep := map[int64]bool{}
			for _, id := range kept {
				keep[id] = true
			}
			n := 0
			for _, id := range doomed {
				if !keep[id] {
					doomed[n] = id
					n++
				}
			}
			doomed = doomed[:n]
			for _, q := range stmts {
				args := []any{doomed}
				if strings.Count(q, "?") == 2 {
					args = append(args, doomed)
				}
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// keptEvent is true for an event (e) that a re-run or undo of a run leaves with its
// spans: a decided one, or one linked to an incident.
const keptEvent = `(e.status != 'suggested' OR e.id IN (SELECT event FROM incident_events WHERE doc = e.doc))`
