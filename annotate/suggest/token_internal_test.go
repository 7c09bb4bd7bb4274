package suggest

import "testing"

// TestLowerForms checks the lower-cased forms of tokens, including forms longer than
// their text ("Ⱥ", an invalid byte), shorter ones ("İ", "’s", "“"), and that tokens after
// them still read their own forms.
func TestLowerForms(t *testing.T) {
	text := "İSTANBUL İzmir’s “Kyiv” \xff Ⱥb UN-led Ségou  KILLED 25,500"
	want := []string{"istanbul", "izmir", "'s", "\"", "kyiv", "\"", "\ufffd", "ⱥb", "un", "-", "led", "ségou", "killed", "25,500"}
	toks, lows := tokenize(text)
	if len(toks) != len(want) {
		var got []string
		for i := range toks {
			got = append(got, low(toks, lows, i))
		}
		t.Fatalf("got %d tokens %q, want %d", len(toks), got, len(want))
	}
	for i, w := range want {
		if got := low(toks, lows, i); got != w {
			t.Errorf("token %d %q: lower-cased %q, want %q", i, text[toks[i].bs:toks[i].be], got, w)
		}
	}
	if !toks[0].upper || !toks[0].cap || toks[1].upper || !toks[1].cap {
		t.Errorf("case flags of %q, %q: %+v %+v", "İSTANBUL", "İzmir", toks[0], toks[1])
	}
}
