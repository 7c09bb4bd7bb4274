// Command tagger is Evident's example model (see README, "Your own model"):
//
//	tagger train [--name N] [--version V] EXPORT.jsonl > model.json
//	tagger --model model.json                 # JSONL over stdin/stdout
//	tagger --model model.json --http :9090    # a Label Studio ML backend
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/http"
	"os"

	"evident/examples/tagger/gazetteer"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tagger:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "train" {
		fs := flag.NewFlagSet("train", flag.ContinueOnError)
		name := fs.String("name", "gazetteer", "model name")
		version := fs.String("version", "1", "model version")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
			return fmt.Errorf("usage: tagger train [--name N] [--version V] EXPORT.jsonl > model.json")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		m, err := gazetteer.Train(f, *name, *version)
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		fmt.Fprintf(os.Stderr, "learned %d phrases\n", len(m.Phrases))
		return m.Save(os.Stdout)
	}
	fs := flag.NewFlagSet("tagger", flag.ContinueOnError)
	path := fs.String("model", "model.json", "model written by tagger train")
	addr := fs.String("http", "", "serve the Label Studio ML backend protocol on this address instead of stdin/stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*path)
	if err != nil {
		return err
	}
	m, err := gazetteer.Load(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *path, err)
	}
	if *addr != "" {
		fmt.Fprintf(os.Stderr, "serving %s@%s on %s\n", m.Name, m.Version, *addr)
		return http.ListenAndServe(*addr, m.Handler())
	}
	return m.ServeJSONL(bufio.NewReaderSize(os.Stdin, 1<<16), os.Stdout)
}
