package sqlstore

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

// Incidents live beside annotations (tables of migration 0003). Every change is one
// action in the operations log, so Undo and Redo treat it like any other. Op kinds:
// create_incident, update_incident, delete_incident, link_event, unlink_event,
// merge_incidents, split_incident, adjudicate, reject_proposal.

// IncidentCols are the columns ScanIncident reads.
const IncidentCols = `id, title, type, place, date, annotator, created, updated`

// ScanIncident reads one incidents row (IncidentCols), with empty lists to fill.
func ScanIncident(sc interface{ Scan(...any) error }) (annotate.Incident, error) {
	var inc annotate.Incident
	var created, updated int64
	err := sc.Scan(&inc.ID, &inc.Title, &inc.Type, &inc.Place, &inc.Date, &inc.Annotator, &created, &updated)
	inc.Created, inc.Updated = FromMicros(created), FromMicros(updated)
	inc.Events, inc.Figures, inc.Adjudications = []annotate.EventRef{}, []annotate.Figure{}, []annotate.Adjudication{}
	return inc, err
}

// ListIncidents returns the incidents that pass f, ordered by id, each filled with its
// events (by document, then event id), figures and adjudications (oldest first). q
// should be one snapshot.
func ListIncidents(ctx context.Context, q Q, f annotate.IncidentFilter) ([]annotate.Incident, error) {
	query := `SELECT ` + IncidentCols + ` FROM incidents WHERE true`
	var args []any
	// Narrow in SQL what SQL can; incident.Matches has the last word below.
	if f.DocID != 0 {
		query += ` AND id IN (SELECT incident FROM incident_events WHERE doc = ?)`
		args = append(args, f.DocID)
	}
	if f.From != "" {
		query += ` AND date != '' AND substr(date, 1, 10) >= ?`
		args = append(args, f.From)
	}
	if f.To != "" {
		query += ` AND date != '' AND substr(date, 1, 10) <= ?`
		args = append(args, f.To)
	}
	incs, err := ReadIncidents(ctx, q, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	if err := FillIncidents(ctx, q, incs); err != nil {
		return nil, err
	}
	out := incs[:0]
	for i := range incs {
		if incident.Matches(&incs[i], f) {
			out = append(out, incs[i])
		}
	}
	return out, nil
}

// Incident reads incident id, filled as in ListIncidents; none when it does not exist.
func Incident(ctx context.Context, q Q, id int64) ([]annotate.Incident, error) {
	incs, err := ReadIncidents(ctx, q, `SELECT `+IncidentCols+` FROM incidents WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	return incs, FillIncidents(ctx, q, incs)
}

// IncidentOf returns the incident an event belongs to, 0 if none.
func IncidentOf(ctx context.Context, q Q, ev annotate.EventRef) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT incident FROM incident_events WHERE event = ?`, ev.EventID).Scan(&id)
	if q.NoRows(err) {
		return 0, nil
	}
	return id, err
}

// ReadIncidents reads the incidents rows of query (IncidentCols), unfilled.
func ReadIncidents(ctx context.Context, q Q, query string, args ...any) ([]annotate.Incident, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Incident
	for rows.Next() {
		inc, err := ScanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

// FillIncidents reads the events, adjudications and figures of incs. Figures are read a
// document at a time (its text, CASUALTY and SOURCE spans and events), so memory holds
// one document however many incidents there are.
func FillIncidents(ctx context.Context, q Q, incs []annotate.Incident) error {
	if len(incs) == 0 {
		return nil
	}
	pos := make(map[int64]int, len(incs))
	ids := make([]int64, len(incs))
	for i, inc := range incs {
		pos[inc.ID] = i
		ids[i] = inc.ID
	}
	inIDs, idArg, err := q.InIDs("incident", ids)
	if err != nil {
		return err
	}
	// links, by document so the figures below come in document order
	rows, err := q.QueryContext(ctx, `SELECT incident, doc, event, created FROM incident_events
		WHERE `+inIDs+` ORDER BY doc, event`, idArg)
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
		if t := FromMicros(created); t.After(p.Updated) {
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
		WHERE `+inIDs+` ORDER BY incident, at, id`, idArg)
	if err != nil {
		return err
	}
	for rows.Next() {
		a, err := ScanAdjudication(rows)
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
func figuresOfDoc(ctx context.Context, q Q, docID int64, linked map[int64][]int64, incs []annotate.Incident, pos map[int64]int) error {
	d, err := ScanDoc(q.QueryRowContext(ctx, `SELECT `+DocCols+` FROM documents WHERE id = ?`, docID))
	if err != nil {
		return err
	}
	// SOURCE spans too: a figure shows its claimant's text when the attributes lack it.
	spans, err := ReadSpans(ctx, q, `doc = ? AND label IN ('CASUALTY', 'SOURCE')
		ORDER BY start, "end", label, status, id`, docID)
	if err != nil {
		return err
	}
	figs := incident.FiguresOf(d, spans)
	if len(figs) == 0 {
		return nil
	}
	evs, err := LoadEvents(ctx, q, []int64{docID})
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

// ScanAdjudication reads one adjudications row.
func ScanAdjudication(sc interface{ Scan(...any) error }) (annotate.Adjudication, error) {
	var a annotate.Adjudication
	var best, low, high sql.NullInt64
	var at int64
	if err := sc.Scan(&a.ID, &a.IncidentID, &a.Kind, &best, &low, &high, &a.Note, &a.Reviewer, &at); err != nil {
		return a, err
	}
	a.Best, a.Low, a.High = intPtr(best), intPtr(low), intPtr(high)
	a.At = FromMicros(at)
	return a, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// NullInt is the stored form of an optional number (NULL for nil).
func NullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// IncidentTitle returns the title of incident id, ENotFound if it does not exist.
func IncidentTitle(ctx context.Context, q Q, id int64) (string, error) {
	var title string
	err := q.QueryRowContext(ctx, `SELECT title FROM incidents WHERE id = ?`, id).Scan(&title)
	if q.NoRows(err) {
		return "", annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
	}
	return title, err
}

// linkable checks that an event exists and belongs to no incident other than except,
// and returns its reference with the stored document. linked reports whether it is in
// except already.
func linkable(ctx context.Context, q Q, ev annotate.EventRef, except int64) (ref annotate.EventRef, linked bool, err error) {
	doc, _, err := EventHead(ctx, q, ev.EventID)
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
	case q.NoRows(err):
		return ref, false, nil
	case err != nil:
		return ref, false, err
	case inc == except:
		return ref, true, nil
	}
	return ref, false, annotate.Errorf(annotate.EConflict, "event %d already belongs to incident %d", ev.EventID, inc)
}

func insertLink(a Action, inc int64, ev annotate.EventRef) error {
	id, err := a.Q().InsertID(a.Ctx(), `INSERT INTO incident_events (incident, doc, event, annotator, created)
		VALUES (?, ?, ?, ?, ?)`, inc, ev.DocID, ev.EventID, a.Annotator(), Micros(a.At()))
	if err != nil {
		return err
	}
	return a.Inserted("incident_events", id)
}

// insertIncident adds an incidents row; an empty title becomes "Incident N".
func insertIncident(a Action, inc annotate.Incident) (int64, error) {
	ctx, q := a.Ctx(), a.Q()
	now := Micros(a.At())
	id, err := q.InsertID(ctx, `INSERT INTO incidents (title, type, place, date, annotator, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, inc.Title, inc.Type, inc.Place, inc.Date, a.Annotator(), now, now)
	if err != nil {
		return 0, err
	}
	if inc.Title == "" {
		if _, err := q.ExecContext(ctx, `UPDATE incidents SET title = 'Incident ' || id WHERE id = ?`, id); err != nil {
			return 0, err
		}
	}
	return id, a.Inserted("incidents", id)
}

// UniqueRefs drops repeated events, keeping the first.
func UniqueRefs(evs []annotate.EventRef) []annotate.EventRef {
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

// CreateIncident makes inc of events evs (UniqueRefs, at least one) in a's
// transaction and returns its id and title.
func CreateIncident(a Action, inc annotate.Incident, evs []annotate.EventRef) (id int64, title string, err error) {
	ctx, q := a.Ctx(), a.Q()
	refs := make([]annotate.EventRef, len(evs))
	for i, e := range evs {
		ref, _, err := linkable(ctx, q, e, -1)
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
	title, err = IncidentTitle(ctx, q, id)
	return id, title, err
}

// CreateIncidents makes every incident of incs, all in a's transaction.
func CreateIncidents(a Action, incs []annotate.Incident) ([]int64, error) {
	ids := make([]int64, len(incs))
	for i, inc := range incs {
		evs := UniqueRefs(inc.Events)
		if len(evs) == 0 {
			return nil, annotate.Errorf(annotate.EInvalid, "incident %d of %d: no events", i+1, len(incs))
		}
		id, _, err := CreateIncident(a, inc, evs)
		if err != nil {
			return nil, fmt.Errorf("incident %d of %d: %w", i+1, len(incs), err)
		}
		ids[i] = id
	}
	a.SetSummary(fmt.Sprintf("create %d incidents", len(incs)))
	return ids, nil
}

// UpdateIncident changes an incident's Title, Type, Place and Date.
func UpdateIncident(a Action, inc annotate.Incident) error {
	a.SetSummary(fmt.Sprintf("update incident %q", Clip(inc.Title)))
	return a.Update("incidents", inc.ID, func() error {
		_, err := a.Q().ExecContext(a.Ctx(), `UPDATE incidents SET title = ?, type = ?, place = ?, date = ?, updated = ?
			WHERE id = ?`, inc.Title, inc.Type, inc.Place, inc.Date, Micros(a.At()), inc.ID)
		return err
	})
}

// DeleteIncident removes an incident, its links and its adjudications (all restored by
// Undo); the events and spans stay.
func DeleteIncident(a Action, id int64) error {
	ctx, q := a.Ctx(), a.Q()
	title, err := IncidentTitle(ctx, q, id)
	if err != nil {
		return err
	}
	a.SetSummary(fmt.Sprintf("delete incident %q", Clip(title)))
	for _, t := range []struct{ table, sql string }{
		{"incident_events", `SELECT id FROM incident_events WHERE incident = ? ORDER BY id`},
		{"adjudications", `SELECT id FROM adjudications WHERE incident = ? ORDER BY id`},
	} {
		rows, err := QueryIDs(ctx, q, t.sql, id)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := a.Remove(t.table, r); err != nil {
				return err
			}
		}
	}
	return a.Remove("incidents", id)
}

// LinkEvent adds an event to an incident. Linking an event already in that incident
// changes nothing and logs nothing.
func LinkEvent(a Action, incidentID int64, ev annotate.EventRef) error {
	ctx, q := a.Ctx(), a.Q()
	title, err := IncidentTitle(ctx, q, incidentID)
	if err != nil {
		return err
	}
	ref, linked, err := linkable(ctx, q, ev, incidentID)
	if err != nil || linked {
		return err
	}
	a.SetDoc(ref.DocID)
	a.SetSummary(fmt.Sprintf("link event %d to incident %q", ref.EventID, Clip(title)))
	return insertLink(a, incidentID, ref)
}

// UnlinkEvent takes an event out of an incident; the incident stays, even when empty.
func UnlinkEvent(a Action, incidentID int64, ev annotate.EventRef) error {
	ctx, q := a.Ctx(), a.Q()
	title, err := IncidentTitle(ctx, q, incidentID)
	if err != nil {
		return err
	}
	var id, doc int64
	err = q.QueryRowContext(ctx, `SELECT id, doc FROM incident_events WHERE incident = ? AND event = ?`,
		incidentID, ev.EventID).Scan(&id, &doc)
	if q.NoRows(err) {
		return annotate.Errorf(annotate.ENotFound, "event %d is not in incident %d", ev.EventID, incidentID)
	}
	if err != nil {
		return err
	}
	a.SetDoc(doc)
	a.SetSummary(fmt.Sprintf("unlink event %d from incident %q", ev.EventID, Clip(title)))
	return a.Remove("incident_events", id)
}

// moveRows points the rows of table that belong to incident from at incident to.
func moveRows(a Action, table string, from, to int64) error {
	ctx, q := a.Ctx(), a.Q()
	ids, err := QueryIDs(ctx, q, `SELECT id FROM `+table+` WHERE incident = ? ORDER BY id`, from)
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := a.Update(table, id, func() error {
			_, err := q.ExecContext(ctx, `UPDATE `+table+` SET incident = ? WHERE id = ?`, to, id)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// MergeTargets is others without into and repeats; an error when nothing is left.
func MergeTargets(into int64, others []int64) ([]int64, error) {
	var ids []int64
	for _, o := range others {
		if o != into && !slices.Contains(ids, o) {
			ids = append(ids, o)
		}
	}
	if len(ids) == 0 {
		return nil, annotate.Errorf(annotate.EInvalid, "merge incidents: nothing to merge into incident %d", into)
	}
	return ids, nil
}

// MergeIncidents moves the events and adjudications of incidents ids (MergeTargets)
// into incident into and deletes them.
func MergeIncidents(a Action, into int64, ids []int64) error {
	ctx, q := a.Ctx(), a.Q()
	title, err := IncidentTitle(ctx, q, into)
	if err != nil {
		return err
	}
	for _, o := range ids {
		if _, err := IncidentTitle(ctx, q, o); err != nil {
			return err
		}
		if err := moveRows(a, "incident_events", o, into); err != nil {
			return err
		}
		if err := moveRows(a, "adjudications", o, into); err != nil {
			return err
		}
		if err := a.Remove("incidents", o); err != nil {
			return err
		}
	}
	a.SetSummary(fmt.Sprintf("merge %d incidents into %q", len(ids), Clip(title)))
	return nil
}

// SplitIncident moves events evs (UniqueRefs, at least one) out of incident id into a
// new incident with the same type, place and date and the title "<title> (split)", and
// returns the new incident's id; adjudications stay with id.
func SplitIncident(a Action, id int64, evs []annotate.EventRef) (int64, error) {
	ctx, q := a.Ctx(), a.Q()
	old, err := ScanIncident(q.QueryRowContext(ctx, `SELECT `+IncidentCols+` FROM incidents WHERE id = ?`, id))
	if q.NoRows(err) {
		return 0, annotate.Errorf(annotate.ENotFound, "incident %d does not exist", id)
	}
	if err != nil {
		return 0, err
	}
	links := make([]int64, len(evs))
	for i, e := range evs {
		err := q.QueryRowContext(ctx, `SELECT id FROM incident_events WHERE incident = ? AND event = ?`, id, e.EventID).Scan(&links[i])
		if q.NoRows(err) {
			return 0, annotate.Errorf(annotate.EInvalid, "event %d is not in incident %d", e.EventID, id)
		}
		if err != nil {
			return 0, err
		}
	}
	nu := old
	nu.Title = old.Title + " (split)"
	newID, err := insertIncident(a, nu)
	if err != nil {
		return 0, err
	}
	for _, l := range links {
		err := a.Update("incident_events", l, func() error {
			_, err := q.ExecContext(ctx, `UPDATE incident_events SET incident = ? WHERE id = ?`, newID, l)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	a.SetSummary(fmt.Sprintf("split %d events out of incident %q", len(links), Clip(old.Title)))
	return newID, nil
}

// Adjudicate records a decision (validated) on one kind of figure of an incident.
// Reviewer becomes the action's annotator and At its time; earlier decisions are kept
// as history.
func Adjudicate(a Action, adj annotate.Adjudication) (annotate.Adjudication, error) {
	ctx, q := a.Ctx(), a.Q()
	title, err := IncidentTitle(ctx, q, adj.IncidentID)
	if err != nil {
		return adj, err
	}
	adj.Reviewer, adj.At = a.Annotator(), FromMicros(Micros(a.At()))
	adj.ID, err = q.InsertID(ctx, `INSERT INTO adjudications (incident, kind, best, low, high, note, reviewer, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, adj.IncidentID, adj.Kind, NullInt(adj.Best), NullInt(adj.Low), NullInt(adj.High),
		adj.Note, adj.Reviewer, Micros(a.At()))
	if err != nil {
		return adj, err
	}
	a.SetSummary(fmt.Sprintf("adjudicate %s of incident %q", adj.Kind, Clip(title)))
	return adj, a.Inserted("adjudications", adj.ID)
}

// RejectProposal remembers that events evs (UniqueRefs, at least two) are not one
// incident: every pair of them from different documents is left out of later
// proposals. It sets evs' documents and sorts them.
func RejectProposal(a Action, p annotate.IncidentProposal, evs []annotate.EventRef) error {
	ctx, q := a.Ctx(), a.Q()
	for i, e := range evs {
		doc, _, err := EventHead(ctx, q, e.EventID)
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
	id, err := q.InsertID(ctx, `INSERT INTO rejected_proposals (events, score, reasons, annotator, at)
		VALUES (?, ?, ?, ?, ?)`, string(ej), p.Score, string(rj), a.Annotator(), Micros(a.At()))
	if err != nil {
		return err
	}
	a.SetSummary(fmt.Sprintf("reject a proposed incident of %d events", len(evs)))
	return a.Inserted("rejected_proposals", id)
}

func cmpRef(a, b annotate.EventRef) int {
	if c := cmp.Compare(a.DocID, b.DocID); c != 0 {
		return c
	}
	return cmp.Compare(a.EventID, b.EventID)
}

// RejectedPairs returns, once each, the pairs of events from different documents of
// every rejected proposal, each pair ordered by event id, sorted.
func RejectedPairs(ctx context.Context, q Q) ([][2]annotate.EventRef, error) {
	lists, err := QueryColumn[string](ctx, q, `SELECT events FROM rejected_proposals ORDER BY id`)
	if err != nil {
		return nil, err
	}
	seen := map[[2]int64]bool{}
	var out [][2]annotate.EventRef
	for _, l := range lists {
		var evs []annotate.EventRef
		if err := json.Unmarshal([]byte(l), &evs); err != nil {
			return nil, err
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

// Clip shortens text for op summaries.
func Clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
