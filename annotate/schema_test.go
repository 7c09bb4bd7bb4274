package annotate_test

import (
	"testing"

	"evident/annotate"
	"evident/assets"
)

func TestDefaultSchema(t *testing.T) {
	s, err := annotate.ParseSchema(assets.Schema())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ATTACK", "DEATH", "INJURY", "ACTOR", "TARGET", "VICTIM", "LOCATION", "TIME", "WEAPON", "CASUALTY", "SOURCE"} {
		l, ok := s.Label(name)
		if !ok {
			t.Errorf("default schema lacks %s", name)
			continue
		}
		if l.Key == "" {
			t.Errorf("%s has no key", name)
		}
	}
	for _, e := range []string{"ATTACK", "DEATH", "INJURY"} {
		if et, ok := s.EventTypeForTrigger(e); !ok || et.Name != e {
			t.Errorf("no event type for trigger %s", e)
		}
	}
}

func TestSchemaValidate(t *testing.T) {
	cases := map[string]string{
		"bad name":        `{"labels":[{"name":"attack","kind":"span","color":"#000000"}]}`,
		"bad colour":      `{"labels":[{"name":"A","kind":"span","color":"red"}]}`,
		"bad kind":        `{"labels":[{"name":"A","kind":"x","color":"#000000"}]}`,
		"dup key":         `{"labels":[{"name":"A","kind":"span","color":"#000000","key":"1"},{"name":"B","kind":"span","color":"#000000","key":"1"}]}`,
		"unknown role":    `{"labels":[{"name":"A","kind":"trigger","color":"#000000"}],"event_types":[{"name":"A","trigger":"A","roles":["who"]}]}`,
		"dup label":       `{"labels":[{"name":"A","kind":"span","color":"#000000"},{"name":"A","kind":"span","color":"#000000"}]}`,
		"missing trigger": `{"labels":[],"event_types":[{"name":"A","trigger":"A"}]}`,
	}
	for name, js := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := annotate.ParseSchema([]byte(js))
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Fatalf("got %v, want an invalid error", err)
			}
		})
	}
}
