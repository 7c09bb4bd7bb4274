package annotate_test

import (
	"testing"

	"evident/annotate"
)

func FuzzOffsetsReset(f *testing.F) {
	f.Add("héllo 💥", "plain ascii")
	f.Add("", "周二")
	f.Add("a\xffb", "👨‍👩‍👧")
	f.Fuzz(func(t *testing.T, first, second string) {
		var o annotate.Offsets
		o.Reset(first)
		o.Reset(second)
		want := annotate.NewOffsets(second)
		if o.Len() != want.Len() {
			t.Fatalf("Len %d, want %d", o.Len(), want.Len())
		}
		for cp := 0; cp <= want.Len(); cp++ {
			if o.Byte(cp) != want.Byte(cp) || o.UTF16(cp) != want.UTF16(cp) {
				t.Fatalf("offset %d of %q after %q: byte %d/%d utf16 %d/%d", cp, second, first, o.Byte(cp), want.Byte(cp), o.UTF16(cp), want.UTF16(cp))
			}
		}
		if b, ok := o.FromByte(len(second)); !ok || b != want.Len() {
			t.Fatalf("FromByte(end) = %d, %v", b, ok)
		}
	})
}
