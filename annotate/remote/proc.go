package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"evident/annotate/predict"
)

// ProcOptions configure a model process.
type ProcOptions struct {
	Command     string        // run by the shell, e.g. "python3 tagger.py --gpu"
	Dir         string        // working directory ("" = the current one)
	Timeout     time.Duration // per document (DefaultTimeout if 0)
	MaxRestarts int           // restarts before the model is switched off (3 if 0; <0 none)
	Log         io.Writer     // the program's stderr is copied here (nil: only kept for messages)
	MaxLine     int           // longest reply line (predict.DefaultMaxLine if 0)
}

// Proc is a model process. It is not safe for concurrent use.
type Proc struct {
	opt      ProcOptions
	info     Info
	p        *process
	restarts int
	mu       sync.Mutex
	warnings []string
	lastTail []string // stderr of the last process that died
	// stale are documents asked in a cancelled call: their late replies are dropped
	// quietly instead of killing a model that may take seconds to load again.
	stale map[string]bool
}

// line is one line of the program's stdout.
type line struct {
	b    []byte
	long bool // longer than MaxLine: dropped
}

// process is one start of the program.
type process struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan line // closed at end of output
	tail   *tail
	exited chan struct{}
	status string // set before exited is closed
}

const tailLines = 20

// tail keeps the last lines of a stream.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == tailLines {
		t.lines = append(t.lines[:0], t.lines[1:]...)
	}
	t.lines = append(t.lines, s)
}

func (t *tail) get() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.lines...)
}

