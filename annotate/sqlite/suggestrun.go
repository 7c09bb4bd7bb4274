package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// A suggestion run is stored for speed and size, not row by row as an editor action:
//
//   - The run is ONE op (kind "suggest") whose first logged change is a marker row
//     (tbl "runs", row_id = runs.id, no images). The spans it inserts get spans.run and
//     no images at all: undoing the run deletes the run's spans that are still
//     undecided, so there is nothing to restore for them. Only the rows a run removes
//     (undecided suggestions of an earlier run that it replaces) are imaged, so undo can
//     put them back.
//   - Documents are queued and written in batches, each batch one short IMMEDIATE
//     transaction with prepared statements: other writers (the window) wait at most
//     one batch, and a document is always stored whole or not at all.

// Batch bounds: a batch is written when any is reached. 4,000 spans take tens of
// milliseconds to insert, which is what the window's saves may wait.
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
	queued    int // spans in queue
	lastFlush time.Time
	totals    annotate.RunTotals
	lastDoc   int64
	done      bool
	// labels and vocabulary as the run began, for Prepare (read-only: safe for
	// concurrent use); each batch checks the labels again against the table
	labels map[string]bool
	voc    *vocabulary
	// conn writes the batches: foreign keys off (every reference is checked before it
	// is written, as an import does; the checks were 40% of SQLite's time on the rows)
	// and a larger cache. Dropped, not returned to the pool, when the run finishes.
	conn *sql.Conn
}

type queuedDoc struct {
	doc int64
	d   annotate.Draft
	p   *draftPlan // checked by Prepare, or nil
}

// preparedDraft is a draft checked by Prepare.
type preparedDraft queuedDoc

func (p *preparedDraft) DocID() int64 { return p.doc }

// BeginSuggestRun records a new run and its op; the op's summary is completed by Finish.
func (s *Store) BeginSuggestRun(ctx context.Context, r annotate.Run) (annotate.SuggestRun, error) {
	if strings.TrimSpace(r.Source) == "" {
		return nil, annotate.Errorf(annotate.EInvalid, "suggestion run: source is empty")
	}
	params, err := checkAttrs(r.Params)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("suggestion run: begin: %w", mapErr(err))
	}
	defer tx.Rollback()
	now := micros(s.now())
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (source, version, annotator, started, params) VALUES (?, ?, ?, ?, ?)`,
		r.Source, r.Version, r.Annotator, now, params)
	if err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	run := &suggestRun{s: s, run: r, lastFlush: time.Now()}
	if run.id, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	if run.labels, err = sqlstore.LabelSet(ctx, sq{tx}); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	if run.voc, err = loadVocabulary(ctx, tx); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	// As every new action does, the run makes the annotator's undone actions impossible
	// to redo.
	if _, err := tx.ExecContext(ctx, `UPDATE ops SET state = 'dropped' WHERE annotator = ? AND state = 'undone'`, r.Annotator); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	res, err = tx.ExecContext(ctx, `INSERT INTO ops (kind, annotator, at, doc, summary, undoable) VALUES ('suggest', ?, ?, 0, ?, 1)`,
		r.Annotator, now, fmt.Sprintf("suggest run %d (%s): running", run.id, r.Source))
	if err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	if run.op, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO op_changes (op, seq, tbl, row_id) VALUES (?, 0, ?, ?)`, run.op, runMarker, run.id); err != nil {
		return nil, fmt.Errorf("suggestion run: %w", mapErr(err))
	}
	run.seq = 1
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("suggestion run: commit: %w", mapErr(err))
	}
	return run, nil
}

func (r *suggestRun) ID() int64 { return r.id }

// Add queues a document's draft and writes the queue when a batch bound is reached.
func (r *suggestRun) Add(ctx context.Context, docID int64, d annotate.Draft) error {
	return r.add(ctx, queuedDoc{doc: docID, d: d})
}

