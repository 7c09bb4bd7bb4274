package export

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"evident/annotate"
)

// BratEncoder writes brat standoff: DOC.txt and DOC.ann per document, and, at Close,
// annotation.conf and visual.conf generated from the schema.
//
// brat reads DOC.txt with Python's universal newlines and counts offsets in Python
// string indices, i.e. code points (brat's open_textfile opens with mode "rU"; brat
// issue #853 shows CRLF counted as one character). So DOC.txt gets CRLF and lone CR
// written as LF and every offset is taken over that text; otherwise each CRLF before a
// span would shift it by one. The --offsets option still applies (over the same text)
// for tools other than brat; brat itself wants code points.
//
// .ann lines:
//
//	T1	LABEL START END[;START END...]	text     (a span across a line break is split
//	                                          into fragments, joined by a space, as brat does)
//	E1	ATTACK:T2 place:T3 victim:T4 victim2:T5  (repeated roles numbered, as brat expects)
//	A1	Kind T6 killed                          (Kind, Qualifier, Scope of a CASUALTY)
//	#1	AnnotatorNotes T6	low=12; high=; victims=civilians; claimant=health ministry
type BratEncoder struct {
	sink   FileSink
	cfg    Config
	names  map[string]int // sanitized name -> times used
	labels map[string]bool
	buf    []byte
	norm   []byte
	shift  []int32
	tid    []int // span index -> T number, 0 if not written
	off    annotate.Offsets
}

// NewBratEncoder returns an encoder writing to sink.
func NewBratEncoder(sink FileSink, cfg Config) *BratEncoder {
	return &BratEncoder{sink: sink, cfg: cfg, names: map[string]int{}, labels: map[string]bool{}}
}

// fileName makes a document name safe as a file name and unique in the export.
func (e *BratEncoder) fileName(d *annotate.Document) string {
	var sb strings.Builder
	for _, c := range docName(d) {
		switch {
		case c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'):
			sb.WriteRune(c)
		default:
			sb.WriteByte('_')
		}
		if sb.Len() >= 100 {
			break
		}
	}
	name := strings.TrimLeft(sb.String(), ".")
	if name == "" {
		name = "doc"
	}
	// Names are compared without case, so the folder also unpacks on macOS and Windows.
	base := name
	for e.names[strings.ToLower(name)] > 0 {
		e.names[strings.ToLower(base)]++
		name = base + "-" + strconv.Itoa(e.names[strings.ToLower(base)])
	}
	e.names[strings.ToLower(name)]++
	return name
}

// normalise writes text with CRLF and CR as LF into e.norm and fills e.shift (nil when
// nothing was removed) so that a code point offset cp of text is cp-shift[cp] in e.norm.
func (e *BratEncoder) normalise(text string) {
	e.norm = e.norm[:0]
	e.shift = e.shift[:0]
	if !strings.Contains(text, "\r") {
		e.norm = append(e.norm, text...)
		return
	}
	removed := int32(0)
	prevCR := false
	for _, c := range text {
		e.shift = append(e.shift, removed)
		switch {
		case c == '\r':
			e.norm = append(e.norm, '\n')
			prevCR = true
			continue
		case c == '\n' && prevCR:
			removed++ // the \r already stands for this line break
		default:
			e.norm = utf8.AppendRune(e.norm, c)
		}
		prevCR = false
	}
	e.shift = append(e.shift, removed)
}

func (e *BratEncoder) mapCP(cp int) int {
	if len(e.shift) == 0 {
		return cp
	}
	return cp - int(e.shift[cp])
}

