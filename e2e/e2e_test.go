//go:build e2e

// Package e2e drives the real evident binary in a real window under a private Xvfb
// server with xdotool, as a user would, and checks through `evident export` what landed
// in the database. Run it with `make e2e` (it needs xvfb, xdotool and imagemagick);
// screenshots of every step are kept in build/e2e/ for a person to look at.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// session is one X server with the app running in it.
type session struct {
	t       *testing.T
	display string
	shots   string
	win     string
	app     *exec.Cmd
	step    int
	home    string // $HOME of the app when set (the team test keeps each window's journal apart)
}

func binary(t *testing.T) string {
	bin := os.Getenv("EVIDENT_BIN")
	if bin == "" {
		t.Skip("EVIDENT_BIN is not set: run through `make e2e`")
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// startX starts a private Xvfb on a display the server picks itself (-displayfd) and
// stops it with SIGTERM when the test ends. Picking a number here by looking for
// /tmp/.X<n>-lock failed CI: a server stopped with SIGKILL leaves its lock file behind,
// so on a machine that had run the suite a dozen times every display looked taken.
func startX(t *testing.T) string {
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: apt-get install -y xvfb xdotool imagemagick", tool)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// The server writes the display number to fd 3 (ExtraFiles[0]) once it accepts clients.
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		w.Close()
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { stopX(t, x) })
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb exited without naming a display")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb named no display within 30 s")
	}
	return ""
}

// stopX ends the server with SIGTERM, which lets it remove its lock file and socket,
// and kills it only if it has not gone within five seconds.
func stopX(t *testing.T, x *exec.Cmd) {
	x.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { x.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Logf("Xvfb ignored SIGTERM for 5 s; killing it")
		x.Process.Kill()
		<-done
	}
}

func (s *session) env() []string {
	env := []string{"DISPLAY=" + s.display, "LANG=C.UTF-8", "EVIDENT_ANNOTATOR=e2e"}
	if s.home != "" {
		env = append(env, "HOME="+s.home, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	}
	for _, kv := range os.Environ() {
		if s.home != "" && (strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=")) {
			continue
		}
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "EVIDENT_") {
			env = append(env, kv)
		}
	}
	return env
}

func (s *session) xdotool(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = s.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// launch starts the app and waits for its window.
func (s *session) launch(bin string, args ...string) {
	s.t.Helper()
	s.app = exec.Command(bin, args...)
	s.app.Env = s.env()
	logf, err := os.Create(filepath.Join(s.shots, fmt.Sprintf("app-%d.log", s.step)))
	if err != nil {
		s.t.Fatal(err)
	}
	s.app.Stdout, s.app.Stderr = logf, logf
	if err := s.app.Start(); err != nil {
		s.t.Fatalf("start %s: %v", bin, err)
	}
	app := s.app
	s.t.Cleanup(func() { app.Process.Kill(); app.Wait(); logf.Close() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Evident")
		cmd.Env = s.env()
		if out, err := cmd.Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			s.win = strings.Fields(string(out))[0]
			time.Sleep(2 * time.Second) // let the first document load and render
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.t.Fatalf("no Evident window within 60 s; see %s", logf.Name())
}

func (s *session) key(keys ...string) {
	for _, k := range keys {
		s.xdotool("key", "--window", s.win, k)
		time.Sleep(400 * time.Millisecond)
	}
}

// click clicks at a point given as fractions of the window (n = 2 for a double click).
func (s *session) click(fx, fy float64, n int) {
	geom := s.xdotool("getwindowgeometry", "--shell", s.win)
	var w, h int
	for _, line := range strings.Split(geom, "\n") {
		fmt.Sscanf(line, "WIDTH=%d", &w)
		fmt.Sscanf(line, "HEIGHT=%d", &h)
	}
	s.xdotool("mousemove", "--window", s.win, fmt.Sprint(int(fx*float64(w))), fmt.Sprint(int(fy*float64(h))))
	s.xdotool("click", "--repeat", fmt.Sprint(n), "--delay", "80", "1")
	time.Sleep(500 * time.Millisecond)
}

// shot saves a screenshot of the whole screen as build/e2e/NN-name.png.
func (s *session) shot(name string) {
	s.step++
	time.Sleep(300 * time.Millisecond)
	path := filepath.Join(s.shots, fmt.Sprintf("%02d-%s.png", s.step, name))
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = s.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Logf("screenshot %s: %v %s", name, err, out)
	}
}

// quit presses Ctrl+Q and requires the app to exit cleanly.
func (s *session) quit() {
	// Ctrl+Q goes to the window the app shows now: say so when it is not the one found
	// at launch (the test once failed with BadWindow here and could not tell why).
	cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Evident")
	cmd.Env = s.env()
	out, _ := cmd.Output()
	if wins := strings.Fields(string(out)); len(wins) == 0 {
		s.t.Fatalf("no Evident window before Ctrl+Q (app state %v); see %s", s.app.ProcessState, s.shots)
	} else if !slices.Contains(wins, s.win) {
		s.t.Logf("the window changed from %s to %v before Ctrl+Q", s.win, wins)
		s.win = wins[0]
	}
	// After a relaunch, sending to the window by id has failed with BadWindow although
	// the same search had just listed it (seen only on a quiet machine, not understood);
	// then the app is asked to quit by SIGTERM, which must end it as cleanly as Ctrl+Q
	// (Config.Done), so the checks below still hold.
	send := exec.Command("xdotool", "key", "--window", s.win, "ctrl+q")
	send.Env = s.env()
	if out, err := send.CombinedOutput(); err != nil {
		s.t.Logf("Ctrl+Q to window %s: %v %s; sending SIGTERM instead", s.win, err, bytes.TrimSpace(out))
		if err := s.app.Process.Signal(syscall.SIGTERM); err != nil {
			s.t.Fatalf("SIGTERM: %v", err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.app.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			s.t.Fatalf("app exited with %v after Ctrl+Q", err)
		}
	case <-time.After(15 * time.Second):
		s.t.Fatal("app did not quit within 15 s of Ctrl+Q")
	}
	// The X server may list the window for a moment after its client exits; a relaunch
	// must not find it and send keys to a window that is about to vanish (BadWindow).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		cmd := exec.Command("xdotool", "search", "--name", "Evident")
		cmd.Env = s.env()
		out, _ := cmd.Output()
		if !slices.Contains(strings.Fields(string(out)), s.win) {
			return
		}
	}
	s.t.Fatalf("window %s still listed 10 s after the app exited", s.win)
}

type exported struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Spans []struct {
		Start     int    `json:"start"`
		End       int    `json:"end"`
		Label     string `json:"label"`
		Text      string `json:"text"`
		Status    string `json:"status"`
		Origin    string `json:"origin"`
		Annotator string `json:"annotator"`
	} `json:"spans"`
}

func exportAll(t *testing.T, bin, db string) []exported {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "export", "--db", db, "--format", "jsonl", "--status", "all", "--out", "-").Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var docs []exported
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var d exported
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("export line: %v", err)
		}
		docs = append(docs, d)
	}
	return docs
}

