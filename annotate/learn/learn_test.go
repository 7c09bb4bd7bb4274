package learn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"evident/annotate"
	"evident/annotate/suggest"
)

// The texts here are written for these tests: sentences from templates with made-up
// fillers, so a held-out document has words no training document had.

type piece struct {
	text, label string
}

// buildDoc joins pieces into a text with spans at code point offsets, and an event per
// trigger whose arguments are the labelled pieces of its sentence.
func buildDoc(id string, sentences [][]piece, complete bool) Example {
	var b strings.Builder
	ex := Example{ID: id, Complete: complete}
	cp := 0
	for _, s := range sentences {
		trig := -1
		var args []int
		for _, p := range s {
			if p.label != "" {
				sp := annotate.Span{Start: cp, End: cp + utf8.RuneCountInString(p.text), Label: p.label, Text: p.text, Status: annotate.StatusAccepted}
				if isTrigger(p.label) {
					trig = len(ex.Accepted.Spans)
				} else {
					args = append(args, len(ex.Accepted.Spans))
				}
				ex.Accepted.Spans = append(ex.Accepted.Spans, sp)
			}
			b.WriteString(p.text)
			cp += utf8.RuneCountInString(p.text)
		}
		if trig >= 0 {
			ev := annotate.DraftEvent{Type: ex.Accepted.Spans[trig].Label, Trigger: trig}
			for _, a := range args {
				ev.Args = append(ev.Args, annotate.DraftArg{Role: roleOf(ex.Accepted.Spans[a].Label), Span: a})
			}
			ex.Accepted.Events = append(ex.Accepted.Events, ev)
		}
		b.WriteString(" ")
		cp++
	}
	ex.Text = b.String()
	return ex
}

var (
	groupsA   = []string{"Vornak militia", "Selt brigade", "Ostrel fighters", "Dunmar rebels", "Kessa guard", "Tamrin cell"}
	townsA    = []string{"Belkora", "Mirtaval", "Qesh", "Ubranka", "Zelmot", "Harwick", "Pernod", "Sulvane"}
	depotsA   = []string{"fuel depot", "grain silo", "water plant", "rail yard", "power station", "radio mast"}
	fillerA   = []string{"The weather was mild that week.", "Markets opened late on Monday.", "A festival was planned for spring.", "Officials met to discuss the budget."}
	decoyWord = "Ambervale" // a word the annotators always leave unlabelled
)

// corpus makes n documents: attacks by a group on a facility in a town (FACILITY is a
// label the rules do not know), filler sentences, and the decoy word in a sentence.
func corpus(seed uint64, n int) []Example {
	r := rand.New(rand.NewPCG(seed, 1))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var exs []Example
	for i := 0; i < n; i++ {
		var ss [][]piece
		for k := 0; k < 4; k++ {
			switch r.IntN(3) {
			case 0:
				ss = append(ss, []piece{{"The " + pick(groupsA), "ACTOR"}, {" ", ""}, {"shelled", "ATTACK"}, {" the ", ""}, {pick(depotsA), "FACILITY"}, {" near ", ""}, {pick(townsA), "LOCATION"}, {".", ""}})
			case 1:
				ss = append(ss, []piece{{"In ", ""}, {pick(townsA), "LOCATION"}, {", ", ""}, {"fighters", "ACTOR"}, {" ", ""}, {"attacked", "ATTACK"}, {" a ", ""}, {pick(depotsA), "FACILITY"}, {".", ""}})
			default:
				ss = append(ss, []piece{{pick(fillerA), ""}})
			}
		}
		ss = append(ss, []piece{{"Police in " + decoyWord + " said the attack story was a rumour.", ""}})
		exs = append(exs, buildDoc(fmt.Sprintf("d%d", i), ss, true))
	}
	return exs
}

