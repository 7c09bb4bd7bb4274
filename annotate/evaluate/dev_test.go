package evaluate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"evident/annotate/evaluate"
	"evident/annotate/suggest"
)

// TestPrintReport prints the report for the gold file in EVAL_GOLD (a development aid;
// `evident eval` is the user's way). EVAL_JSON=1 prints JSON instead.
func TestPrintReport(t *testing.T) {
	path := os.Getenv("EVAL_GOLD")
	if path == "" {
		t.Skip("set EVAL_GOLD=file.jsonl to print a report")
	}
	golds, err := evaluate.ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := evaluate.Evaluate(context.Background(), s, golds)
	if os.Getenv("EVAL_JSON") != "" {
		b, _ := json.MarshalIndent(r, "", "  ")
		fmt.Println(string(b))
		return
	}
	fmt.Print(r)
}

// devGold loads the development gold set in testdata/gold.
func devGold(t *testing.T) []evaluate.Gold {
	t.Helper()
	files, err := filepath.Glob("../../testdata/gold/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no development gold set in testdata/gold")
	}
	var all []evaluate.Gold
	for _, f := range files {
		g, err := evaluate.ReadGoldFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, g...)
	}
	return all
}

// TestPrintDiff prints, per document, the gold spans missed and the suggestions not in
// gold for the file in EVAL_GOLD when EVAL_DIFF is set (a development aid).
func TestPrintDiff(t *testing.T) {
	path := os.Getenv("EVAL_GOLD")
	if path == "" || os.Getenv("EVAL_DIFF") == "" {
		t.Skip("set EVAL_GOLD=file.jsonl EVAL_DIFF=LABEL (or all) to print differences")
	}
	golds, err := evaluate.ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := os.Getenv("EVAL_DIFF")
	for _, g := range golds {
		d, err := s.Suggest(context.Background(), g.Text, g.Published, nil)
		if err != nil {
			t.Fatal(err)
		}
		type key struct {
			s, e int
			l    string
		}
		gk, pk := map[key]string{}, map[key]string{}
		for _, sp := range g.Draft.Spans {
			gk[key{sp.Start, sp.End, sp.Label}] = sp.Text + " " + string(sp.Attrs)
		}
		for _, sp := range d.Spans {
			pk[key{sp.Start, sp.End, sp.Label}] = sp.Text + " " + string(sp.Attrs)
		}
		for k, v := range gk {
			if (want == "all" || want == k.l) && pk[k] == "" {
				fmt.Printf("%s MISS %-8s %q\n", g.ID, k.l, v)
			} else if (want == "all" || want == k.l) && k.l == "CASUALTY" && pk[k] != v {
				fmt.Printf("%s ATTR %-8s gold %s | got %s\n", g.ID, k.l, v, pk[k])
			}
		}
		for k, v := range pk {
			if (want == "all" || want == k.l) && gk[k] == "" {
				fmt.Printf("%s FP   %-8s %q\n", g.ID, k.l, v)
			}
		}
	}
}

// TestPrintArgs prints gold event arguments of the role in EVAL_ARGS that the suggested
// events miss (a development aid).
func TestPrintArgs(t *testing.T) {
	path, role := os.Getenv("EVAL_GOLD"), os.Getenv("EVAL_ARGS")
	if path == "" || role == "" {
		t.Skip("set EVAL_GOLD=file.jsonl EVAL_ARGS=role")
	}
	golds, err := evaluate.ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range golds {
		d, err := s.Suggest(context.Background(), g.Text, g.Published, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ge := range g.Draft.Events {
			tr := g.Draft.Spans[ge.Trigger]
			for _, a := range ge.Args {
				if a.Role != role {
					continue
				}
				gs := g.Draft.Spans[a.Span]
				var got []string
				found := false
				for _, pe := range d.Events {
					ps := d.Spans[pe.Trigger]
					if ps.Label != tr.Label || ps.Start >= tr.End || tr.Start >= ps.End {
						continue
					}
					for _, pa := range pe.Args {
						if pa.Role == role {
							x := d.Spans[pa.Span]
							got = append(got, x.Text)
							if x.Start < gs.End && gs.Start < x.End {
								found = true
							}
						}
					}
				}
				if !found {
					fmt.Printf("%s %s %q: want %q got %q\n", g.ID, tr.Label, tr.Text, gs.Text, got)
				}
			}
		}
	}
}
