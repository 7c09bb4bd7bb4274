// Package app is Evident's window: the document list, the document view, the inspector,
// the legend and the status bar, and the keyboard loop that turns key presses into store
// calls. It talks to the database only through annotate.Store, off the GUI goroutine, and
// to importers, exporters and the suggester only through hooks that main.go fills in.
package app

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"evident/annotate"
	"evident/annotate/assign"
	"evident/app/docview"
	"evident/app/overview"
	"evident/assets"
	"evident/export"
)

// AppID is the Fyne application id, as in FyneApp.toml; preferences and the data
// directory are keyed by it.
const AppID = "org.evident.app"

// Setting keys kept in the store, so they travel with the database.
const (
	settingAnnotator  = "annotator"
	settingWindowSize = "window.size"
	settingLastDoc    = "window.last_document"
)

// Config is what main.go hands the window.
type Config struct {
	DBPath    string
	Annotator string // "" = ask once at first start (stored in settings), unless set by flag/env
	// Done, when closed (SIGTERM, Ctrl+C in the terminal), quits the window as Ctrl+Q
	// does: the size is saved and queued decisions land before the app ends.
	Done   <-chan struct{}
	Store  annotate.Store
	Schema *annotate.Schema

	// Hooks filled by main.go so app/ does not import adapters directly; nil disables the
	// matching menu entry or behaviour.
	Import func(ctx context.Context, files []string, progress func(done, total int64)) (string, error)
	// Export runs export.Run (the code path of `evident export`) and sums up the result.
	Export func(ctx context.Context, opts export.Options, progress func(done, total int)) (string, error)
	// Suggest stores suggestions for a document; it calls firstScreen (from its own
	// goroutine) once those of the document's start are stored, before the rest.
	Suggest   func(ctx context.Context, docID int64, firstScreen func()) (int, error)
	OpenStore func(path string) (annotate.Store, *annotate.Schema, error)
	// Train retrains the suggestion model on the current database and stores it, saying
	// what it made; ModelStale says whether the stored model predates recent decisions;
	// LearningCurve gives the models' cross-validated figures (learning.go).
	Train         func(ctx context.Context) (string, error)
	ModelStale    func(ctx context.Context) (bool, error)
	LearningCurve func(ctx context.Context) ([]overview.LearningPoint, error)
	// JournalDir holds the files of decisions kept while a team database's server is
	// away (app/journal); "" = the user's configuration folder.
	JournalDir string
	// MinConfidence is the default of annotate.SettingMinConfidence, shown when unset.
	MinConfidence float64
}

// Window is Evident's main window.
type Window struct {
	app fyne.App
	win fyne.Window
	cfg Config
	// jobs runs store calls in order. Their context is never cancelled, so a decision
	// queued before quitting is still saved.
	jobs *worker
	// ctx is for long background work (suggestions, import, export): cancelled on quit.
	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup // imports and exports running

	// deferUI holds results of background work until Idle applies them. The test
	// driver runs fyne.Do on the calling goroutine, which would race the test's own
	// goroutine; real drivers run it on the GUI goroutine and need none of this.
	deferUI bool
	uiMu    sync.Mutex
	uiQueue []func()

	// Everything below is touched on the GUI goroutine only.
	store     annotate.Store
	schema    *annotate.Schema
	dbPath    string
	annotator string

	docs        []annotate.DocSummary
	uncertain   map[int64]float64 // document order by model uncertainty when not nil (uncertainty.go)
	doc         *annotate.Document
	spans       []annotate.Span
	events      []annotate.Event
	loadSeq     int
	offsets     *annotate.Offsets
	inflight    int // store calls queued by act and not yet answered
	confirmHook func(title, msg string) bool
	recent      []string
	overlay     func()       // closes the open overlay (help, picker); nil if none
	dialogs     []dialogKeys // open dialogs, innermost last
	quitting    bool
	panes       panes // guideline and overview windows

	list    *docList
	view    *docview.View
	insp    *inspector
	legend  *fyne.Container
	status  *statusBar
	content fyne.CanvasObject
	centre  *fyne.Container

	review *reviewWin // review and curation window (review_tab.go); nil until opened
	learn  learner    // background retraining (learning.go)
	team   team       // others' work on a shared database (team.go)
}

