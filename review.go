package main

import (
	"context"
	"encoding/json"
	"fmt"

	"evident/annotate"
	"evident/annotate/agree"
)

func cmdAgree(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "agree", "")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, _, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := agreement(ctx, st)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := env.stdout
	if len(rep.Pairs) == 0 {
		fmt.Fprintf(w, "%d annotator(s) with accepted spans: agreement needs two who labelled the same documents\n", len(rep.Annotators))
		return nil
	}
	for _, p := range rep.Pairs {
		fmt.Fprintf(w, "%s vs %s: %d documents, %d tokens\n", p.A, p.B, p.Documents, p.Tokens)
		fmt.Fprintf(w, "  %-12s %8s %8s\n", "label", "exact F1", "overlap")
		fmt.Fprintf(w, "  %-12s %8.3f %8.3f\n", "(all)", p.Exact.F1, p.Overlap.F1)
		for _, l := range p.Labels {
			fmt.Fprintf(w, "  %-12s %8.3f %8.3f\n", l.Label, l.Exact.F1, l.Overlap.F1)
		}
		fmt.Fprintf(w, "  Cohen's kappa over tokens: %.3f\n\n", p.Kappa)
	}
	fmt.Fprintf(w, "Krippendorff's alpha (nominal, tokens) across %d annotators: %.3f over %d documents, %d tokens\n",
		len(rep.Annotators), rep.Alpha, rep.AlphaDocs, rep.AlphaUnits)
	return nil
}

// agreement reads every document's accepted spans, grouped by annotator.
func agreement(ctx context.Context, st annotate.Store) (agree.Report, error) {
	var docs []agree.Doc
	f := annotate.ExportFilter{Spans: annotate.SpanFilter{Statuses: []annotate.Status{annotate.StatusAccepted}}}
	err := st.EachDocument(ctx, f, func(d *annotate.Document, spans []annotate.Span, _ []annotate.Event) error {
		by := map[string][]agree.Span{}
		for _, s := range spans {
			by[s.Annotator] = append(by[s.Annotator], agree.Span{Start: s.Start, End: s.End, Label: s.Label})
		}
		if len(by) < 2 {
			// Agreement needs two annotators on a document; skip tokenising the rest.
			docs = append(docs, agree.Doc{ID: d.ExternalID, Spans: by})
			return nil
		}
		docs = append(docs, agree.Doc{ID: d.ExternalID, Tokens: annotate.Tokens(d.Text), Spans: by})
		return nil
	})
	if err != nil {
		return agree.Report{}, err
	}
	return agree.Compute(docs), nil
}
