package ingest_test

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/ingest"
)

// readAll reads every record of content as the file name.
func readAll(t testing.TB, name, content string, opts ingest.ReadOptions) ([]*ingest.Record, error) {
	t.Helper()
	rd, err := ingest.NewReader(strings.NewReader(content), name, opts)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var recs []*ingest.Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

func mustRead(t *testing.T, name, content string) []*ingest.Record {
	t.Helper()
	recs, err := readAll(t, name, content, ingest.ReadOptions{})
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return recs
}

func TestUnicodeSpans(t *testing.T) {
	// Each case: a text and the exact substrings its spans must cover, in code points.
	cases := []struct {
		name, text string
		spans      []string // each must occur once in text
	}{
		{"emoji", "Drone 🛩️ strike 💥 hit Kharkiv 🇺🇦 at dawn; 3 👨‍👩‍👧 killed.", []string{"strike", "Kharkiv", "killed", "🇺🇦"}},
		{"cjk", "周二，加沙地带发生空袭，至少12名平民死亡。", []string{"加沙地带", "空袭", "至少12名平民", "死亡"}},
		{"arabic", "قُتل ثلاثة مدنيين في غارة على غزة، حسب وزارة الصحة.", []string{"غارة", "غزة", "ثلاثة مدنيين", "وزارة الصحة"}},
		{"combining", "Cafe\u0301 in Re\u0301sume\u0301ville was shelled; e\u0301e\u0301 wounded.", []string{"Re\u0301sume\u0301ville", "shelled", "wounded"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var spans []map[string]any
			for _, s := range c.spans {
				b := strings.Index(c.text, s)
				start := len([]rune(c.text[:b]))
				end := start + len([]rune(s))
				spans = append(spans, map[string]any{"start": start, "end": end, "label": "LOCATION", "text": s})
			}
			line, _ := json.Marshal(map[string]any{"id": c.name, "text": c.text, "spans": spans})
			recs := mustRead(t, "u.jsonl", string(line)+"\n")
			if len(recs) != 1 {
				t.Fatalf("got %d records", len(recs))
			}
			got := recs[0]
			if got.Doc.Text != c.text {
				t.Fatalf("text changed: %q", got.Doc.Text)
			}
			o := annotate.NewOffsets(got.Doc.Text)
			for i, s := range got.Draft.Spans {
				sub, ok := o.Slice(got.Doc.Text, s.Start, s.End)
				if !ok || sub != c.spans[i] || s.Text != c.spans[i] {
					t.Errorf("span %d [%d,%d) = %q (Text %q), want %q", i, s.Start, s.End, sub, s.Text, c.spans[i])
				}
				if s.Status != annotate.StatusAccepted || s.Origin != annotate.OriginImport {
					t.Errorf("span %d: status %q origin %q", i, s.Status, s.Origin)
				}
			}
		})
	}
}

func TestJSONLFields(t *testing.T) {
	in := `{"id":"a1","title":"T","url":"https://x.test/a","source":"Wire","published":"2024-03-12","meta":{"k":1},"extra":"kept","text":"Gunmen killed 3 people in Mosul."}
{"id":42,"published":"2024-03-12T08:30:00+03:00","text":"\ufeffNo title given here.\nSecond line."}

{"text":"No id."}
`
	recs := mustRead(t, "dir/news.jsonl", in)
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	d := recs[0].Doc
	if d.ExternalID != "a1" || d.Title != "T" || d.URL != "https://x.test/a" || d.Source != "Wire" || d.Published != "2024-03-12" {
		t.Errorf("fields: %+v", d)
	}
	var meta map[string]any
	if err := json.Unmarshal(d.Meta, &meta); err != nil || meta["k"] != 1.0 || meta["extra"] != "kept" {
		t.Errorf("meta = %s (%v)", d.Meta, err)
	}
	if d.SHA256 != annotate.TextHash(d.Text) {
		t.Errorf("hash mismatch")
	}
	if d := recs[1].Doc; d.ExternalID != "42" || d.Title != "No title given here." || strings.HasPrefix(d.Text, "\ufeff") {
		t.Errorf("second: id %q title %q text %q", d.ExternalID, d.Title, d.Text)
	}
	if recs[2].Line != 4 || recs[2].Doc.ExternalID != "news.jsonl:4" {
		t.Errorf("third: line %d id %q", recs[2].Line, recs[2].Doc.ExternalID)
	}
}

func TestDoccano(t *testing.T) {
	in := `{"id":1,"text":"Rockets hit Sderot on Monday.","label":[[0,7,"WEAPON"],[12,18,"LOCATION"]],"Comments":[]}
{"id":2,"text":"Shelling in Donetsk.","entities":[{"id":9,"label":"ATTACK","start_offset":0,"end_offset":8}],"relations":[]}
{"id":3,"text":"Nice day.","label":["NEUTRAL"]}
`
	recs := mustRead(t, "d.jsonl", in)
	if n := len(recs[0].Draft.Spans); n != 2 {
		t.Fatalf("doccano label: %d spans", n)
	}
	if s := recs[0].Draft.Spans[1]; s.Text != "Sderot" || s.Label != "LOCATION" {
		t.Errorf("span = %+v", s)
	}
	if s := recs[1].Draft.Spans; len(s) != 1 || s[0].Text != "Shelling" {
		t.Errorf("entities: %+v", s)
	}
	if len(recs[2].Draft.Spans) != 0 || !strings.Contains(string(recs[2].Doc.Meta), "NEUTRAL") {
		t.Errorf("classification label: spans %v meta %s", recs[2].Draft.Spans, recs[2].Doc.Meta)
	}
}

func TestCasualtyAndEvents(t *testing.T) {
	text := "An airstrike killed at least 12 civilians in Gaza, the health ministry said."
	line := `{"id":"c","text":` + q(text) + `,"spans":[
		{"start":3,"end":12,"label":"ATTACK"},
		{"start":13,"end":19,"label":"DEATH"},
		{"start":20,"end":41,"label":"CASUALTY","text":"at least 12 civilians","attrs":{"kind":"killed","low":12,"high":null,"qualifier":"at_least","victims":["civilians"],"claimant":5,"scope":"single","note":"x"}},
		{"start":45,"end":49,"label":"LOCATION"},
		{"start":51,"end":54,"label":"TIME"},
		{"start":55,"end":70,"label":"SOURCE","text":"health ministry"}],
		"events":[{"type":"DEATH","trigger":1,"args":{"place":[3],"casualties":[2],"source":5}}]}`
	line = strings.ReplaceAll(strings.ReplaceAll(line, "\n", ""), "\t", "")
	recs := mustRead(t, "c.jsonl", line)
	r := recs[0]
	if got := r.Draft.Claimants; len(got) != 1 || got[2] != 5 {
		t.Errorf("claimants = %v, want {2:5}", got)
	}
	var attrs map[string]any
	if err := json.Unmarshal(r.Draft.Spans[2].Attrs, &attrs); err != nil {
		t.Fatal(err)
	}
	if _, ok := attrs["claimant"]; ok {
		t.Errorf("claimant index left in attrs: %s", r.Draft.Spans[2].Attrs)
	}
	if attrs["scope"] != "incident" || attrs["note"] != "x" || attrs["low"] != 12.0 {
		t.Errorf("attrs = %s", r.Draft.Spans[2].Attrs)
	}
	var c annotate.Casualty
	if err := json.Unmarshal(r.Draft.Spans[2].Attrs, &c); err != nil || c.Kind != "killed" || c.Low == nil || *c.Low != 12 || c.High != nil {
		t.Errorf("casualty = %+v (%v)", c, err)
	}
	if len(r.Draft.Events) != 1 {
		t.Fatalf("events = %+v", r.Draft.Events)
	}
	ev := r.Draft.Events[0]
	want := []annotate.DraftArg{{Role: "casualties", Span: 2}, {Role: "place", Span: 3}, {Role: "source", Span: 5}}
	if ev.Type != "DEATH" || ev.Trigger != 1 || len(ev.Args) != 3 {
		t.Fatalf("event = %+v", ev)
	}
	for i := range want {
		if ev.Args[i] != want[i] {
			t.Errorf("arg %d = %+v, want %+v", i, ev.Args[i], want[i])
		}
	}
}

func q(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestTXT(t *testing.T) {
	in := "\ufeff\r\n  Troops clash near border  \r\nBody\twith tab\r\n"
	recs := mustRead(t, "/tmp/x/report-7.TXT", in)
	d := recs[0].Doc
	if d.Text != in[3:] {
		t.Errorf("text not kept byte for byte: %q", d.Text)
	}
	if d.ExternalID != "report-7" || d.Title != "Troops clash near border" {
		t.Errorf("id %q title %q", d.ExternalID, d.Title)
	}
}

func TestCSV(t *testing.T) {
	in := "\ufeffID,Title,text,published,outlet,spans\r\n" +
		"a,First,\"Line one\r\nline \"\"two\"\", Kabul\",2024-01-02,Wire,\"[{\"\"start\"\":22,\"\"end\"\":27,\"\"label\"\":\"\"LOCATION\"\",\"\"text\"\":\"\"Kabul\"\"}]\"\r\n" +
		"\r\n" +
		"b,,Plain text,,,\r\n"
	recs := mustRead(t, "s.csv", in)
	if len(recs) != 2 {
		t.Fatalf("got %d records", len(recs))
	}
	a := recs[0]
	if a.Doc.Text != "Line one\r\nline \"two\", Kabul" {
		t.Errorf("text = %q (CRLF inside a quoted field must be kept)", a.Doc.Text)
	}
	if a.Doc.ExternalID != "a" || a.Doc.Title != "First" || a.Doc.Published != "2024-01-02" || a.Line != 2 {
		t.Errorf("doc %+v line %d", a.Doc, a.Line)
	}
	if string(a.Doc.Meta) != `{"outlet":"Wire"}` {
		t.Errorf("meta = %s", a.Doc.Meta)
	}
	if len(a.Draft.Spans) != 1 || a.Draft.Spans[0].Text != "Kabul" {
		t.Errorf("spans = %+v", a.Draft.Spans)
	}
	if b := recs[1]; b.Line != 5 || b.Doc.Title != "Plain text" || b.Doc.ExternalID != "b" {
		t.Errorf("b: line %d %+v", b.Line, b.Doc)
	}
}

func TestLongLine(t *testing.T) {
	text := strings.Repeat("Shelling continued overnight. ", 100_000) // 3 MB, far past 64 KB
	line := `{"id":"long","text":"` + text + `","spans":[{"start":2999970,"end":2999978,"label":"ATTACK"}]}`
	recs := mustRead(t, "l.jsonl", line+"\n"+`{"id":"next","text":"after"}`+"\n")
	if len(recs) != 2 || recs[0].Doc.Text != text || recs[0].Draft.Spans[0].Text != "Shelling" || recs[1].Line != 2 {
		t.Fatalf("long line misread: %d records", len(recs))
	}
	if n := len([]rune(recs[0].Doc.Title)); n > 121 || !strings.HasSuffix(recs[0].Doc.Title, "…") {
		t.Errorf("title %q (%d code points)", recs[0].Doc.Title, n)
	}
}

func TestTitleFrom(t *testing.T) {
	long := strings.Repeat("word ", 40)
	if got := ingest.TitleFrom(long); !strings.HasSuffix(got, "word…") || len([]rune(got)) > 121 {
		t.Errorf("TitleFrom(long) = %q", got)
	}
	cjk := strings.Repeat("加沙", 100)
	if got := []rune(ingest.TitleFrom(cjk)); len(got) != 121 {
		t.Errorf("cjk title %d code points", len(got))
	}
	// 119 letters then a letter with a combining mark straddling the limit.
	comb := strings.Repeat("a", 119) + "e\u0301\u0301xyz"
	if got := ingest.TitleFrom(comb); got != strings.Repeat("a", 119)+"…" {
		t.Errorf("combining mark split: %q", got)
	}
}

func TestAddLabels(t *testing.T) {
	in := `{"id":"x","text":"Hezbollah fired rockets.","spans":[{"start":0,"end":9,"label":"ORG"},{"start":16,"end":23,"label":"WEAPON"},{"start":0,"end":9,"label":"GROUP_2"}]}`
	rd, err := ingest.NewReader(strings.NewReader(in), "a.jsonl", ingest.ReadOptions{AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Next(); err != nil {
		t.Fatal(err)
	}
	nl := rd.NewLabels()
	if len(nl) != 2 || nl[0].Name != "ORG" || nl[1].Name != "GROUP_2" {
		t.Fatalf("new labels = %+v", nl)
	}
	s, _ := ingest.DefaultSchema()
	for _, l := range nl {
		if l.Kind != annotate.KindSpan || l.Key != "" || l.Color == "" {
			t.Errorf("label %+v", l)
		}
		s.Labels = append(s.Labels, l)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("schema with new labels invalid: %v", err)
	}
	if nl[0].Color == nl[1].Color {
		t.Errorf("both new labels got %s", nl[0].Color)
	}
	for _, l := range s.Labels[:len(s.Labels)-2] {
		if l.Color == nl[0].Color || l.Color == nl[1].Color {
			t.Errorf("new label reuses %s's colour %s", l.Name, l.Color)
		}
	}
}

func TestErrors(t *testing.T) {
	long := `{"text":"` + strings.Repeat("x", 100_000) + "\xff" + `"}`
	cases := []struct {
		name, file, in string
		line           int
		want           string
		add            bool
	}{
		{"invalid UTF-8 jsonl", "a.jsonl", "{\"text\":\"ok\"}\n{\"text\":\"caf\xe9\"}\n", 2, "invalid UTF-8: byte 0xE9 at column 13", false},
		{"invalid UTF-8 long line", "a.jsonl", "{\"text\":\"ok\"}\n" + long, 2, "column 100010", false},
		{"invalid UTF-8 txt", "a.txt", "one\ntwo\nthr\xc3(ee\n", 3, "byte 0xC3 at column 4", false},
		{"invalid UTF-8 csv", "a.csv", "text\n\"multi\nli\xffne\"\n", 3, "byte 0xFF at column 3", false},
		{"UTF-16 txt", "a.txt", "\xff\xfeh\x00i\x00", 1, "UTF-16", false},
		{"NUL txt", "a.txt", "ok\nh\x00i", 2, "NUL byte at column 2", false},
		{"NUL escape", "a.jsonl", `{"text":"a\u0000b"}`, 1, "NUL character at code point 1", false},
		{"lone surrogate", "a.jsonl", `{"text":"ok \\\ud83d\ude00 \ud83d x"}`, 1, "unpaired UTF-16 surrogate", false},
		{"malformed JSON", "a.jsonl", "{\"text\":\"a\"}\n{\"text\":\"a\",}\n", 2, "malformed JSON", false},
		{"wrong case key", "a.jsonl", `{"id":"a","Text":"x"}`, 1, `key "Text": keys are lower case ("text")`, false},
		{"not an object", "a.jsonl", "[1,2]\n", 1, "one JSON object per line", false},
		{"missing text", "a.jsonl", "\n\n{\"id\":\"x\"}\n", 3, `missing "text"`, false},
		{"text not string", "a.jsonl", `{"text":12}`, 1, "text must be a string, got 12", false},
		{"empty text", "a.jsonl", `{"text":""}`, 1, "text is empty", false},
		{"span out of range", "a.jsonl", `{"text":"abc","spans":[{"start":1,"end":4,"label":"ACTOR"}]}`, 1, "spans[0] (ACTOR): span [1, 4) ends past the text (3 code points)", false},
		{"start >= end", "a.jsonl", `{"text":"abc","spans":[{"start":2,"end":2,"label":"ACTOR"}]}`, 1, "empty or reversed", false},
		{"negative", "a.jsonl", `{"text":"abc","label":[[-1,2,"ACTOR"]]}`, 1, "negative", false},
		{"float offset", "a.jsonl", `{"text":"abc","spans":[{"start":0.5,"end":2,"label":"ACTOR"}]}`, 1, "start must be an integer, got 0.5", false},
		{"unknown label", "a.jsonl", `{"text":"abc","spans":[{"start":0,"end":2,"label":"PERSON"}]}`, 1, `unknown label "PERSON"`, false},
		{"bad label name with add", "a.jsonl", `{"text":"abc","spans":[{"start":0,"end":2,"label":"person"}]}`, 1, `"person" is not a valid label name`, true},
		{"bad date", "a.jsonl", `{"text":"abc","published":"12/03/2024"}`, 1, `bad date "12/03/2024"`, false},
		{"bad date csv", "a.csv", "text,published\nabc,2024-13-01\n", 2, `bad date "2024-13-01"`, false},
		{"text mismatch utf16", "a.jsonl", `{"text":"🚀 rockets hit Haifa today","spans":[{"start":15,"end":20,"label":"LOCATION","text":"Haifa"}]}`, 1, "UTF-16 code units (as JavaScript and Java count): in code points that is [14, 19)", false},
		{"text mismatch bytes", "a.jsonl", `{"text":"Ataque en Alepó: Sídón ardió","spans":[{"start":18,"end":25,"label":"LOCATION","text":"Sídón"}]}`, 1, "UTF-8 bytes: in code points that is [17, 22)", false},
		{"text mismatch plain", "a.jsonl", `{"text":"abc def","spans":[{"start":0,"end":3,"label":"ACTOR","text":"def"}]}`, 1, `text "def" does not match the document's "abc"`, false},
		{"range error with utf16 hint", "a.jsonl", `{"text":"😀😀 Gaza","spans":[{"start":5,"end":9,"label":"LOCATION","text":"Gaza"}]}`, 1, "ends past the text (7 code points); it matches if the offsets are UTF-16", false},
		{"event index", "a.jsonl", `{"text":"abc def","spans":[{"start":0,"end":3,"label":"ATTACK"}],"events":[{"type":"ATTACK","trigger":0,"args":{"place":[3]}}]}`, 1, "args.place: span 3 is out of range", false},
		{"event trigger index", "a.jsonl", `{"text":"abc def","spans":[{"start":0,"end":3,"label":"ATTACK"}],"events":[{"type":"ATTACK","trigger":1}]}`, 1, "trigger 1 is out of range", false},
		{"unknown role", "a.jsonl", `{"text":"abc def","spans":[{"start":0,"end":3,"label":"ATTACK"}],"events":[{"type":"ATTACK","trigger":0,"args":{"weapon":[0]}}]}`, 1, `unknown role "weapon"`, false},
		{"unknown event type", "a.jsonl", `{"text":"abc def","spans":[{"start":0,"end":3,"label":"ATTACK"}],"events":[{"type":"BOMBING","trigger":0}]}`, 1, `unknown event type "BOMBING"`, false},
		{"trigger label", "a.jsonl", `{"text":"abc def","spans":[{"start":0,"end":3,"label":"ACTOR"}],"events":[{"type":"ATTACK","trigger":0}]}`, 1, "trigger 0 has label ACTOR; an event of type ATTACK needs a span labelled ATTACK", false},
		{"claimant range", "a.jsonl", `{"text":"12 dead","spans":[{"start":0,"end":2,"label":"CASUALTY","attrs":{"claimant":4}}]}`, 1, "claimant 4 is out of range", false},
		{"claimant not source", "a.jsonl", `{"text":"12 dead","spans":[{"start":0,"end":2,"label":"CASUALTY","attrs":{"claimant":1}},{"start":3,"end":7,"label":"DEATH"}]}`, 1, "claimant 1 has label DEATH, not SOURCE", false},
		{"casualty kind", "a.jsonl", `{"text":"12 dead","spans":[{"start":0,"end":2,"label":"CASUALTY","attrs":{"kind":"dead"}}]}`, 1, `kind "dead" is not one of`, false},
		{"casualty low>high", "a.jsonl", `{"text":"12 dead","spans":[{"start":0,"end":2,"label":"CASUALTY","attrs":{"low":5,"high":3}}]}`, 1, "low 5 is above high 3", false},
		{"csv no text column", "a.csv", "id,body\n1,x\n", 1, `no "text" column`, false},
		{"csv field count", "a.csv", "id,text\n1,x\n2,y,z\n", 3, "record has 3 fields, the header has 2", false},
		{"csv unclosed quote", "a.csv", "id,text\n1,\"x\n\nmore\n", 2, "not closed", false},
		{"csv bare quote", "a.csv", "id,text\n1,x\"y\n", 2, "quote in an unquoted field at column 4", false},
		{"csv record line", "a.csv", "id,text\n1,\"a\nb\nc\"\n2,\"multi\nline\",x\n", 5, "record has 3 fields", false},
		{"csv spans json", "a.csv", "text,spans\nabc,[{]\n", 2, "spans column must hold a JSON list", false},
		{"empty txt", "a.txt", "\ufeff", 1, "text is empty", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readAll(t, c.file, c.in, ingest.ReadOptions{AddLabels: c.add})
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			var ie *ingest.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %v is not *ingest.Error", err, err)
			}
			if ie.File != c.file || ie.Line != c.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", ie.File, ie.Line, c.file, c.line, err)
			}
			if !strings.Contains(ie.Msg, c.want) {
				t.Errorf("message %q lacks %q", ie.Msg, c.want)
			}
			if annotate.ErrorCode(err) != annotate.EInvalid {
				t.Errorf("code %q, want invalid", annotate.ErrorCode(err))
			}
			if !strings.HasPrefix(err.Error(), c.file+":") {
				t.Errorf("Error() = %q, want FILE:LINE: prefix", err.Error())
			}
		})
	}
}

func TestSurrogateEscapes(t *testing.T) {
	// A pair is one character; an escaped backslash before "ud800" is no escape at all.
	recs := mustRead(t, "s.jsonl", `{"text":"\ud83d\ude00 ok \\ud800 \u00e9"}`)
	if got := recs[0].Doc.Text; got != "😀 ok \\ud800 é" {
		t.Errorf("text = %q", got)
	}
}

func TestBOM(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"a.jsonl", "\ufeff{\"text\":\"\\ufeffBody\\r\\n\"}\n"},
		{"a.csv", "\ufefftext\n\"\ufeffBody\r\n\"\n"},
		{"a.txt", "\ufeffBody\r\n"},
	} {
		recs := mustRead(t, c.name, c.in)
		if len(recs) != 1 || recs[0].Doc.Text != "Body\r\n" {
			t.Errorf("%s: %q", c.name, recs[0].Doc.Text)
		}
	}
	// Only a leading BOM goes; one inside the text is content.
	if recs := mustRead(t, "b.txt", "a\ufeffb"); recs[0].Doc.Text != "a\ufeffb" {
		t.Errorf("inner BOM removed: %q", recs[0].Doc.Text)
	}
}

func TestAllAndReadGold(t *testing.T) {
	rd, err := ingest.NewReader(strings.NewReader(goodJSONL+"{\"id\":\"j3\"}\n"), "g.jsonl", ingest.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var last error
	for rec, err := range rd.All() {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, rec.Doc.ExternalID)
	}
	if strings.Join(ids, ",") != "j1,j2" || last == nil || !strings.Contains(last.Error(), "g.jsonl:3:") {
		t.Errorf("All: ids %v, err %v", ids, last)
	}

	dir := writeFiles(t, map[string]string{"gold.jsonl": goodJSONL, "dup.jsonl": goodJSONL + `{"id":"j1","text":"x"}`})
	gold, err := ingest.ReadGold(dir + "/gold.jsonl")
	if err != nil || len(gold) != 2 || len(gold[1].Draft.Spans) != 1 || gold[1].Line != 2 {
		t.Fatalf("ReadGold: %d records, %v", len(gold), err)
	}
	if _, err := ingest.ReadGold(dir + "/dup.jsonl"); err == nil || !strings.Contains(err.Error(), `dup.jsonl:3: duplicate id "j1"`) {
		t.Errorf("duplicate in gold: %v", err)
	}
}
