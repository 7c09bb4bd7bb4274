package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/query"
)

// importer adds documents in chunks: short IMMEDIATE transactions of about chunkTime
// each, so that other writers (the window's saves, another command) wait at most that
// long. Its documents carry its batch (import_batches), which stays 'staged' until Commit
// flips it to 'published' in one short transaction; readers leave staged documents out,
// so the user sees the whole import or none of it, even if the process is killed.
// Imports are logged as one op ("imported N documents") without row images: they are
// not undoable (a re-import skips what is there; deleting an import is not offered).
//
// It runs on a connection of its own, taken out of the pool and closed at the end, with
// foreign key enforcement off (every reference an import writes is validated first:
// labels, event types and roles, span indices, and ids it assigned itself) and a larger
// page cache: both cut the cost of every inserted row. It does not checkpoint the WAL
// itself: a checkpointer does, on another connection and goroutine (checkpoint.go).
type importer struct {
	s         *Store
	ctx       context.Context
	conn      *sql.Conn
	ckpt      *checkpointer
	annotator string
	batch     int64
	labels    map[string]bool
	labelIDs  map[string]int64 // the labels' ids (rows.go)
	voc       *vocabulary
	doc       *sql.Stmt
	spanN     map[int]*sql.Stmt // multi-row span inserts by row count
	nextSpan  int64             // ids are assigned here: each chunk holds the write lock
	args      []any
	event     *sql.Stmt
	arg       *sql.Stmt
	attrs     *sql.Stmt
	inChunk   bool      // a chunk transaction is open
	chunkAt   time.Time // when it began
	staged    int       // documents in committed chunks
	added     int
	skipped   int
	closed    bool
	ids       []int64 // reused: stored ids of the current draft's spans
	phrases   phraseCounts
	names     nameIDs  // ids of origin and role names (rows.go), kept across the import's transactions
	prepCuts  spanCuts // Prepare's buffer
	addCuts   spanCuts // Add's: Add and Prepare may run at once
	// The search index: a document's tokens are made beside its other checks (on the
	// reading goroutine with Prepare) and indexed a few thousand documents at a time
	// (flushIndex).
	ftsOn     bool
	ixw       *indexWriter // writes the index file on a goroutine of its own (indexwriter.go)
	prepIx    query.Indexer
	addIx     query.Indexer
	stale     map[int64]bool // documents whose index may hold an older text (search_pending.stale)
	firstDoc  int64          // the chunk's first and last new document, 0 when none
	lastDoc   int64
	toIndex   []indexRow // added documents not indexed yet
	toIndexN  int        // their tokens' bytes
	docRanges [][2]int64 // the committed chunks' documents not indexed yet, first and last id
}

// indexRow is a document's tokens waiting for flushIndex.
type indexRow struct {
	id      int64
	tokens  string
	deleted bool // no document has the id any more: only its entry is removed
}

// indexFlushBytes of tokens (about 2,000 articles) are indexed in one transaction. FTS5
// writes its in-memory entries out as a new segment at every commit and merges segments
// as they pile up: indexing in every 50 ms chunk made a segment per chunk and cost the
// import as much as everything else; a transaction of its own every few thousand
// documents costs a fraction, and stays short (tens of milliseconds), like a chunk.
const indexFlushBytes = 2 << 20

// chunkTime bounds one chunk transaction, and so how long an import makes another
// writer wait: a save from the window while an import runs commits within about this.
const chunkTime = 50 * time.Millisecond

// importCacheKiB is the import connection's page cache (PRAGMA cache_size, in KiB):
// index pages stay in memory across a chunk instead of being spilled and read back.
const importCacheKiB = 64 << 10

// BeginImport starts an import batch. Until Commit, nothing of it is visible; other
// writers get in between its chunks and readers are never blocked. Batches left staged by
// a killed import are removed first.
func (s *Store) BeginImport(ctx context.Context, annotator string) (annotate.Importer, error) {
	if s.readOnly {
		return nil, s.errReadOnly("import")
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: %w", mapErr(err))
	}
	im := &importer{s: s, ctx: ctx, conn: conn, annotator: annotator, labels: map[string]bool{}, phrases: phraseCounts{},
		names: nameIDs{}}
	if err := im.begin(); err != nil {
		im.discard()
		return nil, fmt.Errorf("import: %w", mapErr(err))
	}
	return im, nil
}