// Prepare checks a draft against its document (annotate.DraftPreparer); it is safe for
// concurrent use.
func (r *suggestRun) Prepare(doc *annotate.Document, d annotate.Draft) (annotate.PreparedDraft, error) {
	p, err := validateDraft(doc, d, r.labels, r.voc, r.run.Annotator, annotate.StatusSuggested, "")
	if err != nil {
		return nil, err
	}
	return &preparedDraft{doc: doc.ID, d: d, p: p}, nil
}

// AddPrepared queues a draft checked by Prepare, as Add does.
func (r *suggestRun) AddPrepared(ctx context.Context, p annotate.PreparedDraft) error {
	q, ok := p.(*preparedDraft)
	if !ok {
		return fmt.Errorf("suggestion run %d: a %T was not prepared by it", r.id, p)
	}
	return r.add(ctx, queuedDoc(*q))
}

func (r *suggestRun) add(ctx context.Context, q queuedDoc) error {
	if r.done {
		return fmt.Errorf("suggestion run %d is finished", r.id)
	}
	r.queue = append(r.queue, q)
	r.queued += len(q.d.Spans)
	if r.queued >= runBatchSpans || len(r.queue) >= runBatchDocs || time.Since(r.lastFlush) >= runBatchWait {
		return r.Flush(ctx)
	}
	return nil
}

// Flush writes the queued documents in one transaction.
func (r *suggestRun) Flush(ctx context.Context) error {
	r.lastFlush = time.Now()
	if len(r.queue) == 0 {
		return nil
	}
	// A batch is short and is written whole: its statements run without the caller's
	// cancellation, which go-sqlite3 watches with a goroutine per statement (that cost
	// more than the inserts).
	ctx = context.WithoutCancel(ctx)
	if r.conn == nil {
		conn, err := r.s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
		}
		r.conn = conn
		// Pragmas outside any transaction (foreign_keys is a no-op inside one). A batch
		// touches the index pages of many documents; SQLite's default 2 MB cache makes
		// it read them again and again.
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF; PRAGMA cache_size = -32768`); err != nil {
			r.dropConn()
			return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
		}
	}
	tx, err := r.s.begin(ctx, r.conn)
	if err != nil {
		return fmt.Errorf("suggestion run %d: begin: %w", r.id, mapErr(err))
	}
	defer tx.Rollback()
	w, err := r.newBatch(ctx, tx)
	if err != nil {
		return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	defer w.close()
	for _, q := range r.queue {
		if err := w.document(q); err != nil {
			return fmt.Errorf("suggestion run %d: document %d: %w", r.id, q.doc, mapErr(err))
		}
	}
	// the rows still queued: arguments flush events and spans first (foreign keys)
	for _, in := range []*rowInserter{&w.args, &w.runDocs} {
		if err := in.flush(); err != nil {
			return fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("suggestion run %d: commit: %w", r.id, mapErr(err))
	}
	r.seq = w.seq
	for _, q := range r.queue {
		if q.doc != r.lastDoc { // the parts of one document count once
			r.totals.Documents++
		}
		r.lastDoc = q.doc
	}
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
	err := r.Flush(ctx)
	r.dropConn()
	if err != nil {
		return r.totals, err
	}
	r.done = true
	tx, err := r.s.begin(ctx, r.s.db)
	if err != nil {
		return r.totals, fmt.Errorf("suggestion run %d: begin: %w", r.id, mapErr(err))
	}
	defer tx.Rollback()
	state := "cancelled"
	if complete {
		state = "done"
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
		summary += " (" + state + ")"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ops SET summary = ? WHERE id = ?`, summary, r.op); err != nil {
		return r.totals, fmt.Errorf("suggestion run %d: %w", r.id, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return r.totals, fmt.Errorf("suggestion run %d: commit: %w", r.id, mapErr(err))
	}
	return r.totals, nil
}

// dropConn closes the batches' connection, dropping it from the pool (its pragmas
// differ from the pool's).
func (r *suggestRun) dropConn() {
	if r.conn != nil {
		r.conn.Raw(func(any) error { return driver.ErrBadConn })
		r.conn.Close()
		r.conn = nil
	}
}