// count returns how many spans of annotator e2e have the status (and origin, if set).
func count(docs []exported, status, origin string) (n int, where []string) {
	for _, d := range docs {
		for _, s := range d.Spans {
			if s.Annotator == "e2e" && s.Status == status && (origin == "" || s.Origin == origin) {
				n++
				where = append(where, fmt.Sprintf("%s %s %q", d.ID, s.Label, s.Text))
			}
		}
	}
	return n, where
}

// TestAnnotationSession is the scripted session of the issue: accept and reject
// suggestions, create a span from the keyboard, undo once, change document, quit,
// restart, and check what the database holds.
func TestAnnotationSession(t *testing.T) {
	bin := binary(t)
	shots, _ := filepath.Abs(filepath.Join("..", "build", "e2e"))
	os.RemoveAll(shots)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "e2e.db")
	s := &session{t: t, display: startX(t), shots: shots}

	s.launch(bin, "--db", db, "--samples")
	s.shot("opened")
	s.click(0.30, 0.5, 1) // into the article's text: the document view takes focus
	s.key("Tab")
	s.shot("first-suggestion")
	s.key("Return") // accept; the focus moves on to the next suggestion
	s.shot("accepted")
	s.key("x") // reject
	s.shot("rejected")
	s.key("Return") // accept a second one ...
	s.key("ctrl+z") // ... and undo it
	s.shot("undone")
	s.key("Escape")
	s.click(0.30, 0.5, 2) // double-click selects a word ...
	s.key("9")            // ... and 9 labels it SOURCE
	s.shot("created")
	s.key("n") // next document
	s.key("Tab", "Return")
	s.shot("second-document")
	s.quit()

	docs := exportAll(t, bin, db)
	if n, w := count(docs, "accepted", "manual"); n != 1 {
		t.Errorf("manual spans: %d, want 1 (the double-clicked word): %v", n, w)
	}
	if n, w := count(docs, "accepted", ""); n != 3 {
		t.Errorf("accepted by e2e: %d, want 3 (one in each document plus the manual span; the undone accept must not count): %v", n, w)
	}
	if n, w := count(docs, "rejected", ""); n != 1 {
		t.Errorf("rejected by e2e: %d, want 1: %v", n, w)
	}
	var inFirst, inSecond int
	for i, d := range docs {
		for _, sp := range d.Spans {
			if sp.Annotator == "e2e" && sp.Status == "accepted" && sp.Origin != "manual" {
				if i == 0 {
					inFirst++
				} else {
					inSecond++
				}
			}
		}
	}
	if inFirst != 1 || inSecond != 1 {
		t.Errorf("accepted suggestions: %d in the first document, %d elsewhere; want 1 and 1", inFirst, inSecond)
	}

	// Restart: the work is there and the window comes back on the last document.
	s.launch(bin, "--db", db)
	s.shot("restarted")
	s.quit()
	if again := exportAll(t, bin, db); len(again) != len(docs) {
		t.Errorf("restart changed the document count: %d, then %d", len(docs), len(again))
	}
	if n, _ := count(exportAll(t, bin, db), "accepted", ""); n != 3 {
		t.Errorf("after restart %d accepted spans, want 3", n)
	}
}

// TestXServerCleansUp: a server the suite starts must leave neither its lock file nor
// its socket behind (SIGKILL leaves both), or repeated runs on one machine run out of
// displays: CI failed so with "no free X display".
func TestXServerCleansUp(t *testing.T) {
	var display string
	t.Run("start", func(t *testing.T) { display = startX(t) })
	n := strings.TrimPrefix(display, ":")
	for _, left := range []string{"/tmp/.X" + n + "-lock", "/tmp/.X11-unix/X" + n} {
		if _, err := os.Stat(left); err == nil {
			t.Errorf("%s is still there after the server stopped", left)
		}
	}
}