func rules(t testing.TB) Rules {
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLearnsNewLabel: a label the rules never make is learned from accepted spans and
// suggested on unseen text with the model's origin and a confidence.
func TestLearnsNewLabel(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	m, err := Train(ctx, r, corpus(1, 30), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m.Version = 3
	test := buildDoc("t", [][]piece{{{"The Ostrel fighters", "ACTOR"}, {" ", ""}, {"shelled", "ATTACK"}, {" the ", ""}, {"rail yard", "FACILITY"}, {" near ", ""}, {"Zelmot", "LOCATION"}, {".", ""}}}, true)
	d, err := Combined{Rules: r, Model: m, MinConfidence: DefaultMinConfidence}.Suggest(ctx, test.Text, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got *annotate.Span
	for i, sp := range d.Spans {
		if sp.Confidence == nil || sp.Origin == "" {
			t.Errorf("span %q %s has origin %q, confidence %v", sp.Text, sp.Label, sp.Origin, sp.Confidence)
		}
		if sp.Label == "FACILITY" {
			got = &d.Spans[i]
		}
	}
	if got == nil {
		t.Fatalf("no FACILITY suggested in %q: %+v", test.Text, d.Spans)
	}
	if got.Text != "rail yard" || got.Origin != "model:tagger@3" || *got.Confidence < DefaultMinConfidence {
		t.Fatalf("FACILITY = %q origin %s confidence %.2f", got.Text, got.Origin, *got.Confidence)
	}
	// A span the rules and the tagger both found names both proposers (the rules first).
	both := 0
	for _, sp := range d.Spans {
		if len(sp.Proposers) == 0 {
			continue
		}
		both++
		if len(sp.Proposers) != 2 || sp.Proposers[0].Origin != sp.Origin || sp.Origin == "model:tagger@3" ||
			sp.Proposers[1].Origin != "model:tagger@3" || sp.Proposers[1].Confidence == nil {
			t.Errorf("span %q %s: origin %s, proposers %+v", sp.Text, sp.Label, sp.Origin, sp.Proposers)
		}
	}
	if both == 0 {
		t.Errorf("no span names both the rules and the tagger: %+v", d.Spans)
	}
	for _, ev := range d.Events {
		if ev.Trigger < 0 || ev.Trigger >= len(d.Spans) {
			t.Fatalf("event trigger %d out of range", ev.Trigger)
		}
		for _, a := range ev.Args {
			if a.Span < 0 || a.Span >= len(d.Spans) || a.Role != roleOf(d.Spans[a.Span].Label) {
				t.Fatalf("bad argument %+v", a)
			}
		}
	}
}

// TestSuppressesRejected: a rule's suggestion the annotators always leave out of done
// documents gets a low confidence and is hidden; without the model it is shown.
func TestSuppressesRejected(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	exs := corpus(2, 60)
	text := exs[0].Text
	plain, err := r.Suggest(ctx, text, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	decoy := func(d annotate.Draft) *annotate.Span {
		for i, sp := range d.Spans {
			if strings.Contains(sp.Text, decoyWord) {
				return &d.Spans[i]
			}
		}
		return nil
	}
	if decoy(plain) == nil {
		t.Fatalf("the rules do not suggest %q here; the test needs a rule output to suppress", decoyWord)
	}
	m, err := Train(ctx, r, exs[1:], Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := Combined{Rules: r, Model: m}.Suggest(ctx, text, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sp := decoy(all); sp == nil || *sp.Confidence >= DefaultMinConfidence {
		t.Fatalf("decoy span %+v (confidence %v): want a confidence under %.2f", sp, conf(sp), DefaultMinConfidence)
	}
	shown, _ := Combined{Rules: r, Model: m, MinConfidence: DefaultMinConfidence}.Suggest(ctx, text, "", nil)
	if decoy(shown) != nil {
		t.Fatal("decoy still shown above the threshold")
	}
}

// TestCrossValidate: on the synthetic corpus the model beats the rules alone (they cannot
// make FACILITY), and the learning curve ends higher than it starts.
func TestCrossValidate(t *testing.T) {
	rep, err := CrossValidate(context.Background(), rules(t), corpus(3, 20), CVOptions{K: 4, Curve: true, MinConfidence: DefaultMinConfidence})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.CombinedSum.MicroF1 - rep.RulesSum.MicroF1; d < 0.1 {
		t.Fatalf("rules+model %.2f, rules %.2f", rep.CombinedSum.MicroF1, rep.RulesSum.MicroF1)
	}
	if f := rep.Combined.Label("FACILITY").Overlap.F1; f < 0.9 {
		t.Fatalf("FACILITY F1 %.2f", f)
	}
	c := rep.Curve
	if len(c) < 3 || c[len(c)-1].MicroF1 <= c[0].MicroF1 || c[len(c)-1].Docs != 15 {
		t.Fatalf("curve %+v", c)
	}
	var b strings.Builder
	rep.Print(&b)
	for _, want := range []string{"FACILITY", "learning curve", "rules alone", "rules+model"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if _, err := CrossValidate(context.Background(), rules(t), corpus(3, 3), CVOptions{K: 5}); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("5 folds of 3 documents: %v", err)
	}
}

// TestIncompleteDocument: of an unfinished document only sentences whose suggestions
// are all decided teach; the rest is not read as "outside".
func TestIncompleteDocument(t *testing.T) {
	ex := buildDoc("p", [][]piece{
		{{"Fighters", "ACTOR"}, {" ", ""}, {"attacked", "ATTACK"}, {" Qesh.", ""}},
		{{"Gunmen raided Belkora.", ""}},
		{{"Markets opened late.", ""}},
	}, false)
	ex.Pending = []annotate.Span{{Start: strings.Index(ex.Text, "raided"), End: strings.Index(ex.Text, "raided") + 6, Label: "ATTACK"}}
	p := prepare(ex.Text, annotate.Draft{})
	tags, known := goldTags(p, &ex, map[string]int{"ACTOR": 0, "ATTACK": 1})
	for i, tk := range p.toks {
		if want := tk.sent == 0; known[i] != want {
			t.Errorf("token %q (sentence %d): known %v", tk.raw, tk.sent, known[i])
		}
	}
	if tags[0] != 1 || tags[1] != 3 {
		t.Fatalf("tags %v", tags[:3])
	}
}

// TestMarshal: a model survives encoding; damage and newer formats are refused clearly.
func TestMarshal(t *testing.T) {
	ctx := context.Background()
	r := rules(t)
	m, err := Train(ctx, r, corpus(4, 10), Options{Rerank: true})
	if err != nil {
		t.Fatal(err)
	}
	m.Version = 2
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.at == nil || m2.at == nil || fmt.Sprint(m.at.thr, m.at.a, m.at.b) != fmt.Sprint(m2.at.thr, m2.at.a, m2.at.b) {
		t.Fatalf("argument tagger not kept: %+v -> %+v", m.at, m2.at)
	}
	text := corpus(5, 1)[0].Text
	d1, _ := Combined{Rules: r, Model: m}.Suggest(ctx, text, "", nil)
	d2, _ := Combined{Rules: r, Model: m2}.Suggest(ctx, text, "", nil)
	if fmt.Sprint(spansOf(d1)) != fmt.Sprint(spansOf(d2)) || len(d1.Events) != len(d2.Events) {
		t.Fatalf("decoded model differs:\n%v\n%v", spansOf(d1), spansOf(d2))
	}
	bad := append([]byte(nil), b...)
	bad[len(bad)-5] ^= 0xff
	if _, err := Unmarshal(bad); annotate.ErrorCode(err) != annotate.EInvalid || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("damaged: %v", err)
	}
	newer := append([]byte(nil), b...)
	newer[len(magic)+3] = FormatVersion + 1
	if _, err := Unmarshal(newer); annotate.ErrorCode(err) != annotate.ETooNew || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer: %v", err)
	}
	if _, err := Unmarshal([]byte("hello")); annotate.ErrorCode(err) != annotate.EInvalid {
		t.Fatalf("not a model: %v", err)
	}
	if _, err := Unmarshal(b[:len(b)-10]); err == nil {
		t.Fatal("truncated model accepted")
	}
}

func spansOf(d annotate.Draft) []string {
	var out []string
	for _, sp := range d.Spans {
		out = append(out, fmt.Sprintf("%d-%d %s %s %.4f", sp.Start, sp.End, sp.Label, sp.Origin, *sp.Confidence))
	}
	return out
}

// TestTokenizeOffsets: offsets are code points over the text, for scripts without case
// and for emoji.
func TestTokenizeOffsets(t *testing.T) {
	text := "🇸🇩 قصف مخيم. 周二 Kyiv's U.S. aid, 12 died."
	runes := []rune(text)
	toks := tokenize(text)
	for _, tk := range toks {
		if string(runes[tk.s:tk.e]) != tk.raw {
			t.Errorf("token %q at [%d,%d) reads %q", tk.raw, tk.s, tk.e, string(runes[tk.s:tk.e]))
		}
	}
	var words []string
	for _, tk := range toks {
		words = append(words, tk.raw)
	}
	if got := strings.Join(words, "|"); !strings.Contains(got, "Kyiv's") || !strings.Contains(got, "قصف|مخيم") {
		t.Fatalf("tokens %s", got)
	}
	if toks[len(toks)-1].sent == 0 {
		t.Fatal("no sentence break found")
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "a. B", "🇸🇩 قصف", "x'y.z", "\n\n.", "U.S. aid"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := utf8.RuneCountInString(s)
		last := 0
		for _, tk := range tokenize(s) {
			if tk.s < last || tk.e <= tk.s || tk.e > n {
				t.Fatalf("token [%d,%d) after %d in %d code points", tk.s, tk.e, last, n)
			}
			last = tk.e
		}
	})
}

// FuzzUnmarshal: any bytes decode to a model or an error, never a panic; a model that
// decodes can tag text.
func FuzzUnmarshal(f *testing.F) {
	m, err := Train(context.Background(), rules(f), corpus(6, 4), Options{})
	if err != nil {
		f.Fatal(err)
	}
	b, err := m.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(magic + "\x00\x00\x00\x01\x00\x00\x00\x00"))
	f.Add([]byte("not a model"))
	r := rules(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Unmarshal(data)
		if err != nil {
			return
		}
		if _, err := (Combined{Rules: r, Model: m}).Suggest(context.Background(), "Fighters attacked Qesh. Two died.", "", nil); err != nil {
			t.Fatal(err)
		}
	})
}

func conf(sp *annotate.Span) any {
	if sp == nil || sp.Confidence == nil {
		return nil
	}
	return *sp.Confidence
}

// TestEventRoles: events keep to the roles their type allows (no target for an INJURY by
// default; a schema's own event types and roles when given), which the store enforces.
func TestEventRoles(t *testing.T) {
	m, err := Train(context.Background(), rules(t), corpus(7, 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := "Two guards were wounded at the fuel depot near Qesh."
	p := prepare(text, annotate.Draft{})
	at := func(w, label string) annotate.Span {
		s := utf8.RuneCountInString(text[:strings.Index(text, w)])
		return annotate.Span{Start: s, End: s + utf8.RuneCountInString(w), Label: label}
	}
	spans := []annotate.Span{at("guards", "VICTIM"), at("wounded", "INJURY"), at("fuel depot", "TARGET"), at("Qesh", "LOCATION")}
	evs := m.events(p, spans, nil)
	if len(evs) != 1 || evs[0].Type != "INJURY" {
		t.Fatalf("events %+v", evs)
	}
	for _, a := range evs[0].Args {
		if a.Role == "target" {
			t.Fatalf("INJURY event has a target: %+v", evs[0].Args)
		}
	}
	schema := &annotate.Schema{EventTypes: []annotate.EventType{{Name: "HURT", Trigger: "INJURY", Roles: []string{"place"}}}}
	evs = m.events(p, spans, schema)
	if len(evs) != 1 || evs[0].Type != "HURT" {
		t.Fatalf("with a schema: events %+v", evs)
	}
	for _, a := range evs[0].Args {
		if a.Role != "place" {
			t.Fatalf("role %q outside the schema's", a.Role)
		}
	}
	if evs := m.events(p, spans, &annotate.Schema{}); len(evs) != 0 {
		t.Fatalf("a schema without event types still got events %+v", evs)
	}
}
