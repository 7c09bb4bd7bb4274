package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"evident/annotate"
	"evident/annotate/incident"
)

// paneWith makes a proposals pane over n constructed proposals of three documents each,
// shown in a test window of a usual size.
func paneWith(tb testing.TB, n int) (*proposalsPane, fyne.Window) {
	tb.Helper()
	p := newProposalsPane(&reviewWin{w: &Window{}})
	p.infos = map[int64]incident.EventInfo{}
	for i := 0; i < n; i++ {
		var prop annotate.IncidentProposal
		for d := 0; d < 3; d++ {
			ref := annotate.EventRef{DocID: int64(3*i + d + 1), EventID: int64(3*i + d + 1)}
			prop.Events = append(prop.Events, ref)
			p.infos[ref.EventID] = incident.EventInfo{Ref: ref, Type: "ATTACK", Date: "2026-03-12", Places: []string{fmt.Sprintf("Town %d", i)}}
		}
		prop.Score, prop.Reasons = 0.8, []string{"same type ATTACK", "same date 2026-03-12", fmt.Sprintf("same place: Town %d", i)}
		p.props = append(p.props, prop)
	}
	win := test.NewWindow(p.obj)
	win.Resize(fyne.NewSize(900, 700))
	tb.Cleanup(win.Close)
	return p, win
}

func TestProposalsPaneVirtual(t *testing.T) {
	p, _ := paneWith(t, 6000)
	p.show()
	if len(p.rows) == 0 || len(p.rows) > 60 {
		t.Fatalf("%d rows made for 6,000 proposals; the list should make only those on screen", len(p.rows))
	}
	// Split the first proposal: document 1 goes apart, the other two stay a proposal
	p.split(p.props[0], []int64{1})
	if len(p.props) != 6000 || len(p.props[0].Events) != 2 || p.props[0].Events[0].DocID != 2 {
		t.Fatalf("after the split: %d proposals, first %+v", len(p.props), p.props[0])
	}
	if p.head.Text[:5] != "6,000" && p.head.Text[:4] != "6000" {
		t.Errorf("heading %q", p.head.Text)
	}
}

// BenchmarkProposalsShow shows 6,000 proposals (what 20,000 reports give) and scrolls
// one page: the work the GUI goroutine does.
func BenchmarkProposalsShow(b *testing.B) {
	p, _ := paneWith(b, 6000)
	b.ResetTimer()
	for b.Loop() {
		p.show()
		p.list.ScrollToOffset(p.list.GetScrollOffset() + 600)
	}
}
