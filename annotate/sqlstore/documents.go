package sqlstore

import (
	"database/sql"
	"encoding/json"

	"evident/annotate"
)

// DocCols are the columns ScanDoc reads.
const DocCols = `id, external_id, title, source, url, published, status, added, sha256, meta, text`

// ScanDoc reads one documents row (DocCols).
func ScanDoc(sc interface{ Scan(...any) error }) (*annotate.Document, error) {
	d := &annotate.Document{}
	var st string
	var added int64
	var meta sql.NullString
	if err := sc.Scan(&d.ID, &d.ExternalID, &d.Title, &d.Source, &d.URL, &d.Published, &st, &added,
		&d.SHA256, &meta, &d.Text); err != nil {
		return nil, err
	}
	d.Status = annotate.DocStatus(st)
	d.Added = FromMicros(added)
	if meta.Valid {
		d.Meta = json.RawMessage(meta.String)
	}
	return d, nil
}
