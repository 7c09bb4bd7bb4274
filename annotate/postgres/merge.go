package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// Merge adds another annotator's database (src, in practice their SQLite file) to this
// one in one transaction, with the rules of the SQLite backend's Merge (see
// annotate/sqlite/merge.go): documents matched by the SHA-256 of their text and copied
// when missing; each span added with its own annotator, status, origin, times,
// attributes (a claimant remapped to the new span id) and confidence unless an
// identical one is there; events and arguments likewise; incidents of src added, joined
// to the one incident of this store that holds their events, or skipped and counted
// when their events are spread over several. annotator names what src stores without a
// name; the merge is logged under it as one op of kind "import" (not undoable), and not
// at all when nothing was added. name is src as the user named it, for messages.
//
// src is read through the Store and IncidentStore interfaces, so an incident's links
// carry the incident's annotator and creation time (the SQLite merge keeps each link's).
func (s *Store) Merge(ctx context.Context, src annotate.Store, name, annotator string) (annotate.MergeStats, error) {
	var st annotate.MergeStats
	what := "merge " + name
	sc, err := src.Schema(ctx)
	if err != nil {
		return st, fmt.Errorf("%s: %w", what, err)
	}
	ptx, err := s.beginWrite(ctx, true)
	if err != nil {
		return st, fmt.Errorf("%s: begin: %w", what, err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	m := &pgMerger{ctx: ctx, tx: pgq{ptx}, at: s.now(), fallback: annotator, st: &st, pc: phraseCounts{},
		events: map[int64]annotate.EventRef{}}
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
	if err := m.pc.flush(ctx, m.tx); err != nil {
		return st, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	if is, ok := src.(annotate.IncidentStore); ok {
		if err := m.incidents(is); err != nil {
			return st, fmt.Errorf("%s: incidents: %w", what, mapErr(err))
		}
	}
	if st.NewDocuments+st.Spans+st.Events+st.Arguments+st.Labels+st.Incidents+st.Links+st.Adjudications == 0 {
		return st, nil // nothing new: leave even the log as it was
	}
	if err := indexPending(ctx, ptx); err != nil { // the new documents and their search index land together
		return st, fmt.Errorf("%s: search index: %w", what, mapErr(err))
	}
	a := &action{ctx: ctx, tx: m.tx, kind: "import", annotator: annotator, at: m.at, notUndoable: true,
		summary: fmt.Sprintf("merged %s: %d new documents, %d spans, %d events", name, st.NewDocuments, st.Spans, st.Events)}
	if err := a.log(); err != nil {
		return st, fmt.Errorf("%s: log: %w", what, mapErr(err))
	}
	if err := ptx.Commit(ctx); err != nil {
		return st, fmt.Errorf("%s: commit: %w", what, mapErr(err))
	}
	return st, nil
}

// pgMerger carries one merge's transaction and what it has mapped so far.
type pgMerger struct {
	ctx      context.Context
	tx       txLike
	at       time.Time
	fallback string
	st       *annotate.MergeStats
	pc       phraseCounts
	bySHA    map[string]int64            // text hash -> document id in the store
	events   map[int64]annotate.EventRef // source event id -> stored event
}

func (m *pgMerger) annotatorOf(name string) string {
	if name == "" {
		return m.fallback
	}
	return name
}

// exec runs q and returns how many rows it changed.
func (m *pgMerger) exec(q string, args ...any) (int, error) {
	res, err := m.tx.ExecContext(m.ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// insert runs an INSERT … RETURNING id.
func (m *pgMerger) insert(q string, args ...any) (int64, error) {
	var id int64
	err := m.tx.QueryRowContext(m.ctx, q+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// schema adds the labels, event types and roles of the source the store lacks.
func (m *pgMerger) schema(sc *annotate.Schema) error {
	for _, l := range sc.Labels {
		// a key the store already uses for another label is dropped, as AddLabels does
		n, err := m.exec(`INSERT INTO labels (name, kind, color, key, description, position)
			SELECT ?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM labels WHERE key = ? AND key != '') THEN '' ELSE ? END, ?,
				(SELECT coalesce(max(position), -1) + 1 FROM labels)
			ON CONFLICT (name) DO NOTHING`, l.Name, l.Kind, l.Color, l.Key, l.Key, l.Description)
		if err != nil {
			return err
		}
		m.st.Labels += n
	}
	for _, e := range sc.EventTypes {
		roles, err := json.Marshal(e.Roles)
		if err != nil {
			return err
		}
		n, err := m.exec(`INSERT INTO event_types (name, trigger, roles, position)
			SELECT ?, ?, ?, (SELECT coalesce(max(position), -1) + 1 FROM event_types)
			ON CONFLICT (name) DO NOTHING`, e.Name, e.Trigger, string(roles))
		if err != nil {
			return err
		}
		m.st.Labels += n
	}
	for _, r := range sc.Roles {
		n, err := m.exec(`INSERT INTO roles (name, position) SELECT ?, (SELECT coalesce(max(position), -1) + 1 FROM roles)
			ON CONFLICT (name) DO NOTHING`, r)
		if err != nil {
			return err
		}
		m.st.Labels += n
	}
	return nil
}

// loadHashes reads the text hash of every stored document once.
func (m *pgMerger) loadHashes() error {
	m.bySHA = map[string]int64{}
	return eachRow(m.ctx, m.tx, `SELECT id, sha256 FROM documents ORDER BY id DESC`, nil, func(r pgx.Rows) error {
		var id int64
		var sha string
		if err := r.Scan(&id, &sha); err != nil {
			return err
		}
		m.bySHA[sha] = id // descending: the lowest id wins when two documents share a text
		return nil
	})
}

type pgSpanKey struct {
	start, end               int
	label, annotator, status string
}

type pgEventKey struct {
	typ               string
	trigger           int64
	annotator, status string
}

// document merges one source document with its spans and events.
func (m *pgMerger) document(d *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
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
		id, err := m.insert(`INSERT INTO documents (external_id, title, source, url, published, status, added, sha256, meta, text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ExternalID, d.Title, d.Source, d.URL, d.Published, string(status),
			micros(m.at), sha, meta, d.Text)
		if err != nil {
			return err
		}
		doc = id
		m.bySHA[sha] = doc
		m.st.NewDocuments++
	}

	have := map[pgSpanKey]int64{} // spans already there, by identity
	err := eachRow(m.ctx, m.tx, `SELECT id, start, "end", label, annotator, status FROM spans WHERE doc = ? ORDER BY id DESC`,
		[]any{doc}, func(r pgx.Rows) error {
			var id int64
			var k pgSpanKey
			if err := r.Scan(&id, &k.start, &k.end, &k.label, &k.annotator, &k.status); err != nil {
				return err
			}
			have[k] = id
			return nil
		})
	if err != nil {
		return err
	}
	ids := make(map[int64]int64, len(spans)) // source span id -> stored span id
	type claim struct {
		id    int64
		attrs map[string]json.RawMessage
	}
	var claims []claim
	for _, sp := range spans {
		k := pgSpanKey{sp.Start, sp.End, sp.Label, m.annotatorOf(sp.Annotator), string(sp.Status)}
		if id, ok := have[k]; ok {
			ids[sp.ID] = id
			m.st.SameSpans++
			continue
		}
		var attrs any
		if len(sp.Attrs) > 0 {
			attrs = string(sp.Attrs)
		}
		// The confidence goes along; the run does not (run ids are the source's).
		id, err := m.insert(`INSERT INTO spans (doc, start, "end", label, status, origin, annotator, created, updated, attrs, text, confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, doc, sp.Start, sp.End, sp.Label, string(sp.Status), sp.Origin, k.annotator,
			micros(sp.Created), micros(sp.Updated), attrs, sp.Text, sqlstore.ConfidenceArg(sp.Confidence))
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
	stored, err := sqlstore.LoadEvents(m.ctx, sq{m.tx}, []int64{doc})
	if err != nil {
		return err
	}
	evs := map[pgEventKey]int64{}
	for _, e := range stored[doc] {
		evs[pgEventKey{e.Type, e.Trigger, e.Annotator, string(e.Status)}] = e.ID
	}
	for _, e := range events {
		trig, ok := ids[e.Trigger]
		if !ok {
			return annotate.Errorf(annotate.EInvalid, "event %d: trigger span %d is not a span of the document", e.ID, e.Trigger)
		}
		k := pgEventKey{e.Type, trig, m.annotatorOf(e.Annotator), string(e.Status)}
		id, ok := evs[k]
		if !ok {
			origin := e.Origin
			if origin == "" {
				origin = annotate.OriginImport
			}
			if id, err = m.insert(`INSERT INTO events (doc, type, trigger, status, origin, annotator, created)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, doc, e.Type, trig, string(e.Status), origin, k.annotator, micros(m.at)); err != nil {
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
			n, err := m.exec(`INSERT INTO event_args (event, role, span) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, id, arg.Role, sp)
			if err != nil {
				return err
			}
			m.st.Arguments += n
		}
	}
	return nil
}

// incidents merges the incidents of src, after its events have been mapped.
func (m *pgMerger) incidents(src annotate.IncidentStore) error {
	incs, err := src.ListIncidents(m.ctx, annotate.IncidentFilter{})
	if err != nil {
		return err
	}
	for _, inc := range incs {
		var refs []annotate.EventRef
		for _, e := range inc.Events {
			if ref, ok := m.events[e.EventID]; ok { // an event added to src since its documents were read is left out
				refs = append(refs, ref)
			}
		}
		if len(refs) == 0 {
			continue // nothing of it could be placed
		}
		var target int64
		spread := false
		for _, r := range refs {
			var in int64
			err := m.tx.QueryRowContext(m.ctx, `SELECT incident FROM incident_events WHERE event = ?`, r.EventID).Scan(&in)
			if errors.Is(err, pgx.ErrNoRows) {
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
		who := m.annotatorOf(inc.Annotator)
		if target == 0 {
			if target, err = m.insert(`INSERT INTO incidents (title, type, place, date, annotator, created, updated)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, inc.Title, inc.Type, inc.Place, inc.Date, who,
				micros(inc.Created), micros(inc.Updated)); err != nil {
				return err
			}
			m.st.Incidents++
		}
		for _, r := range refs {
			n, err := m.exec(`INSERT INTO incident_events (incident, doc, event, annotator, created)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (event) DO NOTHING`, target, r.DocID, r.EventID, who, micros(inc.Created))
			if err != nil {
				return err
			}
			m.st.Links += n
		}
		for _, a := range inc.Adjudications {
			rev := m.annotatorOf(a.Reviewer)
			n, err := m.exec(`INSERT INTO adjudications (incident, kind, best, low, high, note, reviewer, at)
				SELECT ?, ?, ?::bigint, ?::bigint, ?::bigint, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM adjudications WHERE incident = ? AND kind = ?
					AND best IS NOT DISTINCT FROM ?::bigint AND low IS NOT DISTINCT FROM ?::bigint AND high IS NOT DISTINCT FROM ?::bigint
					AND note = ? AND reviewer = ? AND at = ?)`,
				target, a.Kind, sqlstore.NullInt(a.Best), sqlstore.NullInt(a.Low), sqlstore.NullInt(a.High), a.Note, rev, micros(a.At),
				target, a.Kind, sqlstore.NullInt(a.Best), sqlstore.NullInt(a.Low), sqlstore.NullInt(a.High), a.Note, rev, micros(a.At))
			if err != nil {
				return err
			}
			m.st.Adjudications += n
		}
	}
	return nil
}
