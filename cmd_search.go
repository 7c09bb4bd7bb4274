package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"evident/annotate"
	"evident/annotate/query"
)

// cmdSearch: evident search [--json] [--limit N] [--by-document] QUERY, or --inconsistent.
func cmdSearch(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "search", "QUERY  (see the README for the query language)")
	asJSON := fs.Bool("json", false, `print one JSON object a line: {"id","title","start","end","text"} (+ "label","status","annotator" for spans)`)
	limit := fs.Int("limit", 1000, "print at most N hits (0: all)")
	byDoc := fs.Bool("by-document", false, "list documents in the document list's order instead of newest first")
	inconsistent := fs.Bool("inconsistent", false, "list strings labelled differently in different places, or labelled in some documents and bare in others")
	if err := parse(fs, args); err != nil {
		return err
	}
	text := strings.Join(fs.Args(), " ")
	if text == "" && !*inconsistent {
		return usageError{`no query (usage: evident search [--json] [--limit N] QUERY, e.g. label:DEATH "civilians")`}
	}
	if *limit < 0 {
		return usageError{"--limit must be 0 (all) or more"}
	}
	st, _, err := openExisting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *inconsistent {
		list, err := query.Inconsistencies(ctx, st)
		if err != nil {
			return err
		}
		return printInconsistencies(env.stdout, list, *asJSON, *limit)
	}
	searcher, ok := st.(annotate.Searcher)
	if !ok {
		return fmt.Errorf("this database cannot be searched yet (search runs on SQLite and PostgreSQL databases)")
	}
	if f, ok := st.(interface{ HasFTS(context.Context) bool }); ok && !f.HasFTS(ctx) {
		fmt.Fprintln(env.stderr, "evident search: this evident was built without SQLite FTS5 (go build -tags sqlite_fts5); searching by reading every document")
	}
	opt := annotate.SearchOptions{Limit: *limit}
	if *byDoc {
		opt.Order = annotate.SearchByDocument
	}
	res, err := searcher.Search(ctx, text, opt)
	if err != nil {
		return err
	}
	if err := printHits(env.stdout, res.Hits, *asJSON); err != nil {
		return err
	}
	if res.More {
		fmt.Fprintf(env.stderr, "evident search: more hits than --limit %d; pass --limit 0 for all\n", *limit)
	}
	return nil
}

// hitJSON is one line of `evident search --json`.
type hitJSON struct {
	ID        int64   `json:"id"`
	Title     string  `json:"title"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Text      string  `json:"text"`
	Label     *string `json:"label,omitempty"` // set (even empty) for span hits only
	Status    *string `json:"status,omitempty"`
	Annotator *string `json:"annotator,omitempty"`
}

func printHits(w io.Writer, hits []annotate.Hit, asJSON bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, h := range hits {
		if asJSON {
			j := hitJSON{ID: h.DocID, Title: h.Title, Start: h.Start, End: h.End, Text: h.Text}
			if h.SpanID != 0 {
				st := string(h.Status)
				j.Label, j.Status, j.Annotator = &h.Label, &st, &h.Annotator
			}
			if err := enc.Encode(j); err != nil {
				return err
			}
			continue
		}
		line := fmt.Sprintf("%d\t%s\t%d-%d\t%s[%s]%s", h.DocID, h.Title, h.Start, h.End, h.Before, h.Text, h.After)
		if h.SpanID != 0 {
			line += fmt.Sprintf("\t%s %s %s", h.Label, h.Status, h.Annotator)
		}
		if _, err := fmt.Fprintln(w, strings.TrimSpace(line)); err != nil {
			return err
		}
	}
	return nil
}

func printInconsistencies(w io.Writer, list []query.Inconsistency, asJSON bool, limit int) error {
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, in := range list {
		if asJSON {
			if err := enc.Encode(in); err != nil {
				return err
			}
			continue
		}
		labels := make([]string, 0, len(in.Labels))
		for l := range in.Labels {
			labels = append(labels, l)
		}
		sort.Slice(labels, func(i, j int) bool {
			return in.Labels[labels[i]] > in.Labels[labels[j]] || (in.Labels[labels[i]] == in.Labels[labels[j]] && labels[i] < labels[j])
		})
		parts := make([]string, len(labels))
		for i, l := range labels {
			parts[i] = fmt.Sprintf("%s %d", l, in.Labels[l])
		}
		line := fmt.Sprintf("%q\t%s\tlabelled in %d documents", in.Text, strings.Join(parts, ", "), in.Labelled)
		if in.Bare > 0 {
			ids := make([]string, len(in.BareDocs))
			for i, id := range in.BareDocs {
				ids[i] = fmt.Sprint(id)
			}
			line += fmt.Sprintf(", bare in %d (documents %s)", in.Bare, strings.Join(ids, " "))
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}
