package assets

import (
	"embed"
	"io/fs"
)

//go:embed suggest/*.txt
var suggestData embed.FS

// SuggestData returns the lexicons and gazetteers of the suggestion engine (the files
// under suggest/): trigger words, actors, places, weapons and the small word lists its
// rules use. annotate/suggest loads them once in suggest.New.
func SuggestData() fs.FS {
	sub, err := fs.Sub(suggestData, "suggest")
	if err != nil {
		panic(err) // the directory is embedded at build time; absent means a broken build
	}
	return sub
}
