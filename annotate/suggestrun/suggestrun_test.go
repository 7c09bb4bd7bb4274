package suggestrun_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
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
	Frames []string // events by trigger and arguments, sorted
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
		byID := map[int64]annotate.Span{}
		for _, sp := range spans {
			byID[sp.ID] = sp
		}
		for _, e := range events {
			f := fmt.Sprintf("%s %s@%d:", e.Type, byID[e.Trigger].Text, byID[e.Trigger].Start)
			var args []string
			for _, a := range e.Args {
				args = append(args, fmt.Sprintf(" %s=%s@%d", a.Role, byID[a.SpanID].Text, byID[a.SpanID].Start))
			}
			sort.Strings(args)
			ds.Frames = append(ds.Frames, f+strings.Join(args, ""))
		}
		sort.Strings(ds.Frames)
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
	if ta.RunTotals != tb.RunTotals || ta.Documents != 60 || ta.Added == 0 || ta.Events == 0 {
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

// A document over the size limit is skipped with the reason and a split to make; the
// others are stored.
func TestLongDocumentRefused(t *testing.T) {
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st, ids := openWithDocs(t, 3)
	res, err := suggestrun.Run(context.Background(), st, sug, ids, suggestrun.Options{Run: annotate.Run{Source: "rules"}, MaxBytes: 40})
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != 0 || len(res.Skipped) != 3 {
		t.Fatalf("stored %d, skipped %+v", res.Documents, res.Skipped)
	}
	if r := res.Skipped[0].Reason; !strings.Contains(r, "split it into 3 or more documents") {
		t.Fatalf("reason %q", r)
	}
	res, err = suggestrun.Run(context.Background(), st, sug, ids, suggestrun.Options{Run: annotate.Run{Source: "rules"}, MaxBytes: 1000})
	if err != nil || res.Documents != 3 || len(res.Skipped) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
}

// A long document's first screen is stored first, then the rest: the same suggestions,
// events and claimants as storing it at once, and the first part is there before the
// rest.
func TestFirstPartFirst(t *testing.T) {
	ctx := context.Background()
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; b.Len() < 20000; i++ {
		fmt.Fprintf(&b, "Rebels shelled the town of Kidal on Monday, killing %d soldiers and wounding %d, a military spokesman said. ", i+3, i+5)
		b.WriteString("Aid agencies said more than 1.5 million people had been displaced. ")
	}
	open := func() (*sqlite.Store, int64) {
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "e.db"), sqlite.Options{Schema: assets.Schema()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		im, err := st.BeginImport(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		d := &annotate.Document{ExternalID: "long", Text: b.String(), Published: "2024-03-05"}
		if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
		if err := im.Commit(); err != nil {
			t.Fatal(err)
		}
		return st, d.ID
	}
	whole, id := open()
	parts, id2 := open()
	if _, err := suggestrun.Run(ctx, whole, sug, []int64{id}, suggestrun.Options{Run: annotate.Run{Source: "rules"}}); err != nil {
		t.Fatal(err)
	}
	firstSpans := 0
	res, err := suggestrun.Run(ctx, parts, sug, []int64{id2}, suggestrun.Options{Run: annotate.Run{Source: "rules"}, FirstPart: 3000,
		OnFirstPart: func(doc int64) {
			spans, err := parts.Spans(ctx, doc, annotate.SpanFilter{})
			if err != nil {
				t.Error(err)
			}
			firstSpans = len(spans)
			for _, sp := range spans {
				if sp.End > 3500 {
					t.Errorf("first part holds a span at %d", sp.Start)
					break
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != 1 {
		t.Fatalf("one document counted %d times", res.Documents)
	}
	w, p := state(t, whole, []int64{id}), state(t, parts, []int64{id2})
	if firstSpans == 0 || firstSpans >= len(w[0].Spans) {
		t.Fatalf("first part had %d of %d spans", firstSpans, len(w[0].Spans))
	}
	if !reflect.DeepEqual(w, p) {
		t.Fatalf("stored in two parts differs from at once:\n%d spans %d events\n%d spans %d events", len(w[0].Spans), w[0].Events, len(p[0].Spans), p[0].Events)
	}
	if problems, err := parts.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// A draft whose event uses another event's trigger as an argument still splits into
// drafts whose every index is inside them.
func TestSplitKeepsIndicesInside(t *testing.T) {
	sp := func(start int, label string) annotate.Span {
		return annotate.Span{Start: start, End: start + 3, Label: label}
	}
	d := annotate.Draft{
		Spans: []annotate.Span{sp(0, "ATTACK"), sp(10, "DEATH"), sp(20, "CASUALTY"), sp(30, "SOURCE"), sp(40, "ACTOR")},
		Events: []annotate.DraftEvent{
			{Type: "DEATH", Trigger: 1, Args: []annotate.DraftArg{{Role: "casualties", Span: 2}}},
			{Type: "ATTACK", Trigger: 0, Args: []annotate.DraftArg{{Role: "x", Span: 1}}},
			{Type: "ATTACK", Trigger: 4, Args: []annotate.DraftArg{{Role: "y", Span: 0}}},
		},
		Claimants: map[int]int{2: 3},
	}
	first, rest := suggestrun.SplitDraft(d, 5)
	for name, p := range map[string]annotate.Draft{"first": first, "rest": rest} {
		for _, e := range p.Events {
			if e.Trigger < 0 || e.Trigger >= len(p.Spans) {
				t.Fatalf("%s: trigger %d of %d spans", name, e.Trigger, len(p.Spans))
			}
			for _, a := range e.Args {
				if a.Span < 0 || a.Span >= len(p.Spans) {
					t.Fatalf("%s: argument %d of %d spans", name, a.Span, len(p.Spans))
				}
			}
		}
		for c, src := range p.Claimants {
			if c >= len(p.Spans) || src >= len(p.Spans) {
				t.Fatalf("%s: claimant %d -> %d", name, c, src)
			}
		}
	}
	if len(first.Spans) != 4 || len(first.Events) != 2 || len(first.Claimants) != 1 {
		t.Fatalf("first part %+v", first)
	}
	if len(rest.Spans) != 2 || len(rest.Events) != 1 {
		t.Fatalf("rest %+v", rest)
	}
}

// A run over no documents leaves no step in the history.
func TestNoDocumentsNoRun(t *testing.T) {
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := openWithDocs(t, 1)
	before, err := st.History(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := suggestrun.Run(context.Background(), st, sug, nil, suggestrun.Options{Run: annotate.Run{Source: "rules"}}); err != nil {
		t.Fatal(err)
	}
	after, err := st.History(context.Background(), 0)
	if err != nil || len(after) != len(before) {
		t.Fatalf("history went from %d to %d entries (%v)", len(before), len(after), err)
	}
}

// writerChecked hides a store's DraftPreparer: its runs check every draft on the writer.
type writerChecked struct{ *sqlite.Store }

func (w writerChecked) BeginSuggestRun(ctx context.Context, r annotate.Run) (annotate.SuggestRun, error) {
	run, err := w.Store.BeginSuggestRun(ctx, r)
	return struct{ annotate.SuggestRun }{run}, err
}

// TestPreparedByWorkers: drafts checked by the workers (the store's DraftPreparer) are
// stored exactly as drafts the writer checks, span texts included; a bad draft fails the
// run either way.
func TestPreparedByWorkers(t *testing.T) {
	ctx := context.Background()
	sug, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a, ids := openWithDocs(t, 40)
	b, _ := openWithDocs(t, 40)
	if _, ok := any(a).(annotate.SuggestRunner); !ok {
		t.Fatal("the sqlite store keeps no runs")
	}
	run, err := a.BeginSuggestRun(ctx, annotate.Run{Source: "probe"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := run.(annotate.DraftPreparer); !ok {
		t.Fatal("the sqlite store's run does not prepare drafts: this test compares nothing")
	}
	run.Finish(ctx, true)
	ta, err := suggestrun.Run(ctx, a, sug, ids, suggestrun.Options{Run: annotate.Run{Source: "rules"}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := suggestrun.Run(ctx, writerChecked{b}, sug, ids, suggestrun.Options{Run: annotate.Run{Source: "rules"}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if ta.RunTotals != tb.RunTotals || ta.Added == 0 {
		t.Fatalf("totals %+v and %+v", ta, tb)
	}
	if sa, sb := state(t, a, ids), state(t, b, ids); !reflect.DeepEqual(sa, sb) {
		t.Fatal("drafts prepared by the workers were stored differently")
	}
	for _, id := range ids[:5] {
		spans, _ := a.Spans(ctx, id, annotate.SpanFilter{})
		d, _ := a.Document(ctx, id)
		for _, sp := range spans {
			if want := string([]rune(d.Text)[sp.Start:sp.End]); sp.Text != want {
				t.Fatalf("span %d-%d stored %q, the text has %q", sp.Start, sp.End, sp.Text, want)
			}
		}
	}
	// A draft with a label the store does not know fails, as on the writer.
	bad := badLabel{sug}
	if _, err := suggestrun.Run(ctx, a, bad, ids[:3], suggestrun.Options{Run: annotate.Run{Source: "rules"}}); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("a draft with an unknown label: %v", err)
	}
}

type badLabel struct{ sug suggestrun.Suggester }

func (b badLabel) Suggest(ctx context.Context, text, pub string, l []annotate.PhraseStat) (annotate.Draft, error) {
	d, err := b.sug.Suggest(ctx, text, pub, l)
	if len(d.Spans) > 0 {
		d.Spans[0].Label = "NO_SUCH_LABEL"
	}
	return d, err
}
