package sqlstore

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMigrationsInOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_two.sql": {Data: []byte("two")},
		"m/0001_one.sql": {Data: []byte("one")},
	}
	ms := Migrations(fsys, "m", "test")
	if len(ms) != 2 || ms[0].Version != 1 || ms[0].SQL != "one" || ms[1].Name != "0002_two.sql" {
		t.Fatalf("migrations: %+v", ms)
	}
}

func TestMigrationsRefuseGapsAndBadNames(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"expected number 2 (no gaps)": {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"expected number 2":           {"m/0001_a.sql": {}, "m/0001_b.sql": {}},
		"is not named NNNN_what.sql":  {"m/one.sql": {}},
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "test: ") || !strings.Contains(msg, name) {
					t.Errorf("panic %q, want one naming the backend and saying %q", msg, name)
				}
			}()
			Migrations(fsys, "m", "test")
		}()
	}
}

func TestStagedConditions(t *testing.T) {
	if NotStaged("id", "") != "" || WhereNotStaged("id", "") != "" {
		t.Error("no staged documents should add no condition")
	}
	if got := NotStaged("doc", "(SELECT 1)"); got != " AND doc NOT IN (SELECT 1)" {
		t.Errorf("NotStaged = %q", got)
	}
	if got := WhereNotStaged("d.id", "(SELECT 1)"); got != " WHERE d.id NOT IN (SELECT 1)" {
		t.Errorf("WhereNotStaged = %q", got)
	}
}

func TestPhraseChangeCountsSpansOnly(t *testing.T) {
	type count struct {
		text, label, status string
		sign                int
	}
	var got []count
	add := func(text, label, status string, sign int) { got = append(got, count{text, label, status, sign}) }
	from := `{"text":"ten","label":"CASUALTY","status":"suggested"}`
	to := `{"text":"ten","label":"CASUALTY","status":"accepted"}`
	if err := PhraseChange("events", from, to, add); err != nil || len(got) != 0 {
		t.Fatalf("an events row counted: %v %v", got, err)
	}
	if err := PhraseChange("spans", from, to, add); err != nil {
		t.Fatal(err)
	}
	want := []count{{"ten", "CASUALTY", "suggested", -1}, {"ten", "CASUALTY", "accepted", +1}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("counted %v, want %v", got, want)
	}
	if err := PhraseChange("spans", "{", to, add); err == nil {
		t.Error("a damaged image was counted")
	}
	if i, ok := PhraseColumn("rejected"); !ok || i != 1 {
		t.Errorf("PhraseColumn(rejected) = %d, %v", i, ok)
	}
	if _, ok := PhraseColumn("suggested"); ok {
		t.Error("an undecided span counts")
	}
}
