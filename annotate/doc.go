// Package annotate holds Evident's domain: documents, spans, labels, the schema, events,
// casualty figures and incidents, the offset conventions that tie them to text, and the
// interfaces (Store) that adapters such as annotate/sqlite implement.
//
// It imports only the standard library and small text-segmentation helpers, never Fyne
// or a database driver, so the domain builds and tests anywhere.
package annotate
