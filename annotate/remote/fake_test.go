package remote_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary play a model process: with EVIDENT_FAKE_MODEL set it
// speaks the protocol, misbehaving as the mode says, instead of running the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("EVIDENT_FAKE_MODEL"); mode != "" {
		fakeModel(mode)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeCommand is the shell command that runs this binary as a fake model.
func fakeCommand(mode string) string {
	return fmt.Sprintf("EVIDENT_FAKE_MODEL=%s exec %q -test.run=^$", mode, os.Args[0])
}

// fakeModel tags every capitalised word as NAME, with a score of 0.5.
//
//	instant   answers every request
//	garbage   prints a banner line on stdout before its first line
//	nohello   prints a banner and exits
//	exit3     exits after answering three requests (every start)
//	poison    exits whenever it is asked for document "bad"
//	stranger  also answers for a document nobody asked about, and twice for each
//	silent    never answers document "slow"
//	errors    answers {"id","error"} for document "bad"
//	reverse   answers each batch of three in reverse order
//	long      answers with a 10 MB line for document "big"
func fakeModel(mode string) {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintln(os.Stderr, "fake model starting in mode", mode)
	if mode == "garbage" || mode == "nohello" {
		fmt.Fprintln(out, "Loading weights from /models/ner ... done")
		if mode == "nohello" {
			out.Flush()
			fmt.Fprintln(os.Stderr, "Traceback: out of memory")
			os.Exit(1)
		}
	}
	fmt.Fprintln(out, `{"model":"fake","model_version":"1","labels":["NAME"]}`)
	out.Flush()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	var held []string
	n := 0
	for in.Scan() {
		var req struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request:", err)
			os.Exit(2)
		}
		n++
		if mode == "exit3" && n > 3 || mode == "poison" && req.ID == "bad" {
			fmt.Fprintln(os.Stderr, "segmentation fault on", req.ID)
			out.Flush()
			os.Exit(139)
		}
		if mode == "silent" && req.ID == "slow" {
			continue
		}
		if mode == "errors" && req.ID == "bad" {
			fmt.Fprintf(out, `{"id":%q,"error":"cannot tokenize"}`+"\n", req.ID)
			out.Flush()
			continue
		}
		reply := tag(req.ID, req.Text)
		if mode == "long" && req.ID == "big" {
			reply = fmt.Sprintf(`{"id":%q,"pad":%q,"spans":[]}`, req.ID, strings.Repeat("x", 10<<20))
		}
		if mode == "stranger" {
			fmt.Fprintln(out, `{"id":"nobody","spans":[]}`)
			fmt.Fprintln(out, reply)
		}
		if mode == "reverse" {
			held = append(held, reply)
			if len(held) < 3 {
				continue
			}
			for i := len(held) - 1; i >= 0; i-- {
				fmt.Fprintln(out, held[i])
			}
			held = held[:0]
			out.Flush()
			continue
		}
		fmt.Fprintln(out, reply)
		out.Flush()
	}
	for i := len(held) - 1; i >= 0; i-- {
		fmt.Fprintln(out, held[i])
	}
}

func tag(id, text string) string {
	type span struct {
		Start int     `json:"start"`
		End   int     `json:"end"`
		Label string  `json:"label"`
		Score float64 `json:"score"`
	}
	spans := []span{}
	runes := []rune(text)
	for i := 0; i < len(runes); {
		if runes[i] >= 'A' && runes[i] <= 'Z' && (i == 0 || runes[i-1] == ' ') {
			j := i
			for j < len(runes) && runes[j] != ' ' && runes[j] != '.' {
				j++
			}
			spans = append(spans, span{i, j, "NAME", 0.5})
			i = j
			continue
		}
		i++
	}
	b, _ := json.Marshal(map[string]any{"id": id, "spans": spans})
	return string(b)
}
