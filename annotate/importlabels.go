package annotate

import "context"

// ImportLabeler is implemented by an Importer that can add labels inside its own
// transaction, so an import that brings new labels (`evident import --add-labels`) stays
// all-or-nothing. Importers without it get the labels through Store.AddLabels before the
// import begins, after every file has been checked.
type ImportLabeler interface {
	AddLabels(ctx context.Context, labels []Label) error
}
