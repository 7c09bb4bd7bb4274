package ingest

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// nextTXT reads the whole file as one document; there is no smaller unit to stream.
func (r *Reader) nextTXT() (*Record, error) {
	data, err := io.ReadAll(r.br)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.name, err)
	}
	// A txt reader yields its one document and then io.EOF.
	r.next = func() (*Record, error) { return nil, io.EOF }
	if e := checkUTF16(r.name, data); e != nil {
		return nil, e
	}
	data = bytes.TrimPrefix(data, []byte(bom))
	if e := checkUTF8(r.name, 1, data); e != nil {
		return nil, e
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		return nil, newError(r.name, 1+line, "NUL byte at column %d (is the file UTF-16? Evident reads UTF-8)", col)
	}
	base := filepath.Base(r.name)
	f := &fields{file: r.name, line: 1, text: string(data)}
	return r.build(f, strings.TrimSuffix(base, filepath.Ext(base)))
}
