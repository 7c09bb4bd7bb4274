package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"evident/annotate"
	"evident/annotate/incident"
)

// cmdIncidents lists incidents, disputed ones first, and with --propose links events of
// different documents that look like one happening.
func cmdIncidents(ctx context.Context, env *cliEnv, args []string) error {
	fs, db := newFlags(env, "incidents", "")
	asJSON := fs.Bool("json", false, "print one JSON object (incidents with figures, disputes and adjudications; proposals)")
	propose := fs.Bool("propose", false, "propose incidents from events of different documents not yet in one")
	accept := fs.Bool("accept-proposals", false, "store every proposal as an incident, one action each (implies --propose)")
	annot := fs.String("annotator", "", "name recorded on incidents made by --accept-proposals (default $EVIDENT_ANNOTATOR)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (usage: evident incidents [--db PATH] [--json] [--propose] [--accept-proposals])", fs.Arg(0))}
	}
	st, path, err := openExistingWith(ctx, env, *db, !*accept)
	if err != nil {
		return err
	}
	defer st.Close()
	is, ok := st.(annotate.IncidentStore)
	if !ok {
		return fmt.Errorf("%s: this database does not keep incidents", path)
	}
	docs, err := docIndex(ctx, st)
	if err != nil {
		return err
	}
	rep := incidentsReport{Incidents: []incidentJSON{}}
	if *propose || *accept {
		prog := newProgress(env)
		props, err := incident.ProposeStoredProgress(ctx, st, is, func(stage string, done, total int) {
			if total > 0 {
				prog.show("proposing incidents: %s %d/%d events", stage, done, total)
			} else {
				prog.show("proposing incidents: %s %d documents", stage, done)
			}
		})
		prog.done()
		if err != nil {
			return err
		}
		list := []proposalJSON{}
		rep.Proposals = &list
		for _, p := range props.List {
			list = append(list, proposalJSON{IncidentProposal: p, Documents: docsOf(docs, p.Events)})
		}
		if *accept {
			if err := acceptProposals(ctx, is, props, list, annotatorName(env, *annot)); err != nil {
				return err
			}
		}
	}
	incs, err := is.ListIncidents(ctx, annotate.IncidentFilter{})
	if err != nil {
		return err
	}
	incident.Sort(incs)
	for _, inc := range incs {
		rep.Incidents = append(rep.Incidents, newIncidentJSON(inc, docs))
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printIncidents(env.stdout, rep, *propose || *accept)
	return nil
}

// acceptProposals stores every proposal as an incident and notes its id in list. A store
// that can without blocking other writers for long (annotate.IncidentBatcher: both
// backends) takes them all as one action, so a failure or a killed process leaves all or
// none; any other store takes them one by one.
func acceptProposals(ctx context.Context, is annotate.IncidentStore, props incident.Proposals, list []proposalJSON, annotator string) error {
	incs := make([]annotate.Incident, len(list))
	for i, p := range list {
		incs[i] = props.FromProposal(p.IncidentProposal)
	}
	if b, ok := is.(annotate.IncidentBatcher); ok {
		ids, err := b.CreateIncidents(ctx, incs, annotator)
		if err != nil {
			return fmt.Errorf("accept proposals (none was stored): %w", err)
		}
		for i := range list {
			list[i].Incident = ids[i]
		}
		return nil
	}
	for i, p := range list {
		inc, err := is.CreateIncident(ctx, incs[i], annotator)
		if err != nil {
			return fmt.Errorf("accept proposal %s: %w", p.Reasons, err)
		}
		list[i].Incident = inc.ID
	}
	return nil
}

// docIndex maps document ids to their list rows (titles, outlets, dates).
func docIndex(ctx context.Context, st annotate.Store) (map[int64]annotate.DocSummary, error) {
	list, err := st.Documents(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]annotate.DocSummary, len(list))
	for _, d := range list {
		m[d.ID] = d
	}
	return m, nil
}

// incidentsReport is what --json prints.
type incidentsReport struct {
	Incidents []incidentJSON `json:"incidents"`
	// Proposals is present (possibly empty) with --propose; each names the incident it
	// became with --accept-proposals.
	Proposals *[]proposalJSON `json:"proposals,omitempty"`
}

