//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// searchHit is one line of `evident search --json`.
type searchHit struct {
	Title      string `json:"title"`
	Start, End int
	Text       string `json:"text"`
}

// TestSearchPane: in a real window, Ctrl+Shift+F and a query typed at once land in the
// search pane's box (the first version opened a window of its own, and the letters went
// to the document instead); Enter opens the first hit with it selected, so a label key
// labels it; F3 steps through the hits into another document. What was labelled is read
// back with `evident export` and compared with `evident search --json` on the same query.
func TestSearchPane(t *testing.T) {
	bin := binary(t)
	shots, _ := filepath.Abs(filepath.Join("..", "build", "e2e", "search"))
	os.RemoveAll(shots)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "e2e.db")
	s := &session{t: t, display: startX(t), shots: shots}
	s.launch(bin, "--db", db, "--samples")
	s.shot("opened")

	out, err := exec.Command(bin, "search", "--db", db, "--json", "civilians").Output()
	if err != nil {
		t.Fatalf("evident search: %v", err)
	}
	var hits []searchHit
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var h searchHit
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatalf("search line %q: %v", sc.Text(), err)
		}
		hits = append(hits, h)
	}
	next := 0 // the first hit in another document than the first hit's
	for i, h := range hits {
		if h.Title != hits[0].Title {
			next = i
			break
		}
	}
	if next == 0 {
		t.Fatalf("the samples need hits for civilians in two documents: %+v", hits)
	}

	s.key("ctrl+shift+f")
	s.shot("search-open")
	s.key(strings.Split("c i v i l i a n s", " ")...)
	time.Sleep(time.Second) // the query runs off the GUI goroutine
	s.shot("search-typed")
	s.key("Return") // opens the first hit, selected, and gives the document the keys
	s.shot("first-hit")
	s.key("v") // labels the selection VICTIM
	for i := 0; i < next; i++ {
		s.key("F3")
	}
	s.shot("stepped")
	s.key("v")
	s.shot("labelled")
	s.quit()

	want := map[[2]int]string{{hits[0].Start, hits[0].End}: hits[0].Title, {hits[next].Start, hits[next].End}: hits[next].Title}
	got := map[[2]int]string{}
	for _, d := range exportAll(t, bin, db) {
		for _, sp := range d.Spans {
			if sp.Annotator == "e2e" && sp.Origin == "manual" {
				if sp.Label != "VICTIM" || sp.Text != "civilians" {
					t.Errorf("manual span %s %q in %s: the keys went elsewhere", sp.Label, sp.Text, d.Title)
				}
				got[[2]int{sp.Start, sp.End}] = d.Title
			}
		}
	}
	if len(got) != 2 {
		t.Fatalf("labelled %v, want the first hit %v and hit %d %v; screenshots in %s", got, hits[0], next, hits[next], shots)
	}
	for k, title := range want {
		if got[k] != title {
			t.Errorf("no VICTIM span at %v in %q (labelled: %v)", k, title, got)
		}
	}
}
