package suggest_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"evident/annotate/suggest"
)

// TestDump prints suggestions for the file in SUGGEST_DUMP (a development aid).
func TestDump(t *testing.T) {
	path := os.Getenv("SUGGEST_DUMP")
	if path == "" {
		t.Skip("set SUGGEST_DUMP=file to print suggestions for it")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Suggest(context.Background(), string(b), os.Getenv("SUGGEST_PUB"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, sp := range d.Spans {
		fmt.Printf("%3d %-9s %-28q %-26s %s\n", i, sp.Label, sp.Text, sp.Origin, sp.Attrs)
	}
	for _, e := range d.Events {
		fmt.Printf("%s %d %v\n", e.Type, e.Trigger, e.Args)
	}
	fmt.Println(d.Claimants)
}
