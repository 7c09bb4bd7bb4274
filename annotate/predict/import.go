package predict

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"evident/annotate"
)

// ImportFiles reads prediction files and stores them as suggestions. model names the
// model for records that name none. Every file is opened before anything is stored, so a
// wrong path changes nothing. progress, if not nil, is called after each record.
func ImportFiles(ctx context.Context, st annotate.Store, files []string, model string, opt ApplyOptions, progress func(file string, records int)) (*Report, error) {
	fs := make([]*os.File, 0, len(files))
	defer func() {
		for _, f := range fs {
			f.Close()
		}
	}()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("open predictions: %w", err)
		}
		fs = append(fs, f)
	}
	a, err := NewApplier(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	defer a.Close(context.WithoutCancel(ctx))
	for i, f := range fs {
		r := NewReader(f, files[i], model)
		for n := 1; ; n++ {
			if err := ctx.Err(); err != nil {
				return &a.Report, err
			}
			ps, err := r.Next()
			if err == io.EOF {
				break
			}
			var prob *Problem
			if errors.As(err, &prob) {
				a.Problem(prob)
				continue
			}
			if err != nil {
				return &a.Report, err
			}
			for j := range ps {
				if err := a.Apply(ctx, &ps[j]); err != nil {
					return &a.Report, err
				}
			}
			if progress != nil {
				progress(files[i], n)
			}
		}
	}
	return &a.Report, a.Close(ctx)
}
