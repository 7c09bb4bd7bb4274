package main

import "testing"

func TestTrainedMessage(t *testing.T) {
	for _, c := range []struct {
		origin string
		docs   int
		want   string
	}{
		{"model:tagger@1", 1, "Suggestion model tagger@1 trained on 1 done document; the next suggestions use it"},
		{"model:tagger@12", 40, "Suggestion model tagger@12 trained on 40 done documents; the next suggestions use it"},
	} {
		if got := trainedMessage(c.origin, c.docs); got != c.want {
			t.Errorf("trainedMessage(%q, %d) = %q, want %q", c.origin, c.docs, got, c.want)
		}
	}
}
