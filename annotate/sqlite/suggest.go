package sqlite

import (
	"evident/annotate"
	"evident/annotate/sqlstore"
)

type spanKey struct {
	start, end int
	label      string
}

// Drafts validates drafts for AddSuggestions (sqlstore) as the importer does: undecided
// spans are suggestions of annotator.
func (backend) Drafts(annotator string) sqlstore.Drafts {
	return sqlstore.Drafts{
		Validate: func(doc *annotate.Document, d annotate.Draft, labels map[string]bool, voc *sqlstore.Vocabulary) (sqlstore.DraftRows, error) {
			p, err := validateDraft(doc, d, labels, &vocabulary{voc}, annotator, annotate.StatusSuggested, "")
			if err != nil {
				return sqlstore.DraftRows{}, err
			}
			return sqlstore.DraftRows{Text: p.text, Attrs: p.attrs, Status: p.status, Origin: p.origin, Annot: p.annot}, nil
		},
		WithClaimant: withClaimant,
	}
}
