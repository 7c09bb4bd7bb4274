package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// isForeignKey reports a foreign key violation.
func isForeignKey(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// MergeStats counts what one Merge read and added.
type MergeStats = annotate.MergeStats

// Merge adds another annotator's database to this one: everything of src lands, or
// nothing. Documents are matched by the SHA-256 of their text; a document the store lacks
// is copied with its metadata and status. Every span of src is added with its own
// annotator, status, origin, times and attributes (a casualty's claimant remapped to the
// new span id), unless an identical span is there already (same document, start, end,
// label, annotator and status), in which case it is reused. Events are added likewise
// (identical: same document, type, trigger, annotator and status) with their arguments
// remapped. Merging the same source twice therefore changes nothing the second time.
//
// annotator is given to spans and events of src that carry no annotator, and the merge
// is logged under it as one op of kind "import" (not undoable, like an import); nothing
// is logged when nothing was added.
//
// Incidents of src come along: one whose events are in no incident of the store becomes
// a new incident with its adjudications; one whose events are all in the same incident
// of the store adds its other events and its adjudications (those not there already) to
// it; one whose events are spread over several incidents is skipped and counted.
//
// The long part (reading src, comparing with the store, building rows) holds no write
// lock: it stages the new documents, spans, events and arguments in TEMP tables of a
// connection of its own (they live in that connection's temporary file: no other
// connection sees them and a killed process leaves nothing), in short DEFERRED
// transactions that read the store as it is then. Staged rows refer to each other by
// negative staged ids and to stored rows by their ids. One IMMEDIATE transaction then
// publishes them with a few INSERT … SELECT (a new row's id is max(id) + its staged id)
// and merges the incidents, so other writers wait only for that.
func (s *Store) Merge(ctx context.Context, src *Store, annotator string) (MergeStats, error) {
	var st MergeStats
	if a, err := os.Stat(s.path); err == nil {
		if b, err := os.Stat(src.path); err == nil && os.SameFile(a, b) {
			return st, annotate.Errorf(annotate.EInvalid, "merge %s: it is the database merged into", src.path)
		}
	}
	what := "merge " + src.path
	sc, err := src.Schema(ctx)
	if err != nil {
		return st, fmt.Errorf("%s: %w", what, err)
	}
	if s.readOnly {
		return st, s.errReadOnly(what)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	defer conn.Close()
	m := &merger{ctx: ctx, s: s, conn: conn, q: conn, fallback: annotator, st: &st,
		events: map[int64][2]int64{}, stmts: map[string]*sql.Stmt{}}
	defer m.dropStage()
	defer m.close()
	// What a killed import or merge left staged goes first, as an import does.
	if err := s.removeAbandoned(ctx, conn); err != nil {
		return st, fmt.Errorf("%s: remove an interrupted batch: %w", what, mapErr(err))
	}
	if err := m.stage(src); err != nil {
		return st, fmt.Errorf("%s: %w", what, err)
	}
	m.close() // statements of the connection: the publishing transaction prepares its own
	if s.staged != nil {
		s.staged()
	}

	// New documents go in chunks under a batch unless the source brings labels the store
	// lacks: spans must find their label stored, and labels are published with the rest.
	have, err := sqlstore.QueryColumn[string](ctx, sq{conn}, `SELECT name FROM labels`)
	if err != nil {
		return st, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	chunked := m.docs > 0
	for _, l := range sc.Labels {
		chunked = chunked && slices.Contains(have, l.Name)
	}
	var batch int64
	published := false
	if chunked {
		if batch, err = m.publishNewDocs(); err != nil {
			return st, fmt.Errorf("%s: %w", what, mapErr(err))
		}
		defer func() {
			if !published { // after the publishing transaction's rollback (deferred later)
				s.removeBatch(context.WithoutCancel(ctx), conn, batch)
			}
		}()
	}

	tx, err := s.begin(ctx, conn)
	if err != nil {
		return st, fmt.Errorf("%s: begin: %w", what, mapErr(err))
	}
	defer tx.Rollback()
	m.q = tx
	m.a = &action{ctx: ctx, tx: tx, kind: "import", annotator: annotator, at: s.now(), notUndoable: true}
	if err := m.schema(sc); err != nil {
		return st, fmt.Errorf("%s: schema: %w", what, mapErr(err))
	}
	if !chunked && m.docs > 0 {
		if err := m.publishPart(tx, &mergePart{lo: 1, hi: m.docs}, 0); err != nil {
			return st, fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := m.publishPart(tx, &mergePart{}, 0); err != nil {
		return st, fmt.Errorf("%s: %w", what, err)
	}
	if batch != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET state = 'published' WHERE id = ?`, batch); err != nil {
			return st, fmt.Errorf("%s: publish: %w", what, mapErr(err))
		}
	}
	if err := m.incidents(src); err != nil {
		return st, fmt.Errorf("%s: incidents: %w", what, mapErr(err))
	}
	if st.NewDocuments+st.Spans+st.Events+st.Arguments+st.Labels+st.Incidents+st.Links+st.Adjudications == 0 {
		return st, nil // nothing new: leave even the log as it was
	}
	m.a.summary = fmt.Sprintf("merged %s: %d new documents, %d spans, %d events", filepath.Base(src.path),
		st.NewDocuments, st.Spans, st.Events)
	if err := m.a.log(); err != nil {
		return st, fmt.Errorf("%s: log: %w", what, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("%s: commit: %w", what, mapErr(err))
	}
	published = true
	return st, nil
}

// mergeStageTime bounds one staging transaction: it writes only TEMP tables, but its
// read snapshot of the store keeps the WAL from being checkpointed meanwhile.
const mergeStageTime = 50 * time.Millisecond

// mergeStage is the TEMP tables of a merge. A doc, span or event column holds a stored
// id when positive, minus a staged id (sid) when negative.
const mergeStage = `
CREATE TEMP TABLE IF NOT EXISTS merge_docs (sid INTEGER PRIMARY KEY, external_id TEXT, title TEXT, source TEXT,
	url TEXT, published TEXT, status TEXT, added INTEGER, sha256 TEXT, meta TEXT, text TEXT);
CREATE TEMP TABLE IF NOT EXISTS merge_spans (sid INTEGER PRIMARY KEY, doc INTEGER, start INTEGER, "end" INTEGER,
	label TEXT, status TEXT, origin TEXT, annotator TEXT, created INTEGER, updated INTEGER, attrs TEXT, text TEXT,
	confidence REAL, proposers TEXT,
	claimant INTEGER); -- a staged claimant span (negative), set into attrs when published
CREATE INDEX IF NOT EXISTS temp.merge_spans_doc ON merge_spans (doc);
CREATE TEMP TABLE IF NOT EXISTS merge_events (sid INTEGER PRIMARY KEY, doc INTEGER, type TEXT, trigger INTEGER,
	status TEXT, origin TEXT, annotator TEXT, created INTEGER);
CREATE INDEX IF NOT EXISTS temp.merge_events_doc ON merge_events (doc);
CREATE TEMP TABLE IF NOT EXISTS merge_args (seq INTEGER PRIMARY KEY, event INTEGER, role TEXT, span INTEGER, doc INTEGER);
CREATE INDEX IF NOT EXISTS temp.merge_args_doc ON merge_args (doc);
DELETE FROM temp.merge_docs; DELETE FROM temp.merge_spans; DELETE FROM temp.merge_events; DELETE FROM temp.merge_args;`

func (m *merger) dropStage() {
	// The connection goes back to the pool: leave no staged rows on it.
	m.conn.ExecContext(context.WithoutCancel(m.ctx), `DROP TABLE IF EXISTS temp.merge_docs; DROP TABLE IF EXISTS temp.merge_spans;
		DROP TABLE IF EXISTS temp.merge_events; DROP TABLE IF EXISTS temp.merge_args`)
}

// stage reads src and stages what the store lacks, in transactions of about
// mergeStageTime begun by hand (the pool's BeginTx would be IMMEDIATE and lock the file).
func (m *merger) stage(src *Store) error {
	ctx, c := m.ctx, m.conn
	if _, err := c.ExecContext(ctx, mergeStage); err != nil {
		return fmt.Errorf("stage: %w", mapErr(err))
	}
	m.at = micros(m.s.now())
	if err := m.loadHashes(); err != nil {
		return mapErr(err)
	}
	inTx := false
	var began time.Time
	defer func() {
		if inTx {
			c.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	err := src.EachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		if inTx && time.Since(began) > mergeStageTime {
			if _, err := c.ExecContext(ctx, `COMMIT`); err != nil {
				return mapErr(err)
			}
			inTx = false
		}
		if !inTx {
			if _, err := c.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
				return mapErr(err)
			}
			inTx, began = true, time.Now()
		}
		if err := m.document(d, spans, events); err != nil {
			return fmt.Errorf("document %q: %w", d.ExternalID, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if inTx {
		inTx = false
		if _, err := c.ExecContext(ctx, `COMMIT`); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// mergePart is a part of the staged rows published in one transaction: the new
// documents with staged ids lo..hi and everything staged on them, or (lo = 0) what is
// staged on stored documents. Its bases map its staged ids to stored ones.
type mergePart struct {
	lo, hi                       int64
	docBase, spanBase, eventBase int64
}

// publishPart makes a part of the staged rows real in transaction tx, new documents
// tagged with batch (0: visible at once). A stored document, span or event the staged
// rows refer to may have been deleted meanwhile by another writer: the foreign keys
// refuse that, and nothing is merged.
func (m *merger) publishPart(tx preparer, p *mergePart, batch int64) error {
	ctx := m.ctx
	for _, b := range []struct {
		table string
		base  *int64
		seen  int64
	}{{"documents", &p.docBase, m.maxDoc}, {"spans", &p.spanBase, m.maxSpan}, {"events", &p.eventBase, m.maxEvent}} {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM `+b.table).Scan(b.base); err != nil {
			return mapErr(err)
		}
		*b.base = max(*b.base, b.seen)
	}
	from, to := -p.hi, -p.lo // the rows' doc column
	if p.lo == 0 {
		from, to = 1, math.MaxInt64
	}
	// phrase counts of the part's spans, as an import counts its staged ones
	pc := phraseCounts{}
	rows, err := tx.QueryContext(ctx, `SELECT text, label, status FROM temp.merge_spans WHERE doc BETWEEN ? AND ?`, from, to)
	if err != nil {
		return mapErr(err)
	}
	for rows.Next() {
		var text, label, status string
		if err := rows.Scan(&text, &label, &status); err != nil {
			rows.Close()
			return err
		}
		pc.addSpan(text, label, status, +1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	if err := pc.flush(ctx, tx); err != nil {
		return mapErr(err)
	}
	// ?1 documents, ?2 spans, ?3 events: the staged id -sid becomes base + sid.
	const doc = `CASE WHEN doc < 0 THEN ?1 - doc ELSE doc END`
	const part = ` doc BETWEEN ?6 AND ?7 `
	steps := []struct {
		what, q string
		n       *int
	}{
		{"documents", `INSERT INTO documents (id, external_id, title, source, url, published, status, added, sha256, meta, text, batch)
			SELECT ?1 + sid, external_id, title, source, url, published, status, added, sha256, meta, text, ?8
			FROM temp.merge_docs WHERE sid BETWEEN ?4 AND ?5 ORDER BY sid`, nil},
		// the row tables' encodings: rows.go
		{"names", `INSERT INTO names (name) SELECT name FROM (SELECT origin AS name FROM temp.merge_spans WHERE` + part + `
			UNION SELECT origin FROM temp.merge_events WHERE` + part + `
			UNION SELECT role FROM temp.merge_args WHERE` + part + `) WHERE true ON CONFLICT (name) DO NOTHING`, nil},
		{"spans", `INSERT INTO span_rows (id, doc, start, "end", label, st, origin, annotator, created, updated, attrs, text, confidence, proposers)
			SELECT ?2 + sid, ` + doc + `, start, "end", ` + labelSQL("label") + `, ` + stSQL("status") + `, ` + nameSQL("origin") + `, annotator, created, updated,
				CASE WHEN claimant IS NULL THEN attrs ELSE json_set(attrs, '$.claimant', ?2 - claimant) END,
				CASE WHEN status = 'suggested' THEN NULL ELSE text END, confidence, proposers
			FROM temp.merge_spans WHERE` + part + `ORDER BY sid`, nil},
		{"events", `INSERT INTO event_rows (id, doc, type, trigger, st, origin, annotator, created)
			SELECT ?3 + sid, ` + doc + `, type, CASE WHEN trigger < 0 THEN ?2 - trigger ELSE trigger END, ` + stSQL("status") + `,
				` + nameSQL("origin") + `, annotator, created
			FROM temp.merge_events WHERE` + part + `ORDER BY sid`, nil},
		// no unique index on event_args (0009): a repeated argument is skipped here
		{"event arguments", `INSERT INTO arg_rows (event, role, span)
			SELECT CASE WHEN a.event < 0 THEN ?3 - a.event ELSE a.event END AS ev, ` + nameSQL("a.role") + ` AS ro,
				CASE WHEN a.span < 0 THEN ?2 - a.span ELSE a.span END AS sp
			FROM temp.merge_args a WHERE` + part + `AND NOT EXISTS (SELECT 1 FROM arg_rows x
				WHERE x.event = CASE WHEN a.event < 0 THEN ?3 - a.event ELSE a.event END AND x.role = ` + nameSQL("a.role") + `
				AND x.span = CASE WHEN a.span < 0 THEN ?2 - a.span ELSE a.span END)
			GROUP BY ev, ro, sp ORDER BY min(a.seq)`, &m.st.Arguments},
	}
	lo, hi := p.lo, p.hi
	if p.lo == 0 {
		lo, hi = 1, 0 // no new documents
	}
	for _, st := range steps {
		res, err := tx.ExecContext(ctx, st.q, p.docBase, p.spanBase, p.eventBase, lo, hi, from, to, batch)
		if err != nil {
			if isForeignKey(err) {
				return annotate.Errorf(annotate.EConflict, "%s: what they refer to was deleted meanwhile by another writer; nothing was merged, run the merge again", st.what)
			}
			return fmt.Errorf("%s: %w", st.what, mapErr(err))
		}
		if st.n != nil {
			n, _ := res.RowsAffected()
			*st.n += int(n)
		}
	}
	m.parts = append(m.parts, *p)
	return nil
}

// eventRef is the stored reference of a source event once its part is published.
func (m *merger) eventRef(r [2]int64) annotate.EventRef {
	doc, ev := r[0], r[1]
	news, p := m.parts[:len(m.parts)-1], m.parts[len(m.parts)-1] // the stored documents' part is last
	if doc < 0 {
		p = news[sort.Search(len(news), func(i int) bool { return news[i].hi >= -doc })]
	}
	return annotate.EventRef{DocID: storedID(doc, p.docBase), EventID: storedID(ev, p.eventBase)}
}

// mergeChunkTime bounds one transaction publishing new documents under a batch.
const mergeChunkTime = 50 * time.Millisecond

// publishNewDocs publishes the staged new documents in chunks of about mergeChunkTime,
// each its own transaction, tagged with an import batch (import_batches) that keeps them
// out of every list, count and export until the last transaction of the merge flips it:
// other writers get in between the chunks. A batch left by a killed merge is reported by
// `evident check` and removed by the next import or merge, as an import's is.
func (m *merger) publishNewDocs() (batch int64, err error) {
	ctx, s, c := m.ctx, m.s, m.conn
	tx, err := s.begin(ctx, c)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO import_batches (annotator, pid, started) VALUES (?, ?, ?)`,
		m.fallback, os.Getpid(), m.at)
	if err == nil {
		batch, err = res.LastInsertId()
	}
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			s.removeBatch(context.WithoutCancel(ctx), c, batch)
		}
	}()
	size := int64(100)
	for lo := int64(1); lo <= m.docs; {
		p := &mergePart{lo: lo, hi: min(lo+size-1, m.docs)}
		t0 := time.Now()
		tx, err := s.begin(ctx, c)
		if err != nil {
			return batch, err
		}
		err = m.publishPart(tx, p, batch)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE import_batches SET documents = documents + ? WHERE id = ?`, p.hi-p.lo+1, batch)
		}
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil {
			return batch, err
		}
		if s.chunked != nil {
			s.chunked()
		}
		switch d := time.Since(t0); {
		case d < mergeChunkTime/2:
			size *= 2
		case d > mergeChunkTime:
			size = max(size/2, 1)
		}
		lo = p.hi + 1
	}
	return batch, nil
}

// merger carries one merge: its connection, what it has staged and mapped so far.
type merger struct {
	ctx                    context.Context
	s                      *Store
	conn                   *sql.Conn
	q                      preparer // the connection while staging, the publishing transaction after
	a                      *action  // the publishing transaction's op
	at                     int64    // micros: when the merge began
	fallback               string
	st                     *MergeStats
	bySHA                  map[string]int64     // text hash -> document (stored id, or minus a staged one)
	events                 map[int64][2]int64   // source event id -> document and event (stored, or minus staged)
	stmts                  map[string]*sql.Stmt // prepared once per merge: a statement per row is half the time
	docs, spans, evs, args int64                // staged so far
	parts                  []mergePart          // published so far, the stored documents' last
	// The highest stored ids the staged rows refer to: a new row's id must stay above them
	// even if another writer deleted the row meanwhile (SQLite would reuse its id; the
	// foreign keys then refuse the staged rows instead of pointing them at a newcomer).
	maxDoc, maxSpan, maxEvent int64
}

// storedID is the stored id of a document, span or event reference once published.
func storedID(ref, base int64) int64 {
	if ref < 0 {
		return base - ref
	}
	return ref
}

func (m *merger) stmt(q string) (*sql.Stmt, error) {
	if st, ok := m.stmts[q]; ok {
		return st, nil
	}
	st, err := m.q.PrepareContext(m.ctx, q)
	if err != nil {
		return nil, err
	}
	m.stmts[q] = st
	return st, nil
}

func (m *merger) query(q string, args ...any) (*sql.Rows, error) {
	st, err := m.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(m.ctx, args...)
}

func (m *merger) exec(q string, args ...any) (sql.Result, error) {
	st, err := m.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(m.ctx, args...)
}

func (m *merger) close() {
	for q, st := range m.stmts {
		st.Close()
		delete(m.stmts, q)
	}
}

// schema adds the labels, event types and roles of the source the store lacks.
func (m *merger) schema(sc *annotate.Schema) error {
	ctx, tx := m.ctx, m.a.tx
	add := func(q string, args ...any) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		m.st.Labels += int(n)
		return nil
	}
	for _, l := range sc.Labels {
		// a key the store already uses for another label is dropped, as AddLabels does
		if err := add(`INSERT INTO labels (name, kind, color, key, description, position)
			SELECT ?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM labels WHERE key = ? AND key != '') THEN '' ELSE ? END, ?,
				(SELECT coalesce(max(position), -1) + 1 FROM labels) WHERE true
			ON CONFLICT (name) DO NOTHING`, l.Name, l.Kind, l.Color, l.Key, l.Key, l.Description); err != nil {
			return err
		}
	}
	for _, e := range sc.EventTypes {
		roles, err := json.Marshal(e.Roles)
		if err != nil {
			return err
		}
		if err := add(`INSERT INTO event_types (name, trigger, roles, position)
			SELECT ?, ?, ?, (SELECT coalesce(max(position), -1) + 1 FROM event_types) WHERE true
			ON CONFLICT (name) DO NOTHING`, e.Name, e.Trigger, string(roles)); err != nil {
			return err
		}
	}
	for _, r := range sc.Roles {
		if err := add(`INSERT INTO roles (name, position) SELECT ?, (SELECT coalesce(max(position), -1) + 1 FROM roles) WHERE true
			ON CONFLICT (name) DO NOTHING`, r); err != nil {
			return err
		}
	}
	return nil
}

// loadHashes reads the text hash of every stored document once: documents have no index
// on the hash alone, and one scan beats a scan per source document.
func (m *merger) loadHashes() error {
	rows, err := m.q.QueryContext(m.ctx, `SELECT id, sha256 FROM documents ORDER BY id DESC`)
	if err != nil {
		return err
	}
	defer rows.Close()
	m.bySHA = map[string]int64{}
	for rows.Next() {
		var id int64
		var sha string
		if err := rows.Scan(&id, &sha); err != nil {
			return err
		}
		m.bySHA[sha] = id // descending: the lowest id wins when two documents share a text
	}
	return rows.Err()
}

type mergeSpanKey struct {
	start, end               int
	label, annotator, status string
}

type mergeEventKey struct {
	typ               string
	trigger           int64
	annotator, status string
}

func (m *merger) annotatorOf(name string) string {
	if name == "" {
		return m.fallback
	}
	return name
}

// document stages one source document with what of its spans and events the store
// (or what was staged before it) lacks.
func (m *merger) document(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
	ctx, q := m.ctx, m.q
	m.st.Documents++
	sha := annotate.TextHash(d.Text)
	doc, ok := m.bySHA[sha]
	m.maxDoc = max(m.maxDoc, doc)
	if !ok {
		var meta any
		if len(d.Meta) > 0 {
			meta = string(d.Meta)
		}
		status := d.Status
		if status == "" {
			status = annotate.DocNew
		}
		m.docs++
		if _, err := m.exec(`INSERT INTO temp.merge_docs (sid, external_id, title, source, url, published, status, added, sha256, meta, text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.docs, d.ExternalID, d.Title, d.Source, d.URL, d.Published, string(status),
			m.at, sha, meta, d.Text); err != nil {
			return err
		}
		doc = -m.docs
		m.bySHA[sha] = doc
		m.st.NewDocuments++
	}

	// spans already there (stored, or staged by an earlier document of the same text), by identity
	have := map[mergeSpanKey]int64{}
	for _, sq := range []string{
		`SELECT id, start, "end", label, annotator, status FROM spans WHERE doc = ? ORDER BY id DESC`,
		`SELECT -sid, start, "end", label, annotator, status FROM temp.merge_spans WHERE doc = ? ORDER BY sid`,
	} {
		if doc < 0 && !strings.Contains(sq, "temp.") {
			continue
		}
		if err := m.spanKeys(sq, doc, have); err != nil {
			return err
		}
	}
	ids := make(map[int64]int64, len(spans)) // source span id -> stored (or minus staged) span id
	type claim struct {
		sid   int64
		attrs map[string]json.RawMessage
	}
	var claims []claim
	for _, sp := range spans {
		k := mergeSpanKey{sp.Start, sp.End, sp.Label, m.annotatorOf(sp.Annotator), string(sp.Status)}
		if id, ok := have[k]; ok {
			ids[sp.ID] = id
			m.maxSpan = max(m.maxSpan, id)
			m.st.SameSpans++
			continue
		}
		var attrs any
		if len(sp.Attrs) > 0 {
			attrs = string(sp.Attrs)
		}
		// The confidence and every proposer go along; runs do not (run ids are the source
		// file's).
		props := append([]annotate.Proposer(nil), sp.Proposers...)
		for i := range props {
			props[i].RunID = 0
		}
		m.spans++
		if _, err := m.exec(`INSERT INTO temp.merge_spans (sid, doc, start, "end", label, status, origin, annotator, created, updated, attrs, text, confidence, proposers)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.spans, doc, sp.Start, sp.End, sp.Label, string(sp.Status), sp.Origin, k.annotator,
			micros(sp.Created), micros(sp.Updated), attrs, sp.Text, sqlstore.ConfidenceArg(sp.Confidence), sqlstore.ProposersArg(props)); err != nil {
			return err
		}
		have[k], ids[sp.ID] = -m.spans, -m.spans
		m.st.Spans++
		if len(sp.Attrs) > 0 {
			var a map[string]json.RawMessage
			if json.Unmarshal(sp.Attrs, &a) == nil && a["claimant"] != nil {
				claims = append(claims, claim{m.spans, a})
			}
		}
	}
	// claimants point at source span ids: point them at the stored ones (a staged one is
	// set when published, when its id is known)
	for _, c := range claims {
		var old int64
		if json.Unmarshal(c.attrs["claimant"], &old) != nil || old == 0 {
			continue
		}
		var staged any
		if nu, ok := ids[old]; ok {
			c.attrs["claimant"] = json.RawMessage(fmt.Sprint(nu))
			if nu < 0 {
				staged = nu
			}
		} else {
			delete(c.attrs, "claimant") // it named no span of the document: keep claimant_text only
		}
		data, err := json.Marshal(c.attrs)
		if err != nil {
			return err
		}
		if _, err := m.exec(`UPDATE temp.merge_spans SET attrs = ?, claimant = ? WHERE sid = ?`, string(data), staged, c.sid); err != nil {
			return err
		}
	}

	if len(events) == 0 {
		return nil
	}
	evs := map[mergeEventKey]int64{}
	if doc > 0 {
		stored, err := sqlstore.LoadEvents(ctx, sq{q}, []int64{doc})
		if err != nil {
			return err
		}
		for _, e := range stored[doc] {
			evs[mergeEventKey{e.Type, e.Trigger, e.Annotator, string(e.Status)}] = e.ID
		}
	}
	if err := m.stagedEvents(doc, evs); err != nil {
		return err
	}
	for _, e := range events {
		trig, ok := ids[e.Trigger]
		if !ok {
			return annotate.Errorf(annotate.EInvalid, "event %d: trigger span %d is not a span of the document", e.ID, e.Trigger)
		}
		k := mergeEventKey{e.Type, trig, m.annotatorOf(e.Annotator), string(e.Status)}
		id, ok := evs[k]
		if !ok {
			origin := e.Origin
			if origin == "" {
				origin = annotate.OriginImport
			}
			m.evs++
			if _, err := m.exec(`INSERT INTO temp.merge_events (sid, doc, type, trigger, status, origin, annotator, created)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.evs, doc, e.Type, trig, string(e.Status), origin, k.annotator, m.at); err != nil {
				return err
			}
			id = -m.evs
			evs[k] = id
			m.st.Events++
		}
		m.maxEvent = max(m.maxEvent, id)
		m.events[e.ID] = [2]int64{doc, id}
		for _, arg := range e.Args {
			sp, ok := ids[arg.SpanID]
			if !ok {
				return annotate.Errorf(annotate.EInvalid, "event %d: %s argument span %d is not a span of the document", e.ID, arg.Role, arg.SpanID)
			}
			m.args++
			if _, err := m.exec(`INSERT INTO temp.merge_args (seq, event, role, span, doc) VALUES (?, ?, ?, ?, ?)`, m.args, id, arg.Role, sp, doc); err != nil {
				return err
			}
		}
	}
	return nil
}

// spanKeys adds the spans the query finds for doc to have.
func (m *merger) spanKeys(q string, doc int64, have map[mergeSpanKey]int64) error {
	rows, err := m.query(q, doc)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k mergeSpanKey
		if err := rows.Scan(&id, &k.start, &k.end, &k.label, &k.annotator, &k.status); err != nil {
			return err
		}
		if _, ok := have[k]; !ok || id > 0 {
			have[k] = id // stored (read first, descending) before staged; within each, the lowest id wins
		}
	}
	return rows.Err()
}

// stagedEvents adds the events staged before for doc to evs.
func (m *merger) stagedEvents(doc int64, evs map[mergeEventKey]int64) error {
	rows, err := m.query(`SELECT -sid, type, trigger, annotator, status FROM temp.merge_events WHERE doc = ? ORDER BY sid`, doc)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k mergeEventKey
		if err := rows.Scan(&id, &k.typ, &k.trigger, &k.annotator, &k.status); err != nil {
			return err
		}
		if _, ok := evs[k]; !ok {
			evs[k] = id
		}
	}
	return rows.Err()
}

// incidents merges the incidents of src, after its events have been mapped.
func (m *merger) incidents(src *Store) error {
	ctx := m.ctx
	incs, err := sqlstore.ReadIncidents(ctx, sq{src.ro}, `SELECT `+sqlstore.IncidentCols+` FROM incidents ORDER BY id`)
	if err != nil || len(incs) == 0 {
		return err
	}
	type link struct {
		ref       annotate.EventRef
		annotator string
		created   int64
	}
	links := map[int64][]link{}
	rows, err := src.ro.QueryContext(ctx, `SELECT incident, event, annotator, created FROM incident_events ORDER BY incident, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var inc, ev, created int64
		var who string
		if err := rows.Scan(&inc, &ev, &who, &created); err != nil {
			rows.Close()
			return err
		}
		if r, ok := m.events[ev]; ok { // an event added to src since its documents were read is left out
			ref := m.eventRef(r)
			links[inc] = append(links[inc], link{ref, m.annotatorOf(who), created})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	adjs := map[int64][]annotate.Adjudication{}
	rows, err = src.ro.QueryContext(ctx, `SELECT id, incident, kind, best, low, high, note, reviewer, at FROM adjudications ORDER BY incident, at, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		a, err := sqlstore.ScanAdjudication(rows)
		if err != nil {
			rows.Close()
			return err
		}
		a.Reviewer = m.annotatorOf(a.Reviewer)
		adjs[a.IncidentID] = append(adjs[a.IncidentID], a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, inc := range incs {
		ls := links[inc.ID]
		if len(ls) == 0 {
			continue // nothing of it could be placed
		}
		var target int64
		spread := false
		for _, l := range ls {
			var in int64
			sel, err := m.stmt(`SELECT incident FROM incident_events WHERE event = ?`)
			if err != nil {
				return err
			}
			err = sel.QueryRowContext(ctx, l.ref.EventID).Scan(&in)
			if err == sql.ErrNoRows {
				continue
			}
			if err != nil {
				return err
			}
			if target != 0 && in != target {
				spread = true
			}
			target = in
		}
		if spread {
			m.st.SkippedIncidents++
			continue
		}
		if target == 0 {
			res, err := m.exec(`INSERT INTO incidents (title, type, place, date, annotator, created, updated)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, inc.Title, inc.Type, inc.Place, inc.Date, m.annotatorOf(inc.Annotator),
				micros(inc.Created), micros(inc.Updated))
			if err != nil {
				return err
			}
			if target, err = res.LastInsertId(); err != nil {
				return err
			}
			m.st.Incidents++
		}
		for _, l := range ls {
			res, err := m.exec(`INSERT INTO incident_events (incident, doc, event, annotator, created)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (event) DO NOTHING`, target, l.ref.DocID, l.ref.EventID, l.annotator, l.created)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			m.st.Links += int(n)
		}
		for _, a := range adjs[inc.ID] {
			res, err := m.exec(`INSERT INTO adjudications (incident, kind, best, low, high, note, reviewer, at)
				SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM adjudications WHERE incident = ? AND kind = ?
					AND best IS ? AND low IS ? AND high IS ? AND note = ? AND reviewer = ? AND at = ?)`,
				target, a.Kind, sqlstore.NullInt(a.Best), sqlstore.NullInt(a.Low), sqlstore.NullInt(a.High), a.Note, a.Reviewer, micros(a.At),
				target, a.Kind, sqlstore.NullInt(a.Best), sqlstore.NullInt(a.Low), sqlstore.NullInt(a.High), a.Note, a.Reviewer, micros(a.At))
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			m.st.Adjudications += int(n)
		}
	}
	return nil
}