// Run builds the Fyne app, shows the window and blocks until the user quits.
func Run(cfg Config) error {
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	w := NewWindow(a, cfg)
	w.win.ShowAndRun()
	return w.Close()
}

// NewWindow builds the window in a (for tests, test.NewTempApp) and starts loading the
// document list, the annotator name, the window size and the last document.
func NewWindow(a fyne.App, cfg Config) *Window {
	ctx, cancel := context.WithCancel(context.Background())
	w := &Window{
		app:       a,
		cfg:       cfg,
		ctx:       ctx,
		cancel:    cancel,
		store:     cfg.Store,
		schema:    cfg.Schema,
		dbPath:    cfg.DBPath,
		annotator: strings.TrimSpace(cfg.Annotator),
		team:      team{wg: &sync.WaitGroup{}},
	}
	w.jobs = newWorker(context.Background())
	if d := a.Driver(); d != nil {
		if t := reflect.TypeOf(d); t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "fyne.io/fyne/v2/test" {
			w.deferUI = true
		}
	}
	w.win = a.NewWindow("Evident")
	w.build()
	w.win.SetMainMenu(w.mainMenu())
	w.bindShortcuts()
	w.win.SetCloseIntercept(w.quit)
	w.win.Resize(fyne.NewSize(1280, 800))
	w.status.update()
	w.status.hint("Loading…")
	w.startup()
	w.retrainIfStale()
	if cfg.Done != nil {
		go func() {
			select {
			case <-cfg.Done:
				w.ui(w.quit)
			case <-ctx.Done(): // the window quit first
			}
		}()
	}
	return w
}

// Window returns the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// View returns the document view, so tests can drive keys through it.
func (w *Window) View() *docview.View { return w.view }

// Idle waits until every store call queued so far, and any import or export, has
// finished. Under the test driver
// it also applies their results on the calling goroutine, so tests call it between a
// key press and an assertion.
func (w *Window) Idle() {
	for {
		w.bg.Wait()
		w.jobs.wait()
		w.uiMu.Lock()
		q := w.uiQueue
		w.uiQueue = nil
		w.uiMu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// ui runs f on the GUI goroutine (see deferUI for tests).
func (w *Window) ui(f func()) {
	if !w.deferUI {
		fyne.Do(f)
		return
	}
	w.uiMu.Lock()
	w.uiQueue = append(w.uiQueue, f)
	w.uiMu.Unlock()
}

// Annotator returns the name decisions are recorded under.
func (w *Window) Annotator() string { return w.annotator }

// Close stops background work after the queued store calls have finished. It does not
// close the store: main.go owns it (and OpenStore owns the ones opened from the menu).
func (w *Window) Close() error {
	w.cancel()
	w.bg.Wait()
	w.stopTeam()
	w.jobs.close()
	if w.team.jf != nil {
		w.team.jf.Close() // after the last replay has marked what it sent
	}
	return nil
}

func (w *Window) build() {
	w.view = docview.New()
	w.view.SetSchema(w.schema)
	w.view.OnKey = w.onKey
	w.view.OnRune = w.onRune
	w.view.OnFocusChanged = func(s annotate.Span, ok bool) { w.refreshInspector() }
	w.view.OnSelectionChanged = func(start, end int, ok bool) { w.insp.selectionChanged() }

	w.list = newDocList(w)
	w.insp = newInspector(w)
	w.status = newStatusBar(w)
	w.legend = w.buildLegend()

	w.centre = container.NewBorder(w.legend, nil, nil, nil, w.view)
	right := container.NewHSplit(w.centre, w.insp.object())
	right.Offset = 0.72
	main := container.NewHSplit(w.list.object(), right)
	main.Offset = 0.25
	w.content = container.NewBorder(nil, w.status.object(), nil, nil, main)
	w.win.SetContent(w.content)

	w.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		// Keys typed while nothing has focus: a dialog's Enter and Escape, Escape for
		// overlays; anything else gives the document the focus and is handled there.
		if len(w.dialogs) > 0 {
			w.dialogKey(ev)
			return
		}
		if ev.Name == fyne.KeyEscape && w.overlay != nil {
			w.closeOverlay()
			return
		}
		if ev.Name == fyne.KeyF1 {
			w.showFocusedGuideline()
			return
		}
		w.win.Canvas().Focus(w.view)
		w.onKey(ev, 0)
	})
	w.win.Canvas().SetOnTypedRune(func(r rune) {
		if w.overlay != nil || len(w.dialogs) > 0 {
			return
		}
		w.win.Canvas().Focus(w.view)
		w.onRune(r)
	})
}

