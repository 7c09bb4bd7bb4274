// Package docs carries the project's documents that the program shows itself, so the
// guideline in the window is always the one the binary was built with.
package docs

import _ "embed"

//go:embed guidelines.md
var guideline string

// Guideline returns the annotation guideline as Markdown (docs/guidelines.md).
func Guideline() string { return guideline }
