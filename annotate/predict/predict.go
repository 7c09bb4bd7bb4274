// Package predict reads a model's predictions — from a file, a model process or a Label
// Studio ML backend — and checks them against the documents they are for, so that they
// can be stored as suggestions carrying the model's name, version and score.
//
// Two shapes are read by one reader, as a JSON array or as JSONL:
//
//	{"id","model","model_version","score","sha256","text","spans":[{"start","end","label","score","text","attrs"}]}
//	{"id","data":{"text",...},"predictions":[{"model_version","score","result":[{"score","value":{"start","end","text","labels"}}]}]}
//
// The second is a Label Studio task. A line {"id","error"} is a model's refusal for one
// document; it is reported like any other bad document.
package predict

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Span is one span a model proposed. Start and End are counted as the model counted them
// (code points, UTF-16 units or bytes) until Resolve converts them to code points.
type Span struct {
	Start, End int
	Label      string
	Score      *float64 // nil: the model gave none (never read as 1.0)
	Text       string   // the covered text as the model quoted it; "" if it did not
	HasText    bool     // Text was given (an empty quote is still a quote)
	Attrs      json.RawMessage
}

// Prediction is one model's output for one document.
type Prediction struct {
	File    string // where it was read; "" for a model's reply
	Line    int
	DocID   string // the document's external id; "" when only a text hash names it
	SHA256  string // hex SHA-256 of the text the model saw; "" if not given
	Model   string
	Version string
	Score   *float64 // the document-level score, if any
	Spans   []Span
	Err     string // the model's own error for this document ({"id","error"})
}

// Problem is a prediction that cannot be used: where it was read, which document, why.
// Other documents are not affected by it.
type Problem struct {
	File   string
	Line   int
	DocID  string
	Reason string
}

func (p *Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.DocID != "" {
		fmt.Fprintf(&b, "document %q: ", p.DocID)
	}
	b.WriteString(p.Reason)
	return b.String()
}

// Origin is the origin recorded on a model's suggestions: "model:NAME@VERSION", or
// "model:NAME" when the model gave no version.
func Origin(model, version string) string {
	if version == "" {
		return "model:" + model
	}
	return "model:" + model + "@" + version
}
