package suggestrun_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sync/atomic"
	"testing"

	"evident/annotate"
	"evident/annotate/sqlite"
	"evident/annotate/suggest"
	"evident/annotate/suggestrun"
	"evident/assets"
)

func openWithDocs(t *testing.T, n int) (*sqlite.Store, []int64) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "e.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	im, err := st.BeginImport(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		d := &annotate.Document{ExternalID: fmt.Sprint("d", i), Published: "2024-03-05",
			Text: fmt.Sprintf("Gunmen attacked a market in Kidal on Tuesday, killing %d civilians, officials said. Talks stalled.", i+2)}
		if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return st, ids
}

var claimantID = regexp.MustCompile(`"claimant":\d+,?`)

type docState struct {
	Spans  []string
	Events int
}

func state(t *testing.T, st *sqlite.Store, ids []int64) []docState {
	t.Helper()
	var out []docState
	for _, id := range ids {
		spans, err := st.Spans(context.Background(), id, annotate.SpanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		events, err := st.Events(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		ds := docState{Events: len(events)}
		for _, sp := range spans {
			// span ids (and so claimant ids) depend on the order documents were written
			attrs := claimantID.ReplaceAllString(string(sp.Attrs), "")
			ds.Spans = append(ds.Spans, fmt.Sprintf("%d-%d %s %s %s %s", sp.Start, sp.End, sp.Label, sp.Status, sp.Origin, attrs))
		}
		out = append(out, ds)
	}
	return out
}

// Many workers store the same suggestions as one, and as the engine proposes.
func TestWorkersStoreWhatTheEngineProposes(t *testing.T) {
	ctx := context.Background()
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a, ids := openWithDocs(t, 60)
	b, _ := openWithDocs(t, 60)
	var calls atomic.Int64
	ta, err := suggestrun.Run(ctx, a, sug, ids, suggestrun.Options{Run: annotate.Run{Source: "rules"}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := suggestrun.Run(ctx, b, sug, ids, suggestrun.Options{Run: annotate.Run{Source: "rules"}, Workers: 4,
		Progress: func(p suggestrun.Progress) { calls.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if ta != tb || ta.Documents != 60 || ta.Added == 0 || ta.Events == 0 {
		t.Fatalf("totals %+v and %+v", ta, tb)
	}
	if calls.Load() != 60 {
		t.Fatalf("progress called %d times for 60 documents", calls.Load())
	}
	sa, sb := state(t, a, ids), state(t, b, ids)
	if !reflect.DeepEqual(sa, sb) {
		t.Fatal("4 workers stored other suggestions than 1")
	}
	d, _ := a.Document(ctx, ids[7])
	draft, err := sug.Suggest(ctx, d.Text, d.Published, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sa[7].Spans) != len(draft.Spans) || sa[7].Events != len(draft.Events) {
		t.Fatalf("stored %d spans, %d events; the engine proposes %d, %d", len(sa[7].Spans), sa[7].Events, len(draft.Spans), len(draft.Events))
	}
}

// cancelling is a suggester that cancels the run after n documents.
type cancelling struct {
	sug    suggestrun.Suggester
	n      atomic.Int64
	after  int64
	cancel context.CancelFunc
}

func (c *cancelling) Suggest(ctx context.Context, text, pub string, l []annotate.PhraseStat) (annotate.Draft, error) {
	if c.n.Add(1) == c.after {
		c.cancel()
	}
	return c.sug.Suggest(ctx, text, pub, l)
}

// Cancelling keeps the documents already suggested, leaves the database consistent and
// the run one undoable step.
func TestCancelKeepsDocumentsDone(t *testing.T) {
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st, ids := openWithDocs(t, 200)
	before := state(t, st, ids)
	ctx, cancel := context.WithCancel(context.Background())
	c := &cancelling{sug: sug, after: 50, cancel: cancel}
	tot, err := suggestrun.Run(ctx, st, c, ids, suggestrun.Options{Run: annotate.Run{Source: "rules", Annotator: "ann"}, Workers: 2})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want cancelled", err)
	}
	if tot.Documents < 40 || tot.Documents >= 200 {
		t.Fatalf("%d documents stored after cancelling at the 50th", tot.Documents)
	}
	got := state(t, st, ids)
	stored := 0
	for _, d := range got {
		if len(d.Spans) > 0 {
			stored++
		}
	}
	if stored != tot.Documents {
		t.Fatalf("%d documents have suggestions, the run says %d", stored, tot.Documents)
	}
	bg := context.Background()
	if problems, err := st.Check(bg); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	hist, _ := st.History(bg, 1)
	if len(hist) != 1 || hist[0].Kind != "suggest" {
		t.Fatalf("history %+v", hist)
	}
	if op, err := st.Undo(bg, "ann"); err != nil || op == nil {
		t.Fatalf("undo: %v %v", op, err)
	}
	if got := state(t, st, ids); !reflect.DeepEqual(got, before) {
		t.Fatal("undo of a cancelled run left suggestions")
	}
}
