package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"evident/annotate"
)

func TestAgreeCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	in := writeFile(t, dir, "a.jsonl", `{"id":"a","text":"Gunmen attacked Kano on Monday."}`+"\n")
	if code, _, errs := evident(t, "import", "--db", db, in); code != 0 {
		t.Fatal(errs)
	}
	st := openTest(t, db)
	for _, s := range []annotate.Span{
		{Start: 0, End: 6, Label: "ACTOR", Annotator: "ann"},
		{Start: 16, End: 20, Label: "LOCATION", Annotator: "ann"},
		{Start: 0, End: 6, Label: "ACTOR", Annotator: "bob"},
		{Start: 7, End: 15, Label: "ATTACK", Annotator: "bob"},
	} {
		s.DocID, s.Status, s.Origin = 1, annotate.StatusAccepted, annotate.OriginManual
		if _, err := st.AddSpan(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, out, errs := evident(t, "agree", "--db", db, "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var rep struct {
		Pairs []struct {
			A, B      string
			Documents int
			Exact     struct{ F1 float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Pairs) != 1 || rep.Pairs[0].A != "ann" || rep.Pairs[0].B != "bob" || rep.Pairs[0].Documents != 1 {
		t.Fatalf("pairs %+v", rep.Pairs)
	}
	if f := rep.Pairs[0].Exact.F1; f < 0.499 || f > 0.501 { // one match of 2 + 2 spans
		t.Errorf("exact F1 %.3f, want 0.5", f)
	}
}
