package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"evident/annotate"
	"evident/annotate/incident"
)

// Store keeps incidents beside annotations (tables of migration 0003). Every change is
// one action in the operations log, so Undo and Redo treat it like any other. Op kinds:
// create_incident, update_incident, delete_incident, link_event, unlink_event,
// merge_incidents, split_incident, adjudicate, reject_proposal.
var _ annotate.IncidentStore = (*Store)(nil)

// incidentCols are the columns scanIncident reads.
const incidentCols = `id, title, type, place, date, annotator, created, updated`

func scanIncident(sc interface{ Scan(...any) error }) (annotate.Incident, error) {
	var inc annotate.Incident
	var created, updated int64
	err := sc.Scan(&inc.ID, &inc.Title, &inc.Type, &inc.Place, &inc.Date, &inc.Annotator, &created, &updated)
	inc.Created, inc.Updated = fromMicros(created), fromMicros(updated)
	inc.Events, inc.Figures, inc.Adjudications = []annotate.EventRef{}, []annotate.Figure{}, []annotate.Adjudication{}
	return inc, err
}

// ListIncidents returns the incidents that pass f, ordered by id, each filled with its
// events (by document, then event id), figures and adjudications (oldest first), all
// read from one snapshot.
func (s *Store) ListIncidents(ctx context.Context, f annotate.IncidentFilter) ([]annotate.Incident, error) {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", mapErr(err))
	}
	defer tx.Rollback()
	q := `SELECT ` + incidentCols + ` FROM incidents WHERE 1`
	var args []any
	// Narrow in SQL what SQL can; incident.Matches has the last word below.
	if f.DocID != 0 {
		q += ` AND id IN (SELECT incident FROM incident_events WHERE doc = ?)`
		args = append(args, f.DocID)
	}
	if f.From != "" {
		q += ` AND date != '' AND substr(date, 1, 10) >= ?`
		args = append(args, f.From)
	}
	if f.To != "" {
		q += ` AND date != '' AND substr(date, 1, 10) <= ?`
		args = append(args, f.To)
	}
	incs, err := readIncidents(ctx, tx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", mapErr(err))
	}
	if err := fillIncidents(ctx, tx, incs); err != nil {
		return nil, fmt.Errorf("incidents: %w", mapErr(err))
	}
	out := incs[:0]
	for i := range incs {
		if incident.Matches(&incs[i], f) {
			out = append(out, incs[i])
		}
	}
	return out, nil
}

// Incident returns one incident, filled as in ListIncidents.
func (s *Store) Incident(ctx context.Context, id int64) (*annotate.Incident, error) {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("incident %d: %w", id, mapErr(err))
	}
	defer tx.Rollback()
	incs, err := readIncidents(ctx, tx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("incident %d: %w", id, mapErr(err))
	}
	if len(incs) == 0 {
		return nil, annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
	}
	if err := fillIncidents(ctx, tx, incs); err != nil {
		return nil, fmt.Errorf("incident %d: %w", id, mapErr(err))
	}
	return &incs[0], nil
}

// IncidentOf returns the incident an event belongs to, 0 if none.
func (s *Store) IncidentOf(ctx context.Context, ev annotate.EventRef) (int64, error) {
	var id int64
	err := s.ro.QueryRowContext(ctx, `SELECT incident FROM incident_events WHERE event = ?`, ev.EventID).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("incident of event %d: %w", ev.EventID, mapErr(err))
	}
	return id, nil
}