func (im *importer) begin() error {
	ctx, c := im.ctx, im.conn
	// Pragmas outside any transaction (foreign_keys is a no-op inside one).
	if _, err := c.ExecContext(ctx, fmt.Sprintf(`PRAGMA foreign_keys = OFF; PRAGMA cache_size = -%d; PRAGMA wal_autocheckpoint = 0`, importCacheKiB)); err != nil {
		return err
	}
	var err error
	if im.ckpt, err = im.s.startCheckpointer(ctx); err != nil {
		return err
	}
	if err := im.s.removeAbandoned(ctx, c); err != nil {
		return err
	}
	tx, err := im.s.begin(ctx, c)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO import_batches (annotator, pid, started) VALUES (?, ?, ?)`,
		im.annotator, os.Getpid(), micros(im.s.now()))
	if err != nil {
		return err
	}
	if im.batch, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if im.labelIDs, err = labelIDs(ctx, c); err != nil {
		return err
	}
	for n := range im.labelIDs {
		im.labels[n] = true
	}
	if im.voc, err = loadVocabulary(ctx, c); err != nil {
		return err
	}
	prep := func(q string) (*sql.Stmt, error) { return c.PrepareContext(ctx, q) }
	if im.doc, err = prep(`INSERT INTO documents (external_id, title, source, url, published, status, added, sha256, meta, text, batch)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (external_id, sha256) DO NOTHING`); err != nil {
		return err
	}
	im.spanN = map[int]*sql.Stmt{}
	if im.event, err = prep(`INSERT INTO event_rows (doc, type, trigger, st, origin, annotator, created)
		VALUES (?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return err
	}
	// event_args has no unique index (0009): a repeated argument is skipped here
	if im.arg, err = prep(`INSERT INTO arg_rows (event, role, span) SELECT ?1, ?2, ?3
		WHERE NOT EXISTS (SELECT 1 FROM arg_rows WHERE event = ?1 AND role = ?2 AND span = ?3)`); err != nil {
		return err
	}
	if im.attrs, err = prep(`UPDATE span_rows SET attrs = ? WHERE id = ?`); err != nil {
		return err
	}
	im.ftsOn = im.s.ixOK
	if im.ftsOn {
		im.ixw = im.s.startIndexWriter(ctx)
	}
	return nil
}

