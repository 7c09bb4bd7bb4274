package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"evident/annotate"
	"evident/annotate/sqlstore"
)

// stageRows is how many staged rows one staging transaction writes.
const stageRows = 2000

// CreateIncidents makes every incident of incs as CreateIncident does, all or none, logged
// as one action that one undo removes (annotate.IncidentBatcher: `evident incidents
// --accept-proposals`).
//
// One transaction doing the per-row work of CreateIncident thousands of times held the
// file's write lock for seconds (6,388 proposals: ~10 s of CPU). So the rows are staged
// first, without the write lock: into TEMP tables of a connection of its own, which live
// in a temporary file of that connection only (no other process or connection sees them,
// and a killed process leaves nothing behind), with their op-log images prepared in Go.
// Then one short IMMEDIATE transaction checks the staged links against the events as
// they are now (another writer may have linked or deleted one meanwhile: then nothing is
// stored) and publishes everything with a few INSERT … SELECT statements.
func (s *Store) CreateIncidents(ctx context.Context, incs []annotate.Incident, annotator string) ([]int64, error) {
	const what = "create incidents"
	if len(incs) == 0 {
		return nil, nil
	}
	if s.readOnly {
		return nil, s.errReadOnly(what)
	}
	// Checks that need no database: every incident has events, no event in two of them.
	owner := map[int64]int{}
	refs := make([][]annotate.EventRef, len(incs))
	for i, inc := range incs {
		refs[i] = sqlstore.UniqueRefs(inc.Events)
		if len(refs[i]) == 0 {
			return nil, annotate.Errorf(annotate.EInvalid, "%s: incident %d of %d: no events", what, i+1, len(incs))
		}
		for _, e := range refs[i] {
			if j, ok := owner[e.EventID]; ok {
				return nil, annotate.Errorf(annotate.EConflict, "%s: incident %d of %d: event %d is in incident %d of the batch too",
					what, i+1, len(incs), e.EventID, j+1)
			}
			owner[e.EventID] = i
		}
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	defer conn.Close()
	b := &incidentBatch{s: s, ctx: ctx, conn: conn, annotator: annotator, at: micros(s.now())}
	defer b.dropStage()
	if err := b.stage(incs, refs); err != nil {
		return nil, fmt.Errorf("%s: stage: %w", what, mapErr(err))
	}
	ids, err := b.publish(len(incs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	return ids, nil
}

// incidentBatch is one CreateIncidents in progress.
type incidentBatch struct {
	s         *Store
	ctx       context.Context
	conn      *sql.Conn
	annotator string
	at        int64 // micros
	links     int
}

// The staging tables are TEMP tables: they live on the connection only. The rw pool's
// _txlock=immediate applies to BeginTx only, so staging runs in transactions begun by
// hand, DEFERRED: writing only TEMP tables takes no lock on the database file.
const stageSchema = `
CREATE TEMP TABLE IF NOT EXISTS stage_incidents (
	seq INTEGER PRIMARY KEY, -- 1.., the incident's id is the publish base + seq
	title TEXT NOT NULL, type TEXT NOT NULL, place TEXT NOT NULL, date TEXT NOT NULL,
	img_pre TEXT NOT NULL,   -- its op-log image up to the title
	img_title TEXT,          -- the title as JSON; NULL: "Incident <id>"
	img_post TEXT NOT NULL   -- the image after the title
);
CREATE TEMP TABLE IF NOT EXISTS stage_links (
	seq INTEGER PRIMARY KEY, -- 1.., in the order CreateIncident would link them
	inc INTEGER NOT NULL,    -- seq of the incident
	doc INTEGER NOT NULL,    -- as given; 0: the event's own document
	event INTEGER NOT NULL
);
DELETE FROM temp.stage_incidents;
DELETE FROM temp.stage_links;`

func (b *incidentBatch) dropStage() {
	// The connection goes back to the pool: leave no staged rows on it.
	b.conn.ExecContext(context.WithoutCancel(b.ctx), `DROP TABLE IF EXISTS temp.stage_incidents; DROP TABLE IF EXISTS temp.stage_links`)
}

func jsonString(s string) (string, error) {
	data, err := json.Marshal(s) // as rowImage encodes it: images must be byte-identical
	return string(data), err
}

// stage writes the incidents and their links into the TEMP tables, stageRows per
// transaction.
func (b *incidentBatch) stage(incs []annotate.Incident, refs [][]annotate.EventRef) error {
	ctx, c := b.ctx, b.conn
	if _, err := c.ExecContext(ctx, stageSchema); err != nil {
		return err
	}
	aj, err := jsonString(b.annotator)
	if err != nil {
		return err
	}
	now := strconv.FormatInt(b.at, 10)
	inTx, rows := false, 0
	step := func() error {
		if inTx && rows >= stageRows {
			if _, err := c.ExecContext(ctx, `COMMIT`); err != nil {
				return err
			}
			inTx, rows = false, 0
		}
		if !inTx {
			if _, err := c.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
				return err
			}
			inTx = true
		}
		rows++
		return ctx.Err()
	}
	defer func() {
		if inTx {
			c.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	insInc, err := c.PrepareContext(ctx, `INSERT INTO temp.stage_incidents (seq, title, type, place, date, img_pre, img_title, img_post)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insInc.Close()
	insLink, err := c.PrepareContext(ctx, `INSERT INTO temp.stage_links (seq, inc, doc, event) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insLink.Close()
	for i, inc := range incs {
		if err := step(); err != nil {
			return err
		}
		// Keys in rowImage's (sorted) order: annotator, created, date, place, title, type, updated.
		var js [4]string
		for k, v := range []string{inc.Date, inc.Place, inc.Title, inc.Type} {
			if js[k], err = jsonString(v); err != nil {
				return err
			}
		}
		var title any
		if inc.Title != "" {
			title = js[2]
		}
		pre := `{"annotator":` + aj + `,"created":` + now + `,"date":` + js[0] + `,"place":` + js[1] + `,"title":`
		post := `,"type":` + js[3] + `,"updated":` + now + `}`
		if _, err := insInc.ExecContext(ctx, i+1, inc.Title, inc.Type, inc.Place, inc.Date, pre, title, post); err != nil {
			return err
		}
		for _, e := range refs[i] {
			if err := step(); err != nil {
				return err
			}
			b.links++
			if _, err := insLink.ExecContext(ctx, b.links, i+1, e.DocID, e.EventID); err != nil {
				return err
			}
		}
	}
	if inTx {
		inTx = false
		_, err := c.ExecContext(ctx, `COMMIT`)
		return err
	}
	return nil
}

// publish checks the staged links and makes the staged rows real, in one transaction.
func (b *incidentBatch) publish(n int) ([]int64, error) {
	ctx, s := b.ctx, b.s
	tx, err := s.begin(ctx, b.conn)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := b.checkLinks(tx, n); err != nil {
		return nil, err
	}
	var base, lbase int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM incidents`).Scan(&base); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM incident_events`).Scan(&lbase); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (id, title, type, place, date, annotator, created, updated)
		SELECT ?1 + seq, CASE WHEN title = '' THEN 'Incident ' || (?1 + seq) ELSE title END, type, place, date, ?2, ?3, ?3
		FROM temp.stage_incidents ORDER BY seq`, base, b.annotator, b.at); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO incident_events (id, incident, doc, event, annotator, created)
		SELECT ?1 + l.seq, ?2 + l.inc, e.doc, l.event, ?3, ?4
		FROM temp.stage_links l JOIN events e ON e.id = l.event ORDER BY l.seq`, lbase, base, b.annotator, b.at); err != nil {
		return nil, err
	}
	a := &action{ctx: ctx, tx: tx, kind: "create_incident", annotator: b.annotator, at: fromMicros(b.at),
		summary: fmt.Sprintf("create %d incidents", n)}
	if err := a.log(); err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	// The op's row images, in the order CreateIncident records them within one incident
	// (the incident, then its links), incidents first: undo removes links before incidents.
	aj, err := jsonString(b.annotator)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO op_changes (op, seq, tbl, row_id, before, after)
		SELECT ?1, seq - 1, 'incidents', ?2 + seq, NULL, img_pre || coalesce(img_title, '"Incident ' || (?2 + seq) || '"') || img_post
		FROM temp.stage_incidents ORDER BY seq`, a.opID, base); err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO op_changes (op, seq, tbl, row_id, before, after)
		SELECT ?1, ?2 + l.seq - 1, 'incident_events', ?3 + l.seq, NULL,
			'{"annotator":' || ?4 || ',"created":' || ?5 || ',"doc":' || e.doc || ',"event":' || l.event || ',"incident":' || (?6 + l.inc) || '}'
		FROM temp.stage_links l JOIN events e ON e.id = l.event ORDER BY l.seq`,
		a.opID, n, lbase, aj, b.at, base); err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = base + int64(i) + 1
	}
	return ids, nil
}

// checkLinks fails, naming the first, when a staged link's event no longer exists, is in
// another document than given, or belongs to an incident already: as CreateIncident would.
func (b *incidentBatch) checkLinks(tx *sql.Tx, n int) error {
	var inc, doc, ev int64
	var evDoc, in sql.NullInt64
	err := tx.QueryRowContext(b.ctx, `SELECT l.inc, l.doc, l.event, e.doc, ie.incident
		FROM temp.stage_links l LEFT JOIN events e ON e.id = l.event LEFT JOIN incident_events ie ON ie.event = l.event
		WHERE e.id IS NULL OR (l.doc != 0 AND l.doc != e.doc) OR ie.id IS NOT NULL
		ORDER BY l.seq LIMIT 1`).Scan(&inc, &doc, &ev, &evDoc, &in)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return err
	case !evDoc.Valid:
		return annotate.Errorf(annotate.ENotFound, "incident %d of %d: event %d does not exist", inc, n, ev)
	case doc != 0 && doc != evDoc.Int64:
		return annotate.Errorf(annotate.EInvalid, "incident %d of %d: event %d is in document %d, not %d", inc, n, ev, evDoc.Int64, doc)
	}
	return annotate.Errorf(annotate.EConflict, "incident %d of %d: event %d already belongs to incident %d", inc, n, ev, in.Int64)
}
