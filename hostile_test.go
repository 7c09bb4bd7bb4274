package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFullDiskLeavesDatabaseIntact imports a large file in a child process whose file
// size limit (ulimit -f) stops SQLite from growing the database, as a full disk would:
// the command must fail with a clear message naming the file and line, and the database
// must pass `evident check` with nothing of the import in it.
func TestFullDiskLeavesDatabaseIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	db, big := threeDocsAndABigFile(t, 20000)
	// 3000 blocks of 512 bytes: room for the small database, not for the import's WAL.
	cmd := exec.Command("sh", "-c", `ulimit -f 3000 && exec "$0" "$@"`, os.Args[0], "import", "--db", db, big)
	cmd.Env = append(os.Environ(), "EVIDENT_RUN_AS_CLI=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("import succeeded past the file size limit:\n%s", out)
	}
	msg := string(out)
	if !strings.Contains(msg, "big.jsonl:") || !strings.Contains(msg, "nothing was imported") {
		t.Errorf("unclear message for a full disk:\n%s", msg)
	}
	if out, err := cli("check", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("check after a full disk: %v\n%s", err, out)
	}
	code, stats, _ := evident(t, "stats", "--db", db)
	if code != 0 || !strings.Contains(stats, "documents   3 ") {
		t.Fatalf("database changed by a failed import:\n%s", stats)
	}
}

// TestDeeplyNestedJSONIsAClearError feeds a JSON line nested 100,000 levels deep: a clear
// FILE:LINE error, no crash, nothing imported.
func TestDeeplyNestedJSONIsAClearError(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	depth := 100000
	line := `{"id":"ok","text":"fine"}` + "\n" + `{"id":"deep","text":"x","meta":{"a":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}}\n"
	in := writeFile(t, dir, "deep.jsonl", line)
	code, _, errs := evident(t, "import", "--db", db, in)
	if code == 0 {
		t.Fatal("a 100,000-deep JSON line was accepted")
	}
	if !strings.Contains(errs, "deep.jsonl:2:") {
		t.Errorf("error does not name FILE:LINE: %s", errs)
	}
	if code, stats, _ := evident(t, "stats", "--db", db); code != 0 || !strings.Contains(stats, "documents   0 ") {
		t.Errorf("import was not rolled back:\n%s", stats)
	}
}

// TestReadOnlyDatabase opens a database the user may not write: a clear message, and the
// file unchanged. As root the test runs the child as nobody, since root writes anywhere.
func TestReadOnlyDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	in := writeFile(t, dir, "a.jsonl", `{"id":"a","text":"Shelling hit the town."}`+"\n")
	if code, _, errs := evident(t, "import", "--db", db, in); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := evident(t, "check", "--db", db); code != 0 { // checkpoints the WAL away
		t.Fatal(errs)
	}
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	bin := os.Args[0]
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		// nobody must be able to run the test binary and enter the folder, not write.
		copyBin := filepath.Join(dir, "evident.test")
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copyBin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		bin = copyBin
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		for _, p := range []string{filepath.Dir(dir), dir} {
			os.Chmod(p, 0o755)
		}
	}
	os.Chmod(db, 0o444)
	in2 := writeFile(t, dir, "b.jsonl", `{"id":"b","text":"Another report."}`+"\n")
	os.Chmod(in2, 0o644)
	cmd := exec.Command(bin, "import", "--db", db, in2)
	cmd.Env = append(os.Environ(), "EVIDENT_RUN_AS_CLI=1", "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("import into a read-only database succeeded:\n%s", out)
	}
	t.Logf("read-only database: %s", out)
	if !strings.Contains(string(out), "read-only") && !strings.Contains(string(out), "readonly") {
		t.Errorf("message does not say the database is read-only:\n%s", out)
	}
	after, _ := os.ReadFile(db)
	if string(after) != string(before) {
		t.Error("the read-only database file changed")
	}
}
