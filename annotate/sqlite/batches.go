package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// stagedDocIDs selects the documents of import batches not yet published. Every list,
// count and export of documents and spans leaves them out ("doc NOT IN "+stagedDocIDs),
// so an import in progress (or killed) shows nothing. With no staged batch, the usual
// case, the subquery is one index probe and an empty set.
const stagedDocIDs = `(SELECT id FROM documents WHERE batch != 0
		AND batch IN (SELECT id FROM import_batches WHERE state = 'staged'))`

// StagedBatch is annotate.StagedBatch (kept as a name here for the store's tests).
type StagedBatch = annotate.StagedBatch

// StagedBatches lists the import batches not yet published, oldest first.
func (s *Store) StagedBatches(ctx context.Context) ([]StagedBatch, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, annotator, pid, started, documents FROM import_batches
		WHERE state = 'staged' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("import batches: %w", mapErr(err))
	}
	defer rows.Close()
	var out []StagedBatch
	for rows.Next() {
		var b StagedBatch
		var started int64
		if err := rows.Scan(&b.ID, &b.Annotator, &b.PID, &started, &b.Documents); err != nil {
			return nil, fmt.Errorf("import batches: %w", err)
		}
		b.Started = fromMicros(started)
		b.Running = processAlive(b.PID)
		out = append(out, b)
	}
	return out, rows.Err()
}

// removeAbandoned removes the batches whose importing process is gone (killed, crashed).
// Imports run on one machine (SQLite's WAL needs that), so a process id tells.
func (s *Store) removeAbandoned(ctx context.Context, c *sql.Conn) error {
	rows, err := c.QueryContext(ctx, `SELECT id, pid FROM import_batches WHERE state = 'staged'`)
	if err != nil {
		return err
	}
	var dead []int64
	for rows.Next() {
		var id int64
		var pid int
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return err
		}
		if !processAlive(pid) {
			dead = append(dead, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range dead {
		if err := s.removeBatch(ctx, c, id); err != nil {
			return fmt.Errorf("remove the interrupted import batch %d: %w", id, err)
		}
	}
	return nil
}

// removeDocs is how many staged documents one removal transaction deletes: bounded, as
// the import's chunks are, so other writers get in between.
const removeDocs = 1000

// removeBatch deletes a staged batch's rows, a bounded chunk per transaction, keeping
// the learned-phrase counts right, then the batch itself. Each step leaves a consistent
// database, so an interrupted removal is simply resumed by the next one.
func (s *Store) removeBatch(ctx context.Context, c *sql.Conn, batch int64) error {
	for {
		done, err := s.removeChunk(ctx, c, batch)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) removeChunk(ctx context.Context, c *sql.Conn, batch int64) (bool, error) {
	tx, err := s.begin(ctx, c)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var state string
	if err := tx.QueryRowContext(ctx, `SELECT state FROM import_batches WHERE id = ?`, batch).Scan(&state); err == sql.ErrNoRows || state == "published" {
		return true, nil // removed by someone else meanwhile, or never to be removed
	} else if err != nil {
		return false, err
	}
	ids, err := queryColumn[int64](ctx, tx, fmt.Sprintf(`SELECT id FROM documents WHERE batch != 0 AND batch = ? LIMIT %d`, removeDocs), batch)
	if err != nil {
		return false, err
	}
	if len(ids) == 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_batches WHERE id = ?`, batch); err != nil {
			return false, err
		}
		return true, tx.Commit()
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return false, err
	}
	const in = `(SELECT value FROM json_each(?))`
	pc := phraseCounts{}
	rows, err := tx.QueryContext(ctx, `SELECT text, label, status FROM spans WHERE doc IN `+in, string(list))
	if err != nil {
		return false, err
	}
	for rows.Next() {
		var text, label, status string
		if err := rows.Scan(&text, &label, &status); err != nil {
			rows.Close()
			return false, err
		}
		pc.addSpan(text, label, status, -1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if err := pc.flush(ctx, tx); err != nil {
		return false, err
	}
	for _, q := range []string{
		`DELETE FROM arg_rows WHERE event IN (SELECT id FROM event_rows WHERE doc IN ` + in + `)`,
		`DELETE FROM incident_events WHERE doc IN ` + in,
		`DELETE FROM event_rows WHERE doc IN ` + in,
		`DELETE FROM span_rows WHERE doc IN ` + in,
		`DELETE FROM documents WHERE id IN ` + in,
	} {
		if _, err := tx.ExecContext(ctx, q, string(list)); err != nil {
			return false, err
		}
	}
	return false, tx.Commit()
}
