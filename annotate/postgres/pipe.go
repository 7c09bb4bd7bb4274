package postgres

import (
	"cmp"
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pipeTx is a write transaction that saves round trips to the server, which are most of
// what a decision costs on a busy machine (each one waits for the server process and
// then for this one to be scheduled): BEGIN goes out with the transaction's first
// statement, a batch of statements goes out as one pipeline (pgx.Batch), and COMMIT
// goes out with the last batch. Accepting a suggestion is two round trips this way
// (images and update; phrase counts, operations log and commit) where statement by
// statement it was ten.
//
// It offers the pgx querier methods, so the store's helpers run on it as on a pgx.Tx.
type pipeTx struct {
	conn  *pgxpool.Conn
	begun bool // BEGIN has been sent
	over  bool // committed or rolled back
}

func (s *Store) beginPipe(ctx context.Context) (*pipeTx, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return &pipeTx{conn: conn}, nil
}

// SendBatch sends b as one pipeline, preceded by BEGIN if it was not sent yet. The
// caller reads b's results in order and closes them.
func (t *pipeTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if t.begun {
		return t.conn.SendBatch(ctx, b)
	}
	t.begun = true
	full := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(b.QueuedQueries)+1)}
	full.Queue("begin")
	full.QueuedQueries = append(full.QueuedQueries, b.QueuedQueries...)
	br := t.conn.SendBatch(ctx, full)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return errBatch{err}
	}
	return br
}

// begin sends BEGIN on its own, before a statement that cannot travel in a batch here.
func (t *pipeTx) begin(ctx context.Context) error {
	if t.begun {
		return nil
	}
	t.begun = true
	_, err := t.conn.Exec(ctx, "begin")
	return err
}

func (t *pipeTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if !t.begun {
		b := &pgx.Batch{}
		b.Queue(sql, args...)
		br := t.SendBatch(ctx, b)
		tag, err := br.Exec()
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return tag, err
	}
	return t.conn.Exec(ctx, sql, args...)
}

func (t *pipeTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.conn.Query(ctx, sql, args...)
}

func (t *pipeTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.begin(ctx); err != nil {
		return errRow{err}
	}
	return t.conn.QueryRow(ctx, sql, args...)
}

// commit sends b, COMMIT and then the statements of after (each in a transaction of its
// own) as one pipeline and reads every result. An error of after's statements is not
// the transaction's: it is committed, and commit reports success.
func (t *pipeTx) commit(ctx context.Context, b, after *pgx.Batch) error {
	if b == nil {
		b = &pgx.Batch{}
	}
	b.Queue("commit")
	n := len(b.QueuedQueries)
	if after != nil {
		b.QueuedQueries = append(b.QueuedQueries, after.QueuedQueries...)
	}
	br := t.SendBatch(ctx, b)
	var err error
	for i := 0; i < n; i++ {
		if _, err = br.Exec(); err != nil {
			break
		}
	}
	if err != nil {
		br.Close()
		return err
	}
	t.over = true
	br.Close() // after's results: a lost notification is not a lost decision
	return nil
}

// close rolls back what was not committed and gives the connection back; one whose
// state is unknown (the rollback failed) is closed rather than reused.
func (t *pipeTx) close(ctx context.Context) {
	if t.begun && !t.over {
		if _, err := t.conn.Exec(context.WithoutCancel(ctx), "rollback"); err != nil {
			t.conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}
	t.conn.Release()
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// errBatch answers every result of a batch that could not be sent with its error.
type errBatch struct{ err error }

func (b errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, b.err }
func (b errBatch) Query() (pgx.Rows, error)         { return nil, b.err }
func (b errBatch) QueryRow() pgx.Row                { return errRow{b.err} }
func (b errBatch) Close() error                     { return b.err }
func (b errBatch) Tx() pgx.Tx                       { return nil }

// queue adds the statements that apply pc to the phrases table to b, in a fixed order
// (two writers touching the same phrases lock them in the same order), and empties pc.
func (pc phraseCounts) queue(b *pgx.Batch) {
	keys := make([]phraseKey, 0, len(pc))
	for k, c := range pc {
		if c != [2]int{} {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y phraseKey) int {
		return cmp.Or(cmp.Compare(x.text, y.text), cmp.Compare(x.label, y.label))
	})
	for _, k := range keys {
		c := pc[k]
		b.Queue(rebind(phraseUpsert), k.text, k.label, c[0], c[1])
		if c[0] < 0 || c[1] < 0 {
			b.Queue(rebind(phraseForget), k.text, k.label)
		}
	}
	clear(pc)
}