// beginChunk opens a chunk transaction. Statements are prepared once on the connection
// and reused by every chunk, so BEGIN and COMMIT are issued by hand.
func (im *importer) beginChunk(ctx context.Context) error {
	if err := im.s.retryBusy(ctx, func() error { _, err := im.conn.ExecContext(ctx, `BEGIN IMMEDIATE`); return err }); err != nil {
		return err
	}
	im.inChunk, im.chunkAt = true, time.Now()
	// Other writers may have added spans since the last chunk.
	var next int64
	if err := im.conn.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM span_rows`).Scan(&next); err != nil {
		return err
	}
	im.nextSpan = max(im.nextSpan, next)
	if im.ftsOn {
		done, err := im.ixw.take()
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if err := im.removeIndexed(ctx, im.conn, done); err != nil {
			return err
		}
		// A new document may reuse the id of a deleted one the index still holds: that
		// one is left to indexPending, which removes the old entry first. Normally none.
		ids, err := queryColumn[int64](ctx, im.conn, `SELECT doc FROM search_pending WHERE stale = 1`)
		if err != nil {
			return err
		}
		clear(im.stale)
		for _, id := range ids {
			if im.stale == nil {
				im.stale = map[int64]bool{}
			}
			im.stale[id] = true
		}
	}
	return nil
}

// commitChunk makes the chunk durable (still staged, so invisible).
func (im *importer) commitChunk(ctx context.Context) error {
	// A chunk's last statements run whatever the caller's cancellation, as its inserts do
	// (see AddPrepared): with a cancellable context the driver starts a goroutine per
	// statement, and a chunk flushes hundreds of phrase counts. The chunk is short, and
	// the next Add sees a cancellation.
	ctx = context.WithoutCancel(ctx)
	if err := im.phrases.flush(ctx, im.conn); err != nil {
		return err
	}
	if _, err := im.conn.ExecContext(ctx, `UPDATE import_batches SET documents = ? WHERE id = ?`, im.added, im.batch); err != nil {
		return err
	}
	if _, err := im.conn.ExecContext(ctx, `COMMIT`); err != nil {
		return err
	}
	im.inChunk = false
	im.ckpt.poke()
	im.staged = im.added
	if im.firstDoc != 0 {
		im.docRanges = append(im.docRanges, [2]int64{im.firstDoc, im.lastDoc})
		im.firstDoc, im.lastDoc = 0, 0
	}
	// Leave the lock free a moment: a writer waiting for it (a save from the window)
	// tries every busyPoll and gets in now rather than after the next chunk.
	time.Sleep(2 * busyPoll)
	if im.toIndexN >= indexFlushBytes {
		return im.flushIndex(ctx)
	}
	return nil
}

// flushIndex hands the documents of the committed chunks not indexed yet to the index
// writer (indexwriter.go), which indexes them in a transaction of the index file; the
// import's next transaction of the main file takes them off search_pending once that has
// committed (removeIndexed), never before. Until then their pending rows make searches
// read them directly (staged documents are not found anyway). If the import dies in
// between, their pending rows stay and the next import or open indexes them again,
// removing the entries first.
func (im *importer) flushIndex(ctx context.Context) error {
	if !im.ftsOn || len(im.docRanges) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := im.ixw.send(ctx, indexJob{rows: im.toIndex, ranges: im.docRanges}); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	// The writer owns the sent slices now.
	im.toIndex, im.toIndexN, im.docRanges = nil, 0, nil
	return nil
}

// removeIndexed takes the documents of the index writer's committed batches off
// search_pending inside the caller's transaction of the main file, and records the
// index's sequence number. It returns the writer's failure, if any.
func (im *importer) removeIndexed(ctx context.Context, tx txLike, done []indexDone) error {
	ctx = context.WithoutCancel(ctx) // as in commitChunk
	var seq int64
	for _, d := range done {
		for _, r := range d.ranges {
			// Only this import's documents are in a chunk's range (it held the write lock);
			// one whose id was reused (stale) was left to indexSome, as is one changed since.
			if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending WHERE doc BETWEEN ? AND ? AND stale = 0`, r[0], r[1]); err != nil {
				return fmt.Errorf("search index: %w", mapErr(err))
			}
		}
		seq = max(seq, d.seq)
	}
	if len(done) == 0 {
		return nil
	}
	return setMainSeq(ctx, tx, seq)
}

// spanBatch spans go into one INSERT.
const spanBatch = 16

// Span inserts bind what is common to a document's spans once per statement (numbered
// parameters ?1..?6: status, origin, annotator, time, document, the first span's id,
// the others' ids being ?6 + 1, ?6 + 2, …) and per span only its start, end, label,
// attributes and text, or without attributes (NULL) when none of the document's spans
// has any: binding is a cgo call per value and was a third of an import's time. A
// document whose spans differ in status, origin or annotator takes the general form with
// every value per span.
const (
	spanCommon  = 6
	spanPerRow  = 5
	spanGeneral = 12
)

// spanForm is the shape of a span insert.
type spanForm int

const (
	spanShared  spanForm = iota // common values once, attributes per span
	spanNoAttrs                 // common values once, no attributes
	spanAll                     // every value per span
)

// perRow is how many values a span binds in the form.
func (f spanForm) perRow() int {
	switch f {
	case spanAll:
		return spanGeneral
	case spanNoAttrs:
		return spanPerRow - 1
	}
	return spanPerRow
}

// spanStmt returns the prepared statement inserting n spans with explicit ids in form f.
func (im *importer) spanStmt(ctx context.Context, n int, f spanForm) (*sql.Stmt, error) {
	key := 3*n + int(f)
	if st, ok := im.spanN[key]; ok {
		return st, nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO span_rows (id, doc, start, "end", label, st, origin, annotator, created, updated, attrs, text) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		k := spanCommon + 1 + i*f.perRow()
		switch f {
		case spanAll:
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		case spanShared:
			fmt.Fprintf(&b, "(?6 + %d, ?5, ?%d, ?%d, ?%d, ?1, ?2, ?3, ?4, ?4, ?%d, ?%d)", i, k, k+1, k+2, k+3, k+4)
		case spanNoAttrs:
			fmt.Fprintf(&b, "(?6 + %d, ?5, ?%d, ?%d, ?%d, ?1, ?2, ?3, ?4, ?4, NULL, ?%d)", i, k, k+1, k+2, k+3)
		}
	}
	st, err := im.conn.PrepareContext(ctx, b.String())
	if err != nil {
		return nil, err
	}
	im.spanN[key] = st
	return st, nil
}

