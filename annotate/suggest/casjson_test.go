package suggest

import (
	"encoding/json"
	"reflect"
	"testing"

	"evident/annotate"
)

// TestMarshalCasualty holds marshalCasualty equal to json.Marshal, and fails when
// annotate.Casualty gains a field marshalCasualty does not write.
func TestMarshalCasualty(t *testing.T) {
	if n := reflect.TypeFor[annotate.Casualty]().NumField(); n != 8 {
		t.Fatalf("annotate.Casualty has %d fields; marshalCasualty writes 8: update it", n)
	}
	low, high, zero, neg := 12, 30, 0, -4
	for _, c := range []annotate.Casualty{
		{},
		{Kind: "killed", Low: &low, High: &low, Qualifier: "exact", Scope: "incident"},
		{Kind: "injured", Low: &low, Qualifier: "at_least", Victims: []string{"civilians", "children"}, Claimant: 3, ClaimantText: "health ministry", Scope: "cumulative"},
		{High: &high, Qualifier: "up_to", Victims: []string{}},
		{Low: &zero, High: &neg, Claimant: -2},
		{Kind: "killed", ClaimantText: `the "ministry" <said> & \ more`},
		{Kind: "killed", ClaimantText: "Ségou governor\u2028"},
		{Victims: []string{"a\tb"}},
		{ClaimantText: "bad \xff byte"},
	} {
		want, err := json.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalCasualty(&c)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("marshalCasualty(%+v)\n got %s\nwant %s", c, got, want)
		}
	}
}
