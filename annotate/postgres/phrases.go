package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

type phraseKey struct{ text, label string }

// phraseCounts are changes to the phrases table: per (text, label), how many more (or
// fewer) spans are accepted and rejected.
type phraseCounts map[phraseKey][2]int

// addSpan counts a span of the given status with sign +1 or -1.
func (pc phraseCounts) addSpan(text, label, status string, sign int) {
	var i int
	switch status {
	case string(annotate.StatusAccepted):
		i = 0
	case string(annotate.StatusRejected):
		i = 1
	default:
		return
	}
	k := phraseKey{text, label}
	c := pc[k]
	c[i] += sign
	pc[k] = c
}

// addImage counts a spans row image (as the operations log keeps it) with a sign.
func (pc phraseCounts) addImage(img string, sign int) error {
	if img == "" {
		return nil
	}
	var row struct {
		Text   string `json:"text"`
		Label  string `json:"label"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(img), &row); err != nil {
		return fmt.Errorf("phrase counts: %w", err)
	}
	pc.addSpan(row.Text, row.Label, row.Status, sign)
	return nil
}

// addChange counts a change of a spans row from one image to another.
func (pc phraseCounts) addChange(table, from, to string) error {
	if table != "spans" || from == to {
		return nil
	}
	if err := pc.addImage(from, -1); err != nil {
		return err
	}
	return pc.addImage(to, +1)
}

const (
	phraseUpsert = `INSERT INTO phrases (text, label, accepted, rejected) VALUES (?, ?, ?, ?)
		ON CONFLICT (text, label) DO UPDATE SET accepted = phrases.accepted + excluded.accepted,
			rejected = phrases.rejected + excluded.rejected`
	// A phrase nobody has decided any more is forgotten (by key: no table scan).
	phraseForget = `DELETE FROM phrases WHERE text = ? AND label = ? AND accepted = 0 AND rejected = 0`
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

// LearnedPhrases returns, per (text, label), how many spans are accepted and rejected
// across the database, read from the phrases table the store keeps up to date.
func (s *Store) LearnedPhrases(ctx context.Context) ([]annotate.PhraseStat, error) {
	rows, err := s.ro().QueryContext(ctx, `SELECT text, label, accepted, rejected FROM phrases
		WHERE accepted > 0 OR rejected > 0 ORDER BY text, label`)
	if err != nil {
		return nil, fmt.Errorf("learned phrases: %w", mapErr(err))
	}
	defer rows.Close()
	var out []annotate.PhraseStat
	for rows.Next() {
		var p annotate.PhraseStat
		if err := rows.Scan(&p.Text, &p.Label, &p.Accepted, &p.Rejected); err != nil {
			return nil, fmt.Errorf("learned phrases: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
