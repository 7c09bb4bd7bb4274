package journal

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func ids(es []Entry) string {
	var s []string
	for _, e := range es {
		s = append(s, e.ID+"="+string(e.Data))
	}
	return strings.Join(s, ",")
}

func TestKeepDoneReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "j.jsonl")
	j, es, err := Open(path)
	if err != nil || len(es) != 0 {
		t.Fatalf("fresh journal: %v, %v", es, err)
	}
	for _, id := range []string{"a", "b", "c"} {
		if err := j.Keep(Entry{ID: id, Data: json.RawMessage(`{"n":"` + id + `"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Done("a"); err != nil {
		t.Fatal(err)
	}
	j.Close() // the window closed while the server was away
	j, es, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(es); got != `b={"n":"b"},c={"n":"c"}` {
		t.Fatalf("after reopening: %s", got)
	}
	if j.Len() != 2 {
		t.Fatalf("Len %d", j.Len())
	}
	j.Done("b")
	j.Done("c")
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("journal with nothing left is %d bytes", fi.Size())
	}
	j.Close()
	if _, es, _ = Open(path); len(es) != 0 {
		t.Fatalf("applied entries came back: %s", ids(es))
	}
}

// TestTornTail: a line cut short by a crash while it was written was never reported
// kept, and is dropped; the entries before it are kept.
func TestTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	os.WriteFile(path, []byte(`{"entry":{"id":"a","data":1}}`+"\n"+`{"entry":{"id":"b","da`), 0o600)
	j, es, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(es); got != "a=1" {
		t.Fatalf("entries %s", got)
	}
	j.Keep(Entry{ID: "c", Data: json.RawMessage("3")})
	j.Close()
	_, es, err = Open(path)
	if err != nil || ids(es) != "a=1,c=3" {
		t.Fatalf("after a keep behind a torn tail: %s, %v", ids(es), err)
	}
}

func TestDamagedLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	body := `{"entry":{"id":"a","data":1}}` + "\nnot json\n" + `{"done":"a"}` + "\n"
	os.WriteFile(path, []byte(body), 0o600)
	if _, _, err := Open(path); err == nil || !strings.Contains(err.Error(), path+":2:") {
		t.Fatalf("damaged line: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != body {
		t.Fatal("a damaged journal was changed")
	}
}

func TestPathFor(t *testing.T) {
	a := PathFor("/d", "postgres://ann:secret@host/db", "ann")
	if a != PathFor("/d", "postgres://ann:other@host/db", "ann") {
		t.Fatal("the password changed the journal")
	}
	if a == PathFor("/d", "postgres://ann:secret@host/db", "bob") || a == PathFor("/d", "postgres://ann@host/db2", "ann") {
		t.Fatal("another annotator or database shares the journal")
	}
	if strings.Contains(a, "secret") {
		t.Fatal(a)
	}
}
