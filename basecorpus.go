package main

import (
	"bytes"
	_ "embed"
	"fmt"

	"evident/annotate/evaluate"
	"evident/annotate/learn"
)

// baseGold is the project's own development gold set (45 articles written for Evident,
// annotated under docs/guidelines.md): the learned tagger trains on it beside an
// annotator's decisions, weighted less, so a model from a handful of documents already
// helps (docs/learned-figures.md).
//
//go:embed testdata/gold/dev.jsonl
var baseGold []byte

// baseCorpus returns the shipped base corpus as training examples.
func baseCorpus() ([]learn.Example, error) {
	golds, err := evaluate.ReadGold(bytes.NewReader(baseGold))
	if err != nil {
		return nil, fmt.Errorf("base corpus testdata/gold/dev.jsonl: %w", err)
	}
	return learn.BaseExamples(golds), nil
}

// baseIf is the base corpus when use is set, else none.
func baseIf(use bool) ([]learn.Example, error) {
	if !use {
		return nil, nil
	}
	return baseCorpus()
}
