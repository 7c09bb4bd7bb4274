package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"evident/annotate"
	"evident/assets"
)

// TestSpanRefsAsForeignKeys: migration 0010 replaced the foreign keys spans.doc and
// spans.label by triggers that check a statement's rows at once. Every write that the
// foreign keys refused is still refused, with their SQLSTATE (23503) and constraint
// names, whichever way it comes (a row, a COPY, an update, a delete on the other side),
// and a delete racing an insert of spans still waits for it and then fails, as with a
// foreign key's row lock.
func TestSpanRefsAsForeignKeys(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, Options{Schema: assets.Schema()})
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	withSpans := &annotate.Document{ExternalID: "a", Text: "Rebels shelled the town on Monday."}
	bare := &annotate.Document{ExternalID: "b", Text: "Nothing happened."}
	if _, err := im.Add(ctx, withSpans, annotate.Draft{Spans: []annotate.Span{{Start: 0, End: 6, Label: "ACTOR"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Add(ctx, bare, annotate.Draft{}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	var span int64
	if err := st.pool.QueryRow(ctx, `SELECT id FROM spans WHERE doc = $1`, withSpans.ID).Scan(&span); err != nil {
		t.Fatal(err)
	}
	refused := func(what, constraint string, err error) {
		t.Helper()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23503" || !strings.Contains(pe.Message, constraint) {
			t.Errorf("%s: %v, want a foreign key violation of %s", what, err, constraint)
		}
		if me := mapErr(err); annotate.ErrorCode(me) != annotate.EInvalid {
			t.Errorf("%s: the store reports %v (%s), want %s", what, me, annotate.ErrorCode(me), annotate.EInvalid)
		}
	}
	insert := `INSERT INTO spans (doc, start, "end", label, status, created, updated, text) VALUES ($1, 0, 1, $2, 'accepted', 0, 0, 'R')`
	_, err = st.pool.Exec(ctx, insert, withSpans.ID+100, "ACTOR")
	refused("a span of no document", "spans_doc_fkey", err)
	_, err = st.pool.Exec(ctx, insert, withSpans.ID, "NO_SUCH_LABEL")
	refused("a span of no label", "spans_label_fkey", err)
	_, err = st.pool.CopyFrom(ctx, pgx.Identifier{"spans"}, []string{"doc", "start", "end", "label", "status", "created", "updated", "text"},
		pgx.CopyFromRows([][]any{
			{withSpans.ID, 0, 1, "ACTOR", "accepted", 0, 0, "R"},
			{withSpans.ID, 0, 1, "NO_SUCH_LABEL", "accepted", 0, 0, "R"},
		}))
	refused("a COPY with one span of no label", "spans_label_fkey", err)
	_, err = st.pool.Exec(ctx, `UPDATE spans SET doc = $1 WHERE id = $2`, withSpans.ID+100, span)
	refused("moving a span to no document", "spans_doc_fkey", err)
	_, err = st.pool.Exec(ctx, `UPDATE spans SET label = 'NO_SUCH_LABEL' WHERE id = $1`, span)
	refused("relabelling a span to no label", "spans_label_fkey", err)
	_, err = st.pool.Exec(ctx, `DELETE FROM documents WHERE id = $1`, withSpans.ID)
	refused("deleting a document with spans", "spans_doc_fkey", err)
	_, err = st.pool.Exec(ctx, `UPDATE documents SET id = id + 100 WHERE id = $1`, withSpans.ID)
	refused("renumbering a document with spans", "spans_doc_fkey", err)
	_, err = st.pool.Exec(ctx, `DELETE FROM labels WHERE name = 'ACTOR'`)
	refused("deleting a label in use", "spans_label_fkey", err)
	_, err = st.pool.Exec(ctx, `UPDATE labels SET name = 'PERPETRATOR' WHERE name = 'ACTOR'`)
	refused("renaming a label in use", "spans_label_fkey", err)
	var n int
	if err := st.pool.QueryRow(ctx, `SELECT count(*) FROM spans`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("spans after the refused writes: %d (%v), want the 1 imported", n, err)
	}
	// What the foreign keys allowed still goes: a span moved and relabelled to rows that
	// exist, a label nobody uses renamed, a document without spans deleted.
	if _, err := st.pool.Exec(ctx, `UPDATE spans SET doc = $1, label = 'TARGET' WHERE id = $2`, bare.ID, span); err != nil {
		t.Fatalf("moving a span to another document: %v", err)
	}
	if _, err := st.pool.Exec(ctx, `UPDATE spans SET doc = $1, label = 'ACTOR' WHERE id = $2`, withSpans.ID, span); err != nil {
		t.Fatal(err)
	}
	if _, err := st.pool.Exec(ctx, `UPDATE labels SET name = 'WEAPON2' WHERE name = 'WEAPON'`); err != nil {
		t.Fatalf("renaming an unused label: %v", err)
	}

	// A span inserted, not committed yet: deleting its document waits for the insert's
	// transaction and then fails.
	tx, err := st.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, insert, bare.ID, "ACTOR"); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() {
		_, err := st.pool.Exec(ctx, `DELETE FROM documents WHERE id = $1`, bare.ID)
		deleted <- err
	}()
	select {
	case err := <-deleted:
		t.Fatalf("the delete of a document whose span is being inserted did not wait: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	refused("deleting a document whose span was being inserted", "spans_doc_fkey", <-deleted)

	// The other way round: a document deleted, not committed yet; spans inserted for it
	// wait, and fail once the delete commits.
	if _, err := st.pool.Exec(ctx, `DELETE FROM spans WHERE doc = $1`, bare.ID); err != nil {
		t.Fatal(err)
	}
	del, err := st.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer del.Rollback(ctx)
	if _, err := del.Exec(ctx, `DELETE FROM documents WHERE id = $1`, bare.ID); err != nil {
		t.Fatal(err)
	}
	inserted := make(chan error, 1)
	go func() {
		_, err := st.pool.Exec(ctx, insert, bare.ID, "ACTOR")
		inserted <- err
	}()
	select {
	case err := <-inserted:
		t.Fatalf("spans of a document being deleted did not wait: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := del.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	refused("a span of a document deleted meanwhile", "spans_doc_fkey", <-inserted)

	// Check reports spans of no document or label, should any get in (here by a script
	// with the trigger disabled: the foreign keys could not be disabled by the owner).
	if problems, err := st.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check before: %v, %v", problems, err)
	}
	if _, err := st.pool.Exec(ctx, `ALTER TABLE spans DISABLE TRIGGER spans_refs_insert`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.pool.Exec(ctx, insert, bare.ID, "NO_SUCH_LABEL"); err != nil {
		t.Fatal(err)
	}
	problems, err := st.Check(ctx)
	if err != nil || !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "document or label that does not exist") }) {
		t.Fatalf("check with a span of no document: %v, %v", problems, err)
	}
}