// StartProc starts the program and reads its first line, {"model","model_version","labels"}.
// Lines it prints before that (a library's banner) are skipped with a warning.
func StartProc(ctx context.Context, opt ProcOptions) (*Proc, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxRestarts == 0 {
		opt.MaxRestarts = 3
	}
	if opt.MaxLine <= 0 {
		opt.MaxLine = predict.DefaultMaxLine
	}
	m := &Proc{opt: opt}
	if err := m.start(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// Info implements Model.
func (m *Proc) Info() Info { return m.info }

// Warnings implements Model.
func (m *Proc) Warnings() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	w := m.warnings
	m.warnings = nil
	return w
}

func (m *Proc) warn(format string, args ...any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.warnings = append(m.warnings, fmt.Sprintf(format, args...))
}

func (m *Proc) start(ctx context.Context) error {
	cmd := shellCommand(m.opt.Command)
	cmd.Dir = m.opt.Dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start model %q: %w", m.opt.Command, err)
	}
	p := &process{cmd: cmd, stdin: stdin, lines: make(chan line, 256), tail: &tail{}, exited: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // stderr is the model's log
		defer wg.Done()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.tail.add(sc.Text())
			if m.opt.Log != nil {
				fmt.Fprintf(m.opt.Log, "model: %s\n", sc.Text())
			}
		}
	}()
	go func() {
		defer wg.Done()
		defer close(p.lines)
		br := bufio.NewReaderSize(stdout, 64<<10)
		var buf []byte
		for {
			b, long, err := readLine(br, &buf, m.opt.MaxLine)
			if len(b) > 0 || long {
				p.lines <- line{append([]byte(nil), b...), long}
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		wg.Wait() // Wait must follow the last read of the pipes
		err := cmd.Wait()
		p.status = "exited"
		if err != nil {
			p.status = err.Error()
		}
		close(p.exited)
	}()
	m.p = p
	if err := m.handshake(ctx); err != nil {
		m.kill()
		return err
	}
	return nil
}

// handshake reads the program's first line.
func (m *Proc) handshake(ctx context.Context) error {
	timer := time.NewTimer(m.opt.Timeout)
	defer timer.Stop()
	var garbage []string
	for {
		select {
		case l, ok := <-m.p.lines:
			if !ok {
				<-m.p.exited
				return &OffError{Reason: fmt.Sprintf("%q ended (%s) before its first line %s", m.opt.Command, m.p.status, garbageNote(garbage)),
					Stderr: m.p.tail.get()}
			}
			var hs struct {
				Model   string          `json:"model"`
				Version json.RawMessage `json:"model_version"`
				Labels  []string        `json:"labels"`
			}
			if l.long || json.Unmarshal(l.b, &hs) != nil {
				garbage = append(garbage, quote(l.b))
				m.warn("model printed %s before its first line: skipped (print logs to stderr)", quote(l.b))
				if len(garbage) >= 100 {
					return &OffError{Reason: "100 lines that are not JSON and no first line " + garbageNote(garbage[:1]), Stderr: m.p.tail.get()}
				}
				continue
			}
			if hs.Model == "" {
				return &OffError{Reason: fmt.Sprintf(`first line %s: want {"model":NAME,"model_version":VERSION,"labels":[...]}`, quote(l.b)), Stderr: m.p.tail.get()}
			}
			info := Info{Model: hs.Model, Version: string(hs.Version), Labels: hs.Labels}
			if len(hs.Version) > 0 && hs.Version[0] == '"' {
				json.Unmarshal(hs.Version, &info.Version)
			} else if string(hs.Version) == "null" {
				info.Version = ""
			}
			if m.info.Model != "" && (info.Model != m.info.Model || info.Version != m.info.Version) {
				m.warn("the restarted model calls itself %s@%s, not %s@%s", info.Model, info.Version, m.info.Model, m.info.Version)
			}
			m.info = info
			return nil
		case <-timer.C:
			return &OffError{Reason: fmt.Sprintf("no first line within %s %s", m.opt.Timeout, garbageNote(garbage)), Stderr: m.p.tail.get()}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func garbageNote(g []string) string {
	if len(g) == 0 {
		return ""
	}
	return fmt.Sprintf("(it printed %s)", g[0])
}

// kill ends the current process and waits for it.
func (m *Proc) kill() {
	if m.p == nil {
		return
	}
	m.p.stdin.Close()
	killProcess(m.p.cmd)
	<-m.p.exited
	m.lastTail = m.p.tail.get()
	m.p = nil
	m.stale = nil
}

// Close ends the program: its stdin is closed so it can finish, then it is killed if it
// has not exited within two seconds.
func (m *Proc) Close() error {
	if m.p == nil {
		return nil
	}
	m.p.stdin.Close()
	select {
	case <-m.p.exited:
	case <-time.After(2 * time.Second):
	}
	m.kill()
	return nil
}

type request struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Labels []string `json:"labels"`
}

// Predict implements Model. A document the model does not answer within the timeout, or
// that it was working on when it died twice, gets an error reply; the program is killed
// and restarted and the other documents are asked again. After MaxRestarts restarts the
// model is switched off with an *OffError.
func (m *Proc) Predict(ctx context.Context, docs []Doc, labels []string, reply func(*predict.Prediction)) error {
	byID := make(map[string]int, len(docs))
	for i, d := range docs {
		byID[d.ID] = i
	}
	todo := docs
	crashes := map[string]int{}
	for len(todo) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m.p == nil {
			if m.opt.MaxRestarts < 0 || m.restarts >= m.opt.MaxRestarts {
				return &OffError{Reason: fmt.Sprintf("it failed %d times", m.restarts+1), Stderr: m.lastTail}
			}
			m.restarts++
			m.warn("restarting the model (%d of %d)", m.restarts, m.opt.MaxRestarts)
			if err := m.start(ctx); err != nil {
				return err
			}
		}
		var err error
		todo, err = m.round(ctx, todo, byID, labels, crashes, reply)
		if err != nil {
			return err
		}
	}
	return nil
}

// round sends docs to the running process and reads replies until all are answered or
// the process fails; it returns the documents to ask again. When the process dies or is
// killed, stale replies die with it.
func (m *Proc) round(ctx context.Context, docs []Doc, byID map[string]int, labels []string, crashes map[string]int, reply func(*predict.Prediction)) ([]Doc, error) {
	p := m.p
	pending := make(map[string]bool, len(docs))
	for _, d := range docs {
		pending[d.ID] = true
	}
	go func() { // the writer: replies may come while requests still go out
		w := bufio.NewWriterSize(p.stdin, 64<<10)
		enc := json.NewEncoder(w)
		for _, d := range docs {
			if enc.Encode(request{d.ID, d.Text, labels}) != nil {
				return // the process died; the reader sees it
			}
		}
		w.Flush()
	}()
	next := 0 // docs[next] is the oldest document still pending
	oldest := func() *Doc {
		for next < len(docs) && !pending[docs[next].ID] {
			next++
		}
		if next == len(docs) {
			return nil
		}
		return &docs[next]
	}
	rest := func() []Doc {
		var out []Doc
		for _, d := range docs {
			if pending[d.ID] {
				out = append(out, d)
			}
		}
		return out
	}
	fail := func(d *Doc, why string) {
		delete(pending, d.ID)
		reply(&predict.Prediction{DocID: d.ID, Model: m.info.Model, Version: m.info.Version, Err: why})
	}
	timer := time.NewTimer(m.opt.Timeout)
	defer timer.Stop()
	for len(pending) > 0 {
		select {
		case l, ok := <-p.lines:
			if !ok {
				<-p.exited
				m.warn("the model exited (%s) with %d documents unanswered", p.status, len(pending))
				m.kill()
				if d := oldest(); d != nil {
					crashes[d.ID]++
					if crashes[d.ID] >= 2 {
						fail(d, "the model exited twice while working on it")
					}
				}
				return rest(), nil
			}
			if l.long {
				m.warn("the model wrote a line longer than %d MB: ignored", m.opt.MaxLine>>20)
				continue
			}
			pr, err := predict.ParseReply(l.b, m.info.Model, m.info.Version)
			if err != nil {
				m.warn("the model wrote %s, which is not a reply: %v", quote(l.b), err)
				continue
			}
			if !pending[pr.DocID] && m.stale[pr.DocID] {
				delete(m.stale, pr.DocID)
				continue
			}
			delete(m.stale, pr.DocID)
			if !pending[pr.DocID] {
				if _, asked := byID[pr.DocID]; asked {
					m.warn("a second reply for document %q: ignored", pr.DocID)
				} else {
					m.warn("a reply for document %q, which was not asked: ignored", pr.DocID)
				}
				continue
			}
			delete(pending, pr.DocID)
			reply(pr)
			timer.Reset(m.opt.Timeout) // since Go 1.23 Reset drops a pending tick
		case <-timer.C:
			d := oldest()
			fail(d, fmt.Sprintf("no answer within %s (--model-timeout)", m.opt.Timeout))
			m.warn("the model gave no answer for document %q within %s: restarting it", d.ID, m.opt.Timeout)
			m.kill()
			return rest(), nil
		case <-ctx.Done():
			if m.stale == nil {
				m.stale = map[string]bool{}
			}
			for id := range pending {
				m.stale[id] = true
			}
			return nil, ctx.Err()
		}
	}
	return nil, nil
}

// readLine reads one line without its end-of-line bytes. A line longer than max is read
// to its end and dropped, with long set.
func readLine(br *bufio.Reader, buf *[]byte, max int) (b []byte, long bool, err error) {
	*buf = (*buf)[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			*buf = append(*buf, chunk...)
			if len(*buf) > max+2 {
				long = true
				*buf = (*buf)[:0]
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		b = *buf
		for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
			b = b[:len(b)-1]
		}
		return b, long, err
	}
}

// quote shows a line of the model's output in a message, clipped.
func quote(b []byte) string {
	if len(b) > 200 {
		return strconv.Quote(string(b[:200])) + "…"
	}
	return strconv.Quote(string(b))
}
