// Package assets holds the data Evident ships inside its binary: the default schema,
// the icon, lexicons and gazetteers for suggestions, and the sample articles.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the default schema as JSON; annotate.ParseSchema reads it.
func Schema() []byte { return append([]byte(nil), schemaJSON...) }

//go:embed icon.png
var icon []byte

// Icon returns the application icon as PNG.
func Icon() []byte { return append([]byte(nil), icon...) }

//go:embed samples
var samples embed.FS

// Samples returns the sample corpus: files under samples/ in the formats
// `evident import` reads.
func Samples() fs.FS {
	sub, err := fs.Sub(samples, "samples")
	if err != nil {
		panic(err) // the directory is embedded at build time; absent means a broken build
	}
	return sub
}