// startup loads what the window needs from the store in the background.
func (w *Window) startup() {
	st := w.store
	askName := w.annotator == ""
	w.jobs.submit(func(ctx context.Context) {
		var name, size, last string
		var err error
		if st != nil {
			// A shared database's remembered name is whoever stored it last: in a team,
			// each window asks (or takes --annotator) instead.
			if _, shared := st.(annotate.TeamStore); askName && !shared {
				name, err = st.Setting(ctx, settingAnnotator)
			}
			if err == nil {
				size, err = st.Setting(ctx, settingWindowSize)
			}
			if err == nil {
				last, err = st.Setting(ctx, settingLastDoc)
			}
		}
		var docs []annotate.DocSummary
		if err == nil && st != nil {
			docs, err = st.Documents(ctx)
		}
		// A team member's window lists their own queue (evident assign) first and opens it.
		var next int64
		var queue []int64
		if err == nil && st != nil {
			who := w.annotator
			if askName {
				who = strings.TrimSpace(name)
			}
			if queue, err = assign.Queue(ctx, st, who); err == nil {
				docs, next = assign.OwnFirst(docs, queue)
				if next != 0 && slices.Contains(queue, parseID(last)) {
					next = 0 // resume the last document: it is one of the queue's
				}
			}
		}
		w.ui(func() {
			if err != nil {
				w.fail("load database", err)
			}
			if sz, ok := parseSize(size); ok {
				w.win.Resize(sz)
			}
			if askName {
				w.annotator = strings.TrimSpace(name)
			}
			w.team.queue = queue
			w.setDocs(docs)
			w.status.update()
			if err == nil {
				w.status.hint("")
			}
			w.startTeam()
			if w.annotator == "" && st != nil {
				w.askAnnotator(true)
			}
			id := parseID(last)
			if next != 0 {
				id = next
			}
			if !w.list.selectID(id) && len(docs) > 0 {
				w.list.selectID(docs[0].ID)
			}
		})
	})
}

func parseID(s string) int64 {
	id, _ := strconv.ParseInt(s, 10, 64)
	return id
}

func parseSize(s string) (fyne.Size, bool) {
	a, b, ok := strings.Cut(s, "x")
	if !ok {
		return fyne.Size{}, false
	}
	wd, err1 := strconv.Atoi(a)
	ht, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || wd < 400 || ht < 300 || wd > 16000 || ht > 16000 {
		return fyne.Size{}, false
	}
	return fyne.NewSize(float32(wd), float32(ht)), true
}

// quit saves the window size, lets queued decisions finish and ends the app.
func (w *Window) quit() {
	if w.quitting {
		return
	}
	w.quitting = true
	w.cancel() // stop suggestions, imports and exports; decisions already queued still land
	st := w.store
	sz := w.win.Canvas().Size()
	val := fmt.Sprintf("%dx%d", int(sz.Width), int(sz.Height))
	w.jobs.submit(func(ctx context.Context) {
		if st != nil {
			if err := st.SetSetting(ctx, settingWindowSize, val); err != nil {
				fmt.Fprintln(os.Stderr, "evident: save window size:", err)
			}
		}
		w.ui(func() {
			w.win.Close()
			w.app.Quit()
		})
	})
}

// fail reports an error in the status bar and in a dialog. Nothing the user did is
// dropped silently: the view is reloaded from the store so it shows what was saved.
func (w *Window) fail(what string, err error) {
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s: %v", what, err)
	w.status.setError(msg)
	d := dialog.NewError(fmt.Errorf("%s: %w", what, err), w.win)
	w.showDialog(d, d.Hide)
}

// closeOverlay closes the help overlay or the label picker.
func (w *Window) closeOverlay() {
	if f := w.overlay; f != nil {
		w.overlay = nil
		f()
		w.win.Canvas().Focus(w.view)
	}
}

// focusDocument gives the keyboard to the document view.
func (w *Window) focusDocument() { w.win.Canvas().Focus(w.view) }

// infoLabel is a small helper for wrapped read-only text.
func infoLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}