// runBatch writes documents inside one transaction with statements prepared once.
type runBatch struct {
	ctx      context.Context
	tx       *sql.Tx
	r        *suggestRun
	labels   map[string]bool
	labelIDs map[string]int64 // the labels' ids (rows.go)
	voc      *vocabulary
	// runs of the same source: their undecided spans are replaced
	sameSource map[int64]bool
	sources    map[int64]string // run -> source (suggestrun_proposers.go)
	seq        int
	totals     annotate.RunTotals
	now        int64

	// ids of the next rows: the batch holds the write lock, so it numbers its rows
	// itself and inserts them many to a statement
	nextSpan, nextEvent int64
	spans, events, args rowInserter
	names               nameIDs        // ids of origin and role names (rows.go)
	texts               docTexts       // the last document whose spans were imaged
	runDocs             rowInserter    // documents given new spans (run_docs)
	docs                map[int64]bool // documents of this batch so far

	text, exists, existing, logChange *sql.Stmt
}

func (r *suggestRun) newBatch(ctx context.Context, tx *sql.Tx) (*runBatch, error) {
	w := &runBatch{ctx: ctx, tx: tx, r: r, seq: r.seq, now: micros(r.s.now()), sameSource: map[int64]bool{}, docs: map[int64]bool{},
		names: nameIDs{}}
	w.texts = docTexts{ctx: ctx, q: tx}
	var err error
	if w.labelIDs, err = labelIDs(ctx, tx); err != nil {
		return nil, err
	}
	w.labels = make(map[string]bool, len(w.labelIDs))
	for n := range w.labelIDs {
		w.labels[n] = true
	}
	if w.voc, err = loadVocabulary(ctx, tx); err != nil {
		return nil, err
	}
	if r.run.Replace {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM runs WHERE source = ? AND id != ?`, r.run.Source, r.id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			w.sameSource[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&w.text, `SELECT text FROM documents WHERE id = ?`},
		{&w.exists, `SELECT 1 FROM documents WHERE id = ?`},
		{&w.existing, `SELECT id, start, "end", label, status, coalesce(run, 0),
			CASE WHEN attrs LIKE '%"claimant"%' THEN coalesce(json_extract(attrs, '$.claimant'), 0) ELSE 0 END
			FROM spans WHERE doc = ?`},
		{&w.logChange, `INSERT INTO op_changes (op, seq, tbl, row_id, before, after) VALUES (?, ?, ?, ?, ?, NULL)`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.st = st
	}
	for _, n := range []struct {
		next  *int64
		table string
	}{{&w.nextSpan, "span_rows"}, {&w.nextEvent, "event_rows"}} {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+n.table).Scan(n.next); err != nil {
			w.close()
			return nil, err
		}
	}
	// ?1 document, ?2 annotator, ?3 time, ?4 run: bound once per statement; the rows
	// are one JSON array of arrays, the last parameter
	// Rows of every document of the batch go in together, 2,048 to a statement: spans,
	// then events, then arguments (each inserter flushes the one it depends on first).
	// A run's spans are its annotator's, whatever a draft span says; their times are 0,
	// read as the run's start (spanCols): no bytes on disk. They go into the row tables
	// (rows.go): status 0 (suggested), the origin's id, no text (the document's).
	// ?1 annotator, ?2 time, ?3 run: bound once per statement; the rows are one JSON
	// array of arrays.
	w.spans = rowInserter{ctx: ctx, tx: tx, shared: 2, vals: []any{r.run.Annotator, r.id}, query: `INSERT INTO span_rows
		(id, doc, start, "end", label, st, origin, annotator, created, updated, attrs, text, confidence, run, proposers)
		SELECT value->>0, value->>1, value->>2, value->>3, value->>4, 0, value->>5, ?1, 0, 0, value->>6, NULL, value->>7, ?2, value->>8
		FROM json_each(?3)`}
	w.events = rowInserter{ctx: ctx, tx: tx, shared: 2, vals: []any{r.run.Annotator, w.now}, after: &w.spans,
		query: `INSERT INTO event_rows (id, doc, type, trigger, st, origin, annotator, created)
		SELECT value->>0, value->>1, value->>2, value->>3, 0, value->>4, ?1, ?2 FROM json_each(?3)`}
	// the run's events are new and their arguments distinct (document): no duplicates
	w.args = rowInserter{ctx: ctx, tx: tx, after: &w.events, query: `INSERT INTO arg_rows (event, role, span)
		SELECT value->>0, value->>1, value->>2 FROM json_each(?1)`}
	w.runDocs = rowInserter{ctx: ctx, tx: tx, shared: 1, vals: []any{r.id}, query: `INSERT INTO run_docs (run, doc)
		SELECT ?1, value->>0 FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING`}
	return w, nil
}

func (w *runBatch) close() {
	for _, st := range []*sql.Stmt{w.text, w.exists, w.existing, w.logChange} {
		if st != nil {
			st.Close()
		}
	}
	w.spans.close()
	w.events.close()
	w.args.close()
	w.runDocs.close()
}

// rowInserter inserts rows many to a statement: the rows go as one JSON array bound
// to one parameter, which SQLite unpacks with json_each. Binding each value through
// database/sql and a cgo call cost more than SQLite's work on the row; encoding JSON
// costs little. Values the rows share are bound once.
type rowInserter struct {
	ctx    context.Context
	tx     *sql.Tx
	query  string // the INSERT ... SELECT ... FROM json_each(?shared+1)
	shared int
	after  *rowInserter // flushed first: the rows these rows refer to
	vals   []any        // the shared values, then the JSON rows
	buf    []byte       // the queued rows: "[row,row,..."
	rows   int
	st     *sql.Stmt
}

const insertChunk = 2048 // rows per statement at most

// add queues one row (ints, strings, float64, nil) and inserts a full chunk.
func (r *rowInserter) add(vals ...any) error {
	if r.rows == 0 {
		r.buf = append(r.buf[:0], '[')
	} else {
		r.buf = append(r.buf, ',')
	}
	r.buf = append(r.buf, '[')
	for i, v := range vals {
		if i > 0 {
			r.buf = append(r.buf, ',')
		}
		switch v := v.(type) {
		case nil:
			r.buf = append(r.buf, "null"...)
		case int:
			r.buf = strconv.AppendInt(r.buf, int64(v), 10)
		case int64:
			r.buf = strconv.AppendInt(r.buf, v, 10)
		case float64:
			r.buf = strconv.AppendFloat(r.buf, v, 'g', -1, 64)
		case string:
			r.buf = appendJSONText(r.buf, v)
		default:
			return fmt.Errorf("suggestion run: cannot insert a %T", v)
		}
	}
	r.buf = append(r.buf, ']')
	r.rows++
	if r.rows >= insertChunk {
		return r.flush()
	}
	return nil
}

// appendJSONText appends s as a JSON string; s is valid UTF-8 (validateDraft checks
// the text, and attributes are JSON), which JSON carries as it is.
func appendJSONText(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// flush inserts the queued rows, after those of the inserter they depend on.
func (r *rowInserter) flush() error {
	if r.after != nil {
		if err := r.after.flush(); err != nil {
			return err
		}
	}
	if r.rows == 0 {
		return nil
	}
	if r.st == nil {
		st, err := r.tx.PrepareContext(r.ctx, r.query)
		if err != nil {
			return err
		}
		r.st = st
	}
	r.buf = append(r.buf, ']')
	args := append(r.vals[:r.shared:r.shared], string(r.buf))
	if _, err := r.st.ExecContext(r.ctx, args...); err != nil {
		return err
	}
	r.rows = 0
	return nil
}

func (r *rowInserter) close() {
	if r.st != nil {
		r.st.Close()
	}
}

// storedSpan is a span already in the document.
type storedSpan struct {
	id       int64
	status   string
	run      int64
	claimant int64
	proposed bool // the new draft proposes it again
}

// document stores one document's draft: the same rules as AddSuggestions (a span whose
// range and label exist in any status is skipped; events whose trigger was skipped are
// skipped), then, with Run.Replace, removes the earlier undecided suggestions the draft
// no longer proposes.
func (w *runBatch) document(q queuedDoc) error {
	docID, d, p := q.doc, q.d, q.p
	if p != nil {
		// checked by Prepare: the document must still exist (nothing else checks it: the
		// batch writes with foreign keys off) and the labels still be there
		var one int
		if err := w.exists.QueryRowContext(w.ctx, docID).Scan(&one); err != nil {
			if err == sql.ErrNoRows {
				return annotate.Errorf(annotate.ENotFound, "document %d does not exist", docID)
			}
			return err
		}
		for i, sp := range d.Spans {
			if !w.labels[sp.Label] {
				return annotate.Errorf(annotate.EInvalid, "document %d: span %d: unknown label %q", docID, i, sp.Label)
			}
		}
	} else {
		var text string
		if err := w.text.QueryRowContext(w.ctx, docID).Scan(&text); err != nil {
			if err == sql.ErrNoRows {
				return annotate.Errorf(annotate.ENotFound, "document %d does not exist", docID)
			}
			return err
		}
		doc := &annotate.Document{ID: docID, Text: text, ExternalID: fmt.Sprint(docID)}
		var err error
		if p, err = validateDraft(doc, d, w.labels, w.voc, w.r.run.Annotator, annotate.StatusSuggested, ""); err != nil {
			return err
		}
	}
	if w.docs[docID] {
		// a second part of the document in this batch: its first part's rows must be
		// in the table for stored to see them
		if err := w.args.flush(); err != nil {
			return err
		}
	}
	w.docs[docID] = true
	existing, err := w.stored(docID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(d.Spans))
	isNew := make([]bool, len(d.Spans))
	// ours: new, or stored by an earlier part of this document in this run (a long
	// document's first screen goes first): arguments may use those too
	ours := make([]bool, len(d.Spans))
	run := w.r.id
	for i, sp := range d.Spans {
		k := spanKey{sp.Start, sp.End, sp.Label}
		if old, ok := existing[k]; ok {
			ids[i] = old.id
			old.proposed = true
			ours[i] = old.run == run && old.status == string(annotate.StatusSuggested)
			continue
		}
		ids[i], isNew[i], ours[i] = w.nextSpan, true, true
		w.nextSpan++
		existing[k] = &storedSpan{id: ids[i], status: string(annotate.StatusSuggested), run: run, proposed: true}
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
		origin, err := w.names.id(w.ctx, w.tx, p.origin[i])
		if err != nil {
			return err
		}
		if err := w.spans.add(ids[i], docID, sp.Start, sp.End, w.labelIDs[sp.Label], origin, attrs, confidence(sp.Confidence),
			sqlstore.ProposersArg(annotate.ProposersOfRun(sp.Proposers, run))); err != nil {
			return err
		}
		w.totals.Added++
	}
	if slices.Contains(isNew, true) {
		if err := w.runDocs.add(docID); err != nil {
			return err
		}
	}
	type argKey struct {
		role string
		span int64
	}
	seen := map[argKey]bool{}
	var pending []any // arguments, inserted after all events (foreign keys)
	for _, e := range d.Events {
		if !isNew[e.Trigger] {
			continue
		}
		ev := w.nextEvent
		w.nextEvent++
		origin, err := w.names.id(w.ctx, w.tx, e.Origin)
		if err != nil {
			return err
		}
		if err := w.events.add(ev, docID, e.Type, ids[e.Trigger], origin); err != nil {
			return err
		}
		clear(seen)
		for _, arg := range e.Args {
			k := argKey{arg.Role, ids[arg.Span]}
			if !ours[arg.Span] || seen[k] {
				continue
			}
			seen[k] = true
			if err := w.voc.check(e.Type, arg.Role); err != nil {
				return err
			}
			role, err := w.names.id(w.ctx, w.tx, arg.Role)
			if err != nil {
				return err
			}
			pending = append(pending, ev, role, k.span)
		}
		w.totals.Events++
	}
	for i := 0; i < len(pending); i += 3 {
		if err := w.args.add(pending[i : i+3]...); err != nil {
			return err
		}
	}
	if w.r.run.Replace {
		return w.replace(docID, existing)
	}
	return nil
}

// confidence turns an optional score into a column value.
func confidence(c *float64) any {
	if c == nil {
		return nil
	}
	return *c
}

// stored reads the document's spans, keyed by range and label.
func (w *runBatch) stored(docID int64) (map[spanKey]*storedSpan, error) {
	rows, err := w.existing.QueryContext(w.ctx, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[spanKey]*storedSpan{}
	for rows.Next() {
		var k spanKey
		sp := &storedSpan{}
		if err := rows.Scan(&sp.id, &k.start, &k.end, &k.label, &sp.status, &sp.run, &sp.claimant); err != nil {
			return nil, err
		}
		out[k] = sp
	}
	return out, rows.Err()
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
	// Spans a decided event uses stay, and so do those of an event linked to an incident
	// (the batch writes with foreign keys off: nothing may be left pointing at a
	// removed row).
	rows, err := w.tx.QueryContext(w.ctx, `WITH kept (id) AS (SELECT e.id FROM events e WHERE e.doc = ?1 AND `+keptEvent+`)
		SELECT trigger FROM events WHERE id IN kept
		UNION SELECT a.span FROM event_args a WHERE a.event IN kept`, docID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		delete(stale, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
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
	before, err := rowImage(w.ctx, w.tx, table, id, &w.texts)
	if err != nil {
		return err
	}
	if before == "" {
		return nil
	}
	if _, err := w.tx.ExecContext(w.ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, table, logged[table].IDCol), id); err != nil {
		return err
	}
	if _, err := w.logChange.ExecContext(w.ctx, w.r.op, w.seq, table, id, before); err != nil {
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
func undoRun(ctx context.Context, tx *sql.Tx, op annotate.Op, runID int64) error {
	texts := &docTexts{ctx: ctx, q: tx}
	pc := phraseCounts{}
	return sqlstore.UndoRun(ctx, sq{tx}, op, sqlstore.Replayer{
		Image:   func(table string, id int64) (string, error) { return rowImage(ctx, tx, table, id, texts) },
		Apply:   func(table string, id int64, img string) error { return applyImage(ctx, tx, table, id, img) },
		Counted: pc.addChange,
		Flush:   func() error { return pc.flush(ctx, tx) },
	}, func() error {
		stmts := []string{
			`CREATE TEMP TABLE IF NOT EXISTS undo_run (id INTEGER PRIMARY KEY)`,
			`DELETE FROM temp.undo_run`,
			// the run's spans, found by its documents (run_docs) and the spans_doc index
			`INSERT INTO temp.undo_run (id) SELECT s.id FROM spans s WHERE s.doc IN (SELECT doc FROM run_docs WHERE run = ?1)
				AND s.run = ?1 AND s.status = 'suggested'
				AND NOT EXISTS (SELECT 1 FROM events e WHERE e.trigger = s.id AND ` + keptEvent + `)
				AND NOT EXISTS (SELECT 1 FROM event_args a JOIN events e ON e.id = a.event WHERE a.span = s.id AND ` + keptEvent + `)`,
			// claimants named by spans that stay, stay
			`DELETE FROM temp.undo_run WHERE id IN (SELECT json_extract(c.attrs, '$.claimant') FROM spans c
				WHERE c.doc IN (SELECT doc FROM run_docs WHERE run = ?1) AND c.attrs LIKE '%"claimant"%'
				AND c.id NOT IN temp.undo_run)`,
			`DELETE FROM arg_rows WHERE span IN temp.undo_run
				OR event IN (SELECT id FROM events WHERE trigger IN temp.undo_run)`,
			`DELETE FROM event_rows WHERE trigger IN temp.undo_run`,
			`DELETE FROM span_rows WHERE id IN temp.undo_run`,
			`DELETE FROM temp.undo_run`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, runID); err != nil {
				return err
			}
		}
		return nil
	})
}

// keptEvent is true for an event (e) that a re-run or undo of a run leaves with its
// spans: a decided one, or one linked to an incident.
const keptEvent = `(e.status != 'suggested' OR e.id IN (SELECT event FROM incident_events WHERE doc = e.doc))`
