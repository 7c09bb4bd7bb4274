package docview_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"

	"evident/annotate"
	"evident/app/docview"
)

// bigArticle writes about size bytes of made-up conflict reporting in paragraphs of
// three to eight sentences, with a highlight every ~50 characters (some nested, a
// third accepted, a few rejected), and a stretch of Arabic and CJK now and then.
func bigArticle(size, highlights int) (string, []annotate.Span) {
	rng := rand.New(rand.NewPCG(1, 2))
	subjects := []string{"The health ministry", "Local officials", "A military spokesperson", "Witnesses",
		"The civil defence agency", "Residents of the northern district", "The regional governor", "Aid workers"}
	verbs := []string{"said", "reported", "confirmed", "told reporters", "warned", "estimated"}
	events := []string{"drone strikes hit", "artillery shelling struck", "an air raid targeted",
		"gunmen attacked", "a car bomb exploded near", "rockets landed on"}
	targets := []string{"a crowded market", "the main hospital", "a police checkpoint", "two villages",
		"a displacement camp", "the old bridge", "a school used as a shelter", "a fuel depot"}
	places := []string{"Qaryat al-Nahr", "the eastern outskirts", "the border crossing", "the river valley",
		"the industrial zone", "the coastal road", "Tal Hamra", "the central square"}
	times := []string{"on Tuesday morning", "late on Sunday", "shortly after midnight", "at approximately 6.30 p.m.",
		"earlier this week", "on the third day of fighting"}
	tolls := []string{"at least 12 civilians were killed", "nearly 30 people were wounded",
		"more than 40 people died", "two dozen soldiers were injured", "up to 15 people remain missing",
		"several children were among the dead"}
	extras := []string{" قال مسؤولون محليون إن غارة جوية أصابت سوقا في القرية.", " 无人机袭击造成至少十二名平民死亡。",
		" Families 👩‍👩‍👧 fled toward the café district."}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var b strings.Builder
	for b.Len() < size {
		n := 3 + rng.IntN(6)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(pick(subjects) + " " + pick(verbs) + " that " + pick(events) + " " + pick(targets) +
				" in " + pick(places) + " " + pick(times) + ", and " + pick(tolls) + ".")
			if rng.IntN(20) == 0 {
				b.WriteString(pick(extras))
			}
		}
		b.WriteString("\n\n")
	}
	text := b.String()
	n := utf8.RuneCountInString(text)
	toks := annotate.Tokens(text)
	labels := []string{"ATTACK", "DEATH", "INJURY", "ACTOR", "TARGET", "LOCATION", "TIME", "CASUALTY", "SOURCE", "WEAPON"}
	spans := make([]annotate.Span, 0, highlights)
	step := len(toks) / highlights
	for i := 0; len(spans) < highlights && i+3 < len(toks); i += step {
		w := 1 + rng.IntN(3)
		st := annotate.StatusSuggested
		switch rng.IntN(10) {
		case 0:
			st = annotate.StatusRejected
		case 1, 2, 3:
			st = annotate.StatusAccepted
		}
		s := annotate.Span{ID: int64(len(spans) + 1), Start: toks[i].Start, End: toks[i+w-1].End,
			Label: labels[rng.IntN(len(labels))], Status: st}
		if s.End <= n {
			spans = append(spans, s)
		}
	}
	return text, spans
}

// reportCPU adds the CPU time per op since start (see cpuTime).
func reportCPU(b *testing.B, start time.Duration) {
	if c := cpuTime() - start; c > 0 && b.N > 0 {
		b.ReportMetric(float64(c.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func benchView(b *testing.B) (*docview.View, fyne.Window, string, []annotate.Span) {
	text, spans := bigArticle(1<<20, 20000)
	v, w := newView(b, "", nil, fyne.NewSize(1280, 800))
	return v, w, text, spans
}

// BenchmarkOpen1MB opens a 1 MB article with 20,000 highlights in a 1280x800 window
// and renders the visible part (software painter capture of the window).
func BenchmarkOpen1MB(b *testing.B) {
	v, w, text, spans := benchView(b)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		v.SetDocument(text, spans)
		w.Canvas().Capture()
	}
}

// BenchmarkOpen1MBLayout is BenchmarkOpen1MB without painting: SetDocument plus the
// renderer building the visible frame.
func BenchmarkOpen1MBLayout(b *testing.B) {
	v, _, text, spans := benchView(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		v.SetDocument(text, spans)
	}
}

// BenchmarkScroll scrolls by one page per frame through the article (starting over at
// the end); "paint" includes a software capture of the window.
func BenchmarkScroll(b *testing.B) {
	for _, paint := range []bool{false, true} {
		name := "layout"
		if paint {
			name = "paint"
		}
		b.Run(name, func(b *testing.B) {
			v, w, text, spans := benchView(b)
			v.SetDocument(text, spans)
			page := &fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -760)}
			end := utf8.RuneCountInString(text) - 1
			b.ResetTimer()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				v.Scrolled(page)
				if _, ok := v.PositionOf(end); ok {
					v.ScrollToOffset(0)
				}
				if paint {
					w.Canvas().Capture()
				}
			}
		})
	}
}

// BenchmarkFocusNext moves to the next suggestion, scrolling it into view, per frame.
func BenchmarkFocusNext(b *testing.B) {
	for _, paint := range []bool{false, true} {
		name := "layout"
		if paint {
			name = "paint"
		}
		b.Run(name, func(b *testing.B) {
			v, w, text, spans := benchView(b)
			v.SetDocument(text, spans)
			suggested := func(s annotate.Span) bool { return s.Status == annotate.StatusSuggested }
			b.ResetTimer()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				if !v.FocusNext(suggested) {
					b.Fatal("no suggestion")
				}
				if paint {
					w.Canvas().Capture()
				}
			}
		})
	}
}
