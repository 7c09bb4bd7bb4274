package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"evident/annotate"
)

// MergeStats counts what one Merge read and added.
type MergeStats = annotate.MergeStats

// Merge adds another annotator's database to this one, in one transaction: everything
// of src lands, or nothing. Documents are matched by the SHA-256 of their text; a
// document the store lacks is copied with its metadata and status. Every span of src is
// added with its own annotator, status, origin, times and attributes (a casualty's
// claimant remapped to the new span id), unless an identical span is there already
// (same document, start, end, label, annotator and status), in which case it is reused.
// Events are added likewise (identical: same document, type, trigger, annotator and
// status) with their arguments remapped. Merging the same source twice therefore
// changes nothing the second time.
//
// annotator is given to spans and events of src that carry no annotator, and the merge
// is logged under it as one op of kind "import" (not undoable, like an import); nothing
// is logged when nothing was added.
//
// Incidents of src come along: one whose events are in no incident of the store becomes
// a new incident with its adjudications; one whose events are all in the same incident
// of the store adds its other events and its adjudications (those not there already) to
// it; one whose events are spread over several incidents is skipped and counted.
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
	tx, err := s.begin(ctx, s.db)
	if err != nil {
		return st, fmt.Errorf("%s: begin: %w", what, mapErr(err))
	}
	defer tx.Rollback()
	m := &merger{ctx: ctx, a: &action{ctx: ctx, tx: tx, kind: "import", annotator: annotator, at: s.now(), notUndoable: true},
		fallback: annotator, st: &st, pc: phraseCounts{}, events: map[int64]annotate.EventRef{}, stmts: map[string]*sql.Stmt{}}
	defer m.close()
	if err := m.schema(sc); err != nil {
		return st, fmt.Errorf("%s: schema: %w", what, mapErr(err))
	}
	if err := m.loadHashes(); err != nil {
		return st, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	err = src.EachDocument(ctx, annotate.ExportFilter{}, func(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		if err := m.document(d, spans, events); err != nil {
			return fmt.Errorf("document %q: %w", d.ExternalID, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("%s: %w", what, err)
	}
	if err := m.pc.flush(ctx, tx); err != nil {
		return st, fmt.Errorf("%s: %w", what, mapErr(err))
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
	return st, nil
}

// merger carries one merge's transaction and what it has mapped so far.
type merger struct {
	ctx      context.Context
	a        *action
	fallback string
	st       *MergeStats
	pc       phraseCounts
	bySHA    map[string]int64            // text hash -> document id in the store
	events   map[int64]annotate.EventRef // source event id -> stored event
	stmts    map[string]*sql.Stmt        // prepared once per merge: a statement per row is half the time
}

func (m *merger) stmt(q string) (*sql.Stmt, error) {
	if st, ok := m.stmts[q]; ok {
		return st, nil
	}
	st, err := m.a.tx.PrepareContext(m.ctx, q)
	if err != nil {
		return nil, err
	}
	m.stmts[q] = st
	return st, nil
}

func (m *merger) exec(q string, args ...any) (sql.Result, error) {
	st, err := m.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(m.ctx, args...)
}

func (m *merger) close() {
	for _, st := range m.stmts {
		st.Close()
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
	rows, err := m.a.tx.QueryContext(m.ctx, `SELECT id, sha256 FROM documents ORDER BY id DESC`)
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

// document merges one source document with its spans and events.
func (m *merger) document(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
	ctx, tx := m.ctx, m.a.tx
	m.st.Documents++
	sha := annotate.TextHash(d.Text)
	doc, ok := m.bySHA[sha]
	if !ok {
		var meta any
		if len(d.Meta) > 0 {
			meta = string(d.Meta)
		}
		status := d.Status
		if status == "" {
			status = annotate.DocNew
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO documents (external_id, title, source, url, published, status, added, sha256, meta, text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ExternalID, d.Title, d.Source, d.URL, d.Published, string(status),
			micros(m.a.at), sha, meta, d.Text)
		if err != nil {
			return err
		}
		if doc, err = res.LastInsertId(); err != nil {
			return err
		}
		m.bySHA[sha] = doc
		m.st.NewDocuments++
	}

	// spans already there, by identity
	have := map[mergeSpanKey]int64{}
	sel, err := m.stmt(`SELECT id, start, "end", label, annotator, status FROM spans WHERE doc = ? ORDER BY id DESC`)
	if err != nil {
		return err
	}
	rows, err := sel.QueryContext(ctx, doc)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var k mergeSpanKey
		if err := rows.Scan(&id, &k.start, &k.end, &k.label, &k.annotator, &k.status); err != nil {
			rows.Close()
			return err
		}
		have[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ids := make(map[int64]int64, len(spans)) // source span id -> stored span id
	type claim struct {
		id    int64
		attrs map[string]json.RawMessage
	}
	var claims []claim
	for _, sp := range spans {
		k := mergeSpanKey{sp.Start, sp.End, sp.Label, m.annotatorOf(sp.Annotator), string(sp.Status)}
		if id, ok := have[k]; ok {
			ids[sp.ID] = id
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
		res, err := m.exec(`INSERT INTO spans (doc, start, "end", label, status, origin, annotator, created, updated, attrs, text, confidence, proposers)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, doc, sp.Start, sp.End, sp.Label, string(sp.Status), sp.Origin, k.annotator,
			micros(sp.Created), micros(sp.Updated), attrs, sp.Text, confidenceArg(sp.Confidence), proposersArg(props))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		have[k], ids[sp.ID] = id, id
		m.st.Spans++
		m.pc.addSpan(sp.Text, sp.Label, string(sp.Status), +1)
		if len(sp.Attrs) > 0 {
			var a map[string]json.RawMessage
			if json.Unmarshal(sp.Attrs, &a) == nil && a["claimant"] != nil {
				claims = append(claims, claim{id, a})
			}
		}
	}
	// claimants point at source span ids: point them at the stored ones
	for _, c := range claims {
		var old int64
		if json.Unmarshal(c.attrs["claimant"], &old) != nil || old == 0 {
			continue
		}
		if nu, ok := ids[old]; ok {
			c.attrs["claimant"] = json.RawMessage(fmt.Sprint(nu))
		} else {
			delete(c.attrs, "claimant") // it named no span of the document: keep claimant_text only
		}
		data, err := json.Marshal(c.attrs)
		if err != nil {
			return err
		}
		if _, err := m.exec(`UPDATE spans SET attrs = ? WHERE id = ?`, string(data), c.id); err != nil {
			return err
		}
	}

	if len(events) == 0 {
		return nil
	}
	stored, err := loadEvents(ctx, tx, []int64{doc})
	if err != nil {
		return err
	}
	evs := map[mergeEventKey]int64{}
	for _, e := range stored[doc] {
		evs[mergeEventKey{e.Type, e.Trigger, e.Annotator, string(e.Status)}] = e.ID
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
			res, err := m.exec(`INSERT INTO events (doc, type, trigger, status, origin, annotator, created)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, doc, e.Type, trig, string(e.Status), origin, k.annotator, micros(m.a.at))
			if err != nil {
				return err
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			evs[k] = id
			m.st.Events++
		}
		m.events[e.ID] = annotate.EventRef{DocID: doc, EventID: id}
		for _, arg := range e.Args {
			sp, ok := ids[arg.SpanID]
			if !ok {
				return annotate.Errorf(annotate.EInvalid, "event %d: %s argument span %d is not a span of the document", e.ID, arg.Role, arg.SpanID)
			}
			res, err := m.exec(`INSERT INTO event_args (event, role, span) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				id, arg.Role, sp)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			m.st.Arguments += int(n)
		}
	}
	return nil
}

// incidents merges the incidents of src, after its events have been mapped.
func (m *merger) incidents(src *Store) error {
	ctx, tx := m.ctx, m.a.tx
	incs, err := readIncidents(ctx, src.ro, `SELECT `+incidentCols+` FROM incidents ORDER BY id`)
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
		if ref, ok := m.events[ev]; ok { // an event added to src since its documents were read is left out
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
		a, err := scanAdjudication(rows)
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
			err := tx.QueryRowContext(ctx, `SELECT incident FROM incident_events WHERE event = ?`, l.ref.EventID).Scan(&in)
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
			res, err := tx.ExecContext(ctx, `INSERT INTO incidents (title, type, place, date, annotator, created, updated)
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
			res, err := tx.ExecContext(ctx, `INSERT INTO incident_events (incident, doc, event, annotator, created)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (event) DO NOTHING`, target, l.ref.DocID, l.ref.EventID, l.annotator, l.created)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			m.st.Links += int(n)
		}
		for _, a := range adjs[inc.ID] {
			res, err := tx.ExecContext(ctx, `INSERT INTO adjudications (incident, kind, best, low, high, note, reviewer, at)
				SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM adjudications WHERE incident = ? AND kind = ?
					AND best IS ? AND low IS ? AND high IS ? AND note = ? AND reviewer = ? AND at = ?)`,
				target, a.Kind, nullInt(a.Best), nullInt(a.Low), nullInt(a.High), a.Note, a.Reviewer, micros(a.At),
				target, a.Kind, nullInt(a.Best), nullInt(a.Low), nullInt(a.High), a.Note, a.Reviewer, micros(a.At))
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			m.st.Adjudications += int(n)
		}
	}
	return nil
}
