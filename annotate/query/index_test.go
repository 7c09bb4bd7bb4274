package query

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"evident/annotate"
)

// holds reports whether a document indexed as tokens satisfies every lookup.
func holds(tokens string, ls []Lookup) bool {
	set := map[string]bool{}
	for _, t := range strings.Fields(tokens) {
		set[t] = true
	}
	for _, l := range ls {
		ok := set[l.Token]
		if l.Prefix && !ok {
			for t := range set {
				if strings.HasPrefix(t, l.Token) {
					ok = true
					break
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// checkLookups fails when term has a hit in text (Eval) but the text's index tokens miss
// one of the term's lookups: the index would hide a hit.
func checkLookups(t *testing.T, text, term string) {
	t.Helper()
	if strings.ContainsAny(term, `"`) {
		return
	}
	q, err := Parse(`"` + term + `"`)
	if err != nil || len(q.Terms) == 0 {
		return
	}
	hits := q.Eval(&annotate.Document{Text: text}, nil)
	if len(hits) == 0 {
		return
	}
	if tokens, ls := IndexTokens(text), q.Lookups(); !holds(tokens, ls) {
		t.Fatalf("%q is found in %q but the index misses it\ntokens %q\nlookups %+v", term, text, tokens, ls)
	}
}

// indexAlphabet mixes the scripts and the characters folding treats specially: Latin
// with precomposed and combining diacritics, ß, Arabic with vowel marks and tatweel,
// Chinese and Japanese, Thai, Devanagari with vowel signs, Cyrillic, digits, fullwidth
// letters, punctuation, emoji with joiners.
var indexAlphabet = []rune("aAbcdeéÉsSßtxyz0123 ,.-'قصفالجيشَُِـ北京市爆炸东で発がりกรุงเทพदिल्लीमेंाОбстрелжи ＡＢ🔥👨\u200d👩\u0301\u0308")

func TestLookupsHoldForEveryHit(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 19))
	for i := 0; i < 20000; i++ {
		text := make([]rune, 1+r.IntN(40))
		for k := range text {
			text[k] = indexAlphabet[r.IntN(len(indexAlphabet))]
		}
		// Terms cut from the text (start anywhere, any length), sometimes re-cased.
		a := r.IntN(len(text))
		b := a + 1 + r.IntN(len(text)-a)
		term := string(text[a:b])
		if r.IntN(3) == 0 {
			term = strings.ToUpper(term)
		}
		checkLookups(t, string(text), term)
	}
}

func TestLookups(t *testing.T) {
	for _, c := range []struct{ text, term string }{
		{"Shelling killed 12 civilians in Qaryat", "civilians in qar"},
		{"Shelling killed 12 civilians in Qaryat", "KILL"},
		{"Civilians fled São Vicente", "sao vic"},
		{"Straße blocked", "strass"},
		{"قَصَفَ الجيشُ قرية في غـــزة والقصف مستمر", "القصف"},
		{"قَصَفَ الجيشُ قرية في غـــزة والقصف مستمر", "قصف"},
		{"北京市发生爆炸，北京警方说", "北京"},
		{"北京市发生爆炸，北京警方说", "爆"},
		{"东京で爆発があり", "京で爆発"},
		{"दिल्ली में धमाका", "धमाका"},
		{"abcقصفxyz", "فxyz"},
		{"e\u0301te\u0301 cafe\u0301", "cafe"},
		{"ＡＢＣ report", "abc"},
		{strings.Repeat("longword", 10), strings.Repeat("longword", 5)},
	} {
		checkLookups(t, c.text, c.term)
		q, _ := Parse(`"` + c.term + `"`)
		if len(q.Eval(&annotate.Document{Text: c.text}, nil)) == 0 {
			t.Errorf("%q: no hit in %q (the case tests nothing)", c.term, c.text)
		}
		if len(q.Lookups()) == 0 && len([]rune(c.term)) > 2 {
			t.Errorf("%q: nothing to look up", c.term)
		}
	}
}

// FuzzLookups: for any text and any term cut from it, a hit means the index holds every
// lookup of the term.
func FuzzLookups(f *testing.F) {
	f.Add("Shelling killed 12 civilians in Qaryat", 9, 16)
	f.Add("والقصف مستمر", 2, 5)
	f.Add("北京市发生爆炸", 1, 3)
	f.Add("e\u0301te\u0301 Straße", 2, 9)
	f.Fuzz(func(t *testing.T, text string, a, n int) {
		rs := []rune(text)
		if a < 0 || n <= 0 || a >= len(rs) {
			return
		}
		checkLookups(t, text, string(rs[a:min(len(rs), a+n)]))
	})
}

// BenchmarkIndexTokens indexes a 1 KB English report (what an import does per document).
func BenchmarkIndexTokens(b *testing.B) {
	text := strings.Repeat("Troops shelled a village near the river on Sunday, wounding several farmers and killing at least nine people. ", 9)
	b.SetBytes(int64(len(text)))
	var ix Indexer
	for i := 0; i < b.N; i++ {
		ix.Tokens(text)
	}
}

// Each token is written once per document, words too short to be looked up are left
// out, and Chinese is indexed by bigrams with the run's last character alone.
func TestIndexTokensOnce(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"The army and the ARMY of a town", "the army and town"},
		{"北京市 北京", "北京 京市 市 京"},
		{"东京で爆発", "东京 京で で爆 爆発 発"},
		{"والقصف القصف", "وال الق لقص قصف"},
		{"", ""},
	} {
		if got := IndexTokens(c.text); got != c.want {
			t.Errorf("IndexTokens(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	// Many tokens: the set grows and still finds every repeat.
	var words []string
	for i := 0; i < 2000; i++ {
		words = append(words, fmt.Sprintf("word%d", i%700))
	}
	if got := strings.Fields(IndexTokens(strings.Join(words, " "))); len(got) != 700 {
		t.Errorf("2,000 words of 700 different: %d tokens", len(got))
	}
}

// foldedTokens is Indexer.Tokens done the plain way: the whole text folded and cut
// into segments, every token written once.
func foldedTokens(text string) string {
	var us []unit
	for _, r := range text {
		us = appendFolded(us, r, 0)
	}
	var out []string
	seen := map[string]bool{}
	put := func(seg []unit) {
		if t := looseString(seg); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	segments(us, func(seg []unit, inWord bool) {
		if !inWord {
			if len(seg) >= MinIndexed {
				put(seg[:min(len(seg), maxToken)])
			}
			return
		}
		for i := range seg {
			switch {
			case cjk(seg[i].loose):
				put(seg[i:min(i+2, len(seg))])
			case i+MinIndexed <= len(seg):
				put(seg[i : i+MinIndexed])
			}
		}
	})
	return strings.Join(out, " ")
}

// Tokens, which reads a text in pieces between ASCII separators, gives exactly the
// tokens of the whole text folded and cut into segments, in ASCII, in every script and
// mixed.
func TestTokensByPieces(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 19))
	ascii := []rune("aAbBzZ09 .,-'\t\nxyQ")
	var ix Indexer
	for i := 0; i < 20000; i++ {
		alphabet := indexAlphabet
		if i%2 == 0 {
			alphabet = ascii
		}
		text := make([]rune, r.IntN(120))
		for k := range text {
			text[k] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(4) == 0 { // long words, cut at maxToken
			text = append(text, []rune(strings.Repeat("Ab", 20))...)
		}
		if got, want := ix.Tokens(string(text)), foldedTokens(string(text)); got != want {
			t.Fatalf("%q: Tokens %q, the whole text folded %q", string(text), got, want)
		}
	}
}
