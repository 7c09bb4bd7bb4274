package remote_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"evident/annotate/remote"
	"evident/examples/tagger/gazetteer"
)

func exampleModel() *gazetteer.Model {
	return &gazetteer.Model{Name: "gaz", Version: "7", Phrases: map[string]map[string]int{
		"lima": {"LOCATION": 3, "ACTOR": 1}, "ana": {"ACTOR": 2},
	}}
}

func TestHTTPExampleBackend(t *testing.T) {
	srv := httptest.NewServer(exampleModel().Handler())
	defer srv.Close()
	h, err := remote.StartHTTP(context.Background(), remote.HTTPOptions{URL: srv.URL + "/", Labels: []string{"ACTOR", "LOCATION"}})
	if err != nil {
		t.Fatal(err)
	}
	if i := h.Info(); i.Model != "gaz" || i.Version != "7" {
		t.Fatalf("info %+v", i)
	}
	got, err := collect(t, h, []remote.Doc{{ID: "x", Text: "😀 Ana left Lima."}, {ID: "y", Text: "nothing"}})
	if err != nil || len(got) != 2 {
		t.Fatal(got, err)
	}
	sp := got["x"].Spans
	if len(sp) != 2 || sp[1].Start != 11 || sp[1].End != 15 || sp[1].Label != "LOCATION" || *sp[1].Score != 0.75 || got["x"].Version != "7" {
		t.Fatalf("spans %+v", sp)
	}
}

// TestHTTPBadBackend: a batch the backend fails is asked one document at a time, so
// only the document that breaks it fails; a backend that stops answering is switched off.
func TestHTTPBadBackend(t *testing.T) {
	var down atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status":"UP"}`)) })
	mux.HandleFunc("POST /setup", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"model_version":3}`)) })
	mux.HandleFunc("POST /predict", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "model crashed", http.StatusInternalServerError)
			return
		}
		var req struct {
			Tasks []struct {
				Data struct{ Text, DocID string } `json:"data"`
			}
		}
		json.NewDecoder(r.Body).Decode(&req)
		var res []string
		for _, tk := range req.Tasks {
			switch tk.Data.Text {
			case "boom":
				http.Error(w, "Traceback: IndexError", http.StatusInternalServerError)
				return
			case "slow":
				time.Sleep(400 * time.Millisecond)
			}
			res = append(res, `{"result":[{"type":"labels","value":{"start":0,"end":4,"labels":["ACTOR"]}}]}`)
		}
		w.Write([]byte(`{"results":[` + strings.Join(res, ",") + `]}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	h, err := remote.StartHTTP(context.Background(), remote.HTTPOptions{URL: srv.URL, Model: "mine", Timeout: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if h.Info().Model != "mine" || h.Info().Version != "3" {
		t.Fatalf("info %+v", h.Info())
	}
	got, err := collect(t, h, []remote.Doc{{ID: "a", Text: "fine"}, {ID: "b", Text: "boom"}, {ID: "c", Text: "slow"}, {ID: "d", Text: "okay"}})
	if err != nil {
		t.Fatal(err)
	}
	if got["a"].Err != "" || got["d"].Err != "" || len(got["a"].Spans) != 1 {
		t.Fatalf("good documents: %+v %+v", got["a"], got["d"])
	}
	if !strings.Contains(got["b"].Err, "Traceback: IndexError") || !strings.Contains(got["c"].Err, "no answer within 150ms") {
		t.Fatalf("bad documents: %q %q", got["b"].Err, got["c"].Err)
	}
	down.Store(true)
	_, err = collect(t, h, []remote.Doc{{ID: "a", Text: "fine"}, {ID: "b", Text: "x"}, {ID: "c", Text: "y"}})
	if !remote.IsOff(err) || !strings.Contains(err.Error(), "model crashed") {
		t.Fatalf("err %v", err)
	}
	srv.Close()
	if _, err := remote.StartHTTP(context.Background(), remote.HTTPOptions{URL: srv.URL}); !remote.IsOff(err) || !strings.Contains(err.Error(), "/health") {
		t.Fatalf("down: %v", err)
	}
}

// TestHTTPPythonExample runs the shipped Python example as a Label Studio ML backend.
func TestHTTPPythonExample(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "model.json")
	os.WriteFile(model, []byte(`{"model":"gaz","model_version":"py1","phrases":{"lima":{"LOCATION":1}}}`), 0o644)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("python3", "../../examples/tagger/tagger.py", "--model", model, "--http", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	var h *remote.HTTP
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if h, err = remote.StartHTTP(context.Background(), remote.HTTPOptions{URL: url, Timeout: 5 * time.Second}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Python backend did not come up: %v", err)
		}
	}
	if i := h.Info(); i.Model != "gaz" || i.Version != "py1" {
		t.Fatalf("info %+v", i)
	}
	got, err := collect(t, h, []remote.Doc{{ID: "x", Text: "😀 in Lima"}})
	if err != nil || len(got["x"].Spans) != 1 || got["x"].Spans[0].Start != 5 || got["x"].Spans[0].End != 9 {
		t.Fatalf("%+v %v", got["x"], err)
	}
}
