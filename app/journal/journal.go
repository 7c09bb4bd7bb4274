// Package journal keeps the window's decisions on disk while the shared database cannot
// take them, so that closing the window (or a crash, or a power cut) while the server is
// away loses nothing. A journal is one append-only file of JSON lines: an entry line per
// kept decision, written and fsynced before the window says the decision is kept, and a
// done line once the store has taken it. Opening the file again yields the entries
// without a done line, in the order they were kept.
//
// The journal itself does not make replays exactly-once: an entry whose store write
// committed just before the process died has no done line and is sent again. Each entry
// carries a request id (annotate.WithRequest) under which the store skips writes it has
// already applied.
package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
)

// Entry is one kept decision: ID names it across retries and restarts, Data is the
// caller's description of it (opaque here).
type Entry struct {
	ID   string          `json:"id"`
	Data json.RawMessage `json:"data"`
}

// line is one line of the file: an entry, or Done naming an entry already applied.
type line struct {
	Entry *Entry `json:"entry,omitempty"`
	Done  string `json:"done,omitempty"`
}

// File is an open journal. Its methods may be called from any goroutine.
type File struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	pending map[string]bool // ids kept and not done
}

// PathFor returns the journal file in dir for the database named by db (a URL: its
// password, if any, is left out of the name) and annotator: one journal per database and
// annotator, so two annotators sharing a computer, or one person on two projects, never
// replay each other's decisions.
func PathFor(dir, db, annotator string) string {
	if u, err := url.Parse(db); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		db = u.String()
	}
	sum := sha256.Sum256([]byte(db + "\x00" + annotator))
	return filepath.Join(dir, "journal-"+hex.EncodeToString(sum[:12])+".jsonl")
}

// Open opens (creating it and dir if needed) the journal at path and returns the entries
// still to apply, oldest first. A last line cut short by a crash while it was written is
// dropped: its decision had not been reported kept. A damaged line anywhere else is an
// error naming the file and line, and the file is left as it is.
func Open(path string) (*File, []Entry, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	entries, good, err := parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	j := &File{path: path, f: f, pending: map[string]bool{}}
	for _, e := range entries {
		j.pending[e.ID] = true
	}
	// Compact: rewrite only what is still to apply (a torn tail goes with it). Written
	// to a new file and renamed over the old one, so a crash now keeps one or the other.
	if good != len(data) || len(entries) == 0 && len(data) > 0 || hasDone(data) {
		if err := j.rewrite(entries); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	return j, entries, nil
}

// Count returns how many entries the journal at path still has to apply, without
// changing the file; 0 when there is no file.
func Count(path string) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("journal: %w", err)
	}
	entries, _, err := parse(path, data)
	return len(entries), err
}

func hasDone(data []byte) bool { return bytes.Contains(data, []byte(`{"done":`)) }

// parse reads the lines of data; good is the length of its well-formed, complete lines.
func parse(path string, data []byte) (entries []Entry, good int, err error) {
	done := map[string]bool{}
	var all []Entry
	n := 0
	for len(data[good:]) > 0 {
		rest := data[good:]
		i := bytes.IndexByte(rest, '\n')
		n++
		if i < 0 {
			break // cut short by a crash: never acknowledged
		}
		var l line
		if err := json.Unmarshal(rest[:i], &l); err != nil || (l.Entry == nil) == (l.Done == "") || l.Entry != nil && l.Entry.ID == "" {
			if err == nil {
				err = errors.New("neither an entry nor a done mark")
			}
			return nil, 0, fmt.Errorf("journal %s:%d: %w (the file is kept as it is; move it away to start without it)", path, n, err)
		}
		if l.Entry != nil {
			all = append(all, *l.Entry)
		} else {
			done[l.Done] = true
		}
		good += i + 1
	}
	for _, e := range all {
		if !done[e.ID] {
			entries = append(entries, e)
			done[e.ID] = true // an id kept twice is applied once
		}
	}
	return entries, good, nil
}

func (j *File) rewrite(entries []Entry) error {
	tmp := j.path + ".tmp"
	var buf bytes.Buffer
	for _, e := range entries {
		b, err := json.Marshal(line{Entry: &e})
		if err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		buf.Write(append(b, '\n'))
	}
	if err := writeSynced(tmp, buf.Bytes()); err != nil {
		return err
	}
	if err := os.Rename(tmp, j.path); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	syncDir(filepath.Dir(j.path))
	f, err := os.OpenFile(j.path, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.f.Close()
	j.f = f
	return nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	return f.Close()
}

// syncDir makes a rename in dir durable; a failure only weakens that, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Path returns the file's path.
func (j *File) Path() string { return j.path }

// Len returns how many entries are kept and not done.
func (j *File) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.pending)
}

// Keep appends e and returns once it is on disk (fsynced).
func (j *File) Keep(e Entry) error {
	if e.ID == "" {
		return errors.New("journal: entry without an id")
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.append(line{Entry: &e}); err != nil {
		return err
	}
	j.pending[e.ID] = true
	return nil
}

// Done records that the entry id was applied (or refused for good), so it is not sent
// again. When nothing is left to apply the file is emptied.
func (j *File) Done(id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.pending[id] {
		return nil
	}
	if err := j.append(line{Done: id}); err != nil {
		return err
	}
	delete(j.pending, id)
	if len(j.pending) == 0 {
		// Every entry has its done line on disk, so a crash during the truncation is harmless.
		if err := j.f.Truncate(0); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		return j.sync()
	}
	return nil
}

func (j *File) append(l line) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return j.sync()
}

func (j *File) sync() error {
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Close closes the file; what is kept stays for the next Open.
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.f.Close()
}
