package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/assets"
)

// TestTwoStoresWriteConcurrently opens two Stores on one file (as two windows, or the
// window and the CLI, would) and writes from both at once: every write must succeed
// ("database is locked" must never reach a caller) and none may be lost.
func TestTwoStoresWriteConcurrently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	a := mustOpenPath(t, path)
	b := mustOpenPath(t, path)
	doc := importOne(t, a, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	n := 60
	if testing.Short() {
		n = 15
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*n)
	for w, s := range []*sqlite.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := fmt.Sprintf("writer%d", w)
			for i := 0; i < n; i++ {
				sp, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Start: i % 50, End: i%50 + 3, Label: "ACTOR", Annotator: who})
				if err != nil {
					errs <- err
					continue
				}
				if err := s.SetSpanStatus(ctx, []int64{sp.ID}, annotate.StatusRejected, who); err != nil {
					errs <- err
				}
				if i%10 == 0 {
					if _, err := s.Undo(ctx, who); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	// Readers at the same time, and an import through the other store.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			if _, err := b.Documents(ctx); err != nil {
				errs <- err
			}
			if _, err := a.Spans(ctx, doc, annotate.SpanFilter{}); err != nil {
				errs <- err
			}
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		im, err := b.BeginImport(ctx, "importer")
		if err != nil {
			errs <- err
			return
		}
		defer im.Rollback()
		for i := 0; i < 200; i++ {
			if _, err := im.Add(ctx, &annotate.Document{ExternalID: fmt.Sprint("imp", i), Text: sampleText}, sampleDraft()); err != nil {
				errs <- err
				return
			}
		}
		if err := im.Commit(); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write failed: %v", err)
	}
	spans, err := a.Spans(ctx, doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 4*n {
		t.Fatalf("%d spans, want %d", len(spans), 4*n)
	}
	rejected := 0
	for _, sp := range spans {
		if sp.Status == annotate.StatusRejected {
			rejected++
		}
	}
	// Each writer undid every tenth rejection.
	if want := 4 * (n - (n+9)/10); rejected != want {
		t.Fatalf("%d rejected, want %d", rejected, want)
	}
	docs, _ := a.Documents(ctx)
	if len(docs) != 201 {
		t.Fatalf("%d documents, want 201", len(docs))
	}
	if problems, err := a.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

const crashEnv = "EVIDENT_SQLITE_CRASH_CHILD"

// TestCrashChild is the child of TestCrashKeepsAcknowledgedWrites: it writes spans in a
// loop and prints each id once AddSpan has returned, until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestCrashKeepsAcknowledgedWrites")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	docs, err := s.Documents(ctx)
	if err != nil || len(docs) == 0 {
		fmt.Println("error no document", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	if os.Getenv(crashEnv+"_IMPORT") != "" {
		// Import until killed, saying how far it got; it never commits.
		im, err := s.BeginImport(ctx, "child")
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		for i := 0; ; i++ {
			if _, err := im.Add(ctx, &annotate.Document{ExternalID: fmt.Sprint("big", i), Text: sampleText}, sampleDraft()); err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			if i%1000 == 0 {
				fmt.Fprintln(out, i)
				out.Flush()
			}
		}
	}
	for i := 0; ; i++ {
		sp, err := s.AddSpan(ctx, annotate.Span{DocID: docs[0].ID, Start: i % 90, End: i%90 + 5, Label: "TIME", Annotator: "child"})
		if err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(2)
		}
		if i%3 == 0 {
			// A second kind of action: reject every third span.
			if err := s.SetSpanStatus(ctx, []int64{sp.ID}, annotate.StatusRejected, "child"); err != nil {
				fmt.Fprintln(out, "error", err)
				out.Flush()
				os.Exit(2)
			}
		}
		fmt.Fprintln(out, sp.ID)
		out.Flush()
	}
}

// TestCrashKeepsAcknowledgedWrites kills a writing child process with SIGKILL, then
// checks that the database is intact and holds every write the child acknowledged.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	s := mustOpenPath(t, path)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, annotate.Draft{})
	s.Close()

	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	var acked []int64
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestCrashChild$", "-test.count", "1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		want := 150 + 100*round
		deadline := time.Now().Add(60 * time.Second)
		got := 0
		for got < want && sc.Scan() {
			id, err := strconv.ParseInt(sc.Text(), 10, 64)
			if err != nil {
				cmd.Process.Kill()
				t.Fatalf("child said %q", sc.Text())
			}
			acked = append(acked, id)
			got++
			if time.Now().After(deadline) {
				break
			}
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// Lines the child printed before dying are acknowledged too.
		for sc.Scan() {
			if id, err := strconv.ParseInt(sc.Text(), 10, 64); err == nil {
				acked = append(acked, id)
			}
		}
		cmd.Wait()
		if got < want {
			t.Fatalf("round %d: child acknowledged only %d writes", round, got)
		}
	}

	s = mustOpenPath(t, path)
	problems, err := s.Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("after kill -9: check: %v %v", problems, err)
	}
	spans, err := s.Spans(ctx, doc, annotate.SpanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	have := map[int64]bool{}
	for _, sp := range spans {
		have[sp.ID] = true
	}
	for _, id := range acked {
		if !have[id] {
			t.Fatalf("acknowledged span %d is missing after kill -9 (%d acknowledged, %d stored)", id, len(acked), len(spans))
		}
	}
	t.Logf("%d acknowledged writes over %d kills, %d spans stored", len(acked), rounds, len(spans))
}

// TestCrashDuringImport kills a child in the middle of a large import: afterwards the
// database is intact and holds none of that import.
func TestCrashDuringImport(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	s := mustOpenPath(t, path)
	importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run", "^TestCrashChild$", "-test.count", "1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path, crashEnv+"_IMPORT=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	lines := 0
	for lines < 4 && sc.Scan() { // 3,000 documents in, with pages spilled to the WAL
		if _, err := strconv.Atoi(sc.Text()); err != nil {
			cmd.Process.Kill()
			t.Fatalf("child said %q", sc.Text())
		}
		lines++
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if lines < 4 {
		t.Fatalf("child stopped after %d progress lines", lines)
	}

	s = mustOpenPath(t, path)
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("after kill -9: check: %v %v", problems, err)
	}
	docs, err := s.Documents(ctx)
	if err != nil || len(docs) != 1 || docs[0].Accepted != 8 {
		t.Fatalf("after a killed import: %d documents (%v), want only the first", len(docs), err)
	}
}

// TestReadsDoNotWaitForWriter reads while an import holds the write lock: reads go
// through the read-only pool and a WAL snapshot, so they must not wait for the busy
// timeout (5 s) and must not see the uncommitted import.
func TestReadsDoNotWaitForWriter(t *testing.T) {
	s := MustOpen(t)
	doc := importOne(t, s, annotate.Document{ExternalID: "a1", Text: sampleText}, sampleDraft())
	im, err := s.BeginImport(context.Background(), "importer")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if _, err := im.Add(context.Background(), &annotate.Document{ExternalID: "a2", Text: sampleText}, sampleDraft()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	docs, err := s.Documents(ctx)
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents during an import: %d, %v", len(docs), err)
	}
	if _, err := s.Spans(ctx, doc, annotate.SpanFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EachDocument(ctx, annotate.ExportFilter{}, func(*annotate.Document, []annotate.Span, []annotate.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
}
