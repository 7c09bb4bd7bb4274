package postgres

import (
	"context"
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

const (
	phraseUpsert = sqlstore.PhraseUpsert
	phraseForget = sqlstore.PhraseForget
)

// flush applies the counts to the phrases table and empties pc.
func (pc phraseCounts) flush(ctx context.Context, tx txLike) error {
	if len(pc) == 0 {
		return nil
	}
	for k, c := range pc {
		if c == [2]int{} {
			continue
		}
		if _, err := tx.ExecContext(ctx, phraseUpsert, k.text, k.label, c[0], c[1]); err != nil {
			return fmt.Errorf("phrase counts: %w", err)
		}
		if c[0] < 0 || c[1] < 0 {
			if _, err := tx.ExecContext(ctx, phraseForget, k.text, k.label); err != nil {
				return fmt.Errorf("phrase counts: %w", err)
			}
		}
	}
	clear(pc)
	return nil
}
