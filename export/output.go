package export

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"evident/annotate"
)

// FileSink receives the files of a multi-file format (brat): a folder or a zip archive.
// Each Create ends the previous file.
type FileSink interface {
	Create(name string) (io.Writer, error)
}

// output is one destination: a temporary file (or folder) next to its final path,
// renamed into place by commit and removed by abort, so a failed or cancelled export
// never leaves a half-written file under the real name.
type output struct {
	final string // "" for stdout
	tmp   string
	isDir bool
	f     *os.File
	bw    *bufio.Writer
	zw    *zip.Writer
	dir   *dirSink
	enc   Encoder
}

const bufSize = 256 << 10

// openFile starts a file output; final "-" means w (stdout).
func openFile(final string, stdout io.Writer) (*output, error) {
	if final == "-" {
		return &output{bw: bufio.NewWriterSize(stdout, bufSize)}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("export to %s: %w", final, err)
	}
	return &output{final: final, tmp: f.Name(), f: f, bw: bufio.NewWriterSize(f, bufSize)}, nil
}

// openSink starts a brat output: a zip file when final ends in .zip, else a folder.
func openSink(final string) (*output, FileSink, error) {
	if strings.EqualFold(filepath.Ext(final), ".zip") {
		o, err := openFile(final, nil)
		if err != nil {
			return nil, nil, err
		}
		o.zw = zip.NewWriter(o.bw)
		return o, zipSink{o.zw}, nil
	}
	if err := checkDirTarget(final); err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return nil, nil, fmt.Errorf("export to %s: %w", final, err)
	}
	o := &output{final: final, tmp: tmp, isDir: true, dir: &dirSink{root: tmp}}
	return o, o.dir, nil
}

// checkDirTarget refuses a folder target that exists with something in it: renaming
// over it would fail at the end of a long export, and merging would mix two exports.
func checkDirTarget(final string) error {
	ents, err := os.ReadDir(final)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export to %s: %w", final, err)
	}
	if len(ents) > 0 {
		return annotate.Errorf(annotate.EConflict, "export to %s: the folder exists and is not empty", final)
	}
	return nil
}

func (o *output) writer() io.Writer { return o.bw }

// commit finishes the encoder and renames the output into place.
func (o *output) commit() error {
	if err := o.enc.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", o.name(), err)
	}
	if o.zw != nil {
		if err := o.zw.Close(); err != nil {
			return fmt.Errorf("export to %s: %w", o.name(), err)
		}
	}
	if o.dir != nil {
		if err := o.dir.close(); err != nil {
			return fmt.Errorf("export to %s: %w", o.name(), err)
		}
	}
	if o.bw != nil {
		if err := o.bw.Flush(); err != nil {
			return fmt.Errorf("export to %s: %w", o.name(), err)
		}
	}
	if o.final == "" {
		return nil
	}
	if o.f != nil {
		if err := o.f.Sync(); err != nil {
			return fmt.Errorf("export to %s: %w", o.final, err)
		}
		if err := o.f.Close(); err != nil {
			return fmt.Errorf("export to %s: %w", o.final, err)
		}
		o.f = nil
		// CreateTemp makes the file 0600; an export is an ordinary file.
		_ = os.Chmod(o.tmp, 0o644)
	}
	if o.isDir {
		if err := checkDirTarget(o.final); err != nil {
			return err
		}
		_ = os.Remove(o.final) // an empty folder the user made for the export
	}
	if err := os.Rename(o.tmp, o.final); err != nil {
		return fmt.Errorf("export to %s: %w", o.final, err)
	}
	o.tmp = ""
	// Make the rename itself durable; a failure here loses nothing already written.
	if d, err := os.Open(filepath.Dir(o.final)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// abort removes whatever was written.
func (o *output) abort() {
	if o.dir != nil {
		_ = o.dir.close()
	}
	if o.f != nil {
		_ = o.f.Close()
	}
	if o.tmp != "" {
		_ = os.RemoveAll(o.tmp)
	}
}

func (o *output) name() string {
	if o.final == "" {
		return "stdout"
	}
	return o.final
}

// dirSink writes brat files into a folder, one open file at a time.
type dirSink struct {
	root string
	f    *os.File
	bw   *bufio.Writer
}

func (d *dirSink) Create(name string) (io.Writer, error) {
	if err := d.close(); err != nil {
		return nil, err
	}
	p := filepath.Join(d.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	d.f = f
	if d.bw == nil {
		d.bw = bufio.NewWriterSize(f, 64<<10)
	} else {
		d.bw.Reset(f)
	}
	return d.bw, nil
}

func (d *dirSink) close() error {
	if d.f == nil {
		return nil
	}
	f := d.f
	d.f = nil
	if err := d.bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type zipSink struct{ zw *zip.Writer }

func (z zipSink) Create(name string) (io.Writer, error) { return z.zw.Create(name) }