type docJSON struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"external_id"`
	Title      string `json:"title,omitempty"`
	Outlet     string `json:"outlet,omitempty"`
	Published  string `json:"published,omitempty"`
}

type proposalJSON struct {
	annotate.IncidentProposal
	Documents []docJSON `json:"documents"`
	Incident  int64     `json:"incident,omitempty"`
}

type incidentJSON struct {
	annotate.Incident
	Documents []docJSON     `json:"documents"`
	Disputed  bool          `json:"disputed"`
	Spread    int           `json:"spread"`
	Kinds     []kindJSON    `json:"kinds"`
	Disputes  []disputeJSON `json:"disputes"`
	// Revisions are figures a later running total rose above ("the death toll rose to
	// 31"): shown, but not disputes.
	Revisions []disputeJSON `json:"revisions"`
}

// kindJSON is what the figures of one kind say together, with the adjudication in
// effect (the latest; the history is in adjudications).
type kindJSON struct {
	Kind        string                 `json:"kind"`
	Figures     int                    `json:"figures"`
	Disputes    int                    `json:"disputes"`
	Spread      int                    `json:"spread"`
	Adjudicated *annotate.Adjudication `json:"adjudicated,omitempty"`
}

// disputeJSON names two figures (by span) whose ranges cannot both be true.
type disputeJSON struct {
	Kind  string `json:"kind"`
	Gap   int    `json:"gap"`
	Lower int64  `json:"lower_span"`
	Upper int64  `json:"upper_span"`
	Text  string `json:"text"` // e.g. `"27 people" (hospital) vs "41 people" (armed group)`
}

func docsOf(docs map[int64]annotate.DocSummary, evs []annotate.EventRef) []docJSON {
	var ids []int64
	for _, e := range evs {
		ids = append(ids, e.DocID)
	}
	slices.Sort(ids)
	out := []docJSON{}
	for _, id := range slices.Compact(ids) {
		d := docs[id]
		out = append(out, docJSON{ID: id, ExternalID: d.ExternalID, Title: d.Title, Outlet: d.Source, Published: d.Published})
	}
	return out
}

func newIncidentJSON(inc annotate.Incident, docs map[int64]annotate.DocSummary) incidentJSON {
	sum := incident.Summarize(inc.Figures)
	ij := incidentJSON{Incident: inc, Documents: docsOf(docs, inc.Events), Disputed: sum.Disputed, Spread: sum.Spread,
		Kinds: []kindJSON{}, Disputes: []disputeJSON{}, Revisions: []disputeJSON{}}
	seen := map[string]bool{}
	for _, k := range sum.Kinds {
		seen[k.Kind] = true
		ij.Kinds = append(ij.Kinds, kindJSON{Kind: k.Kind, Figures: k.Figures, Disputes: k.Disputes, Spread: k.Spread,
			Adjudicated: inc.Adjudicated(k.Kind)})
	}
	// a kind adjudicated without figures (e.g. after its events were unlinked) still shows
	for _, a := range inc.Adjudications {
		if !seen[a.Kind] {
			seen[a.Kind] = true
			ij.Kinds = append(ij.Kinds, kindJSON{Kind: a.Kind, Adjudicated: inc.Adjudicated(a.Kind)})
		}
	}
	for _, d := range incident.Revisions(inc.Figures) {
		lo, up := inc.Figures[d.Lower], inc.Figures[d.Upper]
		ij.Revisions = append(ij.Revisions, disputeJSON{Kind: d.Kind, Gap: d.Gap, Lower: lo.SpanID, Upper: up.SpanID,
			Text: fmt.Sprintf("%q (%s, %s) rose to %q (%s, %s)", lo.Text, claimant(lo), lo.Published, up.Text, claimant(up), up.Published)})
	}
	for _, d := range incident.Disputes(inc.Figures) {
		lo, up := inc.Figures[d.Lower], inc.Figures[d.Upper]
		ij.Disputes = append(ij.Disputes, disputeJSON{Kind: d.Kind, Gap: d.Gap, Lower: lo.SpanID, Upper: up.SpanID,
			Text: fmt.Sprintf("%q (%s) vs %q (%s)", lo.Text, claimant(lo), up.Text, claimant(up))})
	}
	return ij
}

func claimant(f annotate.Figure) string {
	if f.ClaimantText != "" {
		return f.ClaimantText
	}
	return "unstated"
}

// fmtRange writes a figure's or adjudication's bounds: "27", "25–30", "18+", "≤30".
func fmtRange(low, high *int) string {
	switch {
	case low == nil && high == nil:
		return "?"
	case high == nil:
		return fmt.Sprintf("%d+", *low)
	case low == nil:
		return fmt.Sprintf("≤%d", *high)
	case *low == *high:
		return fmt.Sprint(*low)
	}
	return fmt.Sprintf("%d–%d", *low, *high)
}

func printIncidents(w io.Writer, rep incidentsReport, proposed bool) {
	if proposed {
		if len(*rep.Proposals) == 0 {
			fmt.Fprintln(w, "no proposals: no events of different documents look like one happening (or they are linked or rejected already)")
		}
		for i, p := range *rep.Proposals {
			fmt.Fprintf(w, "proposal %d: score %.3f, %d events in %d documents", i+1, p.Score, len(p.Events), len(p.Documents))
			if p.Incident != 0 {
				fmt.Fprintf(w, " -> incident %d", p.Incident)
			}
			fmt.Fprintln(w)
			fmt.Fprintf(w, "  reasons: %s\n", strings.Join(p.Reasons, "; "))
			for _, d := range p.Documents {
				fmt.Fprintf(w, "  %s\n", docLine(d))
			}
		}
		fmt.Fprintln(w)
	}
	if len(rep.Incidents) == 0 {
		fmt.Fprintln(w, "no incidents (evident incidents --propose suggests some)")
		return
	}
	for _, inc := range rep.Incidents {
		state := "figures agree"
		switch {
		case inc.Disputed:
			state = fmt.Sprintf("DISPUTED, spread %d", inc.Spread)
		case len(inc.Figures) == 0:
			state = "no figures"
		}
		fmt.Fprintf(w, "incident %d: %s [%s]\n", inc.ID, inc.Title, state)
		for _, d := range inc.Documents {
			fmt.Fprintf(w, "  %s\n", docLine(d))
		}
		if len(inc.Figures) > 0 {
			fmt.Fprintf(w, "  %-9s %-9s %-9s %-20s %-20s %-10s %s\n", "kind", "low–high", "qualifier", "claimant", "outlet", "date", "text")
		}
		for _, f := range inc.Figures {
			fmt.Fprintf(w, "  %-9s %-9s %-9s %-20s %-20s %-10s %q\n", f.Kind, fmtRange(f.Low, f.High), f.Qualifier,
				clipTo(claimant(f), 20), clipTo(f.Outlet, 20), f.Published, f.Text)
		}
		for _, k := range inc.Kinds {
			line := fmt.Sprintf("  %s: %d figures", k.Kind, k.Figures)
			if k.Disputes > 0 {
				line += fmt.Sprintf(", %d disputes, spread %d", k.Disputes, k.Spread)
			}
			if a := k.Adjudicated; a != nil {
				line += fmt.Sprintf("; adjudicated best %s, range %s by %s", fmtBest(a.Best), fmtRange(a.Low, a.High), nameOrNone(a.Reviewer))
				if a.Note != "" {
					line += fmt.Sprintf(" (%s)", a.Note)
				}
			}
			fmt.Fprintln(w, line)
		}
		for _, d := range inc.Disputes {
			fmt.Fprintf(w, "  dispute %s: %s, gap %d\n", d.Kind, d.Text, d.Gap)
		}
		for _, d := range inc.Revisions {
			fmt.Fprintf(w, "  revision %s: %s (a running total, not a dispute)\n", d.Kind, d.Text)
		}
		fmt.Fprintln(w)
	}
}

func fmtBest(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func docLine(d docJSON) string {
	s := fmt.Sprintf("document %d %s", d.ID, d.ExternalID)
	if d.Outlet != "" || d.Published != "" {
		s += fmt.Sprintf(" (%s %s)", d.Outlet, d.Published)
	}
	if d.Title != "" {
		s += ": " + clipTo(d.Title, 70)
	}
	return s
}

func clipTo(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
