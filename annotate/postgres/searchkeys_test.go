package postgres

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"evident/annotate"
	"evident/annotate/query"
)

// keysHold reports whether every key of want is in have.
func keysHold(have, want []int32) bool {
	have = slices.Sorted(slices.Values(have))
	for _, k := range want {
		if _, ok := slices.BinarySearch(have, k); !ok {
			return false
		}
	}
	return true
}

// checkKeys fails when q has a hit in text whose document keys lack one of q's lookup
// keys: the index would hide a hit.
func checkKeys(t *testing.T, text, term string) bool {
	t.Helper()
	q, err := query.ParseForStore(term)
	if err != nil {
		return false
	}
	if len(q.Eval(&annotate.Document{Text: text}, nil)) == 0 {
		return false
	}
	var k textKeyer
	_, have := k.fold(text)
	want := lookupKeys(q)
	if !keysHold(have, want) {
		t.Fatalf("%q has a hit of %q, but its keys %v lack some of %v", text, term, have, want)
	}
	return true
}

// TestSearchKeysHoldHits: for terms with hits in texts of several scripts, the document
// holds every lookup key of the term, and a term with no hit is usually told apart by
// its keys alone.
func TestSearchKeysHoldHits(t *testing.T) {
	texts := []string{
		"Militants fired rockets at the base, killing three soldiers; 12 wounded.",
		"Überfall in Köln: Polizei meldet zwei Verletzte.",
		"قتل ثلاثة جنود في هجوم على القاعدة",
		"北京发生爆炸，造成三人死亡。",
		"Взрыв в Донецке: погибли двое мирных жителей",
		"a 🙂 emoji-laden report, with CAPS and ß and naïve café",
	}
	terms := []string{"killing", "kill", "rocket", "soldiers", "12 wounded", "koln", "Köln", "verletzte", "جنود", "القاعدة",
		"爆炸", "北京", "死", "погибли", "мирных", "naive", "cafe", "strasse", "ss", "🙂 emoji", "caps", "fired rockets at"}
	hits := 0
	for _, text := range texts {
		for _, term := range terms {
			if checkKeys(t, text, term) {
				hits++
			}
		}
	}
	if hits < len(texts) {
		t.Fatalf("only %d term-text pairs with hits: the test checks too little", hits)
	}
	// The keys narrow: a word the text lacks is usually missing from its keys.
	var k textKeyer
	_, have := k.fold(texts[0])
	missing := 0
	for i := 0; i < 100; i++ {
		q, err := query.ParseForStore(fmt.Sprintf("zq%dxv", i))
		if err != nil {
			t.Fatal(err)
		}
		if !keysHold(have, lookupKeys(q)) {
			missing++
		}
	}
	if missing < 95 {
		t.Errorf("only %d of 100 absent words are told apart by the keys", missing)
	}
}

// FuzzSearchKeys: whenever a term has a hit in a text, the text's keys hold the term's.
func FuzzSearchKeys(f *testing.F) {
	f.Add("Militants fired rockets at the base", "rock")
	f.Add("北京发生爆炸", "爆炸")
	f.Add("قتل ثلاثة جنود", "ثلاثة جنود")
	f.Add("naïve café", "naive")
	f.Add("Straße", "strasse")
	f.Fuzz(func(t *testing.T, text, term string) {
		checkKeys(t, text, term)
	})
}

// TestKeySetDedup: reused from call to call, with key sets of every size, dedup keeps
// exactly one of each key, in first-seen order.
func TestKeySetDedup(t *testing.T) {
	var s keySet
	r := rand.New(rand.NewPCG(3, 0))
	for call := 0; call < 500; call++ {
		n := r.IntN(400)
		keys := make([]int32, n)
		for i := range keys {
			keys[i] = int32(r.IntN(n/2+1)) - int32(n/4) // repeats, negatives and 0
		}
		var want []int32
		seen := map[int32]bool{}
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				want = append(want, k)
			}
		}
		if got := s.dedup(slices.Clone(keys)); !slices.Equal(got, want) {
			t.Fatalf("call %d: dedup(%v) = %v, want %v", call, keys, got, want)
		}
	}
}

// TestSearchKeysOfNoTokens: a text with no index token still gets a key array, empty
// rather than nil, since search_text.keys is NOT NULL and pgx binds a nil slice as NULL
// (an import of such a document failed so once short words stopped being indexed).
func TestSearchKeysOfNoTokens(t *testing.T) {
	var set keySet
	if keys := searchKeys("", &set); keys == nil || len(keys) != 0 {
		t.Fatalf("searchKeys of no tokens = %#v, want an empty non-nil slice", keys)
	}
}