// insertSpans writes a document's spans with the given ids (consecutive), spanBatch per
// statement.
func (im *importer) insertSpans(ctx context.Context, docID, now int64, ids []int64, d annotate.Draft, p *draftPlan) error {
	if len(d.Spans) == 0 {
		return nil
	}
	f := spanNoAttrs
	for i := range d.Spans {
		if p.status[i] != p.status[0] || p.origin[i] != p.origin[0] || p.annot[i] != p.annot[0] {
			f = spanAll
			break
		}
		if p.attrs[i] != nil {
			f = spanShared
		}
	}
	args := im.args[:0]
	rows := 0
	for i, sp := range d.Spans {
		st := annotate.Status(p.status[i])
		origin, err := im.names.id(ctx, im.conn, p.origin[i])
		if err != nil {
			return err
		}
		if rows == 0 && f != spanAll {
			args = append(args, stCode(st), origin, p.annot[0], now, docID, ids[i])
		}
		// Offsets as int64, a type database/sql passes as it is: an int goes through its
		// reflection-based converter and is boxed twice, for each of 2,000,000 values.
		switch f {
		case spanAll:
			args = append(args, ids[i], docID, int64(sp.Start), int64(sp.End), im.labelIDs[sp.Label], stCode(st), origin, p.annot[i],
				now, now, p.attrs[i], storedText(st, p.text[i]))
		case spanShared:
			args = append(args, int64(sp.Start), int64(sp.End), im.labelIDs[sp.Label], p.attrs[i], storedText(st, p.text[i]))
		case spanNoAttrs:
			args = append(args, int64(sp.Start), int64(sp.End), im.labelIDs[sp.Label], storedText(st, p.text[i]))
		}
		rows++
		if rows == spanBatch || i == len(d.Spans)-1 {
			st, err := im.spanStmt(ctx, rows, f)
			if err != nil {
				return err
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
			args, rows = args[:0], 0
		}
	}
	im.args = args[:0]
	return nil
}

func (im *importer) closeStmts() {
	for _, st := range []*sql.Stmt{im.doc, im.event, im.arg, im.attrs} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range im.spanN {
		st.Close()
	}
}

// discard closes the statements and the connection. The connection is dropped rather
// than returned to the pool: it has foreign keys off and a large cache.
func (im *importer) discard() {
	if im.ixw != nil {
		im.ixw.finish() // a failed import's batches: their documents stay pending
		im.ixw = nil
	}
	if im.ckpt != nil {
		im.ckpt.close()
		im.ckpt = nil
	}
	im.closeStmts()
	if im.inChunk {
		im.conn.ExecContext(context.Background(), `ROLLBACK`)
		im.inChunk = false
	}
	im.conn.Raw(func(any) error { return driver.ErrBadConn })
	im.conn.Close()
}

// maxPhrases bounds the phrase counts an import holds in memory before writing them.
const maxPhrases = 100_000

// Add stores doc with its draft spans (accepted, origin import unless the span says
// otherwise), events and claimants. The whole draft is validated before anything is
// written, so an error leaves the transaction as it was before the call.
func (im *importer) Add(ctx context.Context, doc *annotate.Document, d annotate.Draft) (bool, error) {
	if im.closed {
		return false, annotate.Errorf(annotate.EInvalid, "import: already committed or rolled back")
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	p, err := im.prepare(&im.addCuts, &im.addIx, doc, d)
	if err != nil {
		return false, err
	}
	return im.AddPrepared(ctx, p)
}

// prepared is a checked document with what validation computed.
type prepared struct {
	doc  *annotate.Document
	d    annotate.Draft
	plan *draftPlan
}

// Prepare validates a document and its draft (annotate.ImportPreparer). It reads only
// what BeginImport loaded, so it may run beside AddPrepared; calls to Prepare must not
// overlap each other (they share a buffer).
func (im *importer) Prepare(doc *annotate.Document, d annotate.Draft) (any, error) {
	return im.prepare(&im.prepCuts, &im.prepIx, doc, d)
}

func (im *importer) prepare(cuts *spanCuts, ix *query.Indexer, doc *annotate.Document, d annotate.Draft) (*prepared, error) {
	plan, err := validateDraftWith(cuts, doc, d, im.labels, im.voc, im.annotator, annotate.StatusAccepted, annotate.OriginImport)
	if err != nil {
		return nil, err
	}
	plan.sha = annotate.TextHash(doc.Text)
	if im.ftsOn {
		plan.tokens = ix.Tokens(doc.Text)
	}
	return &prepared{doc: doc, d: d, plan: plan}, nil
}

// AddPrepared stores a document Prepare checked (annotate.ImportPreparer).
func (im *importer) AddPrepared(ctx context.Context, pr any) (bool, error) {
	if im.closed {
		return false, annotate.Errorf(annotate.EInvalid, "import: already committed or rolled back")
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	p, ok := pr.(*prepared)
	if !ok {
		return false, annotate.Errorf(annotate.EInvalid, "import: not a document this import prepared")
	}
	doc, d, plan := p.doc, p.d, p.plan
	if !im.inChunk {
		if err := im.beginChunk(ctx); err != nil {
			return false, fmt.Errorf("import: %w", mapErr(err))
		}
	}
	// A failed insert may leave part of the document in the chunk: the import is
	// abandoned then (ingest stops at the first error and rolls back the batch).
	// The statements run without the caller's cancellation: with a cancellable context
	// the driver starts a goroutine per statement to watch it, which cost more than the
	// statements. ctx was checked above, and a document's statements are short.
	added, err := im.insert(context.WithoutCancel(ctx), doc, d, plan)
	if err != nil {
		return false, fmt.Errorf("import %q: %w", doc.ExternalID, mapErr(err))
	}
	if time.Since(im.chunkAt) >= chunkTime {
		if err := im.commitChunk(ctx); err != nil {
			return false, fmt.Errorf("import: %w", mapErr(err))
		}
	}
	return added, nil
}

// draftPlan is what validation computed for a draft: span texts and final attributes.
type draftPlan struct {
	text   []string
	attrs  []any
	status []string
	origin []string
	annot  []string
	meta   any
	sha    string // the text's hash, when computed beside validation
	tokens string // the text's search index tokens (query.IndexTokens), when indexed
}

// validateDraft checks a document and its draft against the labels and vocabulary.
func validateDraft(doc *annotate.Document, d annotate.Draft, labels map[string]bool, voc *vocabulary,
	annotator string, defStatus annotate.Status, defOrigin string) (*draftPlan, error) {
	return validateDraftWith(&spanCuts{}, doc, d, labels, voc, annotator, defStatus, defOrigin)
}

func validateDraftWith(cuts *spanCuts, doc *annotate.Document, d annotate.Draft, labels map[string]bool, voc *vocabulary,
	annotator string, defStatus annotate.Status, defOrigin string) (*draftPlan, error) {
	if !utf8.ValidString(doc.Text) {
		return nil, annotate.Errorf(annotate.EInvalid, "document %q: text is not valid UTF-8", doc.ExternalID)
	}
	p := &draftPlan{}
	if len(doc.Meta) > 0 {
		m, err := checkAttrs(doc.Meta)
		if err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: meta must be a JSON object", doc.ExternalID)
		}
		p.meta = m
	}
	if doc.Status != "" && doc.Status != annotate.DocNew && doc.Status != annotate.DocInProgress && doc.Status != annotate.DocDone {
		return nil, annotate.Errorf(annotate.EInvalid, "document %q: unknown status %q", doc.ExternalID, doc.Status)
	}
	n := len(d.Spans)
	p.text, p.attrs = make([]string, n), make([]any, n)
	p.status, p.origin, p.annot = make([]string, n), make([]string, n), make([]string, n)
	cps, at := make([]int, 2*n), make([]int, 2*n)
	for i, sp := range d.Spans {
		cps[2*i], cps[2*i+1] = sp.Start, sp.End
	}
	length := cuts.bytes(doc.Text, cps, at)
	for i, sp := range d.Spans {
		if err := annotate.CheckSpan(length, sp.Start, sp.End); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: %v", doc.ExternalID, i, err)
		}
		if !labels[sp.Label] {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: unknown label %q", doc.ExternalID, i, sp.Label)
		}
		p.text[i] = doc.Text[at[2*i]:at[2*i+1]]
		a, err := checkAttrs(sp.Attrs)
		if err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: %v", doc.ExternalID, i, err)
		}
		p.attrs[i] = a
		st := sp.Status
		if st == "" {
			st = defStatus
		}
		if _, err := annotate.ParseStatus(string(st)); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: span %d: %v", doc.ExternalID, i, err)
		}
		p.status[i] = string(st)
		p.origin[i] = sp.Origin
		if p.origin[i] == "" {
			p.origin[i] = defOrigin
		}
		p.annot[i] = sp.Annotator
		if p.annot[i] == "" {
			p.annot[i] = annotator
		}
	}
	for i, e := range d.Events {
		if e.Trigger < 0 || e.Trigger >= n {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: trigger %d is not a span index", doc.ExternalID, i, e.Trigger)
		}
		if err := voc.check(e.Type, ""); err != nil {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: %v", doc.ExternalID, i, err)
		}
		for _, a := range e.Args {
			if a.Span < 0 || a.Span >= n {
				return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: argument %s: %d is not a span index", doc.ExternalID, i, a.Role, a.Span)
			}
			if err := voc.check(e.Type, a.Role); err != nil {
				return nil, annotate.Errorf(annotate.EInvalid, "document %q: event %d: %v", doc.ExternalID, i, err)
			}
		}
	}
	for c, src := range d.Claimants {
		if c < 0 || c >= n || src < 0 || src >= n {
			return nil, annotate.Errorf(annotate.EInvalid, "document %q: claimant %d -> %d is not a pair of span indices", doc.ExternalID, c, src)
		}
	}
	return p, nil
}

