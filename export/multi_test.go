package export_test

import (
	"archive/zip"
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"evident/annotate"
	"evident/export"
)

// conllDoc is the reader's view of one -DOCSTART- block.
type conllDoc struct {
	sentences [][][2]string // token, tag
}

func readCoNLL(t *testing.T, out string) []conllDoc {
	t.Helper()
	var docs []conllDoc
	var sent [][2]string
	flush := func() {
		if len(sent) > 0 {
			docs[len(docs)-1].sentences = append(docs[len(docs)-1].sentences, sent)
			sent = nil
		}
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case line == "-DOCSTART-\tO":
			flush()
			docs = append(docs, conllDoc{})
		case line == "":
			flush()
		default:
			tok, tag, ok := strings.Cut(line, "\t")
			if !ok || tok == "" || strings.ContainsAny(tok, " \t\r\n") {
				t.Fatalf("line %d: %q is not TOKEN<TAB>TAG", i+1, line)
			}
			if !regexp.MustCompile(`^(O|[BI]-[A-Z][A-Z0-9_]*)$`).MatchString(tag) {
				t.Fatalf("line %d: bad tag %q", i+1, tag)
			}
			sent = append(sent, [2]string{tok, tag})
		}
	}
	flush()
	return docs
}

func TestCoNLL(t *testing.T) {
	src := fixture(t)
	out, res := run(t, src, export.Options{Format: export.FormatCoNLL})
	golden(t, "fixture.conll", out)
	docs := readCoNLL(t, string(out))
	if len(docs) != len(src.docs) {
		t.Fatalf("%d documents, want %d", len(docs), len(src.docs))
	}
	// "3 dead" lies inside "-3 dead" (shorter, dropped) and "+2 hurt" is both CASUALTY and
	// VICTIM (tie: CASUALTY comes first in the schema): two drops, all in document 4.
	if res.Dropped != 2 {
		t.Errorf("Dropped = %d, want 2", res.Dropped)
	}
	type ent struct{ label, text string }
	for di, d := range docs {
		text := src.docs[di].doc.Text
		// Tokens appear in the text in order, and entities rebuilt from BIO are exactly
		// accepted fixture spans that the rule keeps.
		pos := 0
		var ents []ent
		var cur *ent
		var curStart, curEnd int
		closeEnt := func() {
			if cur != nil {
				cur.text = text[curStart:curEnd]
				ents = append(ents, *cur)
				cur = nil
			}
		}
		for _, s := range d.sentences {
			for _, tt := range s {
				i := strings.Index(text[pos:], tt[0])
				if i < 0 {
					t.Fatalf("doc %d: token %q not found after byte %d", di, tt[0], pos)
				}
				start := pos + i
				pos = start + len(tt[0])
				switch {
				case tt[1] == "O":
					closeEnt()
				case strings.HasPrefix(tt[1], "B-"):
					closeEnt()
					cur = &ent{label: tt[1][2:]}
					curStart, curEnd = start, pos
				default:
					if cur == nil || cur.label != tt[1][2:] {
						t.Fatalf("doc %d: %s after %v", di, tt[1], cur)
					}
					curEnd = pos
				}
			}
		}
		closeEnt()
		var want []ent
		for _, s := range src.docs[di].spans {
			if s.Status != annotate.StatusAccepted {
				continue
			}
			r := []rune(text)
			e := ent{s.Label, string(r[s.Start:s.End])}
			if (e.text == "3 dead" && e.label == "VICTIM") || (e.text == "+2 hurt" && e.label == "VICTIM") {
				continue
			}
			want = append(want, e)
		}
		slices.SortFunc(want, func(a, b ent) int { return strings.Index(text, a.text) - strings.Index(text, b.text) })
		if !slices.Equal(ents, want) {
			t.Errorf("doc %d: entities %q, want %q", di, ents, want)
		}
	}
	if res.Spans != 22 {
		t.Errorf("Result.Spans = %d kept, want 22 (24 accepted, 2 dropped)", res.Spans)
	}
}

