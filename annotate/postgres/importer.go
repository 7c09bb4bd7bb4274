package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
)

// importer adds documents inside one transaction holding the write lock. Rows are
// buffered and written with COPY, a batch at a time: one round trip per table and batch
// instead of one per row, which is what makes a 100,000-document import on a server as
// fast as SQLite's in-process inserts. A full batch is copied on a goroutine of its own
// while Add prepares the next one (at most one batch in flight), so the server's work
// on one batch (most of all the foreign-key checks of the spans) runs beside the
// client's on the next. Ids are taken from the tables' identity sequences in blocks, on
// another connection of the pool, since the import's own may be busy copying
// (annotators keep working during an import and take ids from the same sequences; an id
// taken is never reused, whether or not the import commits). Imports are logged as one
// op without row images: they are not undoable.
type importer struct {
	s         *Store
	ctx       context.Context
	tx        pgx.Tx
	side      pgx.Tx // the search rows' transaction (see copyRows)
	docIDs    []int64
	annotator string
	labels    map[string]bool
	voc       *vocabulary
	known     map[docKey]bool    // (external id, sha256) already stored or added: skipped
	ids       map[string][]int64 // ids taken from each table's sequence, not used yet
	rows      importRows         // the batch being buffered
	spare     importRows         // the last copied batch's slices, reused for the next
	copying   chan error         // the result of the batch in flight; nil when none is
	keyer     textKeyer          // Add's
	prepKeyer textKeyer          // Prepare's: Prepare and AddPrepared may run at once
	added     int
	skipped   int
	closed    bool
	phrases   phraseCounts
	// beforeCommit, when set (by tests), runs just before the import's transaction
	// commits.
	beforeCommit func()
}

// importRows are the buffered rows of a batch, per table, in COPY's binary format.
type importRows struct {
	docs, spans, events, args copyBuf
	search                    copyBuf // search_text rows of the documents (see copyRows)
}

var _ annotate.ImportPreparer = (*importer)(nil)

type docKey struct{ ext, sha string }

// importBatch is how many documents are buffered before their rows are copied.
const importBatch = 2000

// BeginImport starts one import transaction. Until Commit or Rollback, other writers
// wait for the write lock; readers are not blocked.
func (s *Store) BeginImport(ctx context.Context, annotator string) (annotate.Importer, error) {
	tx, err := s.beginWrite(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("import: begin: %w", err)
	}
	side, err := s.pool.Begin(ctx)
	if err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("import: begin: %w", mapErr(err))
	}
	im := &importer{s: s, ctx: ctx, tx: tx, side: side, annotator: annotator, labels: map[string]bool{},
		known: map[docKey]bool{}, ids: map[string][]int64{}, phrases: phraseCounts{}}
	if err := im.prepare(); err != nil {
		im.rollback()
		return nil, fmt.Errorf("import: %w", mapErr(err))
	}
	return im, nil
}