// withClaimant returns attrs with claimant set to id and claimant_text (if absent) to text.
func withClaimant(attrs any, id int64, text string) (string, error) {
	s, _ := attrs.(string)
	if out, ok := claimantAttrs(s, id, text); ok {
		return out, nil
	}
	m := map[string]json.RawMessage{}
	if s, ok := attrs.(string); ok {
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return "", err
		}
	}
	m["claimant"] = json.RawMessage(fmt.Sprint(id))
	if _, ok := m["claimant_text"]; !ok {
		t, _ := json.Marshal(text)
		m["claimant_text"] = t
	}
	data, err := json.Marshal(m)
	return string(data), err
}

func (im *importer) insert(ctx context.Context, doc *annotate.Document, d annotate.Draft, p *draftPlan) (bool, error) {
	now := micros(im.s.now())
	status := doc.Status
	if status == "" {
		status = annotate.DocNew
	}
	sha := p.sha
	if sha == "" {
		sha = annotate.TextHash(doc.Text)
	}
	res, err := im.doc.ExecContext(ctx, doc.ExternalID, doc.Title, doc.Source, doc.URL, doc.Published, string(status),
		now, sha, p.meta, doc.Text, im.batch)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		im.skipped++
		return false, err
	}
	docID, err := res.LastInsertId()
	if err != nil {
		return false, err
	}
	doc.ID, doc.SHA256, doc.Status = docID, sha, status
	if im.ftsOn {
		if !im.stale[docID] {
			im.toIndex = append(im.toIndex, indexRow{id: docID, tokens: p.tokens})
			im.toIndexN += len(p.tokens)
		}
		if im.firstDoc == 0 {
			im.firstDoc = docID
		}
		im.lastDoc = docID
	}
	ids := im.ids[:0]
	for range d.Spans {
		ids = append(ids, im.nextSpan)
		im.nextSpan++
	}
	if err := im.insertSpans(ctx, docID, now, ids, d, p); err != nil {
		return false, err
	}
	for i, sp := range d.Spans {
		im.phrases.addSpan(p.text[i], sp.Label, p.status[i], +1)
	}
	im.ids = ids
	if len(im.phrases) >= maxPhrases {
		if err := im.phrases.flush(ctx, im.conn); err != nil {
			return false, err
		}
	}
	for c, src := range d.Claimants {
		attrs, err := withClaimant(p.attrs[c], ids[src], p.text[src])
		if err != nil {
			return false, err
		}
		if _, err := im.attrs.ExecContext(ctx, attrs, ids[c]); err != nil {
			return false, err
		}
	}
	for _, e := range d.Events {
		origin := e.Origin
		if origin == "" {
			origin = annotate.OriginImport
		}
		originID, err := im.names.id(ctx, im.conn, origin)
		if err != nil {
			return false, err
		}
		res, err := im.event.ExecContext(ctx, docID, e.Type, ids[e.Trigger], stCode(annotate.Status(p.status[e.Trigger])), originID, im.annotator, now)
		if err != nil {
			return false, err
		}
		ev, err := res.LastInsertId()
		if err != nil {
			return false, err
		}
		for _, a := range e.Args {
			role, err := im.names.id(ctx, im.conn, a.Role)
			if err != nil {
				return false, err
			}
			if _, err := im.arg.ExecContext(ctx, ev, role, ids[a.Span]); err != nil {
				return false, err
			}
		}
	}
	im.added++
	return true, nil
}

