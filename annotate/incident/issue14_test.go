package incident_test

import (
	"slices"
	"strings"
	"testing"

	"evident/annotate"
	"evident/annotate/incident"
	"evident/annotate/suggest"
)

// report is a constructed report: our own writing, in the manner of the cases.
type report struct{ title, published, text string }

// proposeReports suggests spans and events for each report and proposes incidents.
func proposeReports(t *testing.T, reps []report) ([]stored, []annotate.IncidentProposal) {
	t.Helper()
	sg, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []stored
	var evs []incident.EventInfo
	next := int64(100)
	for i, r := range reps {
		doc := &annotate.Document{ID: int64(i + 1), Title: r.title, Published: r.published, Text: r.text}
		s := suggestedDoc(t, sg, doc, &next)
		docs = append(docs, s)
		evs = append(evs, incident.EventsOf(s.doc, s.spans, s.events)...)
	}
	return docs, incident.Propose(evs, incident.Options{})
}

// docSets returns each proposal's documents (1-based, as the reports are numbered).
func docSets(ps []annotate.IncidentProposal) [][]int64 {
	var out [][]int64
	for _, p := range ps {
		var ds []int64
		for _, e := range p.Events {
			ds = append(ds, e.DocID)
		}
		slices.Sort(ds)
		out = append(out, slices.Compact(ds))
	}
	return out
}

func TestProposeFuneralShelling(t *testing.T) {
	// Three outlets' reports of one shelling (variants of the issue's), one look-alike
	// in the same village two weeks later and one the same night in another village.
	reps := []report{
		{"Mourners killed in shelling", "2026-03-11", "Shells hit a funeral tent in Deir al-Munawar late on Tuesday, killing 13 mourners, a local council member said."},
		{"Shell kills 17", "2026-03-11", "Medics said 17 people died when a shell struck mourners in the village of Dayr al-Munawwar overnight."},
		{"Army denies civilian deaths", "2026-03-11", "The army said its fire near Deir el-Munawar on Tuesday night killed seven gunmen and no civilians."},
		{"Shelling again", "2026-03-25", "Shells hit a market in Deir al-Munawar on Tuesday, killing four people, residents said."},
		{"Night shelling", "2026-03-11", "Shells hit a funeral tent in Kafr Bin Zalim late on Tuesday, killing nine mourners, medics said."},
	}
	_, ps := proposeReports(t, reps)
	sets := docSets(ps)
	if len(sets) != 1 || !slices.Equal(sets[0], []int64{1, 2, 3}) {
		t.Fatalf("proposals over documents %v, want one of reports 1, 2 and 3", sets)
	}
	why := strings.Join(ps[0].Reasons, "; ")
	for _, want := range []string{"same place", "Deir al-Munawar"} {
		if !strings.Contains(why, want) {
			t.Errorf("reasons %q lack %q", why, want)
		}
	}
}

func TestProposeBusStation(t *testing.T) {
	// The second report names the town only inside the target, and its claimant is
	// "hospital staff"; the third is a car bomb in another town on the same day.
	reps := []report{
		{"Car bomb kills 21", "2026-03-09", "A car bomb at the bus station in Tessaly on Sunday killed 21 people, police said."},
		{"Bus station bombing", "2026-03-09", "At least 30 travellers died on Sunday when the Tessaly bus station was hit by a car bomb, hospital staff said."},
		{"Car bomb in Marovka", "2026-03-09", "A car bomb at the bus station in Marovka on Sunday killed 12 people, police said."},
	}
	docs, ps := proposeReports(t, reps)
	sets := docSets(ps)
	if len(sets) != 1 || !slices.Equal(sets[0], []int64{1, 2}) {
		t.Fatalf("proposals over documents %v, want one of reports 1 and 2", sets)
	}
	for _, s := range docs[1].spans {
		if s.Label == "TARGET" && s.Text == "hospital" {
			t.Error(`"hospital staff said" made "hospital" a TARGET`)
		}
	}
	if why := strings.Join(ps[0].Reasons, "; "); !strings.Contains(why, "same place: Tessaly") {
		t.Errorf("reasons %q do not say the place is shared", why)
	}
}

func TestProposeOtherLanguage(t *testing.T) {
	// A report in Spanish: the suggester finds no event in it, so an annotator marks
	// the attack; it still links by place (its capitalised names) and date (publication).
	sg, err := suggest.New(suggest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	next := int64(100)
	en := suggestedDoc(t, sg, &annotate.Document{ID: 1, Title: "Car bomb kills 21", Published: "2026-03-09",
		Text: "A car bomb at the bus station in Tessaly on Sunday killed 21 people, police said."}, &next)
	esText := "Un coche bomba mató el domingo a 21 personas en la estación de autobuses de Tessaly, según la policía."
	es := &annotate.Document{ID: 2, Title: "Coche bomba en Tessaly", Published: "2026-03-09", Text: esText}
	trigger := annotate.Span{ID: 900, DocID: 2, Start: 3, End: 14, Label: "ATTACK", Text: "coche bomba", Status: annotate.StatusAccepted}
	esEv := annotate.Event{ID: 901, DocID: 2, Type: "ATTACK", Trigger: 900, Status: annotate.StatusAccepted}
	// and one from another town the same day, which must stay apart
	other := &annotate.Document{ID: 3, Title: "Coche bomba en Marovka", Published: "2026-03-09", Text: "Un coche bomba mató el domingo a 12 personas en Marovka."}
	otherEv := annotate.Event{ID: 902, DocID: 3, Type: "ATTACK", Trigger: 903, Status: annotate.StatusAccepted}
	otherTrig := annotate.Span{ID: 903, DocID: 3, Start: 3, End: 14, Label: "ATTACK", Status: annotate.StatusAccepted}
	var evs []incident.EventInfo
	evs = append(evs, incident.EventsOf(en.doc, en.spans, en.events)...)
	evs = append(evs, incident.EventsOf(es, []annotate.Span{trigger}, []annotate.Event{esEv})...)
	evs = append(evs, incident.EventsOf(other, []annotate.Span{otherTrig}, []annotate.Event{otherEv})...)
	sets := docSets(incident.Propose(evs, incident.Options{}))
	if len(sets) != 1 || !slices.Equal(sets[0], []int64{1, 2}) {
		t.Fatalf("proposals over documents %v, want the English and the Spanish report of Tessaly", sets)
	}
}
