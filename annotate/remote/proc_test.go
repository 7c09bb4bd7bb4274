package remote_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"evident/annotate/predict"
	"evident/annotate/remote"
)

func start(t *testing.T, mode string, opt remote.ProcOptions) *remote.Proc {
	t.Helper()
	opt.Command = fakeCommand(mode)
	m, err := remote.StartProc(context.Background(), opt)
	if err != nil {
		t.Fatalf("start %s: %v", mode, err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func docs(ids ...string) []remote.Doc {
	out := make([]remote.Doc, len(ids))
	for i, id := range ids {
		out[i] = remote.Doc{ID: id, Text: "Ana met Bo in Lima " + id + "."}
	}
	return out
}

// collect runs Predict and returns the replies by id.
func collect(t *testing.T, m remote.Model, ds []remote.Doc) (map[string]*predict.Prediction, error) {
	t.Helper()
	got := map[string]*predict.Prediction{}
	err := m.Predict(context.Background(), ds, []string{"NAME"}, func(p *predict.Prediction) {
		if got[p.DocID] != nil {
			t.Errorf("two replies for %s", p.DocID)
		}
		got[p.DocID] = p
	})
	return got, err
}

func TestProcAnswers(t *testing.T) {
	m := start(t, "reverse", remote.ProcOptions{})
	if i := m.Info(); i.Model != "fake" || i.Version != "1" || len(i.Labels) != 1 {
		t.Fatalf("info %+v", i)
	}
	got, err := collect(t, m, docs("a", "b", "c", "d", "e", "f"))
	if err != nil || len(got) != 6 {
		t.Fatalf("%v %v", got, err)
	}
	p := got["c"]
	if p.Err != "" || p.Model != "fake" || p.Version != "1" || len(p.Spans) != 3 || p.Spans[1].Start != 8 || *p.Spans[1].Score != 0.5 {
		t.Fatalf("reply %+v", p)
	}
	// The process stays up for the next batch.
	if got, err := collect(t, m, docs("g", "h", "i")); err != nil || len(got) != 3 {
		t.Fatalf("second batch: %v %v", got, err)
	}
}

func TestProcGarbageFirst(t *testing.T) {
	m := start(t, "garbage", remote.ProcOptions{})
	if w := strings.Join(m.Warnings(), "\n"); !strings.Contains(w, `"Loading weights from /models/ner ... done"`) {
		t.Errorf("warnings: %s", w)
	}
	if got, err := collect(t, m, docs("a")); err != nil || got["a"].Err != "" {
		t.Fatalf("%v %v", got, err)
	}
}

func TestProcNoFirstLine(t *testing.T) {
	_, err := remote.StartProc(context.Background(), remote.ProcOptions{Command: fakeCommand("nohello")})
	if !remote.IsOff(err) || !strings.Contains(err.Error(), "before its first line") || !strings.Contains(err.Error(), "Traceback: out of memory") ||
		!strings.Contains(err.Error(), "Loading weights") {
		t.Fatalf("err: %v", err)
	}
	_, err = remote.StartProc(context.Background(), remote.ProcOptions{Command: "no-such-model-program-xyz"})
	if !remote.IsOff(err) || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("missing program: %v", err)
	}
}

func TestProcExitsMidwayIsRestarted(t *testing.T) {
	// It dies after three documents on every start: two restarts get 9 of 10 answered,
	// then it is switched off with its stderr shown.
	m := start(t, "exit3", remote.ProcOptions{MaxRestarts: 2})
	got, err := collect(t, m, docs("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
	if !remote.IsOff(err) || !strings.Contains(err.Error(), "segmentation fault on") {
		t.Fatalf("err: %v", err)
	}
	if len(got) != 9 {
		t.Fatalf("answered %d, want 9 (3 per start)", len(got))
	}
	for id, p := range got {
		if p.Err != "" {
			t.Errorf("%s: %s", id, p.Err)
		}
	}
	if w := strings.Join(m.Warnings(), "\n"); !strings.Contains(w, "restarting the model (2 of 2)") {
		t.Errorf("warnings: %s", w)
	}
}

func TestProcPoisonDocument(t *testing.T) {
	m := start(t, "poison", remote.ProcOptions{})
	got, err := collect(t, m, docs("a", "bad", "c", "d"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got["bad"].Err == "" || !strings.Contains(got["bad"].Err, "exited twice") || got["d"].Err != "" {
		t.Fatalf("%+v", got)
	}
}

func TestProcNeverAnswers(t *testing.T) {
	m := start(t, "silent", remote.ProcOptions{Timeout: 300 * time.Millisecond})
	got, err := collect(t, m, docs("a", "slow", "c"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got["slow"].Err, "no answer within 300ms") || got["a"].Err != "" || got["c"].Err != "" {
		t.Fatalf("%+v %+v %+v", got["a"], got["slow"], got["c"])
	}
}

func TestProcStrangerAndDuplicateReplies(t *testing.T) {
	m := start(t, "stranger", remote.ProcOptions{})
	got, err := collect(t, m, docs("a", "b"))
	if err != nil || len(got) != 2 {
		t.Fatal(got, err)
	}
	if w := strings.Join(m.Warnings(), "\n"); !strings.Contains(w, `a reply for document "nobody", which was not asked: ignored`) {
		t.Errorf("warnings: %s", w)
	}
}

func TestProcErrorReplyAndLongLine(t *testing.T) {
	m := start(t, "errors", remote.ProcOptions{})
	got, err := collect(t, m, docs("a", "bad"))
	if err != nil || got["bad"].Err != "cannot tokenize" || got["a"].Err != "" {
		t.Fatalf("%+v %v", got, err)
	}
	m = start(t, "long", remote.ProcOptions{})
	got, err = collect(t, m, docs("big", "a"))
	if err != nil || got["big"].Err != "" || got["a"].Err != "" {
		t.Fatalf("a 10 MB reply: %+v %v", got, err)
	}
	m = start(t, "long", remote.ProcOptions{MaxLine: 1 << 20, Timeout: 3 * time.Second})
	got, err = collect(t, m, docs("big", "a"))
	if err != nil || got["a"].Err != "" || !strings.Contains(got["big"].Err, "no answer") {
		t.Fatalf("over the limit: %+v %v", got, err)
	}
	if w := strings.Join(m.Warnings(), "\n"); !strings.Contains(w, "longer than 1 MB") {
		t.Errorf("warnings: %s", w)
	}
}

func TestProcCancel(t *testing.T) {
	m := start(t, "silent", remote.ProcOptions{})
	m.Warnings()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := m.Predict(ctx, docs("slow"), nil, func(*predict.Prediction) {})
	if err != context.DeadlineExceeded {
		t.Fatalf("err %v", err)
	}
	// The process stays up (a model may take long to load); the next call is answered.
	got, err := collect(t, m, docs("a"))
	if err != nil || got["a"] == nil {
		t.Fatal(got, err)
	}
	if w := m.Warnings(); len(w) != 0 {
		t.Errorf("a cancel is not a restart: %v", w)
	}
}

func TestProcLateReplyAfterCancelIsDropped(t *testing.T) {
	m := start(t, "reverse", remote.ProcOptions{}) // answers only when three requests are in
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := m.Predict(ctx, docs("x"), nil, func(*predict.Prediction) { t.Error("no reply expected") }); err != context.DeadlineExceeded {
		t.Fatal(err)
	}
	got, err := collect(t, m, docs("y", "z"))
	if err != nil || len(got) != 2 || got["x"] != nil {
		t.Fatal(got, err)
	}
	if w := m.Warnings(); len(w) != 0 {
		t.Errorf("the late reply for x must be dropped quietly: %v", w)
	}
}
