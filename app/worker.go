package app

import (
	"context"
	"sync"
)

// worker runs store calls one after another on a goroutine of its own. Decisions must
// reach the store in the order the user made them (accept, then undo), and the GUI
// goroutine must never wait on SQLite, so every call goes through this queue.
type worker struct {
	ctx     context.Context
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []func(context.Context)
	closed  bool
	pending sync.WaitGroup
	done    chan struct{}
}

func newWorker(ctx context.Context) *worker {
	w := &worker{ctx: ctx, done: make(chan struct{})}
	w.cond = sync.NewCond(&w.mu)
	go w.loop()
	return w
}

// submit queues job; it never blocks. Jobs submitted after close are dropped.
func (w *worker) submit(job func(context.Context)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.pending.Add(1)
	w.queue = append(w.queue, job)
	w.cond.Signal()
}

func (w *worker) loop() {
	defer close(w.done)
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && !w.closed {
			w.cond.Wait()
		}
		if len(w.queue) == 0 && w.closed {
			w.mu.Unlock()
			return
		}
		job := w.queue[0]
		w.queue[0] = nil
		w.queue = w.queue[1:]
		w.mu.Unlock()
		job(w.ctx)
		w.pending.Done()
	}
}

// wait blocks until every queued job has run.
func (w *worker) wait() { w.pending.Wait() }

// close stops accepting jobs, lets the queued ones finish and waits for the loop to end.
func (w *worker) close() {
	w.mu.Lock()
	w.closed = true
	w.cond.Signal()
	w.mu.Unlock()
	<-w.done
}
