package predict_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"evident/annotate"
	"evident/annotate/predict"
)

// FuzzRead feeds arbitrary bytes to the reader and resolves whatever it accepts against a
// text with emoji and CJK, in every offset convention: nothing may panic, every span that
// passes must lie inside the text, and every failure must be a Problem or io.EOF.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"id":"d","spans":[{"start":0,"end":2,"label":"A","score":0.5,"text":"😀 "}]}`))
	f.Add([]byte(`[{"id":1,"data":{"text":"x"},"predictions":[{"model_version":"v","result":[{"value":{"start":0,"end":1,"labels":["A"]}}]}]}]`))
	f.Add([]byte("{\"id\":\"d\",\"score\":NaN,\"spans\":[{\"start\":3,\"end\":1,\"label\":\"A\"}]}\n\n{\"id\":\"e\",\"error\":\"x\"}"))
	f.Add([]byte(`[{"id":"a","spans":[]},{"id":`))
	d := doc("😀 Ali in 東京.")
	offs := annotate.NewOffsets(d.Text)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := predict.NewReader(bytes.NewReader(data), "f", "m")
		r.MaxLine = 1 << 16
		for i := 0; i <= len(data)+1; i++ {
			ps, err := r.Next()
			if err == io.EOF {
				return
			}
			var prob *predict.Problem
			if err != nil && !errors.As(err, &prob) {
				t.Fatalf("not a problem: %v", err)
			}
			for j := range ps {
				for _, u := range []string{predict.UnitsCodePoints, predict.UnitsUTF16, predict.UnitsBytes} {
					res, err := predict.Resolve(&ps[j], d, offs, predict.Options{Units: u})
					if err != nil {
						continue
					}
					for _, s := range res.Spans {
						if s.Start < 0 || s.End > offs.Len() || s.Start >= s.End {
							t.Fatalf("span [%d, %d) passed over a text of %d", s.Start, s.End, offs.Len())
						}
					}
				}
			}
		}
		t.Fatal("reader did not end")
	})
}
