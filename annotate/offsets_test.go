package annotate_test

import (
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"evident/annotate"
)

// samples cover every width class: ASCII, 2-byte Latin, 3-byte CJK, 4-byte emoji (two
// UTF-16 units), Arabic, combining marks, ZWJ sequences, CRLF and tabs.
var offsetSamples = []string{
	"",
	"plain ASCII\r\n\ttext",
	"Café naïve résumé",
	"北京 市 の 空爆",
	"قصف 😀 غزة",
	"e\u0301 cafe\u0301",
	"👨‍👩‍👧 family 🇺🇦 flag",
}

func TestOffsetsAgreeWithStdlib(t *testing.T) {
	for _, s := range offsetSamples {
		o := annotate.NewOffsets(s)
		if o.Len() != utf8.RuneCountInString(s) {
			t.Fatalf("%q: Len %d", s, o.Len())
		}
		runes := []rune(s)
		for cp := 0; cp <= len(runes); cp++ {
			wantByte := len(string(runes[:cp]))
			wantU16 := len(utf16.Encode(runes[:cp]))
			if got := o.Byte(cp); got != wantByte {
				t.Errorf("%q: Byte(%d)=%d want %d", s, cp, got, wantByte)
			}
			if got := o.UTF16(cp); got != wantU16 {
				t.Errorf("%q: UTF16(%d)=%d want %d", s, cp, got, wantU16)
			}
			if back, ok := o.FromByte(wantByte); !ok || back != cp {
				t.Errorf("%q: FromByte(%d)=%d,%v want %d", s, wantByte, back, ok, cp)
			}
			if back, ok := o.FromUTF16(wantU16); !ok || back != cp {
				t.Errorf("%q: FromUTF16(%d)=%d,%v want %d", s, wantU16, back, ok, cp)
			}
		}
	}
}

func TestOffsetsRejectMidCharacter(t *testing.T) {
	o := annotate.NewOffsets("a😀b")
	if _, ok := o.FromByte(2); ok {
		t.Error("byte 2 is inside the emoji but was accepted")
	}
	if _, ok := o.FromUTF16(2); ok {
		t.Error("UTF-16 offset 2 splits a surrogate pair but was accepted")
	}
	if _, ok := o.FromUTF16(5); ok {
		t.Error("UTF-16 offset past the end was accepted")
	}
	if s, ok := o.Slice("a😀b", 1, 2); !ok || s != "😀" {
		t.Errorf("Slice(1,2)=%q,%v", s, ok)
	}
}

func TestCheckSpan(t *testing.T) {
	if err := annotate.CheckSpan(5, 0, 5); err != nil {
		t.Error(err)
	}
	for _, c := range [][2]int{{-1, 2}, {2, 2}, {3, 2}, {0, 6}} {
		if annotate.ErrorCode(annotate.CheckSpan(5, c[0], c[1])) != annotate.EInvalid {
			t.Errorf("CheckSpan(5, %d, %d) accepted", c[0], c[1])
		}
	}
}

func TestTokensNeverSplitClusters(t *testing.T) {
	text := "Shelling hit 👨‍👩‍👧 homes in Kharkiv, e\u0301 北京."
	toks := annotate.Tokens(text)
	runes := []rune(text)
	var words []string
	for _, tk := range toks {
		words = append(words, string(runes[tk.Start:tk.End]))
	}
	want := []string{"Shelling", "hit", "👨‍👩‍👧", "homes", "in", "Kharkiv", ",", "e\u0301", "北", "京", "."}
	if len(words) != len(want) {
		t.Fatalf("tokens %q, want %q", words, want)
	}
	for i := range want {
		if words[i] != want[i] {
			t.Errorf("token %d = %q, want %q", i, words[i], want[i])
		}
	}
	s, e := annotate.SnapToTokens(toks, 2, 10) // inside "Shelling" .. inside "hit"
	if s != 0 || e != 12 {
		t.Errorf("SnapToTokens = [%d,%d), want [0,12)", s, e)
	}
}

func TestGraphemeBounds(t *testing.T) {
	b := annotate.GraphemeBounds("a🇺🇦e\u0301")
	want := []int{0, 1, 3, 5}
	if len(b) != len(want) {
		t.Fatalf("bounds %v want %v", b, want)
	}
	for i := range want {
		if b[i] != want[i] {
			t.Fatalf("bounds %v want %v", b, want)
		}
	}
}

func FuzzOffsets(f *testing.F) {
	for _, s := range offsetSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		o := annotate.NewOffsets(s)
		n := o.Len()
		prevB, prevU := -1, -1
		for cp := 0; cp <= n; cp++ {
			b, u := o.Byte(cp), o.UTF16(cp)
			if b <= prevB || u <= prevU {
				t.Fatalf("offsets not increasing at %d", cp)
			}
			prevB, prevU = b, u
			if back, ok := o.FromByte(b); !ok || back != cp {
				t.Fatalf("byte round trip at %d", cp)
			}
			if back, ok := o.FromUTF16(u); !ok || back != cp {
				t.Fatalf("utf16 round trip at %d", cp)
			}
		}
		if prevB != len(s) {
			t.Fatalf("last byte offset %d, len %d", prevB, len(s))
		}
		for _, tk := range annotate.Tokens(s) {
			if tk.Start < 0 || tk.End > n || tk.Start >= tk.End {
				t.Fatalf("bad token %v in %d", tk, n)
			}
		}
	})
}