// readBrat reads a brat export (folder or zip) into name -> content.
func readBrat(t *testing.T, path string) map[string]string {
	t.Helper()
	files := map[string]string{}
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			files[f.Name] = string(b)
		}
		return files
	}
	for _, n := range entries(t, path) {
		b, err := os.ReadFile(filepath.Join(path, n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = string(b)
	}
	return files
}

// checkBrat parses every .ann as brat would and checks that each fragment slices the
// .txt (read with universal newlines, as brat reads it) to the T line's text, and that
// E and A lines refer to T lines that exist. It returns the number of T lines.
func checkBrat(t *testing.T, files map[string]string, u export.Unit) int {
	t.Helper()
	if !strings.Contains(files["annotation.conf"], "[entities]") || !strings.Contains(files["visual.conf"], "bgColor:#") {
		t.Fatalf("conf files missing: %v", slices.Sorted(mapsKeys(files)))
	}
	tLines := 0
	for name, ann := range files {
		if !strings.HasSuffix(name, ".ann") {
			continue
		}
		raw, ok := files[strings.TrimSuffix(name, ".ann")+".txt"]
		if !ok {
			t.Fatalf("%s has no .txt", name)
		}
		text := strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n") // Python's universal newlines
		ids := map[string]bool{}
		sc := bufio.NewScanner(strings.NewReader(ann))
		for sc.Scan() {
			line := sc.Text()
			f := strings.SplitN(line, "\t", 3)
			switch line[0] {
			case 'T':
				tLines++
				ids[f[0]] = true
				_, offs, _ := strings.Cut(f[1], " ")
				var parts []string
				for _, fr := range strings.Split(offs, ";") {
					se := strings.Fields(fr)
					s, _ := strconv.Atoi(se[0])
					e, _ := strconv.Atoi(se[1])
					parts = append(parts, sliceIn(t, text, u, s, e))
				}
				if got := strings.Join(parts, " "); got != f[2] {
					t.Errorf("%s: %s slices to %q, says %q", name, line, got, f[2])
				}
			case 'E':
				for _, arg := range strings.Fields(f[1]) {
					_, ref, _ := strings.Cut(arg, ":")
					if !ids[ref] {
						t.Errorf("%s: %s refers to %s before or without its T line", name, line, ref)
					}
				}
			case 'A':
				fs := strings.Fields(f[1])
				if len(fs) != 3 || !ids[fs[1]] {
					t.Errorf("%s: bad attribute line %q", name, line)
				}
			case '#':
				if !strings.HasPrefix(f[1], "AnnotatorNotes T") || len(f) != 3 {
					t.Errorf("%s: bad note %q", name, line)
				}
			default:
				t.Errorf("%s: unknown line %q", name, line)
			}
		}
	}
	return tLines
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestBrat(t *testing.T) {
	for _, u := range units {
		for _, ext := range []string{"", ".zip"} {
			t.Run(string(u)+ext, func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "corpus"+ext)
				src := fixture(t)
				res, err := export.Run(context.Background(), src, export.Options{Format: export.FormatBrat, Status: "all", Offsets: u, Out: out}, nil)
				if err != nil {
					t.Fatal(err)
				}
				files := readBrat(t, out)
				if n := checkBrat(t, files, u); n != res.Spans {
					t.Errorf("%d T lines, %d spans exported", n, res.Spans)
				}
				if len(files) != 2*len(src.docs)+2 {
					t.Errorf("files %v", slices.Sorted(mapsKeys(files)))
				}
				if strings.Contains(files["wire-001.txt"], "\r") {
					t.Error("CR left in a brat .txt")
				}
				if !strings.Contains(files["wire-001.ann"], "LOCATION 24 30;31 35\tHalden late") && u == export.CodePoints {
					t.Errorf("span across CRLF is not split into fragments:\n%s", files["wire-001.ann"])
				}
				if u == export.CodePoints && ext == ".zip" {
					var sb strings.Builder
					for _, n := range slices.Sorted(mapsKeys(files)) {
						sb.WriteString("=== " + n + " ===\n" + files[n] + "\n")
					}
					golden(t, "fixture.brat.txt", []byte(sb.String()))
				}
			})
		}
	}
	t.Run("Split", func(t *testing.T) {
		dir := t.TempDir()
		res, err := export.Run(context.Background(), fixture(t), export.Options{Format: export.FormatBrat, Split: "train=1,test=1", Seed: 2, Out: filepath.Join(dir, "corpus")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		docs := 0
		for i, p := range res.Files {
			if want := filepath.Join(dir, []string{"corpus.train", "corpus.test"}[i]); p != want {
				t.Errorf("part %d at %s, want %s", i, p, want)
			}
			files := readBrat(t, p)
			checkBrat(t, files, export.CodePoints)
			docs += (len(files) - 2) / 2
		}
		if docs != 5 {
			t.Errorf("%d documents across the parts", docs)
		}
	})
	t.Run("ErrNotEmpty", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "keep.txt"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := export.Run(context.Background(), fixture(t), export.Options{Format: export.FormatBrat, Out: dir}, nil)
		if annotate.ErrorCode(err) != annotate.EConflict {
			t.Fatalf("Run into a non-empty folder = %v, want conflict", err)
		}
	})
	t.Run("FailHalfway", func(t *testing.T) {
		dir := t.TempDir()
		src := fixture(t)
		src.failAt = 3
		if _, err := export.Run(context.Background(), src, export.Options{Format: export.FormatBrat, Out: filepath.Join(dir, "b")}, nil); err == nil {
			t.Fatal("no error")
		}
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("left %v", names)
		}
	})
}
