package main

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageArchive runs `make package`'s script on a stand-in binary and inspects the
// tarball: binary, .desktop entry naming the icon, icon, install script, version from
// FyneApp.toml in the name.
func TestPackageArchive(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "evident")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho evident\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "scripts/package.sh", bin)
	cmd.Env = append(os.Environ(), "OUTDIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("package.sh: %v\n%s", err, out)
	}
	archive := strings.TrimSpace(string(out[strings.LastIndexByte(strings.TrimSpace(string(out)), '\n')+1:]))
	if !strings.Contains(archive, "evident-"+version()+"-linux-") {
		t.Fatalf("archive %q does not carry version %s", archive, version())
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	files := map[string]string{}
	modes := map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		files[h.Name] = string(data)
		modes[h.Name] = h.Mode
	}
	for _, want := range []string{
		"evident/bin/evident",
		"evident/install.sh",
		"evident/share/applications/org.evident.app.desktop",
		"evident/share/icons/hicolor/256x256/apps/org.evident.app.png",
	} {
		if _, ok := files[want]; !ok {
			t.Errorf("archive lacks %s (has %v)", want, keys(files))
		}
	}
	if modes["evident/bin/evident"]&0o111 == 0 || modes["evident/install.sh"]&0o111 == 0 {
		t.Error("binary or install.sh not executable")
	}
	desktop := files["evident/share/applications/org.evident.app.desktop"]
	for _, want := range []string{"[Desktop Entry]", "Exec=evident", "Icon=org.evident.app", "Type=Application"} {
		if !strings.Contains(desktop, want) {
			t.Errorf(".desktop lacks %q:\n%s", want, desktop)
		}
	}
	icon := files["evident/share/icons/hicolor/256x256/apps/org.evident.app.png"]
	if !strings.HasPrefix(icon, "\x89PNG") {
		t.Error("icon is not a PNG")
	}
}

func keys(m map[string]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	return k
}
