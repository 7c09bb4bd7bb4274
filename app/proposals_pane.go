package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/incident"
)

// proposalsPane lists proposed incidents, each with its score and reasons and the
// buttons Accept, Reject and Split. The list is virtual (widget.List): only the rows on
// screen exist, so thousands of proposals (20,000 reports give about 6,000) scroll and
// update as fast as ten.
type proposalsPane struct {
	r     *reviewWin
	obj   fyne.CanvasObject
	list  *widget.List
	head  *widget.Label
	props []annotate.IncidentProposal
	infos map[int64]incident.EventInfo
	ran   bool // proposals were computed at least once
	// titles caches the document lines of the list (by document id), built when the
	// proposals arrive rather than for each row drawn.
	titles map[int64]annotate.DocSummary
	// rows maps a row container to its widgets; List creates and updates rows on the
	// GUI goroutine only.
	rows map[*fyne.Container]*proposalRow
}

func newProposalsPane(r *reviewWin) *proposalsPane {
	p := &proposalsPane{r: r, rows: map[*fyne.Container]*proposalRow{}}
	p.head = widget.NewLabel("Proposals link events of different documents that look like one happening: the same or a nested place, close dates, type, weapon and target, actors, casualty kinds and wording.")
	p.head.Wrapping = fyne.TextWrapWord
	again := widget.NewButtonWithIcon("Propose again", theme.ViewRefreshIcon(), p.run)
	p.list = widget.NewList(func() int { return len(p.props) }, p.newRow, p.updateRow)
	p.obj = container.NewBorder(container.NewBorder(nil, nil, nil, again, p.head), nil, nil, nil, p.list)
	return p
}

// proposalRow is one row's widgets; the buttons act on the proposal at index i.
type proposalRow struct {
	title, why, docs *widget.Label
	accept, reject   *widget.Button
	split            *widget.Button
	i                int
}

func (p *proposalsPane) newRow() fyne.CanvasObject {
	row := &proposalRow{
		title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		why:   widget.NewLabel(""),
		docs:  widget.NewLabel(""),
	}
	row.title.Truncation = fyne.TextTruncateEllipsis
	row.why.Truncation = fyne.TextTruncateEllipsis
	row.why.SizeName = theme.SizeNameCaptionText
	row.docs.Truncation = fyne.TextTruncateEllipsis
	row.accept = widget.NewButtonWithIcon("Accept", theme.ConfirmIcon(), func() { p.decide(row.i, true) })
	row.accept.Importance = widget.HighImportance
	row.reject = widget.NewButtonWithIcon("Reject", theme.CancelIcon(), func() { p.decide(row.i, false) })
	row.split = widget.NewButtonWithIcon("Split", theme.ContentCutIcon(), func() { p.splitDialog(row.i) })
	c := container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(row.accept, row.reject, row.split)),
		container.NewVBox(row.title, row.why, row.docs))
	p.rows[c] = row
	return c
}

func (p *proposalsPane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	row := p.rows[o.(*fyne.Container)]
	if row == nil || i >= len(p.props) {
		return
	}
	row.i = i
	prop := p.props[i]
	row.title.SetText(p.incidentOf(prop).Title)
	row.why.SetText(fmt.Sprintf("score %.2f · %s · %s", prop.Score, plural(len(prop.Events), "event", "events"),
		strings.Join(prop.Reasons, " · ")))
	var docs []string
	for _, id := range (&annotate.Incident{Events: prop.Events}).DocIDs() {
		d := p.titles[id]
		docs = append(docs, strings.TrimSpace(fmt.Sprintf("%s %s — %s", shortDate(d.Published), orDash(d.Source), orDash(d.Title))))
	}
	row.docs.SetText(strings.Join(docs, "  |  "))
}

