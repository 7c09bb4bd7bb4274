package remote

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"evident/annotate"
	"evident/annotate/predict"
)

// Settings that name the model the window runs; they travel with the database.
const (
	SettingCommand = "model.command"
	SettingURL     = "model.url"
	SettingTimeout = "model.timeout"
)

// Session is the window's model: started on first use from the database's settings, it
// suggests for the document being opened and fetches suggestions for the next documents
// in the background, one call to the model at a time.
type Session struct {
	Prefetch  int // documents fetched ahead (DefaultBatch/4 if 0)
	Annotator string
	// Others, if set, runs the other suggesters (rules, the in-app model) over documents
	// fetched ahead, before the model: the window suggests only for documents that have
	// no spans yet, so a document the model reached first would otherwise miss them.
	Others func(ctx context.Context, st annotate.Store, ids []int64) error

	mu     sync.Mutex // one model call at a time; guards everything below
	st     annotate.Store
	model  Model
	off    error          // the model was switched off; nothing more is asked
	done   map[int64]bool // documents the model has seen in this session
	bg     context.CancelFunc
	bgDone chan struct{}
	warned []string
}

// Configured reports whether the database names a model for the window.
func Configured(ctx context.Context, st annotate.Store) (bool, error) {
	c, err := st.Setting(ctx, SettingCommand)
	if err != nil {
		return false, err
	}
	u, err := st.Setting(ctx, SettingURL)
	return c != "" || u != "", err
}

// Suggest runs the configured model over docID (if it has not seen it in this session)
// and then over the next documents in the background. It returns the suggestions added
// for docID; 0 and no error when no model is configured.
func (s *Session) Suggest(ctx context.Context, st annotate.Store, docID int64) (int, error) {
	s.stopPrefetch()
	s.mu.Lock()
	defer s.mu.Unlock()
	if st != s.st {
		s.closeLocked()
		s.st, s.off, s.done = st, nil, map[int64]bool{}
	}
	if s.off != nil {
		return 0, nil // reported once, when it happened
	}
	if s.model == nil {
		ok, err := Configured(ctx, st)
		if err != nil || !ok {
			return 0, err
		}
		if s.model, err = startFromSettings(ctx, st); err != nil {
			s.off = err
			return 0, err
		}
	}
	n, err := s.runLocked(ctx, []int64{docID})
	if err != nil {
		return n, err
	}
	s.prefetchLocked(docID)
	return n, nil
}

func startFromSettings(ctx context.Context, st annotate.Store) (Model, error) {
	cmd, err := st.Setting(ctx, SettingCommand)
	if err != nil {
		return nil, err
	}
	url, err := st.Setting(ctx, SettingURL)
	if err != nil {
		return nil, err
	}
	timeout := DefaultTimeout
	if t, err := st.Setting(ctx, SettingTimeout); err == nil && t != "" {
		if d, err := time.ParseDuration(t); err == nil && d > 0 {
			timeout = d
		}
	}
	if cmd != "" {
		m, err := StartProc(ctx, ProcOptions{Command: cmd, Timeout: timeout})
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return m, nil
	}
	sch, err := st.Schema(ctx)
	if err != nil {
		return nil, err
	}
	labels := make([]string, len(sch.Labels))
	for i, l := range sch.Labels {
		labels[i] = l.Name
	}
	h, err := StartHTTP(ctx, HTTPOptions{URL: url, Timeout: timeout, Labels: labels})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// runLocked runs the model over ids it has not seen; s.mu is held.
func (s *Session) runLocked(ctx context.Context, ids []int64) (int, error) {
	var todo []int64
	for _, id := range ids {
		if !s.done[id] {
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	a, err := predict.NewApplier(ctx, s.st, predict.ApplyOptions{Annotator: s.Annotator})
	if err != nil {
		return 0, err
	}
	err = Run(ctx, s.st, s.model, a, todo, RunOptions{Warn: func(m string) { s.warned = append(s.warned, m) }})
	a.Close(context.WithoutCancel(ctx))
	if ctx.Err() == nil {
		for _, id := range todo {
			s.done[id] = true
		}
	}
	if IsOff(err) {
		s.off = err
		s.model.Close()
		s.model = nil
	}
	if err == nil && len(a.Report.Problems) > 0 && len(todo) == 1 {
		err = a.Report.Problems[0]
	}
	return a.Report.Added, err
}

// prefetchLocked starts fetching the documents after docID in the list's order.
func (s *Session) prefetchLocked(docID int64) {
	n := s.Prefetch
	if n <= 0 {
		n = DefaultBatch / 4
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.bg, s.bgDone = cancel, done
	st := s.st
	go func() {
		defer close(done)
		docs, err := st.Documents(ctx)
		if err != nil {
			return
		}
		var next []int64
		for i, d := range docs {
			if d.ID == docID {
				for _, e := range docs[i+1:] {
					if len(next) == n {
						break
					}
					next = append(next, e.ID)
				}
				break
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.st != st || s.model == nil {
			return
		}
		if s.Others != nil {
			var todo []int64
			for _, id := range next {
				if !s.done[id] {
					todo = append(todo, id)
				}
			}
			if s.Others(ctx, st, todo) != nil {
				return
			}
		}
		s.runLocked(ctx, next) // errors come back on the next Suggest, through s.off
	}()
}

// stopPrefetch cancels background fetching and waits for it: the document the annotator
// opens comes first.
func (s *Session) stopPrefetch() {
	s.mu.Lock()
	cancel, done := s.bg, s.bgDone
	s.bg, s.bgDone = nil, nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Warnings returns and clears what the model did wrong beside its replies.
func (s *Session) Warnings() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := strings.Join(s.warned, "\n")
	s.warned = nil
	return w
}

// Close stops the model.
func (s *Session) Close() error {
	s.stopPrefetch()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeLocked()
	return nil
}

func (s *Session) closeLocked() {
	if s.model != nil {
		s.model.Close()
		s.model = nil
	}
}

// ErrNotConfigured is returned by callers that need a model and find none named.
var ErrNotConfigured = errors.New("no model is named: run evident suggest --model-cmd CMD --remember (or --model-url URL)")
