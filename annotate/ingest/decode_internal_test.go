package ingest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"testing"
	"unicode/utf8"
)

// The hand-written scanners must agree with encoding/json on every valid input.

func FuzzEachElem(f *testing.F) {
	for _, s := range []string{`[]`, `[1, "a,]", {"x":[1,2]}, [3,"\"]"], null ]`, ` [ [0,1,"L"] ,[2,3,"M"]]`, "[\n{\"a\":\"}\"}\n]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want []json.RawMessage
		if firstByte([]byte(s)) != '[' || json.Unmarshal([]byte(s), &want) != nil {
			return
		}
		var got [][]byte
		eachElem(bytes.TrimSpace([]byte(s)), func(e []byte) { got = append(got, e) })
		if len(got) != len(want) {
			t.Fatalf("%d elements, encoding/json finds %d", len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], bytes.TrimSpace(want[i])) {
				t.Fatalf("element %d = %q, want %q", i, got[i], want[i])
			}
		}
	})
}

func FuzzTopKeys(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":{"c":2},"d":["e",{"f":3}]}`, `{"a\"b":"x,\"y:z","c":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m map[string]json.RawMessage
		if firstByte([]byte(s)) != '{' || json.Unmarshal([]byte(s), &m) != nil {
			return
		}
		var got []string
		topKeys([]byte(s), func(k []byte) {
			var key string
			if err := json.Unmarshal(append(append([]byte{'"'}, k...), '"'), &key); err != nil {
				t.Fatalf("key %q: %v", k, err)
			}
			got = append(got, key)
		})
		sort.Strings(got)
		got = slices.Compact(got)
		want := make([]string, 0, len(m))
		for k := range m {
			want = append(want, k)
		}
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Fatalf("keys %q, want %q", got, want)
		}
	})
}

func TestLoneSurrogate(t *testing.T) {
	for in, want := range map[string]bool{
		`"plain"`:                  false,
		`"\ud83d\ude00"`:           false,
		`"\uD83D\uDE00 \u00e9"`:    false,
		`"\ud83d"`:                 true,
		`"\ude00"`:                 true,
		`"\ud83d\u0041"`:           true,
		`"\\ud83d"`:                false,
		`"\\\ud83d"`:               true,
		`"a\"\ud800\udc00\"b"`:     false,
		`"x\ud800"`:                true,
		`"\ud800\ud800\udc00"`:     true,
		`"\u00e9\\u\ud83d\ude00x"`: false,
	} {
		if got := loneSurrogate([]byte(in)); got != want {
			t.Errorf("loneSurrogate(%s) = %v, want %v", in, got, want)
		}
	}
}

func FuzzLoneSurrogate(f *testing.F) {
	f.Add(`"\ud83d\ude00"`)
	f.Add(`"\\\ud83d"`)
	f.Fuzz(func(t *testing.T, s string) {
		var v string
		if !utf8.ValidString(s) || firstByte([]byte(s)) != '"' || json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		// Decoding without lone surrogates never invents U+FFFD: each one in the result
		// must come from the input, written or escaped.
		if !loneSurrogate([]byte(s)) {
			written := bytes.Count([]byte(s), []byte("\uFFFD")) + bytes.Count(bytes.ToLower([]byte(s)), []byte(`\ufffd`))
			if n := bytes.Count([]byte(v), []byte("\uFFFD")); n > written {
				t.Fatalf("%q decodes to %d U+FFFD, input writes %d", s, n, written)
			}
		}
	})
}

// A span object decodes to the same value through object as through encoding/json.
func FuzzSpanObject(f *testing.F) {
	for _, s := range []string{
		`{"start": 0, "end": 5, "label": "ACTOR"}`,
		`{ "start" : 3 , "end":7,"label":"DEATH","text":"kill\"ed", "attrs": {"kind": "killed", "low": [1, {"x": "}"}]} }`,
		`{"start_offset": 1, "end_offset": 2, "label": "X", "attrs": null, "text": null}`,
		`{"start": "3", "end": 1.5, "label": 7, "text": ["a"], "attrs": "s"}`,
		`{"Start": 1, "end": 2, "label": "L"}`,
		`{"st\u0061rt": 1, "end": 2, "label": "L", "other": true}`,
		`{"start": 1, "start": 2, "label": "A", "label": null}`,
		`{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := bytes.TrimSpace([]byte(s))
		if firstByte(b) != '{' || !json.Valid(b) {
			return
		}
		type plain spanJSON
		var want, got spanJSON
		if err := json.Unmarshal(b, (*plain)(&want)); err != nil {
			return
		}
		if err := got.UnmarshalJSON(b); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got  %+v\n want %+v", b, got, want)
		}
	})
}
