package main

import "testing"

// TestBaseCorpus: the embedded base corpus parses into done documents with spans and
// events, and --base=false leaves it out.
func TestBaseCorpus(t *testing.T) {
	base, err := baseCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(base) < 40 {
		t.Fatalf("base corpus has %d documents, want the 45 of testdata/gold/dev.jsonl", len(base))
	}
	spans, events := 0, 0
	for _, ex := range base {
		if !ex.Complete || ex.Text == "" {
			t.Fatalf("%s: complete %v, %d bytes of text", ex.ID, ex.Complete, len(ex.Text))
		}
		spans += len(ex.Accepted.Spans)
		events += len(ex.Accepted.Events)
	}
	if spans < 1000 || events < 300 {
		t.Errorf("base corpus has %d spans and %d events", spans, events)
	}
	if none, err := baseIf(false); err != nil || none != nil {
		t.Errorf("baseIf(false) = %d examples, %v", len(none), err)
	}
}
