package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"evident/annotate"
)

var _ annotate.TeamStore = (*Store)(nil)

// presenceTable holds who has which document open. It is session state, not project
// data: made at Open (not by a migration, so the backends' schema versions stay alike),
// left out of DumpTables and Check.
const presenceTable = `CREATE TABLE IF NOT EXISTS evident_presence (
	annotator TEXT PRIMARY KEY,
	doc       BIGINT NOT NULL,
	seen      BIGINT NOT NULL
)`

// SetPresence records annotator's open document and tells the other windows.
func (s *Store) SetPresence(ctx context.Context, annotator string, doc int64) error {
	if annotator == "" {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("presence: %w", mapErr(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	q := pgq{tx}
	if _, err := q.ExecContext(ctx, `INSERT INTO evident_presence (annotator, doc, seen) VALUES (?, ?, ?)
		ON CONFLICT (annotator) DO UPDATE SET doc = excluded.doc, seen = excluded.seen`, annotator, doc, micros(s.now())); err != nil {
		return fmt.Errorf("presence: %w", mapErr(err))
	}
	if err := notify(ctx, q, doc); err != nil {
		return fmt.Errorf("presence: %w", mapErr(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("presence: %w", mapErr(err))
	}
	return nil
}

// Presence returns who had which document open within maxAge, by name.
func (s *Store) Presence(ctx context.Context, maxAge time.Duration) ([]annotate.Presence, error) {
	rows, err := s.ro().QueryContext(ctx, `SELECT annotator, doc, seen FROM evident_presence WHERE seen >= ? ORDER BY annotator`,
		micros(s.now().Add(-maxAge)))
	if err != nil {
		return nil, fmt.Errorf("presence: %w", mapErr(err))
	}
	defer rows.Close()
	var out []annotate.Presence
	for rows.Next() {
		var p annotate.Presence
		var seen int64
		if err := rows.Scan(&p.Annotator, &p.Doc, &seen); err != nil {
			return nil, fmt.Errorf("presence: %w", err)
		}
		p.Seen = fromMicros(seen)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Watch listens on the notification channel on a connection of its own. When the
// connection drops it reports Online false, retries every second, and reports Online
// true (and a change of everything: what happened meanwhile is unknown) once back.
func (s *Store) Watch(ctx context.Context, fn func(annotate.Change)) error {
	online := true
	for {
		err := s.listen(ctx, func(c annotate.Change) {
			if !online {
				online = true
				fn(annotate.Change{Status: true, Online: true})
			}
			fn(c)
		})
		if ctx.Err() != nil {
			return nil
		}
		if online && err != nil {
			online = false
			fn(annotate.Change{Status: true, Online: false})
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// listen runs one LISTEN session until ctx ends or the connection fails. fn gets a
// change of everything (doc 0) as soon as the session starts.
func (s *Store) listen(ctx context.Context, fn func(annotate.Change)) error {
	cfg := s.pool.Config().ConnConfig.Copy()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	fn(annotate.Change{})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		doc, _ := strconv.ParseInt(n.Payload, 10, 64)
		fn(annotate.Change{Doc: doc})
	}
}
