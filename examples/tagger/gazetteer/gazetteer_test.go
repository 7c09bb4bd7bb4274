package gazetteer_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"evident/examples/tagger/gazetteer"
)

func TestTrainTagServe(t *testing.T) {
	export := `{"id":"a","text":"x","spans":[{"start":0,"end":4,"label":"LOCATION","text":"Goma","status":"accepted"},{"start":0,"end":4,"label":"ACTOR","text":"goma","status":"accepted"},{"start":0,"end":4,"label":"LOCATION","text":"Goma"},{"start":5,"end":9,"label":"ACTOR","text":"Red Hand","status":"rejected"}]}` + "\n"
	m, err := gazetteer.Train(strings.NewReader(export), "g", "3")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Phrases) != 1 || m.Phrases["goma"]["LOCATION"] != 2 {
		t.Fatalf("phrases %v (rejected spans must not be learned)", m.Phrases)
	}
	sp := m.Tag("😀 In GOMA, Gomatown.")
	if len(sp) != 1 || sp[0].Start != 5 || sp[0].End != 9 || sp[0].Label != "LOCATION" || sp[0].Score < 0.66 || sp[0].Score > 0.67 {
		t.Fatalf("tag: %+v", sp)
	}
	var out bytes.Buffer
	if err := m.ServeJSONL(strings.NewReader(`{"id":"d1","text":"goma"}`+"\n"+`not json`+"\n"), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"model":"g"`) || !strings.Contains(lines[1], `"id":"d1","spans":[{"start":0,"end":4`) {
		t.Fatalf("served: %s", out.String())
	}
	var e struct{ Error string }
	if json.Unmarshal([]byte(lines[2]), &e); e.Error == "" {
		t.Fatalf("a bad request gets an error reply: %s", lines[2])
	}
}
