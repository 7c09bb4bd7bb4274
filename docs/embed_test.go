package docs_test

import (
	"strings"
	"testing"

	"evident/docs"
)

func TestGuidelineEmbedded(t *testing.T) {
	g := docs.Guideline()
	if !strings.HasPrefix(g, "# ") || !strings.Contains(g, "\n## CASUALTY\n") {
		t.Fatalf("embedded guideline starts %.40q and lacks a CASUALTY section", g)
	}
}
