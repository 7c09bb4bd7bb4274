package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"evident/annotate"
)

// The phrases table counts, per (text, label), the accepted and rejected spans; every
// write that changes a span's text, label or status changes the counts with it.

// PhraseColumn is which count a span of status changes: 0 accepted, 1 rejected; ok
// false for an undecided span, which counts nowhere.
func PhraseColumn(status string) (i int, ok bool) {
	switch status {
	case string(annotate.StatusAccepted):
		return 0, true
	case string(annotate.StatusRejected):
		return 1, true
	}
	return 0, false
}

// PhraseImage counts a spans row image (as the operations log keeps it) with a sign,
// through count.
func PhraseImage(img string, sign int, count func(text, label, status string, sign int)) error {
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
	count(row.Text, row.Label, row.Status, sign)
	return nil
}

// PhraseChange counts a change of a row of table from one image to another, through
// count; only spans count.
func PhraseChange(table, from, to string, count func(text, label, status string, sign int)) error {
	if table != "spans" || from == to {
		return nil
	}
	if err := PhraseImage(from, -1, count); err != nil {
		return err
	}
	return PhraseImage(to, +1, count)
}

const (
	// PhraseUpsert adds to the counts of (text, label): parameters text, label and the
	// changes to accepted and rejected.
	PhraseUpsert = `INSERT INTO phrases (text, label, accepted, rejected) VALUES (?, ?, ?, ?)
		ON CONFLICT (text, label) DO UPDATE SET accepted = phrases.accepted + excluded.accepted,
			rejected = phrases.rejected + excluded.rejected`
	// PhraseForget forgets a phrase nobody has decided any more (by key: no table scan).
	PhraseForget = `DELETE FROM phrases WHERE text = ? AND label = ? AND accepted = 0 AND rejected = 0`
)

// LearnedPhrases reads, per (text, label), how many spans are accepted and rejected
// across the database.
func LearnedPhrases(ctx context.Context, q Q) ([]annotate.PhraseStat, error) {
	rows, err := q.QueryContext(ctx, `SELECT text, label, accepted, rejected FROM phrases
		WHERE accepted > 0 OR rejected > 0 ORDER BY text, label`)
	if err != nil {
		return nil, fmt.Errorf("learned phrases: %w", q.MapErr(err))
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
