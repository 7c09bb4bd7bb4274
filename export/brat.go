package export

import "evident/annotate"

// BratEncoder writes brat standoff files (placeholder until the full writer lands).
type BratEncoder struct {
	sink FileSink
	cfg  Config
}

// NewBratEncoder returns an encoder writing DOC.txt and DOC.ann per record to sink.
func NewBratEncoder(sink FileSink, cfg Config) *BratEncoder { return &BratEncoder{sink: sink, cfg: cfg} }

// Encode is not implemented yet.
func (e *BratEncoder) Encode(r *Record) error {
	return annotate.Errorf(annotate.EInvalid, "brat export is not implemented yet")
}

// Close does nothing yet.
func (e *BratEncoder) Close() error { return nil }
