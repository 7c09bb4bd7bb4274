package sqlite

import (
	"encoding/json"
	"testing"
)

// slowClaimant is withClaimant's long way: decode into a map, add, encode.
func slowClaimant(attrs string, id int64, text string) (string, error) {
	m := map[string]json.RawMessage{}
	if attrs != "" {
		if err := json.Unmarshal([]byte(attrs), &m); err != nil {
			return "", err
		}
	}
	m["claimant"] = json.RawMessage(fmtInt(id))
	if _, ok := m["claimant_text"]; !ok {
		t, _ := json.Marshal(text)
		m["claimant_text"] = t
	}
	data, err := json.Marshal(m)
	return string(data), err
}

func fmtInt(id int64) string { b, _ := json.Marshal(id); return string(b) }

var claimantCases = []struct {
	attrs string
	fast  bool // the fast path takes it
}{
	{"", true},
	{"{}", true},
	{`{"kind":"killed","low":3,"high":3,"qualifier":"exact","scope":"incident","victims":["soldiers"]}`, true},
	{`{"claimant":4,"kind":"killed"}`, true},
	{`{"claimant_text":"the army","zz":{"a":[1,{"b":"}]"}]},"a":null}`, true},
	{`{"note":"say \"hi\", ok","x":[1,2]}`, true},
	{`{"note":"a<b"}`, false},
	{`{ "kind": "killed" }`, false},
	{`{"k\"ey":1}`, false},
	{`{"a":1,"a":2}`, false},
	{`{"claimant":1,"claimant":2}`, false},
	{`{"é":"ü","b":"\u00e9"}`, true},
}

// TestClaimantAttrs: the fast path gives exactly what the long way gives, and declines
// what it does not handle (the long way then answers).
func TestClaimantAttrs(t *testing.T) {
	for _, c := range claimantCases {
		for _, text := range []string{"the health ministry", `a "quoted" <source> & co`, "وزارة الصحة"} {
			want, err := slowClaimant(c.attrs, 42, text)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := claimantAttrs(c.attrs, 42, text)
			if ok != c.fast {
				t.Errorf("%s: fast path taken %v, want %v", c.attrs, ok, c.fast)
			}
			if ok && got != want {
				t.Errorf("%s:\n got %s\nwant %s", c.attrs, got, want)
			}
			if all, err := withClaimant(nilIfEmpty(c.attrs), 42, text); err != nil || all != want {
				t.Errorf("withClaimant(%s) = %s, %v; want %s", c.attrs, all, err, want)
			}
		}
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// FuzzClaimantAttrs: for any valid JSON object, the fast path either declines or gives
// what the long way gives.
func FuzzClaimantAttrs(f *testing.F) {
	for _, c := range claimantCases {
		f.Add(c.attrs, "officials")
	}
	f.Fuzz(func(t *testing.T, attrs, text string) {
		if attrs != "" {
			var obj map[string]json.RawMessage
			if json.Unmarshal([]byte(attrs), &obj) != nil || attrs[0] != '{' {
				return // not what checkAttrs lets through
			}
		}
		want, err := slowClaimant(attrs, 7, text)
		if err != nil {
			return
		}
		if got, ok := claimantAttrs(attrs, 7, text); ok && got != want {
			t.Fatalf("%q:\n got %s\nwant %s", attrs, got, want)
		}
	})
}