// Encode writes DOC.txt and DOC.ann.
func (e *BratEncoder) Encode(r *Record) error {
	name := e.fileName(r.Doc)
	e.normalise(r.Doc.Text)
	text := string(e.norm)
	w, err := e.sink.Create(name + ".txt")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	e.off.Reset(text)
	off := &e.off
	conv := func(cp int) int {
		switch e.cfg.Offsets {
		case UTF16:
			return off.UTF16(cp)
		case Bytes:
			return off.Byte(cp)
		}
		return cp
	}

	b := e.buf[:0]
	e.tid = slices.Grow(e.tid[:0], len(r.Spans))[:len(r.Spans)]
	t, a, n := 0, 0, 0
	var frags []string
	for i := range r.Spans {
		s := &r.Spans[i]
		e.tid[i] = 0
		start, end := e.mapCP(s.Start), e.mapCP(s.End)
		// Fragments between line breaks, as brat itself makes for multi-line spans.
		var offs []byte
		frags = frags[:0]
		fs := start
		seg, _ := off.Slice(text, start, end)
		cp := start
		for _, c := range seg + "\n" {
			if c == '\n' {
				if cp > fs {
					if len(offs) > 0 {
						offs = append(offs, ';')
					}
					offs = strconv.AppendInt(offs, int64(conv(fs)), 10)
					offs = append(offs, ' ')
					offs = strconv.AppendInt(offs, int64(conv(cp)), 10)
					f, _ := off.Slice(text, fs, cp)
					frags = append(frags, f)
				}
				fs = cp + 1
			}
			cp++
		}
		if len(frags) == 0 {
			continue // nothing but line breaks: brat cannot show it
		}
		t++
		e.tid[i] = t
		e.labels[s.Label] = true
		b = fmt.Appendf(b, "T%d\t%s %s\t%s\n", t, s.Label, offs, strings.Join(frags, " "))
		c, ok := r.Casualty(s)
		if !ok {
			continue
		}
		for _, kv := range [][2]string{{"Kind", c.Kind}, {"Qualifier", c.Qualifier}, {"Scope", scope(c.Scope)}} {
			if kv[1] != "" && !strings.ContainsAny(kv[1], " \t\r\n") {
				a++
				b = fmt.Appendf(b, "A%d\t%s T%d %s\n", a, kv[0], t, kv[1])
			}
		}
		n++
		note := fmt.Sprintf("low=%s; high=%s; victims=%s; claimant=%s", intOrEmpty(c.Low), intOrEmpty(c.High),
			strings.Join(c.Victims, ","), r.ClaimantText(c))
		note = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(note)
		b = fmt.Appendf(b, "#%d\tAnnotatorNotes T%d\t%s\n", n, t, note)
	}
	for k := range r.Events {
		ev := &r.Events[k]
		trig := e.tid[r.index[ev.Trigger]]
		if trig == 0 {
			continue
		}
		b = fmt.Appendf(b, "E%d\t%s:T%d", k+1, ev.Type, trig)
		roles, spans := roleGroups(r, ev, e.cfg.Schema)
		for j, role := range roles {
			nth := 0
			for _, si := range spans[j] {
				if e.tid[si] == 0 {
					continue
				}
				nth++
				if nth == 1 {
					b = fmt.Appendf(b, " %s:T%d", role, e.tid[si])
				} else {
					b = fmt.Appendf(b, " %s%d:T%d", role, nth, e.tid[si])
				}
			}
		}
		b = append(b, '\n')
	}
	e.buf = b
	if w, err = e.sink.Create(name + ".ann"); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Close writes annotation.conf and visual.conf.
func (e *BratEncoder) Close() error {
	w, err := e.sink.Create("annotation.conf")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, BratAnnotationConf(e.cfg.Schema, e.labels)); err != nil {
		return err
	}
	if w, err = e.sink.Create("visual.conf"); err != nil {
		return err
	}
	_, err = io.WriteString(w, BratVisualConf(e.cfg.Schema))
	return err
}

// BratAnnotationConf generates brat's annotation.conf from the schema: span labels (and
// trigger labels that anchor no event type) as entities, event types with every role
// optional and repeatable, overlaps allowed, and the casualty attributes. Labels found in
// the data but missing from the schema are added as entities.
func BratAnnotationConf(sc *annotate.Schema, used map[string]bool) string {
	var sb strings.Builder
	sb.WriteString("# Generated by Evident from the project schema.\n[entities]\n")
	known := map[string]bool{}
	events := map[string]bool{}
	if sc != nil {
		for _, et := range sc.EventTypes {
			events[et.Trigger] = true
		}
		for _, l := range sc.Labels {
			known[l.Name] = true
			if !events[l.Name] {
				sb.WriteString(l.Name + "\n")
			}
		}
	}
	extra := make([]string, 0)
	for l := range used {
		if !known[l] {
			extra = append(extra, l)
		}
	}
	slices.Sort(extra)
	for _, l := range extra {
		sb.WriteString(l + "\n")
	}
	sb.WriteString("\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n")
	if sc != nil {
		for _, et := range sc.EventTypes {
			sb.WriteString(et.Name)
			for i, role := range et.Roles {
				if i == 0 {
					sb.WriteString("\t")
				} else {
					sb.WriteString(", ")
				}
				sb.WriteString(role + "*:<ENTITY>")
			}
			sb.WriteString("\n")
		}
	}
	sb.WriteString("\n[attributes]\n")
	sb.WriteString("Kind\tArg:CASUALTY, Value:" + strings.Join(annotate.CasualtyKinds, "|") + "\n")
	sb.WriteString("Qualifier\tArg:CASUALTY, Value:" + strings.Join(annotate.CasualtyQualifiers, "|") + "\n")
	sb.WriteString("Scope\tArg:CASUALTY, Value:" + strings.Join(annotate.CasualtyScopes, "|") + "\n")
	return sb.String()
}

// BratVisualConf gives each label its schema colour.
func BratVisualConf(sc *annotate.Schema) string {
	var sb strings.Builder
	sb.WriteString("# Generated by Evident from the project schema.\n[labels]\n")
	if sc != nil {
		for _, l := range sc.Labels {
			name := strings.ToUpper(l.Name[:1]) + strings.ToLower(l.Name[1:])
			sb.WriteString(l.Name + " | " + name + "\n")
		}
	}
	sb.WriteString("\n[drawing]\nSPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\nARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n")
	if sc != nil {
		for _, l := range sc.Labels {
			sb.WriteString(l.Name + "\tbgColor:" + l.Color + ", borderColor:darken\n")
		}
	}
	return sb.String()
}