// run computes proposals in the background, with progress in the pane's heading.
func (p *proposalsPane) run() {
	r := p.r
	is := r.incidents()
	if is == nil {
		return
	}
	st := r.w.store
	p.ran = true
	p.head.SetText("Looking for incidents…")
	bg := r.w.ctx
	r.w.jobs.submit(func(context.Context) {
		last := -1
		ps, err := incident.ProposeStoredProgress(bg, st, is, func(stage string, done, total int) {
			pct := 0
			if total > 0 {
				pct = 100 * done / total
			}
			if stage != "comparing" || pct == last {
				return
			}
			last = pct
			r.w.ui(func() { p.head.SetText(fmt.Sprintf("Looking for incidents… comparing events, %d%%", pct)) })
		})
		r.w.ui(func() {
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					r.fail("propose incidents", err)
				}
				return
			}
			p.props, p.infos = ps.List, ps.Events
			p.show()
		})
	})
}

func (p *proposalsPane) show() {
	p.titles = make(map[int64]annotate.DocSummary, len(p.r.w.docs))
	for _, d := range p.r.w.docs {
		p.titles[d.ID] = d
	}
	p.showHead()
	p.list.UnselectAll()
	p.list.Refresh()
}

func (p *proposalsPane) showHead() {
	switch len(p.props) {
	case 0:
		p.head.SetText("No proposals: every event that looks like another document's is already in an incident, or the pair was rejected.")
	default:
		p.head.SetText(fmt.Sprintf("%s. Accept makes an incident of the events; Reject stops proposing them together; Split divides one by document. Accept and Reject are undoable.",
			plural(len(p.props), "proposal", "proposals")))
	}
}

func (p *proposalsPane) incidentOf(prop annotate.IncidentProposal) annotate.Incident {
	return incident.Proposals{List: p.props, Events: p.infos}.FromProposal(prop)
}

// decide stores the reviewer's answer to proposal i and takes it off the list.
func (p *proposalsPane) decide(i int, accept bool) {
	if p.r.w.annotator == "" {
		p.r.w.askAnnotator(false)
		return
	}
	if i < 0 || i >= len(p.props) {
		return
	}
	prop := p.props[i]
	p.props = slices.Delete(p.props, i, i+1)
	p.showHead()
	p.list.Refresh()
	if accept {
		inc := p.incidentOf(prop)
		p.r.act("accept proposal", func(ctx context.Context, is annotate.IncidentStore, ann string) error {
			_, err := is.CreateIncident(ctx, inc, ann)
			return err
		})
		return
	}
	p.r.act("reject proposal", func(ctx context.Context, is annotate.IncidentStore, ann string) error {
		return is.RejectProposal(ctx, prop, ann)
	})
}

// splitDialog asks which documents of proposal i go apart; the proposal is replaced by
// its parts (incident.SplitProposal), each with its own score and reasons, in place.
func (p *proposalsPane) splitDialog(i int) {
	if i < 0 || i >= len(p.props) {
		return
	}
	prop := p.props[i]
	ids := (&annotate.Incident{Events: prop.Events}).DocIDs()
	opts := make([]string, len(ids))
	for k, id := range ids {
		d := p.titles[id]
		opts[k] = fmt.Sprintf("%d. %s %s — %s", k+1, shortDate(d.Published), orDash(d.Source), orDash(d.Title))
	}
	group := widget.NewCheckGroup(opts, nil)
	d := dialog.NewCustomConfirm("Split the proposal: the documents ticked go apart", "Split", "Cancel",
		container.NewVScroll(group), func(ok bool) {
			var docs []int64
			for k, o := range opts {
				if slices.Contains(group.Selected, o) {
					docs = append(docs, ids[k])
				}
			}
			if ok && len(docs) > 0 {
				p.split(prop, docs)
			}
		}, p.r.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

// split replaces a proposal by its parts without the documents docs and with them.
func (p *proposalsPane) split(prop annotate.IncidentProposal, docs []int64) {
	i := slices.IndexFunc(p.props, func(q annotate.IncidentProposal) bool { return slices.Equal(q.Events, prop.Events) })
	if i < 0 {
		return
	}
	parts := incident.SplitProposal(prop, docs, p.infos, incident.Options{})
	p.props = slices.Insert(slices.Delete(p.props, i, i+1), i, parts...)
	p.showHead()
	p.list.Refresh()
}