func readIncidents(ctx context.Context, q txLike, query string, args ...any) ([]annotate.Incident, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Incident
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

// fillIncidents reads the events, adjudications and figures of incs. Figures are read a
// document at a time (its text, CASUALTY and SOURCE spans and events), so memory holds
// one document however many incidents there are.
func fillIncidents(ctx context.Context, q txLike, incs []annotate.Incident) error {
	if len(incs) == 0 {
		return nil
	}
	pos := make(map[int64]int, len(incs))
	ids := make([]int64, len(incs))
	for i, inc := range incs {
		pos[inc.ID] = i
		ids[i] = inc.ID
	}
	idJSON, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	// links, by document so the figures below come in document order
	rows, err := q.QueryContext(ctx, `SELECT incident, doc, event, created FROM incident_events
		WHERE incident IN (SELECT value FROM json_each(?)) ORDER BY doc, event`, string(idJSON))
	if err != nil {
		return err
	}
	byDoc := map[int64]map[int64][]int64{} // doc -> incident -> event ids
	var docs []int64
	for rows.Next() {
		var inc, doc, ev, created int64
		if err := rows.Scan(&inc, &doc, &ev, &created); err != nil {
			rows.Close()
			return err
		}
		p := &incs[pos[inc]]
		p.Events = append(p.Events, annotate.EventRef{DocID: doc, EventID: ev})
		if t := fromMicros(created); t.After(p.Updated) {
			p.Updated = t
		}
		if byDoc[doc] == nil {
			byDoc[doc] = map[int64][]int64{}
			docs = append(docs, doc)
		}
		byDoc[doc][inc] = append(byDoc[doc][inc], ev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, incident, kind, best, low, high, note, reviewer, at FROM adjudications
		WHERE incident IN (SELECT value FROM json_each(?)) ORDER BY incident, at, id`, string(idJSON))
	if err != nil {
		return err
	}
	for rows.Next() {
		a, err := scanAdjudication(rows)
		if err != nil {
			rows.Close()
			return err
		}
		p := &incs[pos[a.IncidentID]]
		p.Adjudications = append(p.Adjudications, a)
		if a.At.After(p.Updated) {
			p.Updated = a.At
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, doc := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := figuresOfDoc(ctx, q, doc, byDoc[doc], incs, pos); err != nil {
			return fmt.Errorf("figures of document %d: %w", doc, err)
		}
	}
	return nil
}

// figuresOfDoc appends to each incident the figures its events in doc carry.
func figuresOfDoc(ctx context.Context, q txLike, docID int64, linked map[int64][]int64, incs []annotate.Incident, pos map[int64]int) error {
	d, err := scanDoc(q.QueryRowContext(ctx, `SELECT `+docCols+` FROM documents WHERE id = ?`, docID))
	if err != nil {
		return err
	}
	// SOURCE spans too: a figure shows its claimant's text when the attributes lack it.
	rows, err := q.QueryContext(ctx, `SELECT `+spanCols+` FROM spans WHERE doc = ? AND label IN ('CASUALTY', 'SOURCE')
		ORDER BY start, "end", label, status, id`, docID)
	if err != nil {
		return err
	}
	var spans []annotate.Span
	r := newSpanReader(ctx, q)
	for rows.Next() {
		sp, err := r.scan(rows)
		if err != nil {
			rows.Close()
			return err
		}
		spans = append(spans, sp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	figs := incident.FiguresOf(d, spans)
	if len(figs) == 0 {
		return nil
	}
	evs, err := loadEvents(ctx, q, []int64{docID})
	if err != nil {
		return err
	}
	for inc, evIDs := range linked {
		var mine []annotate.Event
		for _, e := range evs[docID] {
			// a rejected event says nothing about the incident's toll
			if slices.Contains(evIDs, e.ID) && e.Status != annotate.StatusRejected {
				mine = append(mine, e)
			}
		}
		p := &incs[pos[inc]]
		p.Figures = append(p.Figures, incident.ForEvents(figs, mine)...)
	}
	return nil
}

func scanAdjudication(sc interface{ Scan(...any) error }) (annotate.Adjudication, error) {
	var a annotate.Adjudication
	var best, low, high sql.NullInt64
	var at int64
	if err := sc.Scan(&a.ID, &a.IncidentID, &a.Kind, &best, &low, &high, &a.Note, &a.Reviewer, &at); err != nil {
		return a, err
	}
	a.Best, a.Low, a.High = intPtr(best), intPtr(low), intPtr(high)
	a.At = fromMicros(at)
	return a, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// incidentTitle returns the title of incident id, ENotFound if it does not exist.
func incidentTitle(ctx context.Context, q txLike, id int64) (string, error) {
	var title string
	err := q.QueryRowContext(ctx, `SELECT title FROM incidents WHERE id = ?`, id).Scan(&title)
	if err == sql.ErrNoRows {
		return "", annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
	}
	return title, err
}

// linkable checks that an event exists and belongs to no incident other than except,
// and returns its reference with the stored document. linked reports whether it is in
// except already.
func linkable(ctx context.Context, q txLike, ev annotate.EventRef, except int64) (ref annotate.EventRef, linked bool, err error) {
	doc, _, err := eventHead(ctx, q, ev.EventID)
	if err != nil {
		return ev, false, err
	}
	if ev.DocID != 0 && ev.DocID != doc {
		return ev, false, annotate.Errorf(annotate.EInvalid, "event %d is in document %d, not %d", ev.EventID, doc, ev.DocID)
	}
	ref = annotate.EventRef{DocID: doc, EventID: ev.EventID}
	var inc int64
	err = q.QueryRowContext(ctx, `SELECT incident FROM incident_events WHERE event = ?`, ev.EventID).Scan(&inc)
	switch {
	case err == sql.ErrNoRows:
		return ref, false, nil
	case err != nil:
		return ref, false, err
	case inc == except:
		return ref, true, nil
	}
	return ref, false, annotate.Errorf(annotate.EConflict, "event %d already belongs to incident %d", ev.EventID, inc)
}

func insertLink(a *action, inc int64, ev annotate.EventRef) error {
	res, err := a.tx.ExecContext(a.ctx, `INSERT INTO incident_events (incident, doc, event, annotator, created)
		VALUES (?, ?, ?, ?, ?)`, inc, ev.DocID, ev.EventID, a.annotator, micros(a.at))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	return a.inserted("incident_events", id)
}

// insertIncident adds an incidents row; an empty title becomes "Incident N".
func insertIncident(a *action, inc annotate.Incident) (int64, error) {
	now := micros(a.at)
	res, err := a.tx.ExecContext(a.ctx, `INSERT INTO incidents (title, type, place, date, annotator, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, inc.Title, inc.Type, inc.Place, inc.Date, a.annotator, now, now)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if inc.Title == "" {
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE incidents SET title = 'Incident ' || id WHERE id = ?`, id); err != nil {
			return 0, err
		}
	}
	return id, a.inserted("incidents", id)
}

// uniqueRefs drops repeated events, keeping the first.
func uniqueRefs(evs []annotate.EventRef) []annotate.EventRef {
	seen := map[int64]bool{}
	var out []annotate.EventRef
	for _, e := range evs {
		if !seen[e.EventID] {
			seen[e.EventID] = true
			out = append(out, e)
		}
	}
	return out
}

// CreateIncident makes an incident of the given events with inc's Title, Type, Place and
// Date. Every event must exist and belong to no incident yet.
func (s *Store) CreateIncident(ctx context.Context, inc annotate.Incident, annotator string) (annotate.Incident, error) {
	evs := uniqueRefs(inc.Events)
	if len(evs) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "create incident: no events")
	}
	var id int64
	_, err := s.write(ctx, "create_incident", annotator, func(a *action) error {
		var title string
		var err error
		id, title, err = createIncident(a, inc, evs)
		a.summary = fmt.Sprintf("create incident %q (%d events)", clip(title), len(evs))
		return err
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "create incident", id)
}

// createIncident makes inc of events evs in a's transaction.
func createIncident(a *action, inc annotate.Incident, evs []annotate.EventRef) (id int64, title string, err error) {
	refs := make([]annotate.EventRef, len(evs))
	for i, e := range evs {
		ref, _, err := linkable(a.ctx, a.tx, e, -1)
		if err != nil {
			return 0, "", err
		}
		refs[i] = ref
	}
	if id, err = insertIncident(a, inc); err != nil {
		return 0, "", err
	}
	for _, ref := range refs {
		if err := insertLink(a, id, ref); err != nil {
			return 0, "", err
		}
	}
	title, err = incidentTitle(a.ctx, a.tx, id)
	return id, title, err
}

// filled reads an incident just written.
func (s *Store) filled(ctx context.Context, what string, id int64) (annotate.Incident, error) {
	inc, err := s.Incident(ctx, id)
	if err != nil {
		return annotate.Incident{}, fmt.Errorf("%s: %w", what, err)
	}
	return *inc, nil
}

// UpdateIncident changes an incident's Title, Type, Place and Date.
func (s *Store) UpdateIncident(ctx context.Context, inc annotate.Incident, annotator string) (annotate.Incident, error) {
	_, err := s.write(ctx, "update_incident", annotator, func(a *action) error {
		a.summary = fmt.Sprintf("update incident %q", clip(inc.Title))
		return a.update("incidents", inc.ID, func() error {
			_, err := a.tx.ExecContext(ctx, `UPDATE incidents SET title = ?, type = ?, place = ?, date = ?, updated = ?
				WHERE id = ?`, inc.Title, inc.Type, inc.Place, inc.Date, micros(a.at), inc.ID)
			return err
		})
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "update incident", inc.ID)
}

// DeleteIncident removes an incident, its links and its adjudications (all restored by
// Undo); the events and spans stay.
func (s *Store) DeleteIncident(ctx context.Context, id int64, annotator string) error {
	_, err := s.write(ctx, "delete_incident", annotator, func(a *action) error {
		title, err := incidentTitle(ctx, a.tx, id)
		if err != nil {
			return err
		}
		a.summary = fmt.Sprintf("delete incident %q", clip(title))
		for _, q := range []struct{ table, sql string }{
			{"incident_events", `SELECT id FROM incident_events WHERE incident = ? ORDER BY id`},
			{"adjudications", `SELECT id FROM adjudications WHERE incident = ? ORDER BY id`},
		} {
			rows, err := queryIDs(ctx, a.tx, q.sql, id)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if err := a.remove(q.table, r); err != nil {
					return err
				}
			}
		}
		return a.remove("incidents", id)
	})
	return err
}

// LinkEvent adds an event to an incident. Linking an event already in that incident
// changes nothing and logs nothing.
func (s *Store) LinkEvent(ctx context.Context, incidentID int64, ev annotate.EventRef, annotator string) error {
	_, err := s.write(ctx, "link_event", annotator, func(a *action) error {
		title, err := incidentTitle(ctx, a.tx, incidentID)
		if err != nil {
			return err
		}
		ref, linked, err := linkable(ctx, a.tx, ev, incidentID)
		if err != nil || linked {
			return err
		}
		a.doc = ref.DocID
		a.summary = fmt.Sprintf("link event %d to incident %q", ref.EventID, clip(title))
		return insertLink(a, incidentID, ref)
	})
	return err
}

// UnlinkEvent takes an event out of an incident; the incident stays, even when empty.
func (s *Store) UnlinkEvent(ctx context.Context, incidentID int64, ev annotate.EventRef, annotator string) error {
	_, err := s.write(ctx, "unlink_event", annotator, func(a *action) error {
		title, err := incidentTitle(ctx, a.tx, incidentID)
		if err != nil {
			return err
		}
		var id, doc int64
		err = a.tx.QueryRowContext(ctx, `SELECT id, doc FROM incident_events WHERE incident = ? AND event = ?`,
			incidentID, ev.EventID).Scan(&id, &doc)
		if err == sql.ErrNoRows {
			return annotate.Errorf(annotate.ENotFound, "event %d is not in incident %d", ev.EventID, incidentID)
		}
		if err != nil {
			return err
		}
		a.doc = doc
		a.summary = fmt.Sprintf("unlink event %d from incident %q", ev.EventID, clip(title))
		return a.remove("incident_events", id)
	})
	return err
}

// moveRows points the rows of table that belong to incident from at incident to.
func moveRows(a *action, table string, from, to int64) error {
	ids, err := queryIDs(a.ctx, a.tx, `SELECT id FROM `+table+` WHERE incident = ? ORDER BY id`, from)
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := a.update(table, id, func() error {
			_, err := a.tx.ExecContext(a.ctx, `UPDATE `+table+` SET incident = ? WHERE id = ?`, to, id)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// MergeIncidents moves the events and adjudications of others into incident into and
// deletes the others.
func (s *Store) MergeIncidents(ctx context.Context, into int64, others []int64, annotator string) (annotate.Incident, error) {
	var ids []int64
	for _, o := range others {
		if o != into && !slices.Contains(ids, o) {
			ids = append(ids, o)
		}
	}
	if len(ids) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "merge incidents: nothing to merge into incident %d", into)
	}
	_, err := s.write(ctx, "merge_incidents", annotator, func(a *action) error {
		title, err := incidentTitle(ctx, a.tx, into)
		if err != nil {
			return err
		}
		for _, o := range ids {
			if _, err := incidentTitle(ctx, a.tx, o); err != nil {
				return err
			}
			if err := moveRows(a, "incident_events", o, into); err != nil {
				return err
			}
			if err := moveRows(a, "adjudications", o, into); err != nil {
				return err
			}
			if err := a.remove("incidents", o); err != nil {
				return err
			}
		}
		a.summary = fmt.Sprintf("merge %d incidents into %q", len(ids), clip(title))
		return nil
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "merge incidents", into)
}

// SplitIncident moves events out of incident id into a new incident with the same type,
// place and date and the title "<title> (split)"; adjudications stay with id.
func (s *Store) SplitIncident(ctx context.Context, id int64, events []annotate.EventRef, annotator string) (annotate.Incident, error) {
	evs := uniqueRefs(events)
	if len(evs) == 0 {
		return annotate.Incident{}, annotate.Errorf(annotate.EInvalid, "split incident %d: no events to move", id)
	}
	var newID int64
	_, err := s.write(ctx, "split_incident", annotator, func(a *action) error {
		old, err := scanIncident(a.tx.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id))
		if err == sql.ErrNoRows {
			return annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
		}
		if err != nil {
			return err
		}
		links := make([]int64, len(evs))
		for i, e := range evs {
			err := a.tx.QueryRowContext(ctx, `SELECT id FROM incident_events WHERE incident = ? AND event = ?`, id, e.EventID).Scan(&links[i])
			if err == sql.ErrNoRows {
				return annotate.Errorf(annotate.EInvalid, "event %d is not in incident %d", e.EventID, id)
			}
			if err != nil {
				return err
			}
		}
		nu := old
		nu.Title = old.Title + " (split)"
		if newID, err = insertIncident(a, nu); err != nil {
			return err
		}
		for _, l := range links {
			err := a.update("incident_events", l, func() error {
				_, err := a.tx.ExecContext(ctx, `UPDATE incident_events SET incident = ? WHERE id = ?`, newID, l)
				return err
			})
			if err != nil {
				return err
			}
		}
		a.summary = fmt.Sprintf("split %d events out of incident %q", len(links), clip(old.Title))
		return nil
	})
	if err != nil {
		return annotate.Incident{}, err
	}
	return s.filled(ctx, "split incident", newID)
}

// Adjudicate records a decision on one kind of figure of an incident. Reviewer becomes
// annotator and At the time of the action; earlier decisions are kept as history.
func (s *Store) Adjudicate(ctx context.Context, adj annotate.Adjudication, annotator string) (annotate.Adjudication, error) {
	if err := adj.Validate(); err != nil {
		return annotate.Adjudication{}, err
	}
	_, err := s.write(ctx, "adjudicate", annotator, func(a *action) error {
		title, err := incidentTitle(ctx, a.tx, adj.IncidentID)
		if err != nil {
			return err
		}
		adj.Reviewer, adj.At = annotator, fromMicros(micros(a.at))
		res, err := a.tx.ExecContext(ctx, `INSERT INTO adjudications (incident, kind, best, low, high, note, reviewer, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, adj.IncidentID, adj.Kind, nullInt(adj.Best), nullInt(adj.Low), nullInt(adj.High),
			adj.Note, adj.Reviewer, micros(a.at))
		if err != nil {
			return err
		}
		if adj.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		a.summary = fmt.Sprintf("adjudicate %s of incident %q", adj.Kind, clip(title))
		return a.inserted("adjudications", adj.ID)
	})
	if err != nil {
		return annotate.Adjudication{}, err
	}
	return adj, nil
}

// RejectProposal remembers that the proposal's events are not one incident: every pair
// of its events from different documents is left out of later proposals.
func (s *Store) RejectProposal(ctx context.Context, p annotate.IncidentProposal, annotator string) error {
	evs := uniqueRefs(p.Events)
	if len(evs) < 2 {
		return annotate.Errorf(annotate.EInvalid, "reject proposal: it needs two events")
	}
	_, err := s.write(ctx, "reject_proposal", annotator, func(a *action) error {
		for i, e := range evs {
			doc, _, err := eventHead(ctx, a.tx, e.EventID)
			if err != nil {
				return err
			}
			evs[i].DocID = doc
		}
		slices.SortFunc(evs, cmpRef)
		reasons := p.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		ej, err := json.Marshal(evs)
		if err != nil {
			return err
		}
		rj, err := json.Marshal(reasons)
		if err != nil {
			return err
		}
		res, err := a.tx.ExecContext(ctx, `INSERT INTO rejected_proposals (events, score, reasons, annotator, at)
			VALUES (?, ?, ?, ?, ?)`, string(ej), p.Score, string(rj), annotator, micros(a.at))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		a.summary = fmt.Sprintf("reject a proposed incident of %d events", len(evs))
		return a.inserted("rejected_proposals", id)
	})
	return err
}

func cmpRef(a, b annotate.EventRef) int {
	if c := cmp.Compare(a.DocID, b.DocID); c != 0 {
		return c
	}
	return cmp.Compare(a.EventID, b.EventID)
}

// RejectedPairs returns, once each, the pairs of events from different documents of
// every rejected proposal, each pair ordered by event id, sorted.
func (s *Store) RejectedPairs(ctx context.Context) ([][2]annotate.EventRef, error) {
	lists, err := queryStrings(ctx, s.ro, `SELECT events FROM rejected_proposals ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("rejected pairs: %w", mapErr(err))
	}
	seen := map[[2]int64]bool{}
	var out [][2]annotate.EventRef
	for _, l := range lists {
		var evs []annotate.EventRef
		if err := json.Unmarshal([]byte(l), &evs); err != nil {
			return nil, fmt.Errorf("rejected pairs: %w", err)
		}
		for i, x := range evs {
			for _, y := range evs[i+1:] {
				if x.DocID == y.DocID || x.EventID == y.EventID {
					continue
				}
				p := [2]annotate.EventRef{x, y}
				if x.EventID > y.EventID {
					p = [2]annotate.EventRef{y, x}
				}
				k := [2]int64{p[0].EventID, p[1].EventID}
				if !seen[k] {
					seen[k] = true
					out = append(out, p)
				}
			}
		}
	}
	slices.SortFunc(out, func(x, y [2]annotate.EventRef) int {
		if c := cmp.Compare(x[0].EventID, y[0].EventID); c != 0 {
			return c
		}
		return cmp.Compare(x[1].EventID, y[1].EventID)
	})
	return out, nil
}
