package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"evident/annotate"
)

// NewEncoder returns the encoder of a single-stream format writing to w. brat writes
// many files and is made with NewBratEncoder.
func NewEncoder(f Format, w io.Writer, cfg Config) (Encoder, error) {
	switch f {
	case FormatJSONL:
		return NewJSONLEncoder(w, cfg), nil
	case FormatDoccano:
		return NewDoccanoEncoder(w, cfg), nil
	case FormatEvents:
		return NewEventsEncoder(w, cfg), nil
	case FormatCSV:
		return NewCSVEncoder(w, cfg), nil
	case FormatCasualties:
		return NewCasualtiesEncoder(w, cfg), nil
	case FormatCoNLL:
		return NewCoNLLEncoder(w, cfg), nil
	}
	return nil, annotate.Errorf(annotate.EInvalid, "format %q is not a single-stream format", f)
}

// Run exports what opts select from src and reports progress after each document
// (total is 0 when the source cannot count in advance). It reads src only. On error or
// cancellation every temporary output is removed and nothing appears under the real
// names; on success every part is renamed into place.
func Run(ctx context.Context, src Source, opts Options, progress func(done, total int)) (res Result, err error) {
	if _, err := ParseFormat(string(opts.Format)); err != nil {
		return res, err
	}
	unit, err := ParseUnit(string(opts.Offsets))
	if err != nil {
		return res, err
	}
	flt, ef, err := newFilter(&opts)
	if err != nil {
		return res, err
	}
	parts, err := ParseSplit(opts.Split)
	if err != nil {
		return res, err
	}
	paths, err := targets(opts.Format, opts.Out, parts)
	if err != nil {
		return res, err
	}
	stdout := opts.Stdout
	if stdout == nil {
		stdout = os.Stdout
	}
	schema, err := src.Schema(ctx)
	if err != nil {
		return res, fmt.Errorf("export: read schema: %w", err)
	}
	incidents, err := loadIncidents(ctx, src)
	if err != nil {
		return res, err
	}
	cfg := Config{Schema: schema, Offsets: unit, Tokens: opts.Tokens, Raw: opts.Raw, incidents: incidents}
	group := opts.GroupKey
	if group == nil {
		group = incidents.groupKey(DefaultGroupKey)
	}

	outs := make([]*output, 0, len(paths))
	defer func() {
		if err != nil {
			for _, o := range outs {
				o.abort()
			}
		}
	}()
	for _, p := range paths {
		var o *output
		if opts.Format == FormatBrat {
			var sink FileSink
			if o, sink, err = openSink(p); err != nil {
				return res, err
			}
			outs = append(outs, o)
			o.enc = NewBratEncoder(sink, cfg)
			continue
		}
		if o, err = openFile(p, stdout); err != nil {
			return res, err
		}
		outs = append(outs, o)
		if o.enc, err = NewEncoder(opts.Format, o.writer(), cfg); err != nil {
			return res, err
		}
	}

	total := 0
	if c, ok := src.(Counter); ok {
		if n, cerr := c.CountDocuments(ctx, ef); cerr == nil {
			total = n
		}
	}
	rec := &Record{}
	done := 0
	err = src.EachDocument(ctx, ef, func(doc *annotate.Document, spans []annotate.Span, events []annotate.Event) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if opts.DoneOnly && doc.Status != annotate.DocDone || flt.docs != nil && !flt.docs[doc.ID] {
			return nil // the source should have left it out already; a fake may not
		}
		if err := rec.reset(doc, spans, events, flt); err != nil {
			return err
		}
		part := 0
		if len(parts) > 0 {
			part = Assign(parts, opts.Seed, group(doc))
		}
		if err := outs[part].enc.Encode(rec); err != nil {
			return fmt.Errorf("export document %s to %s: %w", docName(doc), outs[part].name(), err)
		}
		res.Documents++
		res.Spans += len(rec.Spans)
		done++
		if progress != nil {
			progress(done, total)
		}
		return nil
	})
	if err == nil {
		err = ctx.Err() // a source that stops early on cancellation without saying so
	}
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	for _, o := range outs {
		if err = o.commit(); err != nil {
			return res, err
		}
		if d, ok := o.enc.(interface{ Dropped() int }); ok {
			res.Dropped += d.Dropped()
		}
		res.Files = append(res.Files, o.nameOrDash())
	}
	res.Spans -= res.Dropped
	return res, nil
}

func (o *output) nameOrDash() string {
	if o.final == "" {
		return "-"
	}
	return o.final
}

// targets returns the output path of each split part (one path without a split).
// A file path gets the part before its extension: out.jsonl -> out.train.jsonl; an
// existing folder gets evident.<ext> inside it; brat takes a folder or a .zip path.
func targets(f Format, out string, parts []Part) ([]string, error) {
	if out == "" || out == "-" {
		if f == FormatBrat {
			return nil, annotate.Errorf(annotate.EInvalid, "brat export needs --out FOLDER or FILE.zip, not stdout")
		}
		if len(parts) > 0 {
			return nil, annotate.Errorf(annotate.EInvalid, "a split writes one file per part: give --out a file or folder, not stdout")
		}
		return []string{"-"}, nil
	}
	base := out
	if f != FormatBrat {
		st, err := os.Stat(out)
		isDir := err == nil && st.IsDir()
		if isDir || strings.HasSuffix(out, string(filepath.Separator)) || strings.HasSuffix(out, "/") {
			if !isDir {
				return nil, annotate.Errorf(annotate.ENotFound, "export folder %s does not exist", out)
			}
			base = filepath.Join(out, "evident"+f.Ext())
		}
	} else {
		base = strings.TrimRight(out, `/`+string(filepath.Separator))
		if base == "" {
			return nil, annotate.Errorf(annotate.EInvalid, "brat export cannot replace the root folder")
		}
	}
	if st, err := os.Stat(filepath.Dir(base)); err != nil || !st.IsDir() {
		return nil, annotate.Errorf(annotate.ENotFound, "export folder %s does not exist", filepath.Dir(base))
	}
	if len(parts) == 0 {
		return []string{base}, nil
	}
	ext := filepath.Ext(base)
	if f == FormatBrat && !strings.EqualFold(ext, ".zip") {
		ext = "" // a folder name's dot is not an extension
	}
	stem := strings.TrimSuffix(base, ext)
	paths := make([]string, len(parts))
	for i, p := range parts {
		paths[i] = stem + "." + p.Name + ext
	}
	if len(slices.Compact(slices.Clone(paths))) != len(paths) {
		return nil, errors.New("export: split parts map to the same file")
	}
	return paths, nil
}
