package annotate_test

import (
	"encoding/json"
	"testing"
	"time"

	"evident/annotate"
)

func TestRuleStatsFinish(t *testing.T) {
	r := annotate.RuleStats{Origin: "rule:x", Accepted: 3, Edited: 1, Rejected: 4, Open: 2}
	r.Finish()
	if r.Total != 10 || r.Decided() != 8 || r.AcceptRate != 0.5 || r.ExactRate != 0.375 {
		t.Fatalf("finished = %+v", r)
	}
	if r.Wasteful(8) {
		t.Error("a rule kept half the time is not wasteful")
	}
	r.Accepted = 2
	r.Finish()
	if !r.Wasteful(7) || r.Wasteful(8) {
		t.Errorf("3 of 7 kept: wasteful(7) = %v, wasteful(8) = %v", r.Wasteful(7), r.Wasteful(8))
	}
	none := annotate.RuleStats{Open: 5}
	none.Finish()
	if none.AcceptRate != 0 || none.Total != 5 || none.Wasteful(0) != true {
		// With nothing decided the rate is 0; Wasteful(0) then holds, which is why callers
		// pass a minimum volume.
		t.Errorf("undecided = %+v", none)
	}
}

func TestSortRules(t *testing.T) {
	rules := []annotate.RuleStats{{Origin: "b", Total: 2}, {Origin: "c", Total: 9}, {Origin: "a", Total: 2}}
	annotate.SortRules(rules)
	if rules[0].Origin != "c" || rules[1].Origin != "a" || rules[2].Origin != "b" {
		t.Fatalf("sorted = %+v", rules)
	}
}

func TestOverviewCounts(t *testing.T) {
	var d annotate.DocCounts
	d.Add(annotate.DocNew, 2)
	d.Add(annotate.DocDone, 3)
	d.Add(annotate.DocInProgress, 1)
	if d != (annotate.DocCounts{Total: 6, New: 2, InProgress: 1, Done: 3}) {
		t.Fatalf("doc counts = %+v", d)
	}
	var s annotate.StatusCounts
	s.Add(annotate.StatusAccepted, 4)
	s.Add(annotate.StatusRejected, 1)
	s.Add(annotate.StatusSuggested, 2)
	if s.Total() != 7 || s.Accepted != 4 {
		t.Fatalf("status counts = %+v", s)
	}
	for origin, want := range map[string]bool{"rule:x": true, "learned:phrase": true, "manual": false, "import": false, "": false} {
		if annotate.IsSuggestionOrigin(origin) != want {
			t.Errorf("IsSuggestionOrigin(%q) = %v", origin, !want)
		}
	}
}

func TestOverviewJSON(t *testing.T) {
	ov := annotate.Overview{Bucket: annotate.Duration(90 * time.Minute),
		Labels: []annotate.LabelStatusCounts{{Label: "ATTACK", StatusCounts: annotate.StatusCounts{Accepted: 2}}}}
	data, err := json.Marshal(ov)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Bucket float64 `json:"bucket"`
		Labels []struct {
			Label    string `json:"label"`
			Accepted int    `json:"accepted"`
		} `json:"labels"`
		Documents struct {
			InProgress *int `json:"in_progress"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Bucket != 5400 || len(m.Labels) != 1 || m.Labels[0].Accepted != 2 || m.Documents.InProgress == nil {
		t.Fatalf("json = %s", data)
	}
}
