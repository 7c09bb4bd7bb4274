package overview_test

import (
	"context"
	"image/color"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
	"evident/app/overview"
	"evident/assets"
)

func sampleOverview() *annotate.Overview {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	rule := func(o string, acc, ed, rej, open int) annotate.RuleStats {
		r := annotate.RuleStats{Origin: o, Accepted: acc, Edited: ed, Rejected: rej, Open: open}
		r.Finish()
		return r
	}
	rules := []annotate.RuleStats{rule("rule:new", 0, 0, 0, 40), rule("rule:good", 16, 2, 2, 0), rule("rule:bad", 3, 0, 12, 0)}
	annotate.SortRules(rules)
	big := 120
	return &annotate.Overview{
		Generated: t0,
		Documents: annotate.DocCounts{Total: 10, New: 5, InProgress: 2, Done: 3},
		Labels: []annotate.LabelStatusCounts{
			{Label: "ATTACK", StatusCounts: annotate.StatusCounts{Accepted: 4, Suggested: 2}},
			{Label: "ACTOR", StatusCounts: annotate.StatusCounts{Accepted: 2}},
		},
		Rules:  rules,
		Bucket: annotate.Duration(time.Hour),
		Throughput: []annotate.ThroughputSeries{
			{Annotator: "ann", Points: []annotate.ThroughputPoint{{At: t0, Decisions: 5}, {At: t0.Add(2 * time.Hour), Decisions: 3}}},
			{Annotator: "bob", Points: []annotate.ThroughputPoint{{At: t0.Add(time.Hour), Decisions: 7}}},
		},
		ByAnnotator: []annotate.AnnotatorProgress{{Name: "ann", Decisions: 8, Last: t0}},
		Casualties:  []annotate.CasualtyKindStats{{Kind: "killed", Accepted: 3, Suggested: 1, Documents: 2, Largest: &big}},
	}
}

func TestViewShowsOverview(t *testing.T) {
	test.NewTempApp(t)
	sc, err := annotate.ParseSchema(assets.Schema())
	if err != nil {
		t.Fatal(err)
	}
	v := overview.New(sc)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 800))
	v.Set(sampleOverview())

	labels, rules, cas, through := v.Charts()
	lb := labels.Bars()
	if len(lb) != 2 || lb[0].Label != "ATTACK" || lb[0].Parts[0].Value != 4 || lb[0].Parts[1].Value != 2 || !lb[0].Parts[1].Faded {
		t.Fatalf("label bars = %+v", lb)
	}
	if lb[0].Parts[0].Color != color.Color(color.NRGBA{0xCC, 0x33, 0x11, 0xFF}) {
		t.Errorf("ATTACK bar colour = %v, want the schema's #CC3311", lb[0].Parts[0].Color)
	}
	order := func() (names []string, warn []bool) {
		for _, b := range rules.Bars() {
			names = append(names, b.Label)
			warn = append(warn, b.Warn)
		}
		return
	}
	names, warn := order()
	if len(names) != 3 || names[0] != "rule:new" || names[1] != "rule:good" || names[2] != "rule:bad" {
		t.Fatalf("rules by volume = %v", names)
	}
	if warn[0] || warn[1] || !warn[2] {
		t.Errorf("warned rules = %v, want only rule:bad (20%% of 15)", warn)
	}
	v.SortRules(overview.SortAcceptance)
	if names, _ = order(); names[0] != "rule:bad" || names[1] != "rule:good" || names[2] != "rule:new" {
		t.Fatalf("rules by acceptance = %v (undecided last)", names)
	}
	if g, ok := through.Grid(); !ok || len(g.Values) != 2 || len(g.Values[0]) != 3 || g.Values[1][1] != 7 {
		t.Fatalf("throughput grid = %+v", g)
	}
	if cb := cas.Bars(); len(cb) != 1 || cb[0].Label != "killed" || cb[0].Parts[0].Value != 3 {
		t.Fatalf("casualty bars = %+v", cb)
	}
	v.Set(nil)
	if len(rules.Bars()) != 0 || len(labels.Bars()) != 0 {
		t.Fatal("Set(nil) kept bars")
	}
}

type fakeSource struct {
	calls atomic.Int32
	ov    *annotate.Overview
}

func (f *fakeSource) Overview(ctx context.Context, _ annotate.OverviewOptions) (*annotate.Overview, error) {
	f.calls.Add(1)
	time.Sleep(20 * time.Millisecond)
	return f.ov, nil
}

// TestViewUpdate: Update computes off the calling goroutine, shows the result, and folds
// calls made while it runs into one more run.
func TestViewUpdate(t *testing.T) {
	test.NewTempApp(t)
	v := overview.New(nil)
	src := &fakeSource{ov: sampleOverview()}
	for range 5 {
		v.Update(context.Background(), src, annotate.OverviewOptions{})
	}
	deadline := time.Now().Add(5 * time.Second)
	for v.Overview() == nil && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // let a folded run finish
	if v.Overview() == nil || v.Overview().Documents.Total != 10 {
		t.Fatalf("overview after Update = %+v", v.Overview())
	}
	if n := src.calls.Load(); n < 1 || n > 2 {
		t.Fatalf("%d computations for 5 quick calls, want 1 or 2", n)
	}
}
