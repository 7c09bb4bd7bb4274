package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"evident/annotate/sqlstore"
)

type phraseKey struct{ text, label string }

// phraseCounts are changes to the phrases table: per (text, label), how many more (or
// fewer) spans are accepted and rejected.
type phraseCounts map[phraseKey][2]int

// addSpan counts a span of the given status with sign +1 or -1.
func (pc phraseCounts) addSpan(text, label, status string, sign int) {
	i, ok := sqlstore.PhraseColumn(status)
	if !ok {
		return
	}
	k := phraseKey{text, label}
	c := pc[k]
	c[i] += sign
	pc[k] = c
}

// addChange counts a change of a spans row from one image to another.
func (pc phraseCounts) addChange(table, from, to string) error {
	return sqlstore.PhraseChange(table, from, to, pc.addSpan)
}

// preparer is a transaction or connection that prepares statements.
type preparer interface {
	txLike
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// flush applies the counts to the phrases table and empties pc. The upsert is prepared
// once per flush: an import flushes thousands of phrases per chunk.
func (pc phraseCounts) flush(ctx context.Context, tx preparer) error {
	if len(pc) == 0 {
		return nil
	}
	up, err := tx.PrepareContext(ctx, sqlstore.PhraseUpsert)
	if err != nil {
		return fmt.Errorf("phrase counts: %w", err)
	}
	defer up.Close()
	for k, c := range pc {
		if c == [2]int{} {
			continue
		}
		if _, err := up.ExecContext(ctx, k.text, k.label, c[0], c[1]); err != nil {
			return fmt.Errorf("phrase counts: %w", err)
		}
		if c[0] < 0 || c[1] < 0 {
			// A phrase nobody has decided any more is forgotten.
			if _, err := tx.ExecContext(ctx, sqlstore.PhraseForget, k.text, k.label); err != nil {
				return fmt.Errorf("phrase counts: %w", err)
			}
		}
	}
	clear(pc)
	return nil
}
