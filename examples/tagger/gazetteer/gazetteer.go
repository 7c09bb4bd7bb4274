// Package gazetteer is the example model shipped with Evident: it learns the phrases
// annotators accepted in an export and tags them wherever they occur again. It is small
// on purpose — a stand-in for a user's spaCy or Hugging Face tagger — and speaks both of
// the protocols `evident suggest` uses: JSONL over stdin/stdout, and the Label Studio ML
// backend over HTTP.
package gazetteer

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode"
)

// Model maps a lower-cased phrase to how often each label was accepted for it.
type Model struct {
	Name    string                    `json:"model"`
	Version string                    `json:"model_version"`
	Phrases map[string]map[string]int `json:"phrases"`
	longest int                       // words in the longest phrase
}

// Train reads an Evident JSONL export and counts accepted spans by phrase and label.
func Train(r io.Reader, name, version string) (*Model, error) {
	m := &Model{Name: name, Version: version, Phrases: map[string]map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for n := 1; sc.Scan(); n++ {
		var doc struct {
			Spans []struct {
				Label, Text, Status string
			} `json:"spans"`
		}
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		for _, s := range doc.Spans {
			if s.Status != "" && s.Status != "accepted" {
				continue
			}
			k := strings.ToLower(strings.TrimSpace(s.Text))
			if k == "" {
				continue
			}
			if m.Phrases[k] == nil {
				m.Phrases[k] = map[string]int{}
			}
			m.Phrases[k][s.Label]++
		}
	}
	return m, sc.Err()
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	var m Model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// Save writes the model as JSON.
func (m *Model) Save(w io.Writer) error { return json.NewEncoder(w).Encode(m) }

// Labels are the labels the model knows, sorted.
func (m *Model) Labels() []string {
	set := map[string]bool{}
	for _, ls := range m.Phrases {
		for l := range ls {
			set[l] = true
		}
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Span is one tagged phrase, in code points.
type Span struct {
	Start int     `json:"start"`
	End   int     `json:"end"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
	Text  string  `json:"text"`
}

type word struct{ start, end int }

// Tag finds known phrases in text, longest first, at word boundaries. A phrase's score is
// the share of its accepted spans that had the label chosen.
func (m *Model) Tag(text string) []Span {
	if m.longest == 0 {
		for p := range m.Phrases {
			m.longest = max(m.longest, len(strings.Fields(p)))
		}
	}
	runes := []rune(text)
	var words []word
	for i := 0; i < len(runes); {
		if !isWord(runes[i]) {
			i++
			continue
		}
		j := i
		for j < len(runes) && isWord(runes[j]) {
			j++
		}
		words = append(words, word{i, j})
		i = j
	}
	spans := []Span{}
	for i := 0; i < len(words); {
		matched := false
		for n := min(m.longest, len(words)-i); n >= 1; n-- {
			s, e := words[i].start, words[i+n-1].end
			phrase := string(runes[s:e])
			counts := m.Phrases[strings.ToLower(phrase)]
			if counts == nil {
				continue
			}
			best, total := "", 0
			for l, c := range counts {
				total += c
				if best == "" || c > counts[best] || c == counts[best] && l < best {
					best = l
				}
			}
			spans = append(spans, Span{s, e, best, float64(counts[best]) / float64(total), phrase})
			i += n
			matched = true
			break
		}
		if !matched {
			i++
		}
	}
	return spans
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '-' || r == '\'' }

// ServeJSONL speaks the process protocol: the first line names the model, then one reply
// a request.
func (m *Model) ServeJSONL(in io.Reader, out io.Writer) error {
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	if err := enc.Encode(map[string]any{"model": m.Name, "model_version": m.Version, "labels": m.Labels()}); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		var req struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			enc.Encode(map[string]any{"id": req.ID, "error": err.Error()})
		} else {
			enc.Encode(map[string]any{"id": req.ID, "spans": m.Tag(req.Text)})
		}
		// Flush only when no more requests are waiting: one write for a whole batch.
		if r, ok := in.(interface{ Buffered() int }); !ok || r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return sc.Err()
}

// Handler speaks the Label Studio ML backend protocol: GET /health, POST /setup and POST
// /predict with {"tasks":[{"id","data":{"text"}}]}, answered {"results":[...]}.
func (m *Model) Handler() http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]any{"status": "UP", "model_class": m.Name})
	})
	mux.HandleFunc("POST /setup", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]any{"model_version": m.Version})
	})
	mux.HandleFunc("POST /predict", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Tasks []struct {
				ID   int `json:"id"`
				Data struct {
					Text string `json:"text"`
				} `json:"data"`
			} `json:"tasks"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		results := make([]any, len(req.Tasks))
		for i, t := range req.Tasks {
			var regions []any
			for j, s := range m.Tag(t.Data.Text) {
				regions = append(regions, map[string]any{
					"id": fmt.Sprintf("r%d", j), "from_name": "label", "to_name": "text", "type": "labels", "score": s.Score,
					"value": map[string]any{"start": s.Start, "end": s.End, "text": s.Text, "labels": []string{s.Label}},
				})
			}
			if regions == nil {
				regions = []any{}
			}
			results[i] = map[string]any{"model_version": m.Version, "result": regions}
		}
		reply(w, map[string]any{"results": results})
	})
	return mux
}