func (im *importer) prepare() error {
	ctx, tx := im.ctx, pgq{im.tx}
	// The import writes its documents' search rows itself (copyRows): the search index's
	// insert trigger need not list them as pending (search.sql), for this transaction only.
	if _, err := tx.ExecContext(ctx, `SELECT set_config('evident.search_rows_written', 'on', true)`); err != nil {
		return err
	}
	names, err := queryStrings(ctx, tx, `SELECT name FROM labels`)
	if err != nil {
		return err
	}
	for _, n := range names {
		im.labels[n] = true
	}
	if im.voc, err = loadVocabulary(ctx, tx); err != nil {
		return err
	}
	// The duplicate test in memory: a COPY cannot skip conflicting rows. Two short
	// strings per stored document.
	rows, err := tx.QueryContext(ctx, `SELECT external_id, sha256 FROM documents`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k docKey
		if err := rows.Scan(&k.ext, &k.sha); err != nil {
			rows.Close()
			return err
		}
		im.known[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return nil
}

// sequenceOf names the identity sequence of table's id column (PostgreSQL's default name).
func sequenceOf(table string) string { return table + "_id_seq" }

// idBlock is how many ids one round trip takes from a sequence.
const idBlock = 4096

// id returns a new id of table, from the block taken from its sequence.
func (im *importer) id(ctx context.Context, table string) (int64, error) {
	if len(im.ids[table]) == 0 {
		ids, err := queryColumn[int64](ctx, im.s.ro(), `SELECT nextval(?) FROM generate_series(1, ?)`, sequenceOf(table), idBlock)
		if err != nil {
			return 0, fmt.Errorf("take ids of %s: %w", table, err)
		}
		im.ids[table] = ids
	}
	id := im.ids[table][0]
	im.ids[table] = im.ids[table][1:]
	return id, nil
}

// preparedDoc is a document checked by Prepare (or Add), with what it derives from its
// text: the hash and its search_text body and keys.
type preparedDoc struct {
	doc        *annotate.Document
	d          annotate.Draft
	plan       *draftPlan
	sha, body  string
	searchKeys []int32
}

// check validates doc and its draft and computes what the text gives, reading only what
// BeginImport loaded: Prepare runs it beside AddPrepared. k is the caller's.
func (im *importer) check(k *textKeyer, doc *annotate.Document, d annotate.Draft) (*preparedDoc, error) {
	p, err := validateDraft(doc, d, im.labels, im.voc, im.annotator, annotate.StatusAccepted, annotate.OriginImport)
	if err != nil {
		return nil, err
	}
	pd := &preparedDoc{doc: doc, d: d, plan: p, sha: annotate.TextHash(doc.Text)}
	pd.body, pd.searchKeys = k.fold(doc.Text)
	return pd, nil
}

// Prepare checks a document and its draft (annotate.ImportPreparer), so that `evident
// import` does it on its reading goroutine, beside the writing one. Calls to Prepare
// must not overlap each other (they share a buffer).
func (im *importer) Prepare(doc *annotate.Document, d annotate.Draft) (any, error) {
	return im.check(&im.prepKeyer, doc, d)
}

// Add stores doc with its draft spans (accepted, origin import unless the span says
// otherwise), events and claimants. The whole draft is validated before anything is
// buffered, so an error leaves the import as it was before the call.
func (im *importer) Add(ctx context.Context, doc *annotate.Document, d annotate.Draft) (bool, error) {
	if im.closed {
		return false, annotate.Errorf(annotate.EInvalid, "import: already committed or rolled back")
	}
	pd, err := im.check(&im.keyer, doc, d)
	if err != nil {
		return false, err
	}
	return im.AddPrepared(ctx, pd)
}

// AddPrepared stores a document Prepare checked, as Add does.
func (im *importer) AddPrepared(ctx context.Context, prepared any) (bool, error) {
	if im.closed {
		return false, annotate.Errorf(annotate.EInvalid, "import: already committed or rolled back")
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	pd := prepared.(*preparedDoc)
	doc, d, p, sha := pd.doc, pd.d, pd.plan, pd.sha
	k := docKey{doc.ExternalID, sha}
	if im.known[k] {
		im.skipped++
		return false, nil
	}
	im.known[k] = true
	now := micros(im.s.now())
	status := doc.Status
	if status == "" {
		status = annotate.DocNew
	}
	docID, err := im.id(ctx, "documents")
	if err != nil {
		return false, mapErr(err)
	}
	doc.ID, doc.SHA256, doc.Status = docID, sha, status
	im.docIDs = append(im.docIDs, docID)
	r := &im.rows
	r.docs.row(len(importDocCols))
	r.docs.int8(docID)
	for _, v := range []string{doc.ExternalID, doc.Title, doc.Source, doc.URL, doc.Published, string(status)} {
		r.docs.text(v)
	}
	r.docs.int8(now)
	r.docs.text(sha)
	r.docs.textOrNull(p.meta)
	r.docs.text(doc.Text)
	r.search.row(len(searchCols))
	r.search.int8(docID)
	r.search.text(pd.body)
	r.search.int4s(pd.searchKeys)
	ids := make([]int64, len(d.Spans))
	for i := range d.Spans {
		if ids[i], err = im.id(ctx, "spans"); err != nil {
			return false, mapErr(err)
		}
	}
	for c, src := range d.Claimants {
		attrs, err := withClaimant(p.attrs[c], ids[src], p.text[src])
		if err != nil {
			return false, err
		}
		p.attrs[c] = attrs
	}
	for i, sp := range d.Spans {
		r.spans.row(len(importSpanCols))
		r.spans.int8(ids[i])
		r.spans.int8(docID)
		r.spans.int8(int64(sp.Start))
		r.spans.int8(int64(sp.End))
		r.spans.text(sp.Label)
		r.spans.text(p.status[i])
		r.spans.text(p.origin[i])
		r.spans.text(p.annot[i])
		r.spans.int8(now)
		r.spans.int8(now)
		r.spans.textOrNull(p.attrs[i])
		r.spans.text(p.text[i])
		im.phrases.addSpan(p.text[i], sp.Label, p.status[i], +1)
	}
	for _, e := range d.Events {
		origin := e.Origin
		if origin == "" {
			origin = annotate.OriginImport
		}
		ev, err := im.id(ctx, "events")
		if err != nil {
			return false, mapErr(err)
		}
		r.events.row(len(importEventCols))
		r.events.int8(ev)
		r.events.int8(docID)
		r.events.text(e.Type)
		r.events.int8(ids[e.Trigger])
		r.events.text(p.status[e.Trigger])
		r.events.text(origin)
		r.events.text(im.annotator)
		r.events.int8(now)
		seen := map[annotate.Argument]bool{} // the SQLite backend's ON CONFLICT DO NOTHING
		for _, a := range e.Args {
			arg := annotate.Argument{Role: a.Role, SpanID: ids[a.Span]}
			if seen[arg] {
				continue
			}
			seen[arg] = true
			argID, err := im.id(ctx, "event_args")
			if err != nil {
				return false, mapErr(err)
			}
			r.args.row(len(importArgCols))
			r.args.int8(argID)
			r.args.int8(ev)
			r.args.text(a.Role)
			r.args.int8(ids[a.Span])
		}
	}
	im.added++
	if im.rows.docs.rows >= importBatch {
		if err := im.startCopy(ctx); err != nil {
			return false, fmt.Errorf("import: %w", mapErr(err))
		}
	}
	return true, nil
}

// startCopy hands the buffered batch to a goroutine that copies it, once the batch
// before it is copied; its error, if any, comes from the next startCopy or wait.
func (im *importer) startCopy(ctx context.Context) error {
	if err := im.wait(); err != nil {
		return err
	}
	rows := im.rows
	im.rows, im.spare = im.spare, importRows{}
	im.rows.reset()
	done := make(chan error, 1)
	im.copying = done
	go func() {
		err := copyRows(ctx, im.tx, im.side, &rows)
		im.spare = rows // read by the next startCopy, after wait
		done <- err
	}()
	return nil
}

// wait waits for the batch in flight, if any, and returns its error.
func (im *importer) wait() error {
	if im.copying == nil {
		return nil
	}
	err := <-im.copying
	im.copying = nil
	return err
}

// copyRows copies a batch's rows and empties them (keeping their slices). The
// documents' search rows are written too, from the texts Add had in memory, so the
// documents are not listed in search_pending (see prepare): indexPending at Commit
// would otherwise read every imported text back to fold it.
//
// The search rows go through side, a transaction of their own on a second connection,
// at the same time as the rest: the server indexes them on another core while the
// import's backend writes the spans, which need the documents of its own transaction.
// search_text has no foreign key, and side commits just before the import does, so the
// documents and their search rows become visible together; should the import fail
// after that, its search rows name documents that do not exist (ids are never reused),
// which no search can return (every search reads documents) and Commit lists as
// pending, for the next indexing to remove (see Commit).
func copyRows(ctx context.Context, tx, side pgx.Tx, r *importRows) error {
	searched := make(chan error, 1)
	go func() {
		err := r.search.copyTo(ctx, side, "search_text", searchCols)
		if err != nil {
			err = fmt.Errorf("write search_text: %w", err)
		}
		searched <- err
	}()
	err := copyTables(ctx, tx, r)
	if serr := <-searched; err == nil {
		err = serr
	}
	return err
}

// copyTables copies a batch's rows but its search rows, in the import's transaction.
func copyTables(ctx context.Context, tx pgx.Tx, r *importRows) error {
	for _, t := range []struct {
		table string
		cols  []string
		rows  *copyBuf
	}{
		{"documents", importDocCols, &r.docs},
		{"spans", importSpanCols, &r.spans},
		{"events", importEventCols, &r.events},
		{"event_args", importArgCols, &r.args},
	} {
		if err := t.rows.copyTo(ctx, tx, t.table, t.cols); err != nil {
			return fmt.Errorf("write %s: %w", t.table, err)
		}
	}
	return nil
}

// The columns an import writes, in the order AddPrepared writes their values.
var (
	importDocCols   = []string{"id", "external_id", "title", "source", "url", "published", "status", "added", "sha256", "meta", "text"}
	importSpanCols  = []string{"id", "doc", "start", "end", "label", "status", "origin", "annotator", "created", "updated", "attrs", "text"}
	importEventCols = []string{"id", "doc", "type", "trigger", "status", "origin", "annotator", "created"}
	importArgCols   = []string{"id", "event", "role", "span"}
)

// reset empties every table's rows, keeping their memory.
func (r *importRows) reset() {
	for _, c := range []*copyBuf{&r.docs, &r.spans, &r.events, &r.args, &r.search} {
		c.reset()
	}
}

// Commit writes what is buffered, moves the id sequences past the ids used, logs the
// import as one op and commits it.
func (im *importer) Commit() error {
	if im.closed {
		return annotate.Errorf(annotate.EInvalid, "import: already committed or rolled back")
	}
	im.closed = true
	ctx := im.ctx
	fail := func(err error) error {
		im.rollback()
		return fmt.Errorf("import: %w", mapErr(err))
	}
	if err := im.startCopy(ctx); err != nil {
		return fail(err)
	}
	if err := im.wait(); err != nil {
		return fail(err)
	}
	tx := pgq{im.tx}
	if err := bulkPhrases(ctx, im.tx, im.phrases); err != nil {
		return fail(err)
	}
	if err := indexPending(ctx, im.tx); err != nil { // the documents and their search index land together
		return fail(err)
	}
	a := &action{ctx: ctx, tx: tx, kind: "import", annotator: im.annotator, at: im.s.now(),
		summary: fmt.Sprintf("imported %d documents", im.added), notUndoable: true}
	if im.skipped > 0 {
		a.summary += fmt.Sprintf(" (%d already present, skipped)", im.skipped)
	}
	if err := a.log(); err != nil {
		return fail(err)
	}
	if err := im.side.Commit(ctx); err != nil {
		return fail(fmt.Errorf("commit search rows: %w", err))
	}
	if im.beforeCommit != nil {
		im.beforeCommit()
	}
	if err := im.tx.Commit(ctx); err != nil {
		// The search rows are stored; the documents may or may not be (a connection
		// lost while committing leaves the outcome unknown: deleting the search rows
		// would leave committed documents out of the index for good). List them as
		// pending: the next indexing removes the rows of documents that do not exist
		// and reindexes the others, and a search reads pending documents meanwhile
		// (were this to fail too, the rows would only take room; see copyRows).
		if len(im.docIDs) > 0 {
			im.s.pool.Exec(context.WithoutCancel(ctx), `INSERT INTO search_pending (doc, stale) SELECT unnest($1::bigint[]), true
				ON CONFLICT (doc) DO UPDATE SET stale = true`, im.docIDs)
		}
		return fmt.Errorf("import: commit: %w", mapErr(err))
	}
	return nil
}

// Rollback abandons the import; nothing of it is stored. Rolling back after Commit is a
// no-op, so it can be deferred.
func (im *importer) Rollback() error {
	if im.closed {
		return nil
	}
	im.closed = true
	im.wait() // the connections are the copy's until it ends; its error no longer matters
	if err := im.rollback(); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("import: rollback: %w", err)
	}
	return nil
}

// rollback ends both transactions of the import, returning the first error.
func (im *importer) rollback() error {
	ctx := context.WithoutCancel(im.ctx)
	err := im.side.Rollback(ctx)
	if err2 := im.tx.Rollback(ctx); err2 != nil && (err == nil || errors.Is(err, pgx.ErrTxClosed)) {
		err = err2
	}
	return err
}

// bulkPhrases adds an import's phrase counts through a temporary table: one COPY and
// one INSERT instead of one upsert per phrase.
func bulkPhrases(ctx context.Context, tx pgx.Tx, pc phraseCounts) error {
	if len(pc) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE phrase_delta (text TEXT, label TEXT, accepted BIGINT, rejected BIGINT) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("phrase counts: %w", err)
	}
	rows := make([][]any, 0, len(pc))
	for k, c := range pc {
		if c != [2]int{} {
			rows = append(rows, []any{k.text, k.label, c[0], c[1]})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"phrase_delta"}, []string{"text", "label", "accepted", "rejected"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("phrase counts: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO phrases (text, label, accepted, rejected)
		SELECT text, label, accepted, rejected FROM phrase_delta
		ON CONFLICT (text, label) DO UPDATE SET accepted = phrases.accepted + excluded.accepted,
			rejected = phrases.rejected + excluded.rejected`); err != nil {
		return fmt.Errorf("phrase counts: %w", err)
	}
	clear(pc)
	return nil
}
