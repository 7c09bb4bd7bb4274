package query

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
)

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		q    string
		col  int
		want string
	}{
		{``, 1, "expected a word"},
		{`killed "civilians`, 8, `closing "`},
		{`lable:DEATH`, 1, `unknown field "lable"`},
		{`label:`, 7, "expected a value after label:"},
		{`status:acepted`, 8, `unknown status "acepted"`},
		{`status:accepted|`, 17, "empty alternative"},
		{`done:maybe`, 6, "done:yes or done:no"},
		{`- word`, 2, "after -"},
		{`"a"b`, 4, "space after"},
		{`мир label:`, 11, "after label:"},
		{`---`, 2, "after -"},
	} {
		_, err := Parse(c.q)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a parse error", c.q, err)
			continue
		}
		if pe.Column != c.col || !strings.Contains(pe.Msg, c.want) {
			t.Errorf("Parse(%q) = column %d %q, want column %d %q", c.q, pe.Column, pe.Msg, c.col, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	q, err := Parse(`label:DEATH|injury "civilians killed" -ceasefire 10:30 done:no -has:TIME origin:rule`)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Span) != 2 || q.Span[0].Field != "label" || len(q.Span[0].Values) != 2 || q.Span[1].Field != "origin" {
		t.Errorf("span filters %+v", q.Span)
	}
	if len(q.Doc) != 2 || q.Doc[0].Field != "done" || !q.Doc[1].Negated || q.Doc[1].Field != "has" {
		t.Errorf("doc filters %+v", q.Doc)
	}
	if len(q.Terms) != 3 || q.Terms[0].Text != "civilians killed" || !q.Terms[1].Negated || q.Terms[2].Text != "10:30" {
		t.Errorf("terms %+v", q.Terms)
	}
	if !q.SpanQuery() {
		t.Error("a label: query should give span hits")
	}
}

// hitTexts runs one term over one text and returns the matched texts.
func hitTexts(t *testing.T, text, term string) []string {
	t.Helper()
	q, err := Parse(term)
	if err != nil {
		t.Fatal(err)
	}
	doc := &annotate.Document{ID: 1, Text: text}
	var out []string
	for _, h := range q.Eval(doc, nil) {
		rs := []rune(text)
		if got := string(rs[h.Start:h.End]); got != h.Text {
			t.Errorf("hit text %q but text[%d:%d] = %q", h.Text, h.Start, h.End, got)
		}
		out = append(out, h.Text)
	}
	return out
}

func TestMatchScripts(t *testing.T) {
	for _, c := range []struct {
		text, query string
		want        []string
	}{
		{"Troops KILLED two; killing went on. Skills.", "kill", []string{"KILLED", "killing"}},
		{"A strike near São Paulo and Sao Tome", "sao", []string{"São", "Sao"}},
		{"A strike near São Paulo and Sao Tome", "São", []string{"São"}},
		{"Straße and STRASSE", "strasse", []string{"Straße", "STRASSE"}},
		{"Ζεύς ΟΔΟΣ οδός", "οδος", []string{"ΟΔΟΣ"}}, // ό has a diacritic but is not Latin: strict
		{"قَصَفَ الجيشُ والقصف مستمر", "قصف", []string{"قَصَفَ", "قصف"}},
		{"غـــزة مدينة", "غزة", []string{"غـــزة"}},
		{"Обстрел продолжался; ОБСТРЕЛЫ", "обстрел", []string{"Обстрел", "ОБСТРЕЛЫ"}},
		{"北京市发生爆炸，北京警方说", "北京", []string{"北京", "北京"}},
		{"北京市发生爆炸", "爆", []string{"爆"}},
		{"東京で爆発があった", "爆発", []string{"爆発"}},
		{"दिल्ली में धमाका हुआ, धमाके में", "धमाक", []string{"धमाका", "धमाके"}},
		{"Fire 🔥 near the 🏠 today 🔥", "🔥", []string{"🔥", "🔥"}},
		{"1,200 killed; 21,200 fled", "1,200", []string{"1,200"}},
		{"ＡＢＣ news", "abc", []string{"ＡＢＣ"}},
		{"civilians killed in the village", `"killed in the"`, []string{"killed in the"}},
	} {
		got := hitTexts(t, c.text, c.query)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q in %q: got %q, want %q", c.query, c.text, got, c.want)
		}
	}
}

func TestEvalSpans(t *testing.T) {
	text := "Shelling killed 12 civilians in Qaryat; three soldiers died."
	doc := &annotate.Document{ID: 7, Text: text, Status: annotate.DocInProgress}
	sp := func(id int64, s, e int, label string, st annotate.Status, origin string) annotate.Span {
		return annotate.Span{ID: id, DocID: 7, Start: s, End: e, Label: label, Status: st, Origin: origin,
			Annotator: "ann", Text: string([]rune(text)[s:e])}
	}
	spans := []annotate.Span{
		sp(1, 9, 28, "DEATH", annotate.StatusAccepted, "manual"),
		sp(2, 32, 38, "LOCATION", annotate.StatusSuggested, "rule:place"),
		sp(3, 40, 59, "DEATH", annotate.StatusRejected, "model:crf"),
	}
	for _, c := range []struct {
		q    string
		want []int64 // span ids, or -1 for a document hit
	}{
		{`label:DEATH "civilians"`, []int64{1}},
		{`label:DEATH`, []int64{1, 3}},
		{`label:DEATH -status:rejected`, []int64{1}},
		{`origin:rule`, []int64{2}},
		{`origin:model`, []int64{3}},
		{`origin:place`, nil},
		{`origin:rule:place`, []int64{2}},
		{`label:location has:DEATH`, []int64{2}},
		{`label:LOCATION no:TIME done:no`, []int64{2}},
		{`label:LOCATION done:yes`, nil},
		{`has:TIME`, nil},
		{`-ceasefire doc:7`, []int64{-1}},
		{`annotator:other`, nil},
	} {
		q, err := Parse(c.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, h := range q.Eval(doc, spans) {
			if h.SpanID == 0 {
				got = append(got, -1)
			} else {
				got = append(got, h.SpanID)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
	}
}

// FuzzParse: any input parses or fails with a column inside the query (or just after
// it), and every hit of a parsed query over a text slices that text exactly.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`label:DEATH "civilians"`, `-"a b" status:accepted|rejected`, `北京 has:LOCATION`, `"`, `lable:x`, `قصف -done:yes`} {
		f.Add(s, "Shelling killed 12 civilians in 北京 and قَصَفَ near São")
	}
	f.Fuzz(func(t *testing.T, q, text string) {
		p, err := Parse(q)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Column < 1 || pe.Column > utf8.RuneCountInString(q)+1 {
				t.Fatalf("Parse(%q): %v", q, err)
			}
			return
		}
		if !utf8.ValidString(text) {
			return
		}
		rs := []rune(text)
		for _, h := range p.Eval(&annotate.Document{ID: 1, Text: text}, nil) {
			if h.Start < 0 || h.End > len(rs) || h.Start > h.End || string(rs[h.Start:h.End]) != h.Text {
				t.Fatalf("query %q text %q: bad hit %+v", q, text, h)
			}
		}
	})
}