// Commit writes the last chunk and publishes the batch, with its op, in one short
// transaction: until then no reader sees any of it.
func (im *importer) Commit() error {
	if im.closed {
		return annotate.Errorf(annotate.EInvalid, "import: already committed or rolled back")
	}
	ctx := im.ctx
	if im.inChunk {
		if err := im.commitChunk(ctx); err != nil {
			im.abandon()
			return fmt.Errorf("import: %w", mapErr(err))
		}
	}
	// The last documents' index, before publishing, so that transaction stays short: the
	// import waits for its index writer here, and fails if that failed.
	var indexed []indexDone
	if im.ftsOn {
		err := im.flushIndex(ctx)
		if err == nil {
			indexed, err = im.ixw.finish()
		}
		if err != nil {
			im.abandon()
			return fmt.Errorf("import: %w", mapErr(err))
		}
	}
	im.closeStmts()
	tx, err := im.s.begin(ctx, im.conn)
	if err != nil {
		im.abandon()
		return fmt.Errorf("import: publish: %w", mapErr(err))
	}
	defer tx.Rollback()
	a := &action{ctx: ctx, tx: tx, kind: "import", annotator: im.annotator, at: im.s.now(),
		summary: fmt.Sprintf("imported %d documents", im.added), notUndoable: true}
	if im.skipped > 0 {
		a.summary += fmt.Sprintf(" (%d already present, skipped)", im.skipped)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET state = 'published', documents = ? WHERE id = ?`, im.added, im.batch); err != nil {
		tx.Rollback()
		im.abandon()
		return fmt.Errorf("import: publish: %w", mapErr(err))
	}
	if err := a.log(); err != nil {
		tx.Rollback()
		im.abandon()
		return fmt.Errorf("import: log: %w", mapErr(err))
	}
	if err := im.removeIndexed(ctx, tx, indexed); err != nil {
		tx.Rollback()
		im.abandon()
		return fmt.Errorf("import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		im.abandon()
		return fmt.Errorf("import: commit: %w", mapErr(err))
	}
	im.closed = true
	defer im.discard()
	// Whatever is still pending (documents other programs added; normally nothing) is
	// indexed now, a bounded chunk per transaction. The import is published whatever
	// happens here: searches read pending documents directly, and the next import or
	// open indexes them, so a failure is not the import's.
	_ = im.s.indexAllPending(ctx, im.conn)
	return nil
}

// Rollback abandons the import: its staged rows are removed and nothing of it was ever
// visible. Rolling back after Commit is a no-op, so it can be deferred.
func (im *importer) Rollback() error {
	if im.closed {
		return nil
	}
	return im.abandon()
}

// abandon rolls back the open chunk and removes the batch's committed chunks. If that
// fails (or the process dies first) the batch stays staged, invisible, and the next
// import removes it.
func (im *importer) abandon() error {
	im.closed = true
	defer im.discard()
	im.closeStmts()
	if im.inChunk {
		if _, err := im.conn.ExecContext(context.Background(), `ROLLBACK`); err != nil {
			return fmt.Errorf("import: rollback: %w", mapErr(err))
		}
		im.inChunk = false
	}
	// Not the caller's context: a cancelled import still cleans up after itself.
	if err := im.s.removeBatch(context.Background(), im.conn, im.batch); err != nil {
		return fmt.Errorf("import: remove the staged documents: %w", mapErr(err))
	}
	return nil
}
